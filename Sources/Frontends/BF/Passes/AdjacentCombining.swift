import JitIR

/// Merges an add or set with a directly following add or set of the same cell
/// (`set 0; add 5` becomes `set 5`, `add 2; set 7` becomes `set 7`).
///
/// The merged op keeps the first op's position: that is where the cell is
/// first touched, and the second touch of the same cell cannot trap. Ops are
/// only merged when nothing else happens between them.
public struct AdjacentCombining: BFPass {
    public init() {}
    public var name: String { "combine-adjacent" }

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        bottomUpIfChanged(ops) { list in
            // Most lists have nothing to merge: keep them without building a copy.
            guard list.indices.dropFirst().contains(where: { Self.merge(list[$0 - 1], list[$0], context) != nil })
            else { return nil }
            var out: [BFOp] = []
            out.reserveCapacity(list.count)
            for op in list {
                if let last = out.last, let merged = Self.merge(last, op, context) {
                    out[out.count - 1] = merged
                } else {
                    out.append(op)
                }
            }
            return out
        }
    }

    static func merge(_ a: BFOp, _ b: BFOp, _ context: BFPassContext) -> BFOp? {
        switch (a, b) {
        case (.add(let o, let x, let loc), .add(let o2, let y, _)) where o == o2:
            .add(offset: o, delta: context.wrap(x + y), loc: loc)
        case (.set(let o, let x, let loc), .add(let o2, let y, _)) where o == o2:
            .set(offset: o, value: context.wrap(x + y), loc: loc)
        case (.add(let o, _, let loc), .set(let o2, let y, _)) where o == o2,
             (.set(let o, _, let loc), .set(let o2, let y, _)) where o == o2:
            .set(offset: o, value: y, loc: loc)
        default:
            nil
        }
    }
}
