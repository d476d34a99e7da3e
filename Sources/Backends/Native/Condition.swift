/// An x86 condition code, as used by `jcc`, `setcc` and `cmovcc`. The raw value
/// is the 4-bit encoding added to the base opcode.
public enum Condition: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case o = 0, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g

    // Aliases, as the assembler mnemonics spell them.
    public static let c = Condition.b, nae = Condition.b, nb = Condition.ae, nc = Condition.ae
    public static let z = Condition.e, nz = Condition.ne, na = Condition.be, nbe = Condition.a
    public static let pe = Condition.p, po = Condition.np, nge = Condition.l, nl = Condition.ge
    public static let ng = Condition.le, nle = Condition.g

    /// The condition that holds exactly when this one does not (flipping the low bit).
    public var inverted: Condition { Condition(rawValue: rawValue ^ 1)! }

    /// The suffix LLVM prints (`je`, `setb`, `cmovge`).
    public var description: String { Self.names[Int(rawValue)] }

    private static let names = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"]
}
