import JitIR
import NativeCode

/// Integer arithmetic. Registers hold canonical values (sign-extended from
/// their type's width), so most narrow operations run at 32 or 64 bits and
/// sign-extend the result once; checked narrow operations run at their own
/// width so the CPU's overflow flag is the IR's overflow.
extension FunctionEmitter {
    mutating func emitBinary(_ op: BinaryOp, _ d: Var, _ a: Operand, _ b: Operand, checked: Bool, loc: SourceLoc) {
        let type = function.type(of: d)
        // Never both immediates: ConstantOperands gave the first a register.
        if type == .i1 {
            emitBinaryI1(op, d, a, b, checked: checked, loc: loc)
            return
        }
        switch op {
        case .add, .sub, .mul, .and, .or, .xor: emitALU(op, type, d, a, b, checked: checked, loc: loc)
        case .sdiv, .srem: emitDivision(op, type, d, a, b, loc: loc)
        case .shl, .lshr, .ashr: emitShift(op, type, d, a, b)
        }
    }

    /// `b` as the second operand of an instruction of width `size`: a register, a
    /// spill slot, or an immediate that fits (otherwise loaded into `temp`).
    mutating func operand(_ b: Operand, size: OperandSize, temp: Reg) -> Source {
        switch source(b) {
        case .reg(let r): return .reg(r.sized(size))
        case .mem(let m): return .mem(m.sized(size))
        case .imm(let k):
            if size != .qword || Int32(exactly: k) != nil { return .imm(k) }
            asm.mov(temp, k)
            return .reg(temp.sized(size))
        }
    }

    private mutating func alu(_ op: ALUOp, _ dst: Reg, _ src: Source) {
        switch src {
        case .reg(let r): asm.alu(op, dst, r)
        case .mem(let m): asm.alu(op, dst, m)
        case .imm(let k): asm.alu(op, dst, k)
        }
    }

    private mutating func emitALU(_ op: BinaryOp, _ type: IntType, _ d: Var, _ a: Operand, _ b: Operand,
                                  checked: Bool, loc: SourceLoc) {
        var a = a, b = b
        if case .imm = a, op.isCommutative { swap(&a, &b) }
        let dr = target(d)

        // Three-address add: lea.
        if op == .add, !checked, type == .i64, let ra = register(of: a), ra != dr {
            if let rb = register(of: b) {
                asm.lea(dr, .ptr(ra, index: rb))
                assign(d, from: dr)
                return
            }
            if case .imm(let k) = b, let k32 = Int32(exactly: k) {
                asm.lea(dr, .ptr(ra, k32))
                assign(d, from: dr)
                return
            }
        }

        let size: OperandSize
        switch op {
        case .and, .or, .xor:
            // Canonical in, canonical out, unless an operand is narrow (its upper bits are noise).
            let noisy = [a, b].contains { if case .reg(let v) = $0 { narrow.contains(v) } else { false } }
            size = noisy ? .dword : .qword
        default:
            if type == .i64 { size = .qword }
            else if checked { size = op == .mul && type == .i8 ? .dword : type.operandSize }
            else { size = .dword }
        }

        if op == .mul, case .imm(let k) = b, size != .qword || Int32(exactly: k) != nil, size != .byte {
            // Three-operand imul with an immediate.
            switch source(a) {
            case .reg(let ra): asm.imul(dr.sized(size), ra.sized(size), k)
            case .mem(let m): asm.imul(dr.sized(size), m.sized(size), k)
            case .imm: break  // never: ConstantOperands leaves no multiply of two immediates
            }
        } else {
            // Two-address form: dr = a, then dr op= b. If b lives in dr, it must be read first.
            let src: Source
            if let rb = register(of: b), rb == dr, register(of: a) != dr, !op.isCommutative {
                asm.mov(Self.temp2, rb)
                src = .reg(Self.temp2.sized(size))
            } else {
                if let rb = register(of: b), rb == dr, register(of: a) != dr { swap(&a, &b) }
                src = operand(b, size: size, temp: Self.temp2)
            }
            load(dr, a)
            switch op {
            case .add: alu(.add, dr.sized(size), src)
            case .sub: alu(.sub, dr.sized(size), src)
            case .and: alu(.and, dr.sized(size), src)
            case .or: alu(.or, dr.sized(size), src)
            case .xor: alu(.xor, dr.sized(size), src)
            case .mul:
                switch src {
                case .reg(let r): asm.imul(dr.sized(size), r)
                case .mem(let m): asm.imul(dr.sized(size), m)
                case .imm(let k):
                    asm.mov(Self.temp2, k)
                    asm.imul(dr.sized(size), Self.temp2.sized(size))
                }
            default: break
            }
        }

        if checked {
            if size == type.operandSize {
                asm.jcc(.o, stub(.overflow, loc))
            } else {
                // i8 multiply done at 32 bits: it overflowed if the product is not a sign-extended byte.
                asm.movsx(Self.temp2.d, dr.b)
                asm.cmp(Self.temp2.d, dr.d)
                asm.jcc(.ne, stub(.overflow, loc))
            }
        }
        if size != .qword && !narrow.contains(d) { canonicalize(dr, type) }
        assign(d, from: dr)
    }

