import JitIR

/// Gives every operation whose operands are all immediates a register operand instead:
/// `%d = add i8 100, 100` becomes `%t = copy i8 100; %d = add i8 %t, 100`.
///
/// The backend then never evaluates an operation itself. Folding with `Semantics` would
/// reuse the interpreter's own definitions, so a test against the interpreter would compare
/// the oracle with itself; this way constant operands run through the same instruction
/// selection as any others. Frontends fold their constants before this, so it is rare.
enum ConstantOperands {
    static func materialize(_ function: Function) -> Function {
        var f = function
        for b in f.blocks.indices {
            guard f.blocks[b].instructions.contains(where: { firstConstant($0.op, in: f) != nil }) else { continue }
            var out: [Instruction] = []
            out.reserveCapacity(f.blocks[b].instructions.count + 1)
            for inst in f.blocks[b].instructions {
                guard let (value, type) = firstConstant(inst.op, in: f) else {
                    out.append(inst)
                    continue
                }
                let t = Var(f.registerTypes.count)
                f.registerTypes.append(type)
                out.append(Instruction(.copy(dst: t, src: .imm(value)), loc: inst.loc))
                out.append(Instruction(replacingFirstOperand(inst.op, with: t), loc: inst.loc))
            }
            f.blocks[b].instructions = out
        }
        return f
    }

    /// The first operand and its type, when every operand of `op` is an immediate.
    private static func firstConstant(_ op: Op, in f: Function) -> (Int64, IntType)? {
        switch op {
        case .binary(_, let d, .imm(let a), .imm, _), .unary(_, let d, .imm(let a), _):
            return (a, f.type(of: d))
        case .compare(_, let type, _, .imm(let a), .imm):
            return (a, type)
        case .convert(_, _, .imm(let a), let from):
            return (a, from)
        default:
            return nil
        }
    }

    private static func replacingFirstOperand(_ op: Op, with t: Var) -> Op {
        switch op {
        case .binary(let o, let d, _, let b, let checked): .binary(o, dst: d, lhs: .reg(t), rhs: b, checked: checked)
        case .unary(let o, let d, _, let checked): .unary(o, dst: d, src: .reg(t), checked: checked)
        case .compare(let p, let type, let d, _, let b): .compare(p, type: type, dst: d, lhs: .reg(t), rhs: b)
        case .convert(let o, let d, _, let from): .convert(o, dst: d, src: .reg(t), from: from)
        default: op
        }
    }
}
