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
        bottomUp(ops) { list in
            var out: [BFOp] = []
            out.reserveCapacity(list.count)
            // The op decides first: pairing every op with a copy of the last one
            // cost retains of loop bodies for ops that merge with nothing.
            for op in list {
                switch op {
                case .add(let o2, let d2, _):
                    if case .add(let o1, let d1, let loc)? = out.last, o1 == o2 {
                        out[out.count - 1] = .add(offset: o1, delta: context.wrap(d1 + d2), loc: loc)
                        continue
                    }
                case .move(let n2, _):
                    if case .move(let n1, let loc)? = out.last {
                        if n1 + n2 == 0 { out.removeLast() } else { out[out.count - 1] = .move(n1 + n2, loc: loc) }
                        continue
                    }
                    if n2 == 0 { continue }
                default:
                    break
                }
                out.append(op)
            }
            return out
        }
    }
}
