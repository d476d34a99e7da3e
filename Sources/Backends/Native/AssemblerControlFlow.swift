/// Branches, calls and the odd single-byte instructions.
extension Assembler {
    /// `jmp label` (short or near, chosen by `finish()`).
    public mutating func jmp(_ label: Label) {
        guard checkLabel(label) else { return }
        items.append(Item(position: buffer.count, kind: .branch(nil, label)))
    }

    /// `jcc label` (short or near, chosen by `finish()`).
    public mutating func jcc(_ cc: Condition, _ label: Label) {
        guard checkLabel(label) else { return }
        items.append(Item(position: buffer.count, kind: .branch(cc, label)))
    }

    /// `jmp r64` (indirect).
    public mutating func jmp(_ target: Reg) {
        guard target.size == .qword else {
            record(.invalidOperands(instruction: "jmp", reason: "\(target) is not 64-bit"))
            return
        }
        encode("jmp", size: .dword, opcode: [0xFF], reg: 4, rm: .reg(target))
    }

    /// `jmp qword ptr [mem]` (indirect).
    public mutating func jmp(_ target: Mem) { encode("jmp", size: .dword, opcode: [0xFF], reg: 4, rm: .mem(target)) }

    /// `call label` (rel32).
    public mutating func call(_ label: Label) {
        guard checkLabel(label) else { return }
        buffer.append(0xE8)
        rel32Fixups.append(Rel32Fixup(position: buffer.count, itemsBefore: items.count, label: label, tail: 0))
        emitImmediate(0, count: 4)
    }

    /// `call r64` (indirect).
    public mutating func call(_ target: Reg) {
        guard target.size == .qword else {
            record(.invalidOperands(instruction: "call", reason: "\(target) is not 64-bit"))
            return
        }
        encode("call", size: .dword, opcode: [0xFF], reg: 2, rm: .reg(target))
    }

    /// `call qword ptr [mem]` (indirect).
    public mutating func call(_ target: Mem) { encode("call", size: .dword, opcode: [0xFF], reg: 2, rm: .mem(target)) }

    /// Calls an absolute address: `mov scratch, address; call scratch`. `scratch` is clobbered.
    public mutating func call(address: UInt64, via scratch: Reg) {
        mov(scratch.q, Int64(bitPattern: address))
        call(scratch.q)
    }

    /// `ret`.
    public mutating func ret() { buffer.append(0xC3) }
    /// `int3`: breakpoint (SIGTRAP).
    public mutating func int3() { buffer.append(0xCC) }
    /// `ud2`: guaranteed invalid opcode (SIGILL).
    public mutating func ud2() { buffer.append(contentsOf: [0x0F, 0x0B]) }
    /// One-byte `nop`.
    public mutating func nop() { buffer.append(0x90) }
    /// `count` bytes of NOPs, using multi-byte NOPs.
    public mutating func nop(_ count: Int) { buffer.append(contentsOf: Assembler.nopBytes(max(0, count))) }
}
