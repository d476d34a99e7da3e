import NativeCode

/// A set of moves that happen "at once" (argument registers at a call,
/// parameters at entry): every source is read before any destination is
/// written. Moves are ordered so that no destination is written while another
/// move still needs its old value; a cycle (`rdi <-> rsi`) goes through a
/// temporary register.
struct ParallelMove {
    private(set) var moves: [(destination: Source, source: Source)] = []

    /// Adds `destination = source`. `destination` is a register or memory, and no two moves share one.
    mutating func add(_ destination: Source, _ source: Source) {
        if destination != source { moves.append((destination, source)) }
    }

    /// Emits the moves. `temp` breaks cycles and `memoryTemp` carries memory-to-memory
    /// moves; neither may appear in any move.
    func emit(_ asm: inout Assembler, temp: Reg, memoryTemp: Reg) {
        var pending = moves.filter { if case .imm = $0.source { false } else { true } }
        while !pending.isEmpty {
            // A move whose destination no other pending move still reads can go now.
            if let i = pending.firstIndex(where: { m in !pending.contains { $0.source == m.destination } }) {
                Self.move(&asm, pending[i].destination, pending[i].source, memoryTemp: memoryTemp)
                pending.remove(at: i)
            } else {
                // Every destination is still read: a cycle. Save one destination's value in temp.
                let saved = pending[0].destination
                Self.move(&asm, .reg(temp), saved, memoryTemp: memoryTemp)
                for k in pending.indices where pending[k].source == saved { pending[k].source = .reg(temp) }
            }
        }
        for m in moves { if case .imm = m.source { Self.move(&asm, m.destination, m.source, memoryTemp: memoryTemp) } }
    }

    /// One 64-bit move between any two places.
    static func move(_ asm: inout Assembler, _ destination: Source, _ source: Source, memoryTemp: Reg) {
        switch (destination, source) {
        case (.reg(let d), .reg(let s)): if d != s { asm.mov(d, s) }
        case (.reg(let d), .mem(let s)): asm.mov(d, s)
        case (.reg(let d), .imm(let k)):
            if k == 0 { asm.xor(d.d, d.d) } else { asm.mov(d, k) }
        case (.mem(let d), .reg(let s)): asm.mov(d, s)
        case (.mem(let d), .mem(let s)):
            asm.mov(memoryTemp, s)
            asm.mov(d, memoryTemp)
        case (.mem(let d), .imm(let k)):
            if Int32(exactly: k) != nil {
                asm.mov(d.sized(.qword), k)
            } else {
                asm.mov(memoryTemp, k)
                asm.mov(d, memoryTemp)
            }
        case (.imm, _): break
        }
    }
}
