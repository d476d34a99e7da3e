/// Data movement: mov, movzx/movsx/movsxd, lea, cmovcc, setcc, push/pop.
extension Assembler {
    /// Emits `opcode+reg` with the register in the opcode's low bits (push, pop, mov r, imm).
    mutating func encodeOpReg(size: OperandSize, opcode: UInt8, _ r: Reg) {
        if size == .word { buffer.append(0x66) }
        var rex: UInt8 = r.high
        if size == .qword { rex |= 0x08 }
        if rex != 0 || r.needsREXForByte { buffer.append(0x40 | rex) }
        buffer.append(opcode + r.low3)
    }

    // MARK: mov

    /// `mov dst, src` between registers of the same size.
    public mutating func mov(_ dst: Reg, _ src: Reg) {
        guard requireSameSize("mov", dst, src) else { return }
        encode("mov", size: dst.size, opcode: [dst.size == .byte ? 0x88 : 0x89], reg: src.number, rm: .reg(dst), regOperand: src)
    }

    /// `mov dst, [mem]` (a load).
    public mutating func mov(_ dst: Reg, _ src: Mem) {
        guard let s = unify("mov", dst, src) else { return }
        encode("mov", size: s, opcode: [s == .byte ? 0x8A : 0x8B], reg: dst.number, rm: .mem(src), regOperand: dst)
    }

    /// `mov [mem], src` (a store).
    public mutating func mov(_ dst: Mem, _ src: Reg) {
        guard let s = unify("mov", src, dst) else { return }
        encode("mov", size: s, opcode: [s == .byte ? 0x88 : 0x89], reg: src.number, rm: .mem(dst), regOperand: src)
    }

    /// `dst = imm`, in the shortest encoding that gives exactly that value and leaves
    /// the flags alone: for a 64-bit register `mov r32, imm32` (zero-extending) when
    /// `imm` is in 0...2^32-1, `mov r64, simm32` when it fits a signed 32-bit, else
    /// `movabs r64, imm64`. Narrower registers take any value their width can hold,
    /// signed or unsigned.
    public mutating func mov(_ dst: Reg, _ imm: Int64) {
        switch dst.size {
        case .qword:
            if 0...Int64(UInt32.max) ~= imm {
                encodeOpReg(size: .dword, opcode: 0xB8, dst.d)
                emitImmediate(imm, count: 4)
            } else if Int32(exactly: imm) != nil {
                encode("mov", size: .qword, opcode: [0xC7], reg: 0, rm: .reg(dst))
                emitImmediate(imm, count: 4)
            } else {
                movabs(dst, imm)
            }
        case .dword, .word, .byte:
            guard dst.size.acceptsImmediate(imm) else {
                record(.immediateOutOfRange(instruction: "mov", value: imm))
                return
            }
            encodeOpReg(size: dst.size, opcode: dst.size == .byte ? 0xB0 : 0xB8, dst)
            emitImmediate(imm, count: dst.size.rawValue)
        }
    }

    /// `movabs dst, imm64`: always the 10-byte form (e.g. for addresses patched later).
    public mutating func movabs(_ dst: Reg, _ imm: Int64) {
        guard dst.size == .qword else {
            record(.invalidOperands(instruction: "movabs", reason: "\(dst) is not 64-bit"))
            return
        }
        encodeOpReg(size: .qword, opcode: 0xB8, dst)
        emitImmediate(imm, count: 8)
    }

    /// `mov size ptr [mem], imm` (64-bit stores take a sign-extended 32-bit immediate).
    public mutating func mov(_ dst: Mem, _ imm: Int64) {
        guard let s = width("mov", .mem(dst)) else { return }
        guard s.acceptsImmediate(imm) else {
            record(.immediateOutOfRange(instruction: "mov", value: imm))
            return
        }
        encode("mov", size: s, opcode: [s == .byte ? 0xC6 : 0xC7], reg: 0, rm: .mem(dst))
        emitImmediate(imm, count: Self.immediateCount(s))
    }

    // MARK: Widening moves

    private mutating func extend(_ name: String, _ op8: UInt8, _ op16: UInt8, _ dst: Reg, _ src: RM) {
        guard let s = width(name, src) else { return }
        guard s == .byte || s == .word, dst.size.rawValue > s.rawValue else {
            record(.invalidOperands(instruction: name, reason: "cannot extend \(s) to \(dst.size)"))
            return
        }
        encode(name, size: dst.size, opcode: [0x0F, s == .byte ? op8 : op16], reg: dst.number, rm: src, regOperand: dst)
    }

    /// `movzx dst, src`: zero-extends an 8- or 16-bit register into a wider one.
    public mutating func movzx(_ dst: Reg, _ src: Reg) { extend("movzx", 0xB6, 0xB7, dst, .reg(src)) }
    /// `movzx dst, byte/word ptr [mem]` (the memory operand must carry its size).
    public mutating func movzx(_ dst: Reg, _ src: Mem) { extend("movzx", 0xB6, 0xB7, dst, .mem(src)) }
    /// `movsx dst, src`: sign-extends an 8- or 16-bit register into a wider one.
    public mutating func movsx(_ dst: Reg, _ src: Reg) { extend("movsx", 0xBE, 0xBF, dst, .reg(src)) }
    /// `movsx dst, byte/word ptr [mem]`.
    public mutating func movsx(_ dst: Reg, _ src: Mem) { extend("movsx", 0xBE, 0xBF, dst, .mem(src)) }

