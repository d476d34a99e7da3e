import JitIR
import Synchronization

/// The places compiled code can trap, indexed by the number it passes to the trap hook.
/// Lazily compiled pieces add theirs while the program runs, so it is shared and locked.
final class TrapSiteTable: Sendable {
    private let table = Mutex<[Trap]>([])
    /// The index of the first site: code that shares a context with other code (tier-up) numbers
    /// its sites after the other code's.
    let base: Int

    init(base: Int = 0) {
        self.base = base
    }

    /// Registers a site and returns its index.
    func add(_ kind: TrapKind, _ loc: SourceLoc, in function: String) -> Int {
        table.withLock { sites in
            sites.append(Trap(kind: kind, loc: loc, function: function))
            return base + sites.count - 1
        }
    }

    /// The site of index `i`, if there is one.
    func site(_ i: Int) -> Trap? {
        table.withLock { $0.indices.contains(i - base) ? $0[i - base] : nil }
    }

    var sites: [Trap] { table.withLock { $0 } }
}
