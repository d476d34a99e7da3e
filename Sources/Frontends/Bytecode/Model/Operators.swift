/// A two-operand integer operator of `BINARY_OP`, written as in Python.
public enum BinaryOperator: String, CaseIterable, Hashable, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case floorDivide = "//"
    case remainder = "%"
    case power = "**"
    case leftShift = "<<"
    case rightShift = ">>"
    case and = "&"
    case or = "|"
    case xor = "^"
}

/// A comparison of `COMPARE_OP`, written as in Python. The result is 1 or 0.
public enum ComparisonOperator: String, CaseIterable, Hashable, Sendable {
    case less = "<"
    case lessOrEqual = "<="
    case equal = "=="
    case notEqual = "!="
    case greater = ">"
    case greaterOrEqual = ">="
}

/// Functions that `CALL` reaches when the module defines no function of that name,
/// as Python's builtins are found after the module's globals.
public enum BuiltinFunction: String, CaseIterable, Hashable, Sendable {
    case abs, min, max

    /// Whether the builtin accepts `count` arguments (`abs` one; `min`, `max` two or more).
    public func accepts(argumentCount count: Int) -> Bool {
        self == .abs ? count == 1 : count >= 2
    }

    var arityDescription: String { self == .abs ? "exactly 1 argument" : "at least 2 arguments" }
}
