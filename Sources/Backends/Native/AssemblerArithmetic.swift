/// The eight classic two-operand ALU operations; the raw value is the `/digit`
/// of their immediate forms (and `raw * 8` their base opcode).
public enum ALUOp: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case add = 0, or, adc, sbb, and, sub, xor, cmp
    public var description: String {
        switch self {
        case .add: "add"
        case .or: "or"
        case .adc: "adc"
        case .sbb: "sbb"
        case .and: "and"
        case .sub: "sub"
        case .xor: "xor"
        case .cmp: "cmp"
        }
    }
}

/// Shifts and rotates; the raw value is the `/digit` in opcodes C0/C1/D2/D3.
public enum ShiftOp: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case rol = 0, ror = 1, shl = 4, shr = 5, sar = 7
    public var description: String {
        switch self {
        case .rol: "rol"
        case .ror: "ror"
        case .shl: "shl"
        case .shr: "shr"
        case .sar: "sar"
        }
    }
}

/// Integer arithmetic: add/sub/and/or/xor/cmp/adc/sbb, imul, the F6/F7 group,
/// inc/dec, shifts, test, sign extension of rax.
extension Assembler {
    // MARK: Generic ALU forms

    /// `op dst, src` between registers of the same size.
    public mutating func alu(_ op: ALUOp, _ dst: Reg, _ src: Reg) {
        guard requireSameSize(op.description, dst, src) else { return }
        let opcode = op.rawValue * 8 + (dst.size == .byte ? 0 : 1)
        encode(op.description, size: dst.size, opcode: [opcode], reg: src.number, rm: .reg(dst), regOperand: src)
    }

    /// `op dst, [mem]`.
    public mutating func alu(_ op: ALUOp, _ dst: Reg, _ src: Mem) {
        guard let s = unify(op.description, dst, src) else { return }
        let opcode = op.rawValue * 8 + (s == .byte ? 2 : 3)
        encode(op.description, size: s, opcode: [opcode], reg: dst.number, rm: .mem(src), regOperand: dst)
    }

    /// `op [mem], src`.
    public mutating func alu(_ op: ALUOp, _ dst: Mem, _ src: Reg) {
        guard let s = unify(op.description, src, dst) else { return }
        let opcode = op.rawValue * 8 + (s == .byte ? 0 : 1)
        encode(op.description, size: s, opcode: [opcode], reg: src.number, rm: .mem(dst), regOperand: src)
    }

    /// `op dst, imm`: the sign-extended imm8 form when the value allows it, else imm16/imm32.
    /// A 64-bit destination takes a sign-extended 32-bit immediate.
    public mutating func alu(_ op: ALUOp, _ dst: Reg, _ imm: Int64) { aluImmediate(op, .reg(dst), imm) }

    /// `op size ptr [mem], imm`.
    public mutating func alu(_ op: ALUOp, _ dst: Mem, _ imm: Int64) { aluImmediate(op, .mem(dst), imm) }

    private mutating func aluImmediate(_ op: ALUOp, _ dst: RM, _ imm: Int64) {
        let name = op.description
        guard let s = width(name, dst) else { return }
        guard s.acceptsImmediate(imm) else {
            record(.immediateOutOfRange(instruction: name, value: imm))
            return
        }
        let v = s.signExtend(imm)
        if s == .byte {
            encode(name, size: s, opcode: [0x80], reg: op.rawValue, rm: dst)
            emitImmediate(v, count: 1)
        } else if Int8(exactly: v) != nil {
            encode(name, size: s, opcode: [0x83], reg: op.rawValue, rm: dst)
            emitImmediate(v, count: 1)
        } else {
            encode(name, size: s, opcode: [0x81], reg: op.rawValue, rm: dst)
            emitImmediate(v, count: Self.immediateCount(s))
        }
    }

    // MARK: Named ALU forms

