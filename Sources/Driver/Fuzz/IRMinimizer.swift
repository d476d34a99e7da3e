import JitIR

/// Shrinks an IR program while a predicate (the mismatch) still holds.
///
/// Every candidate must still pass `IRVerifier`, so a deletion that leaves a
/// register unassigned or a call dangling is simply skipped. Reductions, from
/// coarse to fine: drop whole functions, turn branches into jumps (and drop
/// the blocks that become unreachable), delete runs of instructions (a whole
/// block's, halves, then one at a time from the end), replace register operands
/// with constants (so what computed them can go next round), and finally renumber
/// the registers that are left.
public struct IRMinimizer {
    public var budget: Int
    /// Called after every evaluation (the worker uses it as a heartbeat).
    public var onStep: () -> Void

    public init(budget: Int = 300, onStep: @escaping () -> Void = {}) {
        self.budget = budget
        self.onStep = onStep
    }

    public func minimize(_ program: GeneratedIRProgram, failing: (GeneratedIRProgram) -> Bool) -> GeneratedIRProgram {
        var best = program
        var spent = 0
        func attempt(_ module: Module) -> Bool {
            guard spent < budget, IRVerifier.diagnostics(module).isEmpty else { return false }
            spent += 1
            defer { onStep() }
            var candidate = best
            candidate.module = module
            if failing(candidate) {
                best = candidate
                return true
            }
            return false
        }
        var progress = true
        while progress && spent < budget {
            progress = false
            // Whole functions (only possible once nothing calls them).
            for f in best.module.functions.indices.reversed() where best.module.functions[f].name != best.entry {
                var m = best.module
                m.functions.remove(at: f)
                if attempt(m) { progress = true }
            }
            // Branches into jumps, then drop what became unreachable.
            for f in best.module.functions.indices {
                for b in best.module.functions[f].blocks.indices where b < best.module.functions[f].blocks.count {
                    guard case .branch(_, let t, let e) = best.module.functions[f].blocks[b].terminator else { continue }
                    for target in [e, t] {
                        var m = best.module
                        m.functions[f].blocks[b].terminator = .jump(target)
                        m.functions[f] = Self.withoutUnreachableBlocks(m.functions[f])
                        if attempt(m) {
                            progress = true
                            break
                        }
                    }
                }
            }
            // Straight-line chains of blocks into one block.
            var merged = best.module
            for f in merged.functions.indices { merged.functions[f] = Self.mergingJumpChains(merged.functions[f]) }
            if merged != best.module && attempt(merged) { progress = true }
            // Returned values into constants, so the code computing them can go.
            for f in best.module.functions.indices {
                for b in best.module.functions[f].blocks.indices {
                    guard case .ret(.reg) = best.module.functions[f].blocks[b].terminator else { continue }
                    var m = best.module
                    m.functions[f].blocks[b].terminator = .ret(.imm(0))
                    if attempt(m) { progress = true }
                }
            }
            // Instructions: a block's all, then halves, then singles from the end.
            for f in best.module.functions.indices {
                var b = 0
                while b < best.module.functions[f].blocks.count && spent < budget {
                    var size = best.module.functions[f].blocks[b].instructions.count
                    while size >= 1 && spent < budget {
                        var end = best.module.functions[f].blocks[b].instructions.count
                        while end > 0 && spent < budget {
                            let start = max(0, end - size)
                            var m = best.module
                            m.functions[f].blocks[b].instructions.removeSubrange(start..<end)
                            if attempt(m) { progress = true }
                            end = min(start, best.module.functions[f].blocks[b].instructions.count)
                        }
                        size /= 2
                    }
                    b += 1
                }
            }
            // Operands into constants, one instruction at a time: what computed them may then go
            // in the next round.
            for f in best.module.functions.indices {
                for b in best.module.functions[f].blocks.indices {
                    for i in best.module.functions[f].blocks[b].instructions.indices.reversed() where spent < budget {
                        let instruction = best.module.functions[f].blocks[b].instructions[i]
                        guard let simpler = Self.withConstantOperands(instruction), simpler != instruction else { continue }
                        var m = best.module
                        m.functions[f].blocks[b].instructions[i] = simpler
                        if attempt(m) { progress = true }
                    }
                }
            }
        }
        // Tidy: registers renumbered densely (one more evaluation).
        var tidy = best.module
        for f in tidy.functions.indices { tidy.functions[f] = Self.compactRegisters(tidy.functions[f]) }
        if tidy != best.module {
            spent = min(spent, budget - 1)  // always worth one evaluation
            _ = attempt(tidy)
        }
        return best
    }

