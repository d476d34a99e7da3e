import JitIR
import NativeCode

/// A function that begins by comparing its arguments and returning one of them, or a constant,
/// on one side (`fib`'s `if n < 2 { return n }`) runs that test before its prologue, and
/// returns at once without saving a register. Only the entry block's compare and branch are
/// repeated there: neither can trap nor write anything, so running them twice is harmless.
/// When nothing jumps back to the entry block and its compare's result is read nowhere else,
/// the entry block is not run again at all.
extension FunctionEmitter {
    /// Emits the early return, if the function has one. Returns the entry block's other
    /// successor when the entry block may then be replaced by a jump to it.
    mutating func emitEarlyReturn() -> Int? {
        guard layout.order.first == 0, let (pred, type, a, b, whenTrue, value) = Self.earlyReturn(function),
              type != .i1, let lhs = argumentRegister(a) else { return nil }
        // The returned value must be at hand too: a constant, or an argument in a register.
        let returned: Reg?
        switch value {
        case .reg?:
            guard let r = argumentRegister(value) else { return nil }
            returned = r
        default:
            returned = nil
        }
        switch b {
        case .imm(let k) where Int32(exactly: k) != nil: asm.cmp(lhs, k)
        case .reg:
            guard let rhs = argumentRegister(b) else { return nil }
            asm.cmp(lhs, rhs)
        default: return nil
        }
        let stay = asm.newLabel()
        asm.jcc(Self.condition(whenTrue ? pred.inverted : pred, type), stay)
        if let returned {
            asm.mov(.rax, returned)
        } else if case .imm(let k)? = value {
            asm.mov(.rax, k)
        }
        asm.ret()
        asm.bind(stay)
        return passedSuccessor(whenTrue: whenTrue)
    }

    /// The entry's successor on the side that does not return, when the entry block need not run.
    private func passedSuccessor(whenTrue: Bool) -> Int? {
        let entry = function.blocks[0]
        guard case .branch(.reg(let c), let t, let e) = entry.terminator,
              !function.blocks.contains(where: { $0.terminator.successors.contains { $0.index == 0 } }) else { return nil }
        let readElsewhere = function.blocks.enumerated().contains { i, block in
            block.instructions.contains { $0.used.contains(c) } || (i != 0 && block.terminator.operands.contains(.reg(c)))
        }
        return readElsewhere ? nil : (whenTrue ? e : t).index
    }

    /// The register an argument arrives in, when `o` is one of the first six parameters.
    private func argumentRegister(_ o: Operand?) -> Reg? {
        guard case .reg(let v)? = o, let i = function.parameters.firstIndex(of: v),
              i < RegisterRoles.arguments.count else { return nil }
        return Self.reg(RegisterRoles.arguments[i])
    }

    /// The entry block's compare, whether it returns when the compare is true, and the value
    /// returned, when the entry block is just `c = compare …; br c, …` and one successor is a
    /// block that only returns a parameter, a constant or nothing.
    static func earlyReturn(_ f: Function) -> (ComparePredicate, IntType, Operand, Operand, whenTrue: Bool, Operand?)? {
        guard let entry = f.blocks.first, entry.instructions.count == 1,
              case .compare(let p, let type, let c, let a, let b) = entry.instructions[0].op,
              case .branch(.reg(c), let t, let e) = entry.terminator else { return nil }
        for (target, whenTrue) in [(t, true), (e, false)] where f.blocks.indices.contains(target.index) {
            let block = f.blocks[target.index]
            guard block.instructions.isEmpty, case .ret(let value) = block.terminator else { continue }
            if case .reg(let v)? = value, !f.parameters.contains(v) { continue }
            return (p, type, a, b, whenTrue, value)
        }
        return nil
    }
}