    /// `add dst, src`.
    public mutating func add(_ dst: Reg, _ src: Reg) { alu(.add, dst, src) }
    /// `add dst, [src]`.
    public mutating func add(_ dst: Reg, _ src: Mem) { alu(.add, dst, src) }
    /// `add [dst], src`.
    public mutating func add(_ dst: Mem, _ src: Reg) { alu(.add, dst, src) }
    /// `add dst, imm`.
    public mutating func add(_ dst: Reg, _ imm: Int64) { alu(.add, dst, imm) }
    /// `add [dst], imm`.
    public mutating func add(_ dst: Mem, _ imm: Int64) { alu(.add, dst, imm) }

    /// `sub dst, src`.
    public mutating func sub(_ dst: Reg, _ src: Reg) { alu(.sub, dst, src) }
    /// `sub dst, [src]`.
    public mutating func sub(_ dst: Reg, _ src: Mem) { alu(.sub, dst, src) }
    /// `sub [dst], src`.
    public mutating func sub(_ dst: Mem, _ src: Reg) { alu(.sub, dst, src) }
    /// `sub dst, imm`.
    public mutating func sub(_ dst: Reg, _ imm: Int64) { alu(.sub, dst, imm) }
    /// `sub [dst], imm`.
    public mutating func sub(_ dst: Mem, _ imm: Int64) { alu(.sub, dst, imm) }

    /// `and dst, src`.
    public mutating func and(_ dst: Reg, _ src: Reg) { alu(.and, dst, src) }
    /// `and dst, [src]`.
    public mutating func and(_ dst: Reg, _ src: Mem) { alu(.and, dst, src) }
    /// `and [dst], src`.
    public mutating func and(_ dst: Mem, _ src: Reg) { alu(.and, dst, src) }
    /// `and dst, imm`.
    public mutating func and(_ dst: Reg, _ imm: Int64) { alu(.and, dst, imm) }
    /// `and [dst], imm`.
    public mutating func and(_ dst: Mem, _ imm: Int64) { alu(.and, dst, imm) }

    /// `or dst, src`.
    public mutating func or(_ dst: Reg, _ src: Reg) { alu(.or, dst, src) }
    /// `or dst, [src]`.
    public mutating func or(_ dst: Reg, _ src: Mem) { alu(.or, dst, src) }
    /// `or [dst], src`.
    public mutating func or(_ dst: Mem, _ src: Reg) { alu(.or, dst, src) }
    /// `or dst, imm`.
    public mutating func or(_ dst: Reg, _ imm: Int64) { alu(.or, dst, imm) }
    /// `or [dst], imm`.
    public mutating func or(_ dst: Mem, _ imm: Int64) { alu(.or, dst, imm) }

    /// `xor dst, src`.
    public mutating func xor(_ dst: Reg, _ src: Reg) { alu(.xor, dst, src) }
    /// `xor dst, [src]`.
    public mutating func xor(_ dst: Reg, _ src: Mem) { alu(.xor, dst, src) }
    /// `xor [dst], src`.
    public mutating func xor(_ dst: Mem, _ src: Reg) { alu(.xor, dst, src) }
    /// `xor dst, imm`.
    public mutating func xor(_ dst: Reg, _ imm: Int64) { alu(.xor, dst, imm) }
    /// `xor [dst], imm`.
    public mutating func xor(_ dst: Mem, _ imm: Int64) { alu(.xor, dst, imm) }

    /// `cmp dst, src`.
    public mutating func cmp(_ dst: Reg, _ src: Reg) { alu(.cmp, dst, src) }
    /// `cmp dst, [src]`.
    public mutating func cmp(_ dst: Reg, _ src: Mem) { alu(.cmp, dst, src) }
    /// `cmp [dst], src`.
    public mutating func cmp(_ dst: Mem, _ src: Reg) { alu(.cmp, dst, src) }
    /// `cmp dst, imm`.
    public mutating func cmp(_ dst: Reg, _ imm: Int64) { alu(.cmp, dst, imm) }
    /// `cmp [dst], imm`.
    public mutating func cmp(_ dst: Mem, _ imm: Int64) { alu(.cmp, dst, imm) }

