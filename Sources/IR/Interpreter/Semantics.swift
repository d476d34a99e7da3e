/// The outcome of evaluating one IR operation: a canonical value or a trap.
public enum Evaluation: Hashable, Sendable {
    case value(Int64)
    case trap(TrapKind)
}

/// What every IR operation means on canonical values (see `IntType.normalize`).
///
/// This is the specification the reference interpreter executes on its general
/// path; its specialised fast paths must agree with it, and constant folders may
/// call it directly. Inputs must be canonical for the given type; results are.
public enum Semantics {
    /// `putbytes(word, count)`: gives `write` the low `count` bytes of `word`, the least
    /// significant first, with `count` clamped to 0...8.
    @inlinable
    public static func putBytes(_ word: Int64, count: Int64, _ write: (UInt8) -> Void) {
        let bits = UInt64(bitPattern: word)
        for k in 0..<Int(min(max(count, 0), 8)) { write(UInt8(truncatingIfNeeded: bits >> (8 * k))) }
    }

    /// `bytes` (at most 8) as the `putbytes` word that writes them.
    @inlinable
    public static func putBytesWord(_ bytes: some Collection<UInt8>) -> Int64 {
        precondition(bytes.count <= 8, "putbytes writes at most 8 bytes")
        var word: UInt64 = 0
        for (k, byte) in bytes.enumerated() { word |= UInt64(byte) << (8 * k) }
        return Int64(bitPattern: word)
    }

    /// The signed reading of a canonical value: equal to the value itself,
    /// except that an `i1` holding 1 reads as -1.
    @inlinable
    public static func signed(_ value: Int64, _ type: IntType) -> Int64 {
        type == .i1 ? -(value & 1) : value
    }

    /// The smallest and largest signed values of `type`.
    @inlinable
    public static func signedRange(_ type: IntType) -> ClosedRange<Int64> {
        switch type {
        case .i1: -1...0
        case .i8: Int64(Int8.min)...Int64(Int8.max)
        case .i16: Int64(Int16.min)...Int64(Int16.max)
        case .i32: Int64(Int32.min)...Int64(Int32.max)
        case .i64: Int64.min...Int64.max
        }
    }

    /// `lhs op rhs` at width `type`.
    public static func binary(_ op: BinaryOp, _ type: IntType, _ lhs: Int64, _ rhs: Int64,
                              checked: Bool = false) -> Evaluation {
        let a = signed(lhs, type), b = signed(rhs, type)
        switch op {
        case .add, .sub, .mul:
            let (wide, overflow64): (Int64, Bool) = switch op {
            case .add: a.addingReportingOverflow(b)
            case .sub: a.subtractingReportingOverflow(b)
            default: a.multipliedReportingOverflow(by: b)
            }
            if checked && (overflow64 || !signedRange(type).contains(wide)) { return .trap(.overflow) }
            return .value(type.normalize(wide))
        case .sdiv, .srem:
            if b == 0 { return .trap(.divisionByZero) }
            if a == signedRange(type).lowerBound && b == -1 {
                return op == .sdiv ? .trap(.overflow) : .value(0)
            }
            return .value(type.normalize(op == .sdiv ? a / b : a % b))
        case .and: return .value(type.normalize(lhs & rhs))
        case .or: return .value(type.normalize(lhs | rhs))
        case .xor: return .value(type.normalize(lhs ^ rhs))
        case .shl, .lshr, .ashr:
            // Widths are powers of two, so masking is the count modulo the width.
            let count = rhs & Int64(type.bits - 1)
            switch op {
            case .shl: return .value(type.normalize(lhs &<< count))
            case .lshr: return .value(type.normalize(Int64(bitPattern: type.unsigned(lhs) &>> UInt64(count))))
            default: return .value(type.normalize(a &>> count))
            }
        }
    }

    /// `op operand` at width `type`.
    public static func unary(_ op: UnaryOp, _ type: IntType, _ operand: Int64, checked: Bool = false) -> Evaluation {
        switch op {
        case .neg:
            let a = signed(operand, type)
            if checked && a == signedRange(type).lowerBound { return .trap(.overflow) }
            return .value(type.normalize(0 &- a))
        case .not:
            return .value(type.normalize(~operand))
        }
    }

    /// Whether `lhs pred rhs` holds for operands of type `type`.
    public static func compare(_ pred: ComparePredicate, _ type: IntType, _ lhs: Int64, _ rhs: Int64) -> Bool {
        let a = signed(lhs, type), b = signed(rhs, type)
        let ua = type.unsigned(lhs), ub = type.unsigned(rhs)
        switch pred {
        case .eq: return ua == ub
        case .ne: return ua != ub
        case .slt: return a < b
        case .sle: return a <= b
        case .sgt: return a > b
        case .sge: return a >= b
        case .ult: return ua < ub
        case .ule: return ua <= ub
        case .ugt: return ua > ub
        case .uge: return ua >= ub
        }
    }

    /// `op value` from type `from` to type `to`.
    public static func convert(_ op: ConvertOp, _ value: Int64, from: IntType, to: IntType) -> Int64 {
        switch op {
        case .zext: to.normalize(Int64(bitPattern: from.unsigned(value)))
        case .sext: to.normalize(signed(value, from))
        case .trunc: to.normalize(value)
        }
    }
}
