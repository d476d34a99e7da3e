/// Which version of a program `jitctl dump` shows.
public enum DumpStage: String, Sendable, CaseIterable {
    /// Before optimisation: the literal translation (IR), or the LLVM IR as lowered.
    case before
    /// After optimisation: the BF passes (IR), or the LLVM pass pipeline of the level (docs/llvm.md).
    case after
}

/// One instruction of a disassembly listing.
public struct AssemblyLine: Sendable, Hashable {
    public var address: UInt64
    public var bytes: [UInt8]
    public var text: String

    public init(address: UInt64, bytes: [UInt8], text: String) {
        self.address = address
        self.bytes = bytes
        self.text = text
    }
}
