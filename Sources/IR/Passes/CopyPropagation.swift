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
            if !selfCopies.isEmpty { block.instructions = block.instructions.without(at: selfCopies) }
            // Copies do not outlive their block here: what holds at its end is not what holds at
            // the start of a successor, which other paths may enter.
            for inst in block.instructions {
                if let d = inst.defined { assigned(d, copyOf: nil) }
            }
            return changed || !selfCopies.isEmpty
        }
    }

    /// Removes the copies whose register nothing reads: none in the whole function, or none
    /// before the block assigns it again. (No liveness across blocks: a copy that only a later
    /// block could read stays; it is one move.)
    private static func dropDeadCopies(_ f: inout Function) {
        var reads = [Int32](repeating: 0, count: f.registerTypes.count)
        func count(_ v: Var) { if v.index >= 0 && v.index < reads.count { reads[v.index] &+= 1 } }
        for block in f.blocks {
            for inst in block.instructions { inst.op.forEachRegister { _, v in count(v) } }
            if let v = block.terminator.readRegister { count(v) }
        }
        // Per block, walking backwards: 1 when the register is assigned before any read from here.
        var assignedNext = [UInt8](repeating: 0, count: f.registerTypes.count)
        var touched: [Int] = []
        for b in f.blocks.indices {
            for i in touched { assignedNext[i] = 0 }
            touched.removeAll(keepingCapacity: true)
            if let v = f.blocks[b].terminator.readRegister, v.index >= 0 && v.index < assignedNext.count {
                assignedNext[v.index] = 2
                touched.append(v.index)
            }
            var dead: [Int] = []
            for (i, inst) in f.blocks[b].instructions.enumerated().reversed() {
                if case .copy(let d, _) = inst.op, d.index >= 0 && d.index < reads.count,
                   reads[d.index] == 0 || assignedNext[d.index] == 1 {
                    dead.append(i)
                    continue
                }
                if let d = inst.defined, d.index >= 0 && d.index < assignedNext.count {
                    assignedNext[d.index] = 1
                    touched.append(d.index)
                }
                inst.op.forEachRegister { _, v in
                    guard v.index >= 0 && v.index < assignedNext.count else { return }
                    assignedNext[v.index] = 2
                    touched.append(v.index)
                }
            }
            if !dead.isEmpty { f.blocks[b].instructions = f.blocks[b].instructions.without(at: dead) }
        }
    }
}

extension Array where Element == Instruction {
    /// The instructions whose flag in `dropped` (one per instruction) is not set; the list itself
    /// when none is.
    func without(_ dropped: [Bool]) -> [Instruction] {
        guard dropped.contains(true) else { return self }
        var kept: [Instruction] = []
        kept.reserveCapacity(count)
        for i in indices where !dropped[i] { kept.append(self[i]) }
        return kept
    }

    /// The instructions but those at `indices`.
    func without(at indices: [Int]) -> [Instruction] {
        var dropped = [Bool](repeating: false, count: count)
        for i in indices { dropped[i] = true }
        return without(dropped)
    }
}