    /// `i1` arithmetic: the canonical values are 0 and 1, and 1 reads as -1 when signed.
    private mutating func emitBinaryI1(_ op: BinaryOp, _ d: Var, _ a: Operand, _ b: Operand, checked: Bool,
                                       loc: SourceLoc) {
        switch op {
        case .and, .or, .xor:
            emitALU(op, .i64, d, a, b, checked: false, loc: loc)
        case .add, .sub, .mul:
            if checked {
                // add and mul overflow iff both are -1; sub iff 0 - (-1).
                load(Self.temp2, a)
                if op == .sub { asm.xor(Self.temp2.d, 1) }
                alu(.and, Self.temp2, operand(b, size: .qword, temp: Self.temp))
                asm.jcc(.ne, stub(.overflow, loc))
            }
            emitALU(op == .mul ? .and : .xor, .i64, d, a, b, checked: false, loc: loc)
        case .sdiv, .srem:
            branchIfNonZero(b, negated: true, to: stub(.divisionByZero, loc))
            if op == .sdiv { branchIfNonZero(a, negated: false, to: stub(.overflow, loc)) }
            copy(d, .imm(0))
        case .shl, .lshr, .ashr:
            copy(d, a)  // the count is taken modulo 1
        }
    }

    /// Jumps to `label` when `o` is non-zero (or zero, when `negated`).
    mutating func branchIfNonZero(_ o: Operand, negated: Bool, to label: Label) {
        switch source(o) {
        case .imm(let k):
            if (k != 0) != negated { asm.jmp(label) }
        case .reg(let r):
            asm.test(r, r)
            asm.jcc(negated ? .e : .ne, label)
        case .mem(let m):
            asm.cmp(m.sized(.qword), 0)
            asm.jcc(negated ? .e : .ne, label)
        }
    }

    /// sdiv/srem: explicit division-by-zero and MIN / -1 checks, then `idiv`
    /// (32-bit for types up to i32, which is faster and exact for canonical values).
    private mutating func emitDivision(_ op: BinaryOp, _ type: IntType, _ d: Var, _ a: Operand, _ b: Operand,
                                       loc: SourceLoc) {
        let size: OperandSize = type == .i64 ? .qword : .dword
        let result = op == .sdiv ? Reg.rax : Reg.rdx
        if case .imm(let k) = b {
            if k == 0 {
                asm.jmp(stub(.divisionByZero, loc))
                return
            }
            if k == -1 {
                if op == .srem { copy(d, .imm(0)) } else { emitNegate(d, a, type, checked: true, loc: loc) }
                return
            }
            if k != Int64.min {
                emitDivision(op, d, a, byConstant: k)
                return
            }
            load(.rax, a)
            asm.mov(Self.temp2, k)
            if size == .qword { asm.cqo() } else { asm.cdq() }
            asm.idiv(Self.temp2.sized(size))
            if size != .qword { asm.movsxd(result, result.d) }
            assign(d, from: result)
            return
        }

        var divisor = source(b)
        if case .reg(let r) = divisor, r == .rdx {
            asm.mov(Self.temp2, r)  // cqo overwrites rdx
            divisor = .reg(Self.temp2)
        }
        switch divisor {
        case .reg(let r): asm.test(r, r)
        case .mem(let m): asm.cmp(m.sized(.qword), 0)
        case .imm: break
        }
        asm.jcc(.e, stub(.divisionByZero, loc))
        let byMinusOne = asm.newLabel(), done = asm.newLabel()
        switch divisor {
        case .reg(let r): asm.cmp(r, -1)
        case .mem(let m): asm.cmp(m.sized(.qword), -1)
        case .imm: break
        }
        asm.jcc(.e, byMinusOne)
        load(.rax, a)
        if size == .qword { asm.cqo() } else { asm.cdq() }
        switch divisor {
        case .reg(let r): asm.idiv(r.sized(size))
        case .mem(let m): asm.idiv(m.sized(size))
        case .imm: break
        }
        if size != .qword { asm.movsxd(result, result.d) }
        assign(d, from: result)
        asm.jmp(done)

        // x / -1 is -x (overflow for MIN); x % -1 is 0. idiv would fault on MIN / -1.
        asm.bind(byMinusOne)
        if op == .srem {
            copy(d, .imm(0))
        } else {
            emitNegate(d, a, type, checked: true, loc: loc)
        }
        asm.bind(done)
    }

