import JitIR
import NativeCode

/// Calls, host calls, traps and terminators.
extension FunctionEmitter {
    /// A direct call: arguments per System V (rdi, rsi, rdx, rcx, r8, r9, then the
    /// stack), result in rax. Values live across the call sit in callee-saved
    /// registers or spill slots (the allocator sees to it), so nothing is saved here.
    mutating func emitCall(_ d: Var?, _ callee: String, _ args: [Operand], loc: SourceLoc) throws {
        guard let index = functionIndex[callee] else {
            throw InternalError("x86: @\(function.name) calls unknown function @\(callee)")
        }
        emitEnter(loc: loc)
        let registers = RegisterRoles.arguments
        for (j, arg) in args.enumerated() where j >= registers.count {
            let slot = Mem.qword(.rsp, frame.outgoingOffset(j - registers.count))
            ParallelMove.move(&asm, .mem(slot), source(arg), memoryTemp: Self.temp)
        }
        pass(args.prefix(registers.count), in: registers.map(Self.reg))
        asm.call(functionLabels[index])
        emitLeave(temp: Self.temp2)  // rax holds the result
        if let d { assign(d, from: .rax) }
    }

    /// The arguments into `registers`, as one parallel move: an argument may live in any of them.
    mutating func pass(_ args: some Collection<Operand>, in registers: [Reg]) {
        // Most host calls pass one value, or constants only: then no move can need another's
        // source, and ordering them (lostkingdom's 11,000 output calls) is wasted work.
        if args.count == 1 || args.allSatisfy({ if case .imm = $0 { true } else { false } }) {
            for (r, arg) in zip(registers, args) { ParallelMove.move(&asm, .reg(r), source(arg), memoryTemp: Self.temp) }
            return
        }
        var moves = ParallelMove()
        for (r, arg) in zip(registers, args) { moves.add(.reg(r), source(arg)) }
        moves.emit(&asm, temp: Self.temp2, memoryTemp: Self.temp)
    }

    /// The IR's recursion rule (CallDepth): one more activation starts, and the one that
    /// would exceed the limit traps here. A call does this before it enters its callee.
    mutating func emitEnter(loc: SourceLoc) {
        if let budgetRegister {
            asm.sub(budgetRegister, 1)
            asm.jcc(.b, stub(.recursionLimit, loc))
            return
        }
        asm.mov(Self.temp, Int64(bitPattern: runtime.context))
        asm.sub(.qword(Self.temp, ContextLayout.callBudget), 1)
        asm.jcc(.b, stub(.recursionLimit, loc))
    }

    /// The activation the matching `emitEnter` started has ended.
    mutating func emitLeave(temp: Reg = Self.temp) {
        if let budgetRegister {
            asm.add(budgetRegister, 1)
            return
        }
        asm.mov(temp, Int64(bitPattern: runtime.context))
        asm.add(.qword(temp, ContextLayout.callBudget), 1)
    }

    /// A call into the runtime: `hook(ctx, args...)` through an absolute address.
    mutating func emitHostCall(_ h: HostFunction, _ d: Var?, _ args: [Operand]) {
        switch h {
        case .putByte:
            pass(args, in: [.rsi])  // before rdi is overwritten: the value may live there
            asm.mov(.rdi, Int64(bitPattern: runtime.context))
            asm.call(address: runtime.hooks.putByte, via: .rax)
        case .putBytes:
            pass(args, in: [.rsi, .rdx])
            asm.mov(.rdi, Int64(bitPattern: runtime.context))
            asm.call(address: runtime.hooks.putBytes, via: .rax)
        case .getByte:
            asm.mov(.rdi, Int64(bitPattern: runtime.context))
            asm.call(address: runtime.hooks.getByte, via: .rax)
            if let d { assign(d, from: .rax) }
        }
    }

    mutating func emitTrapIf(_ c: Operand, _ kind: TrapKind, loc: SourceLoc) {
        branchIfNonZero(c, negated: false, to: stub(kind, loc))
    }

    /// `c = compare a, b; trapIf c` as `cmp a, b; jcc stub`.
    mutating func emitCompareTrap(_ compare: Instruction, _ trapIf: Instruction, address: Instruction? = nil) {
        guard case .compare(let p, let type, _, let a, let b) = compare.op, case .trapIf(_, let kind) = trapIf.op
        else { return }
        if let address, case .binary(.add, _, let base, .imm(let k), _) = address.op, case .imm(let limit) = b {
            if case .flags(let cc) = emitOffsetCompare(p, type, base: base, offset: k, limit: limit) {
                asm.jcc(cc, stub(kind, trapIf.loc))
            }
            return
        }
        switch emitCompare(p, type, a, b) {
        case .constant(true): asm.jmp(stub(kind, trapIf.loc))
        case .constant(false): break
        case .flags(let cc): asm.jcc(cc, stub(kind, trapIf.loc))
        }
    }

