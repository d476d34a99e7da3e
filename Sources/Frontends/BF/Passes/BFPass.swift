import JitIR
import Synchronization

/// What a pass may rely on about the dialect.
public struct BFPassContext: Sendable {
    public var options: BFOptions
    /// What passes found about loops they may meet again, unchanged, in a later round.
    let memo = BFPassMemo()

    public init(options: BFOptions) { self.options = options }

    /// `x` reduced modulo 2^cellBits into the signed range of a cell.
    public func wrap(_ x: Int) -> Int {
        switch options.cellBits {
        case 8: Int(Int8(truncatingIfNeeded: x))
        case 16: Int(Int16(truncatingIfNeeded: x))
        default: Int(Int32(truncatingIfNeeded: x))
        }
    }
}

/// A rewrite of a BF op list that keeps the program's meaning exactly: same
/// output, same final tape, and the same trap (kind and position) for every
/// input. Passes must accept any op list, not only the output of earlier passes.
public protocol BFPass: Sendable {
    /// A short name for dumps and test reports.
    var name: String { get }
    func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp]
}

extension BFPass {
    /// Applies `rewrite` to every op list nested in `ops` (loop bodies first),
    /// then to `ops` itself: for passes that look at one list at a time.
    func bottomUp(_ ops: [BFOp], _ rewrite: ([BFOp]) -> [BFOp]) -> [BFOp] {
        // Copied only at the first loop: most lists have none.
        var inner = ops
        for i in ops.indices {
            if case .loop(let body, let open, let close) = ops[i] {
                inner[i] = .loop(body: bottomUp(body, rewrite), open: open, close: close)
            }
        }
        return rewrite(inner)
    }
}

extension BFPass {
    /// `bottomUp` for rewrites that usually change nothing: `rewrite` returns nil
    /// for a list it keeps as it is. Unchanged lists keep their storage, so they
    /// are neither copied nor rebuilt, and `Repeated`'s comparison of an unchanged
    /// program stops at the storage's identity instead of walking every op.
    /// On hanoi, rebuilding every list in every pass was a tenth of start-up.
    func bottomUpIfChanged(_ ops: [BFOp], _ rewrite: ([BFOp]) -> [BFOp]?) -> [BFOp] {
        changedBottomUp(ops, rewrite) ?? ops
    }

    /// `bottomUpIfChanged` for rewrites of one op at a time (nil: kept).
    func mapBottomUp(_ ops: [BFOp], _ transform: (BFOp) -> BFOp?) -> [BFOp] {
        bottomUpIfChanged(ops) { list in
            var out: [BFOp]?
            for i in list.indices {
                guard let new = transform(list[i]) else { continue }
                if out == nil { out = list }
                out![i] = new
            }
            return out
        }
    }

    /// The rewritten list, or nil when neither it nor any list inside changed.
    private func changedBottomUp(_ ops: [BFOp], _ rewrite: ([BFOp]) -> [BFOp]?) -> [BFOp]? {
        var inner: [BFOp]?
        for i in ops.indices {
            guard case .loop(let body, let open, let close) = ops[i],
                  let newBody = changedBottomUp(body, rewrite) else { continue }
            if inner == nil { inner = ops }
            inner![i] = .loop(body: newBody, open: open, close: close)
        }
        return rewrite(inner ?? ops) ?? inner
    }
}

/// Results of a pass over one loop body, kept for the program's compile: `Repeated` runs its
/// passes again over loops that earlier rounds left as they were (`ListMemo`). An entry also
/// holds the options it was found with, since a context's copies share the memo.
final class BFPassMemo: @unchecked Sendable {
    private struct Peeled {
        var options: BFOptions
        var close: SourceLoc
        var result: BFOp?
    }

    /// Guards `peeled`: a context (a test's, say) may be used on several threads at once.
    private let lock = Mutex(())
    private var peeled = ListMemo<Peeled>()

    /// `LoopPeeling`'s addition to the loop `body` that closes at `close`: `compute()` the
    /// first time, the same answer afterwards.
    func peeling(_ body: [BFOp], close: SourceLoc, options: BFOptions, _ compute: () -> BFOp?) -> BFOp? {
        let found = lock.withLock { _ in peeled.value(for: body) { Peeled(options: options, close: close, result: compute()) } }
        return found.options == options && found.close == close ? found.result : compute()
    }
}