    /// `adc dst, src`.
    public mutating func adc(_ dst: Reg, _ src: Reg) { alu(.adc, dst, src) }
    /// `adc dst, imm`.
    public mutating func adc(_ dst: Reg, _ imm: Int64) { alu(.adc, dst, imm) }
    /// `sbb dst, src`.
    public mutating func sbb(_ dst: Reg, _ src: Reg) { alu(.sbb, dst, src) }
    /// `sbb dst, imm`.
    public mutating func sbb(_ dst: Reg, _ imm: Int64) { alu(.sbb, dst, imm) }

    // MARK: test

    /// `test a, b` (flags of `a & b`).
    public mutating func test(_ a: Reg, _ b: Reg) {
        guard requireSameSize("test", a, b) else { return }
        encode("test", size: a.size, opcode: [a.size == .byte ? 0x84 : 0x85], reg: b.number, rm: .reg(a), regOperand: b)
    }

    /// `test [mem], b`.
    public mutating func test(_ a: Mem, _ b: Reg) {
        guard let s = unify("test", b, a) else { return }
        encode("test", size: s, opcode: [s == .byte ? 0x84 : 0x85], reg: b.number, rm: .mem(a), regOperand: b)
    }

    /// `test a, imm` (no imm8 form exists: imm8/16/32 by width; 64-bit takes a sign-extended imm32).
    public mutating func test(_ a: Reg, _ imm: Int64) { testImmediate(.reg(a), imm) }
    /// `test size ptr [mem], imm`.
    public mutating func test(_ a: Mem, _ imm: Int64) { testImmediate(.mem(a), imm) }

    private mutating func testImmediate(_ a: RM, _ imm: Int64) {
        guard let s = width("test", a) else { return }
        guard s.acceptsImmediate(imm) else {
            record(.immediateOutOfRange(instruction: "test", value: imm))
            return
        }
        encode("test", size: s, opcode: [s == .byte ? 0xF6 : 0xF7], reg: 0, rm: a)
        emitImmediate(imm, count: Self.immediateCount(s))
    }

    // MARK: Multiplication

    /// `imul dst, src` (16/32/64-bit; signed, sets OF on overflow).
    public mutating func imul(_ dst: Reg, _ src: Reg) {
        guard requireSameSize("imul", dst, src), requireNotByte("imul", dst.size) else { return }
        encode("imul", size: dst.size, opcode: [0x0F, 0xAF], reg: dst.number, rm: .reg(src))
    }

    /// `imul dst, [mem]`.
    public mutating func imul(_ dst: Reg, _ src: Mem) {
        guard let s = unify("imul", dst, src), requireNotByte("imul", s) else { return }
        encode("imul", size: s, opcode: [0x0F, 0xAF], reg: dst.number, rm: .mem(src))
    }

    /// `imul dst, src, imm` (imm8 form when it fits).
    public mutating func imul(_ dst: Reg, _ src: Reg, _ imm: Int64) {
        guard requireSameSize("imul", dst, src) else { return }
        imulImmediate(dst, .reg(src), imm)
    }

    /// `imul dst, [mem], imm`.
    public mutating func imul(_ dst: Reg, _ src: Mem, _ imm: Int64) {
        guard unify("imul", dst, src) != nil else { return }
        imulImmediate(dst, .mem(src), imm)
    }

    private mutating func imulImmediate(_ dst: Reg, _ src: RM, _ imm: Int64) {
        let s = dst.size
        guard requireNotByte("imul", s) else { return }
        guard s.acceptsImmediate(imm) else {
            record(.immediateOutOfRange(instruction: "imul", value: imm))
            return
        }
        let v = s.signExtend(imm)
        if Int8(exactly: v) != nil {
            encode("imul", size: s, opcode: [0x6B], reg: dst.number, rm: src)
            emitImmediate(v, count: 1)
        } else {
            encode("imul", size: s, opcode: [0x69], reg: dst.number, rm: src)
            emitImmediate(v, count: Self.immediateCount(s))
        }
    }

