/// Instruction sequences the decoder turns into one decoded instruction.
/// A fused instruction takes the source position of the one member that can
/// trap (a fused `trapIf` traps through a stub with its own position).
extension ProgramDecoder {
    /// `x = add/sub y, c; store x, [p+k]` on i8/i16/i32 (`p` not `x`): the store's position.
    mutating func fuseAddStore(_ body: [Instruction], at i: Int, in f: Function) throws -> DecodedInstruction? {
        guard i + 1 < body.count,
              case .binary(let op, let sum, .reg(let source), .imm(let c), false) = body[i].op, op == .add || op == .sub,
              case .store(let type, .reg(sum), let base, let offset) = body[i + 1].op
        else { return nil }
        try checkRegister(sum, f, body[i].loc)
        try checkRegister(source, f, body[i].loc)
        try checkRegister(base, f, body[i + 1].loc)
        guard f.type(of: sum) == type, base != sum else { return nil }
        let opcode: Opcode
        switch type {
        case .i8: opcode = .addStore8
        case .i16: opcode = .addStore16
        case .i32: opcode = .addStore32
        default: return nil
        }
        let addend = type.normalize(op == .add ? c : 0 &- type.normalize(c))
        return DecodedInstruction(opcode, d: reg(sum), a: reg(source), b: reg(base), t: Int32(truncatingIfNeeded: addend),
                                  k: offset)
    }

    /// `load x, [p+k]; y = add x, c; store y, [p+k]` on i8/i16/i32 (a BF `+` run).
    mutating func fuseMemoryAdd(_ body: [Instruction], at i: Int, in f: Function) throws -> DecodedInstruction? {
        guard i + 2 < body.count,
              case .load(let loaded, let base, let offset) = body[i].op,
              case .binary(let op, let sum, let lhs, let rhs, false) = body[i + 1].op,
              case .store(let type, .reg(let stored), let storeBase, let storeOffset) = body[i + 2].op
        else { return nil }
        try checkRegister(loaded, f, body[i].loc)
        try checkRegister(sum, f, body[i + 1].loc)
        try checkRegister(base, f, body[i].loc)
        let opcode: Opcode
        switch type {
        case .i8: opcode = .addMem8
        case .i16: opcode = .addMem16
        case .i32: opcode = .addMem32
        default: return nil
        }
        // The base must survive the load and the add for the store to hit the same address.
        guard f.type(of: loaded) == type, f.type(of: sum) == type, stored == sum, storeBase == base,
              storeOffset == offset, loaded != base, sum != base
        else { return nil }
        let addend: Int64
        switch (op, lhs, rhs) {
        case (.add, .reg(loaded), .imm(let c)), (.add, .imm(let c), .reg(loaded)): addend = c
        case (.sub, .reg(loaded), .imm(let c)): addend = 0 &- c
        case (.add, .reg(loaded), .reg(let x)), (.add, .reg(let x), .reg(loaded)), (.sub, .reg(loaded), .reg(let x)):
            try checkRegister(x, f, body[i + 1].loc)
            let registerForm: Opcode = switch type {
            case .i8: .addMemR8
            case .i16: .addMemR16
            default: .addMemR32
            }
            return DecodedInstruction(registerForm, w: op == .sub ? 1 : 0, d: reg(loaded), a: reg(base), b: reg(sum),
                                      t: reg(x), k: offset)
        default: return nil
        }
        return DecodedInstruction(opcode, d: reg(loaded), a: reg(base), b: reg(sum),
                                  t: Int32(truncatingIfNeeded: type.normalize(addend)), k: offset)
    }

    /// What follows a fused bounds check.
    enum CheckTail {
        case trapIf(TrapKind, SourceLoc)
        /// The block's branch: to `target` when out of range, else to the next block.
        case branch(Int)
    }

