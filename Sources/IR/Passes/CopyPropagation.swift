/// Within each block, a read of a register that holds a copy of another reads the other instead,
/// and copies that nothing reads any more are dropped.
///
/// Lowerings that keep values in a pool of registers (the Brainfuck lowering's `CellCache`) leave
/// chains such as `%6 = copy %3; %7 = copy %6`, where all three hold one value while each is still
/// read. Registers are not SSA, so a backend's allocator sees them as live at once and keeps each
/// in a machine register of its own, with a move between them. After this pass they are one
/// register. Only register copies change: no memory access, trap or call moves, so the program's
/// meaning (output, memory, traps and their positions) is untouched.
public enum CopyPropagation {
    public static func run(_ module: Module) -> Module {
        var module = module
        module.functions = module.functions.map(run)
        return module
    }

    public static func run(_ f: Function) -> Function {
        var f = f
        var copies = Copies(registerCount: f.registerTypes.count)
        var changed = false
        for b in f.blocks.indices { changed = copies.forward(&f.blocks[b], types: f.registerTypes) || changed }
        if changed { dropDeadCopies(&f) }
        return f
    }

    /// Which register each register is a copy of, valid while neither has been assigned since:
    /// each register's assignments are counted, and a copy remembers the count of its source.
    private struct Copies {
        private var source: [Int32]
        private var sourceVersion: [Int32]
        private var version: [Int32]

        init(registerCount: Int) {
            source = Array(repeating: -1, count: registerCount)
            sourceVersion = Array(repeating: 0, count: registerCount)
            version = Array(repeating: 0, count: registerCount)
        }

        func resolve(_ v: Var) -> Var {
            guard v.index >= 0 && v.index < source.count else { return v }
            let s = Int(source[v.index])
            return s >= 0 && version[s] == sourceVersion[v.index] ? Var(s) : v
        }

        mutating func assigned(_ d: Var, copyOf s: Var?) {
            guard d.index >= 0 && d.index < source.count else { return }
            version[d.index] &+= 1
            if let s, s.index >= 0 && s.index < source.count {
                source[d.index] = Int32(s.index)
                sourceVersion[d.index] = version[s.index]
            } else {
                source[d.index] = -1
            }
        }

        /// Rewrites reads through the copies made earlier in the block. Returns whether any copy
        /// was made or read.
        mutating func forward(_ block: inout Block, types: [IntType]) -> Bool {
            var changed = false
            var selfCopies: [Int] = []
            for i in block.instructions.indices {
                let inst = block.instructions[i]
                var rename = false
                inst.op.forEachRegister { _, v in rename = rename || resolve(v) != v }
                if rename {
                    block.instructions[i].op = inst.op.renamingReads { resolve($0) }
                    changed = true
                }
                let op = block.instructions[i].op
                guard let d = block.instructions[i].defined else { continue }
                if case .copy(_, .reg(let s)) = op, types.indices.contains(s.index), types.indices.contains(d.index),
                   types[s.index] == types[d.index] {
                    if s == d {
                        selfCopies.append(i)  // a no-op now: the register already holds that value
                        continue
                    }
                    assigned(d, copyOf: s)
                    changed = true
                } else {
                    assigned(d, copyOf: nil)
                }
            }
            if let v = block.terminator.readRegister, resolve(v) != v {
                block.terminator = block.terminator.renamingRegisters { resolve($0) }
            }
            for i in selfCopies.reversed() { block.instructions.remove(at: i) }
            // Copies do not outlive their block here: what holds at its end is not what holds at
            // the start of a successor, which other paths may enter.
            for inst in block.instructions {
                if let d = inst.defined { assigned(d, copyOf: nil) }
            }
            return changed || !selfCopies.isEmpty
        }
    }

    /// Removes the copies whose register is read neither later in its block nor after it.
    private static func dropDeadCopies(_ f: inout Function) {
        let liveIn = LoopEntry.liveIn(f)
        var live = [Bool](repeating: false, count: f.registerTypes.count)
        var marked: [Int] = []  // the entries of `live` set in this block, to clear for the next
        func mark(_ v: Var, _ value: Bool) {
            guard v.index >= 0 && v.index < live.count else { return }
            live[v.index] = value
            if value { marked.append(v.index) }
        }
        func isLive(_ v: Var) -> Bool { v.index >= 0 && v.index < live.count && live[v.index] }
        for b in f.blocks.indices {
            for i in marked { live[i] = false }
            marked.removeAll(keepingCapacity: true)
            f.blocks[b].terminator.forEachSuccessor { s in if liveIn.indices.contains(s) { for v in liveIn[s] { mark(v, true) } } }
            if let v = f.blocks[b].terminator.readRegister { mark(v, true) }
            var dead: [Int] = []
            for (i, inst) in f.blocks[b].instructions.enumerated().reversed() {
                if case .copy(let d, _) = inst.op, !isLive(d) {
                    dead.append(i)
                    continue
                }
                if let d = inst.defined { mark(d, false) }
                inst.op.forEachRegister { _, v in mark(v, true) }
            }
            for i in dead { f.blocks[b].instructions.remove(at: i) }  // `dead` is in decreasing order
        }
    }
}
