/// Which registers are live at the start and end of each block: read on some path from there
/// before they are assigned. The x86 backend allocates registers with it, and tier-up finds
/// the registers an activation carries into a loop (`LoopEntry`).
///
/// IR registers are not SSA, so this is the classic backward data-flow
/// problem over the control-flow graph. Only "global" registers take part:
/// those read in some block before that block assigns them. Every other
/// register lives and dies inside one block, so the bit sets stay as small as
/// the number of values that flow between blocks (for BF: the tape pointer).
/// The sets of all blocks share flat word arrays (`words` words per block).
public struct BlockLiveness: Sendable {
    /// The registers that may be live across a block boundary, in increasing order.
    public let globals: [Var]
    /// Dense index of each register among `globals`, or -1.
    public let globalIndex: [Int32]
    /// 64-bit words per block set.
    public let words: Int
    /// Block `b`'s live-in set is `liveIn[b * words ..< (b + 1) * words]`; likewise `liveOut`.
    public private(set) var liveIn: [UInt64]
    public private(set) var liveOut: [UInt64]

    /// Liveness over the blocks of `order`, the blocks reachable from the entry (any order;
    /// the fixpoint converges fastest when most edges go forward in it). Other blocks have
    /// empty sets and are never taken as successors.
    public init(_ function: Function, order: [Int]) {
        let blockCount = function.blocks.count
        let registerCount = function.registerTypes.count

        // Upward-exposed uses decide which registers are global.
        var assignedIn = [Int32](repeating: -1, count: registerCount)  // last block that assigned the register
        var isGlobal = [Bool](repeating: false, count: registerCount)
        var reachable = [Bool](repeating: false, count: blockCount)
        for b in order { reachable[b] = true }
        for b in order {
            let tag = Int32(b)
            for inst in function.blocks[b].instructions {
                inst.op.forEachRegister { _, v in
                    if assignedIn[v.index] != tag { isGlobal[v.index] = true }
                }
                if let d = inst.defined { assignedIn[d.index] = tag }
            }
            if let v = function.blocks[b].terminator.readRegister, assignedIn[v.index] != tag { isGlobal[v.index] = true }
        }
        var globals: [Var] = []
        var globalIndex = [Int32](repeating: -1, count: registerCount)
        for i in 0..<registerCount where isGlobal[i] {
            globalIndex[i] = Int32(globals.count)
            globals.append(Var(i))
        }
        self.globals = globals
        self.globalIndex = globalIndex
        let words = (globals.count + 63) >> 6
        self.words = words
        liveIn = [UInt64](repeating: 0, count: blockCount * words)
        liveOut = [UInt64](repeating: 0, count: blockCount * words)
        guard words > 0 else { return }

        // gen = upward-exposed globals, kill = globals assigned in the block.
        var gen = [UInt64](repeating: 0, count: blockCount * words)
        var kill = [UInt64](repeating: 0, count: blockCount * words)
        for b in order {
            let base = b * words
            for inst in function.blocks[b].instructions {
                inst.op.forEachRegister { _, v in
                    let gi = Int(globalIndex[v.index])
                    if gi >= 0 && kill[base + gi >> 6] & (1 << UInt64(gi & 63)) == 0 {
                        gen[base + gi >> 6] |= 1 << UInt64(gi & 63)
                    }
                }
                if let d = inst.defined {
                    let gi = Int(globalIndex[d.index])
                    if gi >= 0 { kill[base + gi >> 6] |= 1 << UInt64(gi & 63) }
                }
            }
            if let v = function.blocks[b].terminator.readRegister {
                let gi = Int(globalIndex[v.index])
                if gi >= 0 && kill[base + gi >> 6] & (1 << UInt64(gi & 63)) == 0 {
                    gen[base + gi >> 6] |= 1 << UInt64(gi & 63)
                }
            }
        }

        // Visiting blocks backwards in layout order converges in a few rounds for structured code.
        var changed = true
        while changed {
            changed = false
            for b in order.reversed() {
                let base = b * words
                function.blocks[b].terminator.forEachSuccessor { s in
                    guard s >= 0 && s < blockCount && reachable[s] else { return }
                    for k in 0..<words { liveOut[base + k] |= liveIn[s * words + k] }
                }
                for k in 0..<words {
                    let new = gen[base + k] | (liveOut[base + k] & ~kill[base + k])
                    if new != liveIn[base + k] {
                        liveIn[base + k] = new
                        changed = true
                    }
                }
            }
        }
    }

    @inline(__always)
    private func contains(_ sets: [UInt64], _ block: Int, _ v: Var) -> Bool {
        let gi = Int(globalIndex[v.index])
        return gi >= 0 && sets[block * words + gi >> 6] & (1 << UInt64(gi & 63)) != 0
    }

    @inline(__always)
    private func forEach(_ sets: [UInt64], _ block: Int, _ body: (Var) -> Void) {
        for k in 0..<words {
            var w = sets[block * words + k]
            while w != 0 {
                body(globals[k << 6 + w.trailingZeroBitCount])
                w &= w - 1
            }
        }
    }

    /// Whether `v` is live on entry to `block`.
    public func isLiveIn(_ v: Var, at block: Int) -> Bool { contains(liveIn, block, v) }

    /// Whether `v` is live on exit from `block`.
    public func isLiveOut(_ v: Var, at block: Int) -> Bool { contains(liveOut, block, v) }

    /// Calls `body` with each register live on entry to `block`.
    public func forEachLiveIn(_ block: Int, _ body: (Var) -> Void) { forEach(liveIn, block, body) }

    /// Calls `body` with each register live on exit from `block`.
    public func forEachLiveOut(_ block: Int, _ body: (Var) -> Void) { forEach(liveOut, block, body) }

    /// The registers live on entry to `block`.
    public func liveInRegisters(_ block: Int) -> [Var] {
        var out: [Var] = []
        forEachLiveIn(block) { out.append($0) }
        return out
    }

    /// The registers live on exit from `block`.
    public func liveOutRegisters(_ block: Int) -> [Var] {
        var out: [Var] = []
        forEachLiveOut(block) { out.append($0) }
        return out
    }
}