    /// `instruction` with its register operands (other than addresses) replaced by 0,
    /// which is canonical at every type.
    static func withConstantOperands(_ instruction: Instruction) -> Instruction? {
        func z(_ o: Operand) -> Operand { o.register == nil ? o : .imm(0) }
        var i = instruction
        switch i.op {
        case .copy(let d, let s): i.op = .copy(dst: d, src: z(s))
        case .binary(let k, let d, let a, let b, let c): i.op = .binary(k, dst: d, lhs: z(a), rhs: z(b), checked: c)
        case .unary(let k, let d, let s, let c): i.op = .unary(k, dst: d, src: z(s), checked: c)
        case .compare(let p, let t, let d, let a, let b): i.op = .compare(p, type: t, dst: d, lhs: z(a), rhs: z(b))
        case .select(let d, let c, let a, let b): i.op = .select(dst: d, cond: z(c), ifTrue: z(a), ifFalse: z(b))
        case .convert(let k, let d, let s, let from): i.op = .convert(k, dst: d, src: z(s), from: from)
        case .store(let t, let v, let base, let off): i.op = .store(type: t, value: z(v), base: base, offset: off)
        case .call(let d, let callee, let args): i.op = .call(dst: d, callee: callee, args: args.map(z))
        case .hostCall(let h, let d, let args): i.op = .hostCall(h, dst: d, args: args.map(z))
        case .trapIf(let c, let kind): i.op = .trapIf(cond: z(c), kind: kind)
        case .load, .scan, .enter, .leave, .probe: return nil
        }
        return i
    }

    /// `f` with every block that jumps to a block only it reaches merged with that block.
    static func mergingJumpChains(_ f: Function) -> Function {
        var f = f
        var changed = true
        while changed {
            changed = false
            let preds = f.predecessors()
            for a in f.blocks.indices {
                guard case .jump(let target) = f.blocks[a].terminator, target.index != a, target.index != 0,
                      target.index < f.blocks.count, preds[target.index].count == 1 else { continue }
                let b = f.blocks[target.index]
                f.blocks[a].instructions += b.instructions
                f.blocks[a].terminator = b.terminator
                f.blocks[a].terminatorLoc = b.terminatorLoc
                f.blocks[target.index].terminator = .jump(target)  // now unreachable; removed below
                f = withoutUnreachableBlocks(f)
                changed = true
                break
            }
        }
        return f
    }

    /// `f` without the blocks no path from the entry reaches, targets renumbered.
    static func withoutUnreachableBlocks(_ f: Function) -> Function {
        var reached = Set([0]), work = [0]
        while let b = work.popLast() {
            for s in f.blocks[b].terminator.successors where s.index < f.blocks.count && reached.insert(s.index).inserted {
                work.append(s.index)
            }
        }
        guard reached.count < f.blocks.count else { return f }
        let kept = f.blocks.indices.filter { reached.contains($0) }
        var renumber: [Int: Int] = [:]
        for (new, old) in kept.enumerated() { renumber[old] = new }
        func map(_ r: BlockRef) -> BlockRef { BlockRef(renumber[r.index] ?? r.index) }
        var out = f
        out.blocks = kept.map { old in
            var block = f.blocks[old]
            switch block.terminator {
            case .jump(let t): block.terminator = .jump(map(t))
            case .branch(let c, let t, let e): block.terminator = .branch(cond: c, ifTrue: map(t), ifFalse: map(e))
            case .ret, .trap: break
            }
            return block
        }
        return out
    }

    /// `f` with only the registers it mentions, renumbered in order of first use.
    static func compactRegisters(_ f: Function) -> Function {
        var order: [Var] = f.parameters
        var seen = Set(order)
        func note(_ v: Var) { if seen.insert(v).inserted { order.append(v) } }
        for block in f.blocks {
            for i in block.instructions {
                i.used.forEach(note)
                if let d = i.defined { note(d) }
            }
            block.terminator.operands.compactMap(\.register).forEach(note)
        }
        var map: [Var: Var] = [:]
        for (k, v) in order.enumerated() { map[v] = Var(k) }
        func r(_ v: Var) -> Var { map[v] ?? v }
        var out = f
        out.registerTypes = order.map { f.registerTypes[$0.index] }
        out.parameters = f.parameters.map(r)
        for b in out.blocks.indices {
            out.blocks[b].instructions = out.blocks[b].instructions.map { i in
                Instruction(i.op.renamingRegisters(r), loc: i.loc)
            }
            out.blocks[b].terminator = out.blocks[b].terminator.renamingRegisters(r)
        }
        return out
    }
}
