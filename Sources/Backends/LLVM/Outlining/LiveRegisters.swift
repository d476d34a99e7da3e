import JitIR

/// The registers live on entry to each block, for the registers that can be live across a
/// block boundary at all: parameters and registers named in more than one block. (A register
/// named in one block only is assigned there before it is read, or the verifier's definite
/// assignment would not hold.) Frontends reuse a handful of registers (BF) or use many
/// short-lived ones (bytecode); either way the sets stay small.
struct LiveRegisters {
    /// The registers tracked, and each one's position in the bit sets (-1: not tracked).
    let tracked: [Var]
    let position: [Int]
    /// Words per set.
    let words: Int
    /// Per block: the tracked registers it reads or writes, and those it writes.
    private(set) var referenced: [UInt64]
    private(set) var written: [UInt64]
    /// Per block: the tracked registers live on entry.
    private(set) var liveIn: [UInt64]

    init(_ function: Function, _ tree: DominatorTree) {
        let n = function.blocks.count
        var firstBlock = [Int](repeating: -1, count: function.registerTypes.count)
        var shared = [Bool](repeating: false, count: function.registerTypes.count)
        func note(_ v: Var, _ b: Int) {
            guard v.index >= 0 && v.index < firstBlock.count else { return }
            if firstBlock[v.index] == -1 { firstBlock[v.index] = b } else if firstBlock[v.index] != b { shared[v.index] = true }
        }
        for (b, block) in function.blocks.enumerated() {
            for inst in block.instructions {
                inst.op.forEachRegister { _, v in note(v, b) }
                if let d = inst.defined { note(d, b) }
            }
            if let v = block.terminator.readRegister { note(v, b) }
        }
        for p in function.parameters where p.index >= 0 && p.index < shared.count { shared[p.index] = true }
        var position = [Int](repeating: -1, count: function.registerTypes.count)
        var tracked: [Var] = []
        for (i, s) in shared.enumerated() where s {
            position[i] = tracked.count
            tracked.append(Var(i))
        }
        self.tracked = tracked
        self.position = position
        let words = max(1, (tracked.count + 63) / 64)
        self.words = words

        // Per block: read before written (upward-exposed) and written.
        var exposed = [UInt64](repeating: 0, count: n * words)
        var written = [UInt64](repeating: 0, count: n * words)
        var referenced = [UInt64](repeating: 0, count: n * words)
        for (b, block) in function.blocks.enumerated() {
            let base = b * words
            func read(_ v: Var) {
                guard v.index >= 0 && v.index < position.count, position[v.index] >= 0 else { return }
                let k = position[v.index], bit = UInt64(1) << UInt64(k % 64)
                referenced[base + k / 64] |= bit
                if written[base + k / 64] & bit == 0 { exposed[base + k / 64] |= bit }
            }
            for inst in block.instructions {
                inst.op.forEachRegister { _, v in read(v) }
                if let d = inst.defined, d.index >= 0 && d.index < position.count, position[d.index] >= 0 {
                    let k = position[d.index]
                    written[base + k / 64] |= UInt64(1) << UInt64(k % 64)
                    referenced[base + k / 64] |= UInt64(1) << UInt64(k % 64)
                }
            }
            if let v = block.terminator.readRegister { read(v) }
        }
        self.written = written
        self.referenced = referenced

        // Backward dataflow to a fixpoint, visiting blocks in postorder.
        var liveIn = [UInt64](repeating: 0, count: n * words)
        let postorder = Array(tree.reversePostorder.reversed())
        var changed = true
        var out = [UInt64](repeating: 0, count: words)
        while changed {
            changed = false
            for b in postorder {
                for w in 0..<words { out[w] = 0 }
                for s in tree.successors[b] {
                    for w in 0..<words { out[w] |= liveIn[s * words + w] }
                }
                for w in 0..<words {
                    let value = exposed[b * words + w] | (out[w] & ~written[b * words + w])
                    if value != liveIn[b * words + w] {
                        liveIn[b * words + w] = value
                        changed = true
                    }
                }
            }
        }
        self.liveIn = liveIn
    }

    /// The registers of a set, in increasing order.
    func registers(in set: [UInt64]) -> [Var] {
        var result: [Var] = []
        for w in 0..<words where set[w] != 0 {
            var bits = set[w]
            while bits != 0 {
                let k = w * 64 + bits.trailingZeroBitCount
                result.append(tracked[k])
                bits &= bits - 1
            }
        }
        return result
    }
}