    private mutating func movsxd(_ dst: Reg, rm src: RM) {
        guard dst.size == .qword, src.size == .dword || src.size == nil else {
            record(.invalidOperands(instruction: "movsxd", reason: "needs a 64-bit destination and a 32-bit source"))
            return
        }
        encode("movsxd", size: .qword, opcode: [0x63], reg: dst.number, rm: src)
    }

    /// `movsxd dst64, src32`: sign-extends 32 to 64 bits.
    public mutating func movsxd(_ dst: Reg, _ src: Reg) { movsxd(dst, rm: .reg(src)) }
    /// `movsxd dst64, dword ptr [mem]`.
    public mutating func movsxd(_ dst: Reg, _ src: Mem) { movsxd(dst, rm: .mem(src)) }

    // MARK: Addresses

    /// `lea dst, [mem]` (16/32/64-bit destination; the memory width is ignored).
    public mutating func lea(_ dst: Reg, _ src: Mem) {
        guard requireNotByte("lea", dst.size) else { return }
        encode("lea", size: dst.size, opcode: [0x8D], reg: dst.number, rm: .mem(src.sized(nil)))
    }

    /// `lea dst64, [rip + label]`: the address of a label.
    public mutating func lea(_ dst: Reg, _ label: Label) {
        guard dst.size == .qword else {
            record(.invalidOperands(instruction: "lea", reason: "\(dst) is not 64-bit"))
            return
        }
        guard checkLabel(label) else { return }
        buffer.append(0x48 | dst.high << 2)
        buffer.append(0x8D)
        buffer.append(dst.low3 << 3 | 5)
        rel32Fixups.append(Rel32Fixup(position: buffer.count, itemsBefore: items.count, label: label, tail: 0))
        emitImmediate(0, count: 4)
    }

    // MARK: Conditional moves and flags to registers

    /// `cmovcc dst, src` (16/32/64-bit).
    public mutating func cmov(_ cc: Condition, _ dst: Reg, _ src: Reg) {
        guard requireSameSize("cmov", dst, src), requireNotByte("cmov", dst.size) else { return }
        encode("cmov", size: dst.size, opcode: [0x0F, 0x40 + cc.rawValue], reg: dst.number, rm: .reg(src))
    }

    /// `cmovcc dst, [mem]`.
    public mutating func cmov(_ cc: Condition, _ dst: Reg, _ src: Mem) {
        guard let s = unify("cmov", dst, src), requireNotByte("cmov", s) else { return }
        encode("cmov", size: s, opcode: [0x0F, 0x40 + cc.rawValue], reg: dst.number, rm: .mem(src))
    }

    /// `setcc dst8`: 1 if the condition holds, else 0 (only the low byte is written).
    public mutating func setcc(_ cc: Condition, _ dst: Reg) {
        guard dst.size == .byte else {
            record(.invalidOperands(instruction: "setcc", reason: "\(dst) is not an 8-bit register"))
            return
        }
        encode("setcc", size: .byte, opcode: [0x0F, 0x90 + cc.rawValue], reg: 0, rm: .reg(dst))
    }

    /// `setcc byte ptr [mem]`.
    public mutating func setcc(_ cc: Condition, _ dst: Mem) {
        guard dst.size == nil || dst.size == .byte else {
            record(.invalidOperands(instruction: "setcc", reason: "memory operand is not a byte"))
            return
        }
        encode("setcc", size: .byte, opcode: [0x0F, 0x90 + cc.rawValue], reg: 0, rm: .mem(dst))
    }

    // MARK: Stack

    /// `push r64`.
    public mutating func push(_ r: Reg) {
        guard r.size == .qword else {
            record(.invalidOperands(instruction: "push", reason: "\(r) is not 64-bit"))
            return
        }
        encodeOpReg(size: .dword, opcode: 0x50, r)
    }

    /// `push simm32` (pushes the value sign-extended to 64 bits).
    public mutating func push(_ imm: Int64) {
        if let v = Int8(exactly: imm) {
            buffer.append(0x6A)
            emitImmediate(Int64(v), count: 1)
        } else if Int32(exactly: imm) != nil {
            buffer.append(0x68)
            emitImmediate(imm, count: 4)
        } else {
            record(.immediateOutOfRange(instruction: "push", value: imm))
        }
    }

    /// `pop r64`.
    public mutating func pop(_ r: Reg) {
        guard r.size == .qword else {
            record(.invalidOperands(instruction: "pop", reason: "\(r) is not 64-bit"))
            return
        }
        encodeOpReg(size: .dword, opcode: 0x58, r)
    }

    /// `xchg a, b` between registers of the same size.
    public mutating func xchg(_ a: Reg, _ b: Reg) {
        guard requireSameSize("xchg", a, b) else { return }
        encode("xchg", size: a.size, opcode: [a.size == .byte ? 0x86 : 0x87], reg: b.number, rm: .reg(a), regOperand: b)
    }
}
