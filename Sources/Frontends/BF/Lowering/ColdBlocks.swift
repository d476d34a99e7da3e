import JitIR

extension Function {
    /// The same function with the blocks in `cold` moved after all others (in
    /// their original order), so that the hot path is laid out contiguously.
    func movingToEnd(_ cold: Set<Int>) -> Function {
        guard !cold.isEmpty, !cold.contains(0) else { return self }
        let order = blocks.indices.filter { !cold.contains($0) } + blocks.indices.filter { cold.contains($0) }
        var newIndex = [Int](repeating: 0, count: blocks.count)
        for (new, old) in order.enumerated() { newIndex[old] = new }
        func remap(_ b: BlockRef) -> BlockRef { BlockRef(newIndex[b.index]) }
        var f = self
        f.blocks = order.map { old in
            var block = blocks[old]
            switch block.terminator {
            case .jump(let t): block.terminator = .jump(remap(t))
            case .branch(let c, let t, let e): block.terminator = .branch(cond: c, ifTrue: remap(t), ifFalse: remap(e))
            case .ret, .trap: break
            }
            return block
        }
        return f
    }
}
