import JitIR
import NativeCode

/// What a comparison left behind: flags to test, or a result known at compile time.
enum CompareOutcome {
    case flags(Condition)
    case constant(Bool)
}

/// Comparisons, selects and width conversions.
extension FunctionEmitter {
    /// The condition code for `pred` on canonical values of `type`. Unsigned
    /// order is the same on sign-extended values as on the narrow ones; an `i1`
    /// holding 1 reads as -1, so its signed order is the reverse of its bits' order.
    static func condition(_ pred: ComparePredicate, _ type: IntType) -> Condition {
        var p = pred
        if type == .i1, [.slt, .sle, .sgt, .sge].contains(p) { p = p.swapped }
        return switch p {
        case .eq: .e
        case .ne: .ne
        case .slt: .l
        case .sle: .le
        case .sgt: .g
        case .sge: .ge
        case .ult: .b
        case .ule: .be
        case .ugt: .a
        case .uge: .ae
        }
    }

    /// Emits the `cmp` (or `test`) for `a pred b` and returns the condition that means true.
    mutating func emitCompare(_ pred: ComparePredicate, _ type: IntType, _ a: Operand, _ b: Operand) -> CompareOutcome {
        // Never both immediates: ConstantOperands gave the first a register.
        var pred = pred, a = a, b = b
        if case .imm = a {
            swap(&a, &b)
            pred = pred.swapped
        }
        if [.i8, .i16, .i32].contains(type) {
            // Compared at the type's own width, which also serves narrow registers
            // (NarrowValues) whose upper bits are not canonical; the flags mean the same.
            let w = type.operandSize
            switch (source(a), source(b)) {
            case (.reg(let ra), .reg(let rb)): asm.cmp(ra.sized(w), rb.sized(w))
            case (.reg(let ra), .mem(let m)): asm.cmp(ra.sized(w), m.sized(w))
            case (.reg(let ra), .imm(let k)):
                if k == 0 { asm.test(ra.sized(w), ra.sized(w)) } else { asm.cmp(ra.sized(w), k) }
            case (.mem(let m), .reg(let rb)): asm.cmp(m.sized(w), rb.sized(w))
            case (.mem(let m), .imm(let k)): asm.cmp(m.sized(w), k)
            case (.mem(let m), .mem(let n)):
                asm.mov(Self.temp2, m)
                asm.cmp(Self.temp2.sized(w), n.sized(w))
            case (.imm, _):
                break  // never: ConstantOperands leaves no compare of two immediates
            }
            return .flags(Self.condition(pred, type))
        }
        switch (source(a), source(b)) {
        case (.reg(let ra), .reg(let rb)): asm.cmp(ra, rb)
        case (.reg(let ra), .mem(let m)): asm.cmp(ra, m)
        case (.reg(let ra), .imm(let k)):
            if k == 0 { asm.test(ra, ra) }
            else if Int32(exactly: k) != nil { asm.cmp(ra, k) }
            else {
                asm.mov(Self.temp2, k)
                asm.cmp(ra, Self.temp2)
            }
        case (.mem(let m), .reg(let rb)): asm.cmp(m, rb)
        case (.mem(let m), .imm(let k)):
            if Int32(exactly: k) != nil { asm.cmp(m.sized(.qword), k) }
            else {
                asm.mov(Self.temp2, k)
                asm.cmp(m, Self.temp2)
            }
        case (.mem(let m), .mem(let n)):
            asm.mov(Self.temp2, m)
            asm.cmp(Self.temp2, n)
        case (.imm, _):
            break  // never: ConstantOperands leaves no compare of two immediates
        }
        return .flags(Self.condition(pred, type))
    }

    mutating func emitCompareValue(_ pred: ComparePredicate, _ type: IntType, _ d: Var, _ a: Operand, _ b: Operand) {
        let dr = target(d)
        // Clearing the destination first avoids a movzx, unless an operand lives there.
        let clearFirst = dr != Self.temp && register(of: a) != dr && register(of: b) != dr
        if clearFirst { asm.xor(dr.d, dr.d) }
        switch emitCompare(pred, type, a, b) {
        case .constant(let value):
            copy(d, .imm(value ? 1 : 0))
        case .flags(let cc):
            asm.setcc(cc, dr.b)
            if !clearFirst { asm.movzx(dr.d, dr.b) }
            assign(d, from: dr)
        }
    }

