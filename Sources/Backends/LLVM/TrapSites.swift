import JitIR

/// The places compiled code can trap, indexed by the number it passes to the trap hook.
final class TrapSiteTable {
    private(set) var sites: [Trap] = []

    /// Registers a site and returns its index.
    func add(_ kind: TrapKind, _ loc: SourceLoc, in function: String) -> Int {
        sites.append(Trap(kind: kind, loc: loc, function: function))
        return sites.count - 1
    }
}
