import JitIR

/// Which registers are live at the start and end of each block.
///
/// IR registers are not SSA, so this is the classic backward data-flow
/// problem over the control-flow graph. Only "global" registers take part:
/// those read in some block before that block assigns them. Every other
/// register lives and dies inside one block, so the bit sets stay as small as
/// the number of values that flow between blocks (for BF: the tape pointer).
struct Liveness {
    /// The registers that may be live across a block boundary, in increasing order.
    let globals: [Var]
    /// Dense index of each register among `globals`, or -1.
    let globalIndex: [Int32]
    /// Per block (indexed like `Function.blocks`): globals live on entry.
    private(set) var liveIn: [BitSet]
    /// Per block: globals live on exit.
    private(set) var liveOut: [BitSet]

    init(_ function: Function, layout: BlockLayout) {
        let blockCount = function.blocks.count
        let registerCount = function.registerTypes.count

        // Upward-exposed uses decide which registers are global.
        var assignedIn = [Int32](repeating: -1, count: registerCount)  // last block that assigned the register
        var isGlobal = [Bool](repeating: false, count: registerCount)
        for b in layout.order {
            let block = function.blocks[b]
            let tag = Int32(b)
            for inst in block.instructions {
                for operand in inst.operands {
                    if case .reg(let v) = operand, assignedIn[v.index] != tag { isGlobal[v.index] = true }
                }
                if let d = inst.defined { assignedIn[d.index] = tag }
            }
            for operand in block.terminator.operands {
                if case .reg(let v) = operand, assignedIn[v.index] != tag { isGlobal[v.index] = true }
            }
        }
        var globals: [Var] = []
        var globalIndex = [Int32](repeating: -1, count: registerCount)
        for i in 0..<registerCount where isGlobal[i] {
            globalIndex[i] = Int32(globals.count)
            globals.append(Var(i))
        }
        self.globals = globals
        self.globalIndex = globalIndex

        // gen = upward-exposed globals, kill = globals assigned in the block.
        let empty = BitSet(capacity: globals.count)
        var gen = [BitSet](repeating: empty, count: blockCount)
        var kill = [BitSet](repeating: empty, count: blockCount)
        if !globals.isEmpty {
            for b in layout.order {
                let block = function.blocks[b]
                var g = empty, k = empty
                func read(_ operand: Operand) {
                    if case .reg(let v) = operand {
                        let gi = Int(globalIndex[v.index])
                        if gi >= 0 && !k.contains(gi) { g.insert(gi) }
                    }
                }
                for inst in block.instructions {
                    for operand in inst.operands { read(operand) }
                    if let d = inst.defined, globalIndex[d.index] >= 0 { k.insert(Int(globalIndex[d.index])) }
                }
                for operand in block.terminator.operands { read(operand) }
                gen[b] = g
                kill[b] = k
            }
        }

        liveIn = [BitSet](repeating: empty, count: blockCount)
        liveOut = [BitSet](repeating: empty, count: blockCount)
        guard !globals.isEmpty else { return }
        // Visiting blocks backwards in layout order converges in a few rounds for structured code.
        var changed = true
        while changed {
            changed = false
            for b in layout.order.reversed() {
                var out = liveOut[b]
                for s in function.blocks[b].terminator.successors where layout.isReachable(s.index) {
                    out.formUnion(liveIn[s.index])
                }
                liveOut[b] = out
                out.transfer(gen: gen[b], kill: kill[b])
                if out != liveIn[b] {
                    liveIn[b] = out
                    changed = true
                }
            }
        }
    }

    /// Whether `v` is live on entry to `block`.
    func isLiveIn(_ v: Var, at block: Int) -> Bool {
        let gi = Int(globalIndex[v.index])
        return gi >= 0 && liveIn[block].contains(gi)
    }

    /// Whether `v` is live on exit from `block`.
    func isLiveOut(_ v: Var, at block: Int) -> Bool {
        let gi = Int(globalIndex[v.index])
        return gi >= 0 && liveOut[block].contains(gi)
    }

    /// The registers live on entry to `block`.
    func liveInRegisters(_ block: Int) -> [Var] { liveIn[block].elements.map { globals[$0] } }

    /// The registers live on exit from `block`.
    func liveOutRegisters(_ block: Int) -> [Var] { liveOut[block].elements.map { globals[$0] } }
}