    // MARK: One-operand group (F6/F7, FE/FF)

    private mutating func group(_ name: String, byteOpcode: UInt8, opcode: UInt8, digit: UInt8, _ rm: RM) {
        guard let s = width(name, rm) else { return }
        encode(name, size: s, opcode: [s == .byte ? byteOpcode : opcode], reg: digit, rm: rm)
    }

    /// `not dst` (bitwise complement).
    public mutating func not(_ dst: Reg) { group("not", byteOpcode: 0xF6, opcode: 0xF7, digit: 2, .reg(dst)) }
    /// `not [dst]`.
    public mutating func not(_ dst: Mem) { group("not", byteOpcode: 0xF6, opcode: 0xF7, digit: 2, .mem(dst)) }
    /// `neg dst` (two's complement negation; OF set for MIN).
    public mutating func neg(_ dst: Reg) { group("neg", byteOpcode: 0xF6, opcode: 0xF7, digit: 3, .reg(dst)) }
    /// `neg [dst]`.
    public mutating func neg(_ dst: Mem) { group("neg", byteOpcode: 0xF6, opcode: 0xF7, digit: 3, .mem(dst)) }
    /// `mul src`: unsigned rdx:rax = rax * src (at the operand width).
    public mutating func mul(_ src: Reg) { group("mul", byteOpcode: 0xF6, opcode: 0xF7, digit: 4, .reg(src)) }
    /// `imul src`: signed rdx:rax = rax * src (one-operand form).
    public mutating func imul(_ src: Reg) { group("imul", byteOpcode: 0xF6, opcode: 0xF7, digit: 5, .reg(src)) }
    /// `div src`: unsigned division of rdx:rax (at the operand width); quotient in rax, remainder in rdx.
    public mutating func div(_ src: Reg) { group("div", byteOpcode: 0xF6, opcode: 0xF7, digit: 6, .reg(src)) }
    /// `div [src]`.
    public mutating func div(_ src: Mem) { group("div", byteOpcode: 0xF6, opcode: 0xF7, digit: 6, .mem(src)) }
    /// `idiv src`: signed division of rdx:rax; quotient in rax, remainder in rdx. Use `cqo`/`cdq` first.
    public mutating func idiv(_ src: Reg) { group("idiv", byteOpcode: 0xF6, opcode: 0xF7, digit: 7, .reg(src)) }
    /// `idiv [src]`.
    public mutating func idiv(_ src: Mem) { group("idiv", byteOpcode: 0xF6, opcode: 0xF7, digit: 7, .mem(src)) }
    /// `inc dst` (does not change CF).
    public mutating func inc(_ dst: Reg) { group("inc", byteOpcode: 0xFE, opcode: 0xFF, digit: 0, .reg(dst)) }
    /// `inc [dst]`.
    public mutating func inc(_ dst: Mem) { group("inc", byteOpcode: 0xFE, opcode: 0xFF, digit: 0, .mem(dst)) }
    /// `dec dst` (does not change CF).
    public mutating func dec(_ dst: Reg) { group("dec", byteOpcode: 0xFE, opcode: 0xFF, digit: 1, .reg(dst)) }
    /// `dec [dst]`.
    public mutating func dec(_ dst: Mem) { group("dec", byteOpcode: 0xFE, opcode: 0xFF, digit: 1, .mem(dst)) }

    // MARK: Shifts

