/// Why a program stopped abnormally at run time. Every backend raises exactly
/// the same kind at the same instruction, so traps are part of a program's result.
public enum TrapKind: String, Sendable, CaseIterable, Hashable {
    /// A memory access outside the module's memory (a BF cell off the tape).
    case outOfBounds = "out_of_bounds"
    case divisionByZero = "division_by_zero"
    /// Signed overflow of a checked operation.
    case overflow
    case negativeShift = "negative_shift"
    case negativePower = "negative_power"
    case recursionLimit = "recursion_limit"
    case unreachable
    /// `range()` called with a step of 0.
    case zeroRangeStep = "zero_range_step"

    /// The message printed after `file:line:col: trap: `.
    public var message: String {
        switch self {
        case .outOfBounds: "cell access outside the tape"
        case .divisionByZero: "ZeroDivisionError: integer division or modulo by zero"
        case .overflow: "OverflowError: result does not fit in a 64-bit integer"
        case .negativeShift: "ValueError: negative shift count"
        case .negativePower: "ValueError: negative exponent (the result would be a float)"
        case .recursionLimit: "RecursionError: maximum recursion depth exceeded"
        case .unreachable: "reached code marked unreachable"
        case .zeroRangeStep: "ValueError: range() arg 3 must not be zero"
        }
    }

    /// The process exit status `jitctl run` uses for this trap (documented in the README).
    public var exitStatus: Int32 {
        switch self {
        case .outOfBounds: 3
        case .divisionByZero: 4
        case .overflow: 5
        case .negativeShift, .negativePower, .zeroRangeStep: 6
        case .recursionLimit: 7
        case .unreachable: 8
        }
    }

    /// A dense index, used by native code to name a trap kind in a register.
    public var code: Int { TrapKind.allCases.firstIndex(of: self)! }
}

/// A trap that happened: the kind, the source position of the trapping
/// instruction and the function it was in.
public struct Trap: Error, Sendable, Hashable, CustomStringConvertible {
    public var kind: TrapKind
    public var loc: SourceLoc
    public var function: String

    public init(kind: TrapKind, loc: SourceLoc, function: String) {
        self.kind = kind
        self.loc = loc
        self.function = function
    }

    /// `file:line:col: trap: message`, the line `jitctl` prints on stderr.
    public func render(file: String) -> String {
        loc.isKnown
            ? "\(file):\(loc.line):\(loc.column): trap: \(kind.message)"
            : "\(file): trap: \(kind.message) (in @\(function))"
    }

    public var description: String { render(file: "<program>") }
}