    /// Puts the zero-extended (unsigned) value of `o`, of type `type`, into `r`.
    mutating func zeroExtend(_ r: Reg, _ o: Operand, _ type: IntType) {
        switch (source(o), type) {
        case (.imm(let k), _): asm.mov(r, Int64(bitPattern: type.unsigned(k)))
        case (_, .i64), (_, .i1): load(r, o)
        case (.reg(let s), .i32): asm.mov(r.d, s.d)
        case (.reg(let s), .i16): asm.movzx(r.d, s.w)
        case (.reg(let s), _): asm.movzx(r.d, s.b)
        case (.mem(let m), .i32): asm.mov(r.d, m.sized(.dword))
        case (.mem(let m), .i16): asm.movzx(r.d, m.sized(.word))
        case (.mem(let m), _): asm.movzx(r.d, m.sized(.byte))
        }
    }

    /// Shifts with the count taken modulo the width.
    private mutating func emitShift(_ op: BinaryOp, _ type: IntType, _ d: Var, _ a: Operand, _ b: Operand) {
        let kind: ShiftOp = switch op {
        case .shl: .shl
        case .lshr: .shr
        default: .sar
        }
        if case .imm(let k) = b {
            let count = UInt8(k & Int64(type.bits - 1))
            if count == 0 {
                copy(d, a)
                return
            }
            let dr = target(d)
            if op == .lshr && type != .i64 {
                zeroExtend(dr, a, type)  // shifting a zero-extended value right by >= 1 gives a canonical result
            } else {
                load(dr, a)
            }
            asm.shift(kind, dr, count)
            if op == .shl { canonicalize(dr, type) }
            assign(d, from: dr)
            return
        }

        // The value goes to rax before rcx is overwritten (it may live in rcx).
        if op == .lshr && type != .i64 { zeroExtend(.rax, a, type) } else { load(.rax, a) }
        switch source(b) {
        case .reg(let r): if r != .rcx { asm.mov(.ecx, r.d) }
        case .mem(let m): asm.mov(.ecx, m.sized(.dword))
        case .imm: break
        }
        switch type {
        case .i64:
            asm.shift(kind, .rax, .cl)  // the CPU masks 64-bit counts to 6 bits
        case .i32:
            asm.shift(kind, .eax, .cl)  // and 32-bit ones to 5 bits
            asm.movsxd(.rax, .eax)
        default:
            asm.and(.ecx, Int64(type.bits - 1))
            asm.shift(kind, .rax, .cl)
            if op != .ashr { canonicalize(.rax, type) }
        }
        assign(d, from: .rax)
    }

    mutating func emitUnary(_ op: UnaryOp, _ d: Var, _ a: Operand, checked: Bool, loc: SourceLoc) {
        let type = function.type(of: d)
        // Never an immediate: ConstantOperands gave it a register.
        switch op {
        case .not:
            let dr = target(d)
            load(dr, a)
            if type == .i1 { asm.xor(dr.d, 1) } else { asm.not(dr) }
            assign(d, from: dr)
        case .neg:
            emitNegate(d, a, type, checked: checked, loc: loc)
        }
    }

    /// `d = -a`; with `checked`, negating the minimum traps `overflow`.
    mutating func emitNegate(_ d: Var, _ a: Operand, _ type: IntType, checked: Bool, loc: SourceLoc) {
        if type == .i1 {
            // -0 = 0 and -(-1) = -1 (which is 1); only the latter overflows.
            if checked { branchIfNonZero(a, negated: false, to: stub(.overflow, loc)) }
            copy(d, a)
            return
        }
        let dr = target(d)
        load(dr, a)
        asm.neg(dr.sized(type.operandSize))
        if checked { asm.jcc(.o, stub(.overflow, loc)) }
        if type != .i64 { canonicalize(dr, type) }
        assign(d, from: dr)
    }
}
