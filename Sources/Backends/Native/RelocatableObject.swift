import JitIR

/// A module compiled (by `LLVMBackend.compileObject`) to a relocatable object file, for code that
/// runs in another process: the tier-up compile server's answer (docs/tiering.md). Its code embeds the addresses it was
/// compiled for (`RuntimeAddresses`) and refers to the runtime hooks by the symbols of
/// `externalSymbols`; `LoadedObject` loads it.
public struct RelocatableObject: Sendable, Hashable {
    /// The ELF object file.
    public var bytes: [UInt8]
    /// Each IR function's C-ABI entry symbol.
    public var entrySymbols: [String: String]
    /// The hooks' symbols and the addresses they were given.
    public var externalSymbols: [String: UInt64]
    /// The trap sites: `sites[i]` is the one the code numbers `firstSite + i`.
    public var sites: [Trap]
    public var firstSite: Int

    public init(bytes: [UInt8], entrySymbols: [String: String], externalSymbols: [String: UInt64], sites: [Trap],
                firstSite: Int) {
        self.firstSite = firstSite
        self.bytes = bytes
        self.entrySymbols = entrySymbols
        self.externalSymbols = externalSymbols
        self.sites = sites
    }
}
