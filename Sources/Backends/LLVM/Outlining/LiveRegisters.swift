import JitIR

/// What outlining needs of liveness: the registers live on entry to each block
/// (`BlockLiveness`), and per block those it reads or writes and those it writes, as bit sets
/// over the same registers (those that can be live across a block boundary at all).
struct LiveRegisters {
    let liveness: BlockLiveness
    /// Words per set.
    var words: Int { liveness.words }
    /// Per block: the registers live on entry.
    var liveIn: [UInt64] { liveness.liveIn }
    /// Per block: the registers it reads or writes, and those it writes.
    private(set) var referenced: [UInt64]
    private(set) var written: [UInt64]

    init(_ function: Function, _ tree: DominatorTree) {
        let liveness = BlockLiveness(function, order: tree.reversePostorder)
        let words = liveness.words
        var referenced = [UInt64](repeating: 0, count: function.blocks.count * words)
        var written = referenced
        for b in tree.reversePostorder {
            let block = function.blocks[b]
            func note(_ v: Var, writes: Bool) {
                let k = Int(liveness.globalIndex[v.index])
                guard k >= 0 else { return }
                let bit = UInt64(1) << UInt64(k & 63)
                referenced[b * words + k >> 6] |= bit
                if writes { written[b * words + k >> 6] |= bit }
            }
            for inst in block.instructions {
                inst.op.forEachRegister { _, v in note(v, writes: false) }
                if let d = inst.defined { note(d, writes: true) }
            }
            if let v = block.terminator.readRegister { note(v, writes: false) }
        }
        self.liveness = liveness
        self.referenced = referenced
        self.written = written
    }

    /// The registers of a set, in increasing order.
    func registers(in set: [UInt64]) -> [Var] {
        var result: [Var] = []
        for w in 0..<words where set[w] != 0 {
            var bits = set[w]
            while bits != 0 {
                result.append(liveness.globals[w * 64 + bits.trailingZeroBitCount])
                bits &= bits - 1
            }
        }
        return result
    }
}
