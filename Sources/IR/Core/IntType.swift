/// The integer types of the IR. `i1` is the type of comparison results and branch conditions.
public enum IntType: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    case i1, i8, i16, i32, i64

    /// Width in bits.
    public var bits: Int {
        switch self {
        case .i1: 1
        case .i8: 8
        case .i16: 16
        case .i32: 32
        case .i64: 64
        }
    }

    /// Size in bytes when stored to memory (`i1` occupies one byte).
    public var bytes: Int { max(1, bits / 8) }

    /// The mask of the bits this type keeps.
    public var mask: UInt64 { bits == 64 ? ~0 : (1 << UInt64(bits)) - 1 }

    /// The type whose memory size is `bytes` (1, 2, 4 or 8), if any.
    public init?(bytes: Int) {
        switch bytes {
        case 1: self = .i8
        case 2: self = .i16
        case 4: self = .i32
        case 8: self = .i64
        default: return nil
        }
    }

    /// Truncates `value` to this width and sign-extends it back to 64 bits.
    /// This is the canonical representation of every IR value.
    @inlinable
    public func normalize(_ value: Int64) -> Int64 {
        switch self {
        case .i64: value
        case .i32: Int64(Int32(truncatingIfNeeded: value))
        case .i16: Int64(Int16(truncatingIfNeeded: value))
        case .i8: Int64(Int8(truncatingIfNeeded: value))
        case .i1: value & 1
        }
    }

    /// Zero-extends the low `bits` of `value` (the unsigned reading of a value).
    @inlinable
    public func unsigned(_ value: Int64) -> UInt64 { UInt64(bitPattern: value) & mask }

    public var description: String { rawValue }
}