    /// Flags for "the i1 operand `c` is true" (a register or spill slot holding 0 or 1).
    mutating func testCondition(_ c: Operand) {
        switch source(c) {
        case .reg(let r): asm.test(r.d, r.d)
        case .mem(let m): asm.cmp(m.sized(.qword), 0)
        case .imm: break
        }
    }

    /// `o` as a `cmov` source (a register or memory; constants go through r11).
    private mutating func conditionalSource(_ o: Operand) -> Source {
        let s = source(o)
        if case .imm(let k) = s {
            asm.mov(Self.temp2, k)
            return .reg(Self.temp2)
        }
        return s
    }

    private mutating func cmov(_ cc: Condition, _ dst: Reg, _ src: Source) {
        switch src {
        case .reg(let r): asm.cmov(cc, dst, r)
        case .mem(let m): asm.cmov(cc, dst, m)
        case .imm: break
        }
    }

    /// `d = c ? t : f` with `cmov`.
    mutating func emitSelect(_ d: Var, _ c: Operand, _ t: Operand, _ f: Operand) {
        if case .imm(let k) = c {
            copy(d, k & 1 != 0 ? t : f)
            return
        }
        if t == f {
            copy(d, t)
            return
        }
        var dr = target(d)
        let rc = register(of: c)
        if dr != rc && dr != register(of: t) {
            let src = conditionalSource(t)
            load(dr, f)
            testCondition(c)
            cmov(.ne, dr, src)
        } else if dr != rc && dr != register(of: f) {
            let src = conditionalSource(f)
            load(dr, t)
            testCondition(c)
            cmov(.e, dr, src)
        } else {
            dr = Self.temp
            let src = conditionalSource(t)
            load(dr, f)
            testCondition(c)
            cmov(.ne, dr, src)
        }
        assign(d, from: dr)
    }

    /// `d = (a pred b) ? t : f` for a fused compare and select (`SelectionPlan`): the compare
    /// comes first, as `d` may share a register with one of its operands, and only moves, which
    /// leave the flags alone, come between it and the `cmov`.
    mutating func emitCompareSelect(_ compare: Instruction, _ select: Instruction) {
        guard case .compare(let p, let type, _, let a, let b) = compare.op,
              case .select(let d, _, let t, let f) = select.op else { return }
        let outcome = emitCompare(p, type, a, b)
        guard case .flags(var cc) = outcome else {
            if case .constant(let value) = outcome { copy(d, value ? t : f) }
            return
        }
        if t == f {
            copy(d, t)
            return
        }
        let dr = target(d)
        var chosen = t
        if dr == register(of: t) {
            chosen = f
            cc = cc.inverted
        } else if dr != register(of: f) {
            load(dr, f, keepFlags: true)
        }
        cmov(cc, dr, source(chosen))
        assign(d, from: dr)
    }

    mutating func emitConvert(_ op: ConvertOp, _ d: Var, _ s: Operand, from: IntType) {
        let to = function.type(of: d)
        // Never an immediate source: ConstantOperands gave it a register.
        let dr = target(d)
        switch op {
        case .zext:
            zeroExtend(dr, s, from)
        case .sext:
            load(dr, s)
            if from == .i1 { asm.neg(dr) }  // 1 reads as -1
        case .trunc:
            switch (source(s), to) {
            case (_, .i64), (_, .i1):
                load(dr, s)
                if to == .i1 { asm.and(dr.d, 1) }
            case (_, _) where narrow.contains(d):
                load(dr, s)  // the low bits are the result; the rest may stay as they are
            case (.reg(let r), .i32): asm.movsxd(dr, r.d)
            case (.reg(let r), .i16): asm.movsx(dr, r.w)
            case (.reg(let r), _): asm.movsx(dr, r.b)
            case (.mem(let m), .i32): asm.movsxd(dr, m.sized(.dword))
            case (.mem(let m), .i16): asm.movsx(dr, m.sized(.word))
            case (.mem(let m), _): asm.movsx(dr, m.sized(.byte))
            case (.imm, _): break
            }
        }
        assign(d, from: dr)
    }
}
