/// A register or memory operand: what goes into the ModRM `r/m` field.
enum RM {
    case reg(Reg)
    case mem(Mem)

    var size: OperandSize? {
        switch self {
        case .reg(let r): r.size
        case .mem(let m): m.size
        }
    }
}

/// The low-level encoder: prefixes, REX, opcode, ModRM, SIB and displacement.
extension Assembler {
    /// Emits `[66] [REX] opcode ModRM [SIB] [disp]` for an instruction of operand
    /// size `size`, with `reg` (a register number or a `/digit` extension) in ModRM.reg.
    /// `regOperand` is the register in ModRM.reg, if any: it and an `rm` register of 8 bits
    /// numbered 4–7 (spl, bpl, sil, dil) force a REX prefix.
    /// Returns false (after recording an error) when the memory operand is invalid.
    @discardableResult
    mutating func encode(_ name: String, size: OperandSize?, opcode: [UInt8], reg: UInt8, rm: RM,
                         regOperand: Reg? = nil, forceW: Bool = false) -> Bool {
        if case .mem(let m) = rm, let reason = Self.invalidReason(m) {
            record(.invalidOperands(instruction: name, reason: reason))
            return false
        }
        if size == .word { buffer.append(0x66) }
        var rex: UInt8 = 0
        if size == .qword || forceW { rex |= 0x08 }
        if reg & 8 != 0 { rex |= 0x04 }
        var byteNeedsREX = regOperand?.needsREXForByte ?? false
        switch rm {
        case .reg(let r):
            rex |= r.high
            byteNeedsREX = byteNeedsREX || r.needsREXForByte
        case .mem(let m):
            if let i = m.index { rex |= i.high << 1 }
            rex |= m.base.high
        }
        if rex != 0 || byteNeedsREX { buffer.append(0x40 | rex) }
        buffer.append(contentsOf: opcode)
        emitModRM(reg: reg & 7, rm: rm)
        return true
    }

    /// Why `m` cannot be encoded, or nil.
    static func invalidReason(_ m: Mem) -> String? {
        if m.base.size != .qword { return "base register \(m.base) is not 64-bit" }
        if let i = m.index {
            if i.size != .qword { return "index register \(i) is not 64-bit" }
            if i.number == 4 { return "rsp cannot be an index register" }
            if ![1, 2, 4, 8].contains(m.scale) { return "scale \(m.scale) is not 1, 2, 4 or 8" }
        }
        return nil
    }

    private mutating func emitModRM(reg: UInt8, rm: RM) {
        switch rm {
        case .reg(let r):
            buffer.append(0xC0 | reg << 3 | r.low3)
        case .mem(let m):
            let base = m.base.low3
            // rbp/r13 (low bits 101) with mod 00 would mean rip-relative/no base: give them a disp8 of 0.
            let mod: UInt8
            if m.disp == 0 && base != 5 {
                mod = 0
            } else if Int8(exactly: m.disp) != nil {
                mod = 1
            } else {
                mod = 2
            }
            // rsp/r12 (low bits 100) in r/m means "a SIB byte follows", so they always need one.
            if m.index != nil || base == 4 {
                buffer.append(mod << 6 | reg << 3 | 4)
                let scaleBits: UInt8 = switch m.scale { case 2: 1; case 4: 2; case 8: 3; default: 0 }
                let index = m.index?.low3 ?? 4
                buffer.append(scaleBits << 6 | index << 3 | base)
            } else {
                buffer.append(mod << 6 | reg << 3 | base)
            }
            if mod == 1 {
                buffer.append(UInt8(bitPattern: Int8(m.disp)))
            } else if mod == 2 {
                appendLE(&buffer, UInt64(UInt32(bitPattern: m.disp)), count: 4)
            }
        }
    }

    /// Appends an immediate of `count` bytes (1, 2 or 4, or 8 for movabs).
    mutating func emitImmediate(_ value: Int64, count: Int) {
        appendLE(&buffer, UInt64(bitPattern: value), count: count)
    }

    /// Checks that a register operand and a memory operand agree on the width;
    /// returns the width, or nil after recording an error.
    mutating func unify(_ name: String, _ r: Reg, _ m: Mem) -> OperandSize? {
        if let s = m.size, s != r.size {
            record(.invalidOperands(instruction: name, reason: "\(s) memory operand with \(r.size) register \(r)"))
            return nil
        }
        return r.size
    }

    /// The width of a lone `r/m` operand; records an error for a memory operand without one.
    mutating func width(_ name: String, _ rm: RM) -> OperandSize? {
        guard let s = rm.size else {
            record(.invalidOperands(instruction: name, reason: "memory operand needs a size (byte/word/dword/qword)"))
            return nil
        }
        return s
    }

    mutating func requireSameSize(_ name: String, _ a: Reg, _ b: Reg) -> Bool {
        if a.size != b.size {
            record(.invalidOperands(instruction: name, reason: "\(a) and \(b) differ in size"))
            return false
        }
        return true
    }

    mutating func requireNotByte(_ name: String, _ s: OperandSize) -> Bool {
        if s == .byte {
            record(.invalidOperands(instruction: name, reason: "no 8-bit form"))
            return false
        }
        return true
    }

    /// The immediate byte count for a full-size immediate at `size` (imm32 for 64-bit).
    static func immediateCount(_ size: OperandSize) -> Int { min(size.rawValue, 4) }
}