    /// `base + offset <pred> limit` for a folded `a = base + offset` (see `SelectionPlan`),
    /// computed in a temporary.
    mutating func emitOffsetCompare(_ p: ComparePredicate, _ type: IntType, base: Operand, offset: Int64,
                                    limit: Int64) -> CompareOutcome {
        if case .reg(let r) = source(base), let disp = Int32(exactly: offset) {
            asm.lea(Self.temp, .ptr(r, disp))
        } else {
            load(Self.temp, base)
            asm.add(Self.temp, offset)
        }
        if Int32(exactly: limit) != nil {
            asm.cmp(Self.temp, limit)
        } else {
            asm.mov(Self.temp2, limit)
            asm.cmp(Self.temp, Self.temp2)
        }
        return .flags(Self.condition(p, type))
    }

    mutating func emitTerminator(block b: Int) {
        let block = function.blocks[b]
        let term = numbering.first[b] + block.instructions.count
        switch block.terminator {
        case .jump(let target):
            jump(to: target.index, from: b)
        case .branch(let c, let t, let f):
            let outcome: CompareOutcome
            switch plan.shapes[term] {
            case .compareBranch:
                guard case .compare(let p, let type, _, let lhs, let rhs) = block.instructions.last?.op else { return }
                let n = block.instructions.count
                if n >= 2, plan.shapes[numbering.first[b] + n - 2] == .folded,
                   case .binary(.add, _, let base, .imm(let k), _) = block.instructions[n - 2].op, case .imm(let limit) = rhs {
                    outcome = emitOffsetCompare(p, type, base: base, offset: k, limit: limit)
                } else {
                    outcome = emitCompare(p, type, lhs, rhs)
                }
            case .loadCompareBranch:
                let n = block.instructions.count
                if plan.flagSource[b] >= 0, case .compare(let p, _, _, _, _) = block.instructions[n - 1].op {
                    // The read-modify-write of the same cell, emitted just before, set ZF from the new value.
                    outcome = .flags(p == .eq ? .e : .ne)
                } else {
                    outcome = emitLoadCompare(block.instructions[n - 2], block.instructions[n - 1])
                }
            default:
                if case .imm(let k) = c {
                    outcome = .constant(k & 1 != 0)
                } else {
                    testCondition(c)
                    outcome = .flags(.ne)
                }
            }
            branch(outcome, t.index, f.index, from: b)
        case .ret(let v):
            if let v { load(.rax, v) }
            emitEpilogue()
        case .trap(let kind):
            asm.jmp(stub(kind, block.terminatorLoc))
        }
    }

    /// `cmp size [mem + base + o], imm` for a branch on `compare(load [base + o], imm)`.
    private mutating func emitLoadCompare(_ load: Instruction, _ compare: Instruction) -> CompareOutcome {
        guard case .load(_, let base, let offset) = load.op,
              case .compare(var p, let type, _, let lhs, let rhs) = compare.op else { return .constant(false) }
        let k: Int64
        if case .imm(let i) = lhs {
            k = i
            p = p.swapped
        } else if case .imm(let i) = rhs {
            k = i
        } else {
            return .constant(false)
        }
        let m = address(base, offset, size: type.operandSize, temp: Self.temp2)
        markAccess(load.loc)
        asm.cmp(m, k)
        return .flags(Self.condition(p, type))
    }

    private mutating func jump(to target: Int, from b: Int) {
        if layout.next(after: b) != target { asm.jmp(blockLabels[target]) }
    }

    /// Conditional branch, falling through to whichever successor comes next in the layout.
    private mutating func branch(_ outcome: CompareOutcome, _ t: Int, _ f: Int, from b: Int) {
        switch outcome {
        case .constant(let value):
            jump(to: value ? t : f, from: b)
        case .flags(let cc):
            if t == f {
                jump(to: t, from: b)
            } else if layout.next(after: b) == t {
                asm.jcc(cc.inverted, blockLabels[f])
            } else {
                asm.jcc(cc, blockLabels[t])
                jump(to: f, from: b)
            }
        }
    }
}
