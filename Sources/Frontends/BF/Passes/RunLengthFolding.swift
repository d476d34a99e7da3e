import JitIR

/// `+++` becomes one `add +3`, `>>>` one `move 3`; `<>` disappears.
///
/// Only adds to the same offset that follow each other directly are merged, so
/// a merged add touches its cell at the position of its first command, exactly
/// where the original would have trapped. A sum of 0 is kept as a touch.
public struct RunLengthFolding: BFPass {
    public init() {}
    public var name: String { "run-length" }

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        fold(ops, context)
    }

    /// One walk, loop bodies folded where they stand. The run being merged is
    /// kept in `pending`, out of `out`, so that a merge touches no array; it runs
    /// first on the literal program, one op per command (hanoi: 54,000).
    private func fold(_ list: [BFOp], _ context: BFPassContext) -> [BFOp] {
        var out: [BFOp] = []
        out.reserveCapacity(list.count)
        var pending: BFOp?
        for op in list {
            switch op {
            case .add(let o2, let d2, _):
                if case .add(let o1, let d1, let loc)? = pending, o1 == o2 {
                    pending = .add(offset: o1, delta: context.wrap(d1 + d2), loc: loc)
                    continue
                }
            case .move(let n2, _):
                if case .move(let n1, let loc)? = pending {
                    if n1 + n2 != 0 {
                        pending = .move(n1 + n2, loc: loc)
                        continue
                    }
                    // `<>` vanishes, and what came before may merge with what comes next.
                    pending = nil
                    if let last = out.last, last.mayMerge {
                        pending = out.removeLast()
                    }
                    continue
                }
                if n2 == 0 { continue }
            case .loop(let body, let open, let close):
                if let p = pending { out.append(p) }
                pending = nil
                out.append(.loop(body: fold(body, context), open: open, close: close))
                continue
            default:
                break
            }
            if let p = pending { out.append(p) }
            pending = op.mayMerge ? op : nil
            if pending == nil { out.append(op) }
        }
        if let p = pending { out.append(p) }
        return out
    }
}

private extension BFOp {
    /// Whether a following op may merge with this one.
    var mayMerge: Bool {
        switch self {
        case .add, .move: true
        default: false
        }
    }
}
