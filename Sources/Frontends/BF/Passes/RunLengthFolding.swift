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
            for op in list {
                switch (out.last, op) {
                case (.add(let o1, let d1, let loc)?, .add(let o2, let d2, _)) where o1 == o2:
                    out[out.count - 1] = .add(offset: o1, delta: context.wrap(d1 + d2), loc: loc)
                case (.move(let n1, let loc)?, .move(let n2, _)):
                    if n1 + n2 == 0 { out.removeLast() } else { out[out.count - 1] = .move(n1 + n2, loc: loc) }
                case (_, .move(0, _)):
                    break
                default:
                    out.append(op)
                }
            }
            return out
        }
    }
}
