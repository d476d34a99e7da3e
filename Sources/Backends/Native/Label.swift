/// A position in the code being assembled. Create with `Assembler.newLabel()`,
/// place with `Assembler.bind(_:)`; branches and calls may refer to it before it is bound.
public struct Label: Hashable, Sendable, CustomStringConvertible {
    /// Index within the assembler that created it.
    public let id: Int
    init(id: Int) { self.id = id }
    public var description: String { "L\(id)" }
}

/// Why assembling failed. Instruction methods never throw: the first misuse is
/// remembered and `Assembler.finish()` throws it.
public enum AssemblerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A branch, call or `lea` refers to a label that was never bound.
    case unboundLabel(Label)
    /// `bind` was called twice for the same label.
    case labelBoundTwice(Label)
    /// The label was not created by this assembler.
    case unknownLabel(Label)
    /// The operands do not form a valid instruction (sizes disagree, `rsp` as index, ...).
    case invalidOperands(instruction: String, reason: String)
    /// The immediate does not fit the instruction's immediate field.
    case immediateOutOfRange(instruction: String, value: Int64)

    public var description: String {
        switch self {
        case .unboundLabel(let l): "assembler: label \(l) is used but never bound"
        case .labelBoundTwice(let l): "assembler: label \(l) is bound twice"
        case .unknownLabel(let l): "assembler: label \(l) does not belong to this assembler"
        case .invalidOperands(let i, let r): "assembler: invalid operands for \(i): \(r)"
        case .immediateOutOfRange(let i, let v): "assembler: immediate \(v) out of range for \(i)"
        }
    }
}