    /// `op dst, count` with an immediate count (the CPU masks it to 5 bits, 6 for 64-bit).
    public mutating func shift(_ op: ShiftOp, _ dst: Reg, _ count: UInt8) { shiftImmediate(op, .reg(dst), count) }
    /// `shift [dst], imm8`.
    public mutating func shift(_ op: ShiftOp, _ dst: Mem, _ count: UInt8) { shiftImmediate(op, .mem(dst), count) }
    /// `op dst, cl`. `count` must be `Reg.cl`.
    public mutating func shift(_ op: ShiftOp, _ dst: Reg, _ count: Reg) { shiftByCL(op, .reg(dst), count) }
    /// `shift [dst], cl`.
    public mutating func shift(_ op: ShiftOp, _ dst: Mem, _ count: Reg) { shiftByCL(op, .mem(dst), count) }

    private mutating func shiftImmediate(_ op: ShiftOp, _ dst: RM, _ count: UInt8) {
        let name = op.description
        guard let s = width(name, dst) else { return }
        encode(name, size: s, opcode: [s == .byte ? 0xC0 : 0xC1], reg: op.rawValue, rm: dst)
        buffer.append(count)
    }

    private mutating func shiftByCL(_ op: ShiftOp, _ dst: RM, _ count: Reg) {
        let name = op.description
        guard count == .cl else {
            record(.invalidOperands(instruction: name, reason: "a variable shift count must be in cl, not \(count)"))
            return
        }
        guard let s = width(name, dst) else { return }
        encode(name, size: s, opcode: [s == .byte ? 0xD2 : 0xD3], reg: op.rawValue, rm: dst)
    }

    /// `shl dst, imm8`.
    public mutating func shl(_ dst: Reg, _ count: UInt8) { shift(.shl, dst, count) }
    /// `shl dst, cl`.
    public mutating func shl(_ dst: Reg, _ count: Reg) { shift(.shl, dst, count) }
    /// `shr dst, imm8`.
    public mutating func shr(_ dst: Reg, _ count: UInt8) { shift(.shr, dst, count) }
    /// `shr dst, cl`.
    public mutating func shr(_ dst: Reg, _ count: Reg) { shift(.shr, dst, count) }
    /// `sar dst, imm8`.
    public mutating func sar(_ dst: Reg, _ count: UInt8) { shift(.sar, dst, count) }
    /// `sar dst, cl`.
    public mutating func sar(_ dst: Reg, _ count: Reg) { shift(.sar, dst, count) }
    /// `shl [dst], imm8`.
    public mutating func shl(_ dst: Mem, _ count: UInt8) { shift(.shl, dst, count) }
    /// `shl [dst], cl`.
    public mutating func shl(_ dst: Mem, _ count: Reg) { shift(.shl, dst, count) }
    /// `shr [dst], imm8`.
    public mutating func shr(_ dst: Mem, _ count: UInt8) { shift(.shr, dst, count) }
    /// `shr [dst], cl`.
    public mutating func shr(_ dst: Mem, _ count: Reg) { shift(.shr, dst, count) }
    /// `sar [dst], imm8`.
    public mutating func sar(_ dst: Mem, _ count: UInt8) { shift(.sar, dst, count) }
    /// `sar [dst], cl`.
    public mutating func sar(_ dst: Mem, _ count: Reg) { shift(.sar, dst, count) }

    // MARK: Sign extension of the accumulator

    /// `cwd`: dx = sign of ax.
    public mutating func cwd() { buffer.append(contentsOf: [0x66, 0x99]) }
    /// `cdq`: edx = sign of eax.
    public mutating func cdq() { buffer.append(0x99) }
    /// `cqo`: rdx = sign of rax.
    public mutating func cqo() { buffer.append(contentsOf: [0x48, 0x99]) }
    /// `cbw`: ax = sign-extended al.
    public mutating func cbw() { buffer.append(contentsOf: [0x66, 0x98]) }
    /// `cwde`: eax = sign-extended ax.
    public mutating func cwde() { buffer.append(0x98) }
    /// `cdqe`: rax = sign-extended eax.
    public mutating func cdqe() { buffer.append(contentsOf: [0x48, 0x98]) }
}