    /// `a = add i64 p, k; c = ugt i64 a, limit` then `trapIf c` or, ending the
    /// block, `branch c, target, <next block>` (a BF bounds check).
    mutating func fuseAddCheck(_ body: [Instruction], at i: Int, _ term: Terminator, next: Int?, in f: Function)
        throws -> (DecodedInstruction, CheckTail)? {
        guard i + 1 < body.count,
              case .binary(.add, let sum, .reg(let base), .imm(let k), _) = body[i].op,
              case .compare(.ugt, .i64, let flag, .reg(sum), .imm(let limit)) = body[i + 1].op,
              limit >= 0, limit <= Int64(Int32.max)
        else { return nil }
        try checkRegister(sum, f, body[i].loc)
        try checkRegister(base, f, body[i].loc)
        try checkRegister(flag, f, body[i + 1].loc)
        guard f.type(of: sum) == .i64, !body[i].mayTrap else { return nil }
        let fused = DecodedInstruction(.addCheckUgt, d: reg(sum), a: reg(base), b: reg(flag), f: Int32(limit), k: k)
        if i + 2 < body.count, case .trapIf(.reg(flag), let kind) = body[i + 2].op {
            return (fused, .trapIf(kind, body[i + 2].loc))
        }
        if i + 2 == body.count, let next, case .branch(.reg(flag), let target, let otherwise) = term,
           otherwise.index == next {
            return (fused, .branch(target.index))
        }
        return nil
    }

    /// `x = load [p+k]; c = ne/eq x, 0; branch c` on i8/i16/i32 (a BF loop test).
    mutating func fuseLoadBranch(_ load: Instruction, _ compare: Instruction, _ term: Terminator, in f: Function)
        throws -> (DecodedInstruction, PendingInstruction.Link)? {
        guard case .load(let loaded, let base, let offset) = load.op,
              case .compare(let pred, let type, let flag, let lhs, let rhs) = compare.op,
              pred == .eq || pred == .ne,
              case .branch(.reg(flag), let ifTrue, let ifFalse) = term
        else { return nil }
        switch (lhs, rhs) {
        case (.reg(loaded), .imm(let z)), (.imm(let z), .reg(loaded)): guard type.normalize(z) == 0 else { return nil }
        default: return nil
        }
        try checkRegister(loaded, f, load.loc)
        try checkRegister(base, f, load.loc)
        try checkRegister(flag, f, compare.loc)
        guard f.type(of: loaded) == type else { return nil }
        let opcode: Opcode
        switch type {
        case .i8: opcode = .ld8BrNz
        case .i16: opcode = .ld16BrNz
        case .i32: opcode = .ld32BrNz
        default: return nil
        }
        return (DecodedInstruction(opcode, w: pred == .eq ? 1 : 0, d: reg(loaded), a: reg(base), b: reg(flag), k: offset),
                .branch(ifTrue.index, ifFalse.index))
    }

    /// A comparison whose result is the block's branch condition.
    mutating func fuseCompareBranch(_ inst: Instruction, _ term: Terminator, in f: Function) throws
        -> (DecodedInstruction, PendingInstruction.Link)? {
        guard case .compare(let pred, let type, let dst, let lhs, let rhs) = inst.op,
              case .branch(.reg(dst), let ifTrue, let ifFalse) = term,
              let c = try fastCompare(pred, type, dst, lhs, rhs, in: f, loc: inst.loc)
        else { return nil }
        return (Self.branching(c), .branch(ifTrue.index, ifFalse.index))
    }

    /// A comparison whose result only feeds the `trapIf` after it: a fused
    /// comparison-and-branch whose true target is a trap stub.
    mutating func fuseCompareTrap(_ inst: Instruction, _ next: Instruction, in f: Function) throws
        -> (DecodedInstruction, TrapKind)? {
        guard case .compare(let pred, let type, let dst, let lhs, let rhs) = inst.op,
              case .trapIf(.reg(dst), let kind) = next.op,
              let c = try fastCompare(pred, type, dst, lhs, rhs, in: f, loc: inst.loc)
        else { return nil }
        return (Self.branching(c), kind)
    }

    /// The fused comparison-and-branch opcode for a fast comparison.
    private static func branching(_ compare: DecodedInstruction) -> DecodedInstruction {
        var fused = compare
        fused.op = Opcode(rawValue: compare.op.rawValue - Opcode.eqRR.rawValue + Opcode.brEqRR.rawValue)!
        return fused
    }
}
