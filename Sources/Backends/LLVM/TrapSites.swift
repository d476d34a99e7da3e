import JitIR

/// One place where compiled code can trap. Compiled code passes the site's index to the
/// runtime trap hook; the backend maps it back to a `Trap`.
struct TrapSite: Sendable, Hashable {
    var kind: TrapKind
    var loc: SourceLoc
    var function: String

    var trap: Trap { Trap(kind: kind, loc: loc, function: function) }
}

/// The sites of one module, indexed by the number compiled code reports.
final class TrapSiteTable {
    private(set) var sites: [TrapSite] = []

    /// Registers a site and returns its index.
    func add(_ kind: TrapKind, _ loc: SourceLoc, in function: String) -> Int {
        sites.append(TrapSite(kind: kind, loc: loc, function: function))
        return sites.count - 1
    }
}
