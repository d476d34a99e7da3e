import JitIR

/// Lowers one verified function to IR (docs/bytecode.md, "Lowering").
///
/// The value stack is interpreted at compile time: each slot holds a
/// `StackValue`. Where blocks join, slot `i` lives in one register per depth
/// (`slotRegisters[i]`) unless every path brings the same constant
/// (`SlotConstants`); the edges into a block copy their slot values there.
/// Locals are registers.
struct FunctionLowering {
    let vf: VerifiedFunction
    let file: String
    let moduleFunctions: Set<String>
    let blocks: BasicBlocks
    let entryStates: [[SlotState]?]

    var b: FunctionBuilder
    var locals: [String: Var] = [:]
    var slotRegisters: [Var] = []
    var irBlocks: [Int: BlockRef] = [:]
    var stack: [StackValue] = []

    var code: [BytecodeInstruction] { vf.function.instructions }

    init(_ vf: VerifiedFunction, file: String, moduleFunctions: Set<String>) {
        self.vf = vf
        self.file = file
        self.moduleFunctions = moduleFunctions
        blocks = BasicBlocks(vf)
        entryStates = SlotConstants.analyse(vf, blocks)
        let f = vf.function
        b = FunctionBuilder(name: f.name, parameters: Array(repeating: .i64, count: f.parameters.count),
                            result: .i64, loc: f.loc)
        for (k, p) in f.parameters.enumerated() { locals[p] = b.parameter(k) }
        for name in vf.locals where locals[name] == nil { locals[name] = b.newRegister(.i64) }
    }

    mutating func lower() throws -> Function {
        b.loc = vf.function.loc
        for (k, block) in blocks.blocks.enumerated() where entryStates[k] != nil {
            // The first block continues the entry block unless something jumps back to it.
            if k == 0 && !blocks.isJumpTarget[0] {
                irBlocks[k] = b.current
            } else {
                irBlocks[k] = b.newBlock("L\(block.range.lowerBound)")
            }
        }
        if irBlocks[0] != b.current { b.jump(irBlocks[0]!) }
        for (k, block) in blocks.blocks.enumerated() {
            guard let state = entryStates[k] else { continue }
            b.position(at: irBlocks[k]!)
            stack = state.enumerated().map { i, s in
                if case .constant(let c) = s { return .imm(c) }
                return .reg(slotRegister(i))
            }
            for i in block.range.dropLast() {
                b.loc = code[i].loc
                try plain(code[i].op)
            }
            b.loc = code[block.last].loc
            try terminate(block.last)
        }
        return try b.finish()
    }

    // MARK: Stack slots

    mutating func slotRegister(_ i: Int) -> Var {
        while slotRegisters.count <= i { slotRegisters.append(b.newRegister(.i64)) }
        return slotRegisters[i]
    }

    private mutating func pop() -> StackValue { stack.removeLast() }

    /// The value as an i64 operand; a truth value is widened to 0 or 1.
    mutating func operand(_ v: StackValue) -> Operand {
        switch v {
        case .imm(let k): .imm(k)
        case .reg(let r): .reg(r)
        case .bool(let c): .reg(b.convert(.zext, .reg(c), from: .i1, to: .i64))
        }
    }

    /// The value in an i64 register (immediates are copied into one).
    mutating func register(_ v: StackValue) -> Operand {
        let o = operand(v)
        if case .imm = o { return .reg(b.copy(.i64, o)) }
        return o
    }

    /// The value's truth as an i1 operand (an immediate 0 or 1 when it is a constant).
    private mutating func truth(_ v: StackValue) -> Operand {
        switch v {
        case .imm(let k): .imm(k != 0 ? 1 : 0)
        case .reg(let r): .reg(b.compare(.ne, .i64, .reg(r), .imm(0)))
        case .bool(let c): .reg(c)
        }
    }

    // MARK: Straight-line instructions

    private mutating func plain(_ op: BytecodeOp) throws {
        switch op {
        case .nop:
            break
        case .loadFast(let name):
            stack.append(.reg(locals[name]!))
        case .storeFast(let name):
            let value = pop()
            let local = locals[name]!
            // Slots that still read the local's old value keep it in a temporary.
            for k in stack.indices where stack[k] == .reg(local) {
                stack[k] = .reg(b.copy(.i64, .reg(local)))
            }
            assign(local, value)
        case .loadConst(let k):
            stack.append(.imm(k))
        case .popTop:
            stack.removeLast()
        case .copy(let n):
            stack.append(stack[stack.count - n])
        case .swap(let n):
            stack.swapAt(stack.count - 1, stack.count - n)
        case .binaryOp(let o):
            let rhs = operand(pop())
            let lhs = operand(pop())
            stack.append(value(pythonBinary(o, lhs, rhs)))
        case .unaryNegative:
            let x = register(pop())
            stack.append(.reg(b.unary(.neg, .i64, x, checked: true)))
        case .unaryInvert:
            let x = register(pop())
            stack.append(.reg(b.unary(.not, .i64, x)))
        case .unaryNot:
            let t = truth(pop())
            if case .imm(let k) = t {
                stack.append(.imm(1 - k))
            } else {
                stack.append(.bool(b.binary(.xor, .i1, t, .imm(1))))
            }
        case .toBool:
            let v = pop()
            if case .imm(let k) = v {
                stack.append(.imm(k != 0 ? 1 : 0))
            } else {
                stack.append(.bool(truth(v).register!))
            }
        case .compareOp(let o):
            let rhs = operand(pop())
            let lhs = operand(pop())
            stack.append(.bool(compare(Self.predicate(o), lhs, rhs)))
        case .call(let name, let argc):
            let values = Array(stack.suffix(argc))
            stack.removeLast(argc)
            var args: [Operand] = []
            for v in values { args.append(operand(v)) }
            if moduleFunctions.contains(name) {
                stack.append(.reg(b.call(name, args, result: .i64)!))
            } else if let builtin = BuiltinFunction(rawValue: name) {
                stack.append(value(builtinCall(builtin, args)))
            } else {
                throw InternalError("CALL of unknown function '\(name)' passed verification")
            }
        case .jump, .popJumpIfFalse, .popJumpIfTrue, .jumpIfFalseOrPop, .jumpIfTrueOrPop, .forRange, .returnValue:
            throw InternalError("\(op.opcode) in the middle of a block")
        }
    }

    private mutating func assign(_ local: Var, _ value: StackValue) {
        switch value {
        case .imm(let k): b.assign(local, .imm(k))
        case .reg(let r): if r != local { b.assign(local, .reg(r)) }
        case .bool(let c): b.append(.convert(.zext, dst: local, src: .reg(c), from: .i1))
        }
    }

    static func predicate(_ o: ComparisonOperator) -> ComparePredicate {
        switch o {
        case .less: .slt
        case .lessOrEqual: .sle
        case .equal: .eq
        case .notEqual: .ne
        case .greater: .sgt
        case .greaterOrEqual: .sge
        }
    }

    // MARK: Block ends

    private mutating func terminate(_ i: Int) throws {
        let op = code[i].op
        switch op {
        case .jump(let t):
            try moves(to: [(t, stack.count)])
            b.jump(target(t))
        case .popJumpIfFalse(let t), .popJumpIfTrue(let t):
            let cond = truth(pop())
            let jumpsWhenTrue: Bool = if case .popJumpIfTrue = op { true } else { false }
            try conditional(cond, jumpsWhenTrue: jumpsWhenTrue, target: t, next: i + 1,
                            edges: [(t, stack.count), (i + 1, stack.count)])
        case .jumpIfFalseOrPop(let t), .jumpIfTrueOrPop(let t):
            let cond = truth(stack.last!)
            let jumpsWhenTrue: Bool = if case .jumpIfTrueOrPop = op { true } else { false }
            // The jump keeps the value; continuing pops it.
            try conditional(cond, jumpsWhenTrue: jumpsWhenTrue, target: t, next: i + 1,
                            edges: [(t, stack.count), (i + 1, stack.count - 1)])
        case .forRange(let t):
            try forRange(exit: t, next: i + 1)
        case .returnValue:
            b.ret(operand(pop()))
        default:
            try plain(op)
            try moves(to: [(i + 1, stack.count)])
            b.jump(target(i + 1))
        }
    }

    private func target(_ instruction: Int) -> BlockRef {
        irBlocks[blocks.block(startingAt: instruction)]!
    }

    private mutating func conditional(_ cond: Operand, jumpsWhenTrue: Bool, target t: Int, next: Int,
                                      edges: [(Int, Int)]) throws {
        if case .imm(let k) = cond {
            // A constant condition: only one edge is ever taken.
            let taken = (k != 0) == jumpsWhenTrue ? edges[0] : edges[1]
            try moves(to: [taken])
            b.jump(target(taken.0))
            return
        }
        // Both edges see the same values in the slots they share, so one set of copies serves both.
        try moves(to: edges)
        let (whenTrue, whenFalse) = jumpsWhenTrue ? (t, next) : (next, t)
        b.branch(cond, target(whenTrue), target(whenFalse))
    }

    /// `FOR_RANGE` over `[current, stop, step]` on top of the stack.
    private mutating func forRange(exit: Int, next: Int) throws {
        let n = stack.count
        let current = operand(stack[n - 3]), stop = operand(stack[n - 2]), step = operand(stack[n - 1])
        let below = Array(stack.prefix(n - 3))
        var positive: Var?
        let more: Var
        if case .imm(let k) = step {
            if k == 0 {
                b.trap(.zeroRangeStep)
                return
            }
            more = compare(k > 0 ? .slt : .sgt, current, stop)
        } else {
            let zero = compare(.eq, step, .imm(0))
            b.trapIf(.reg(zero), .zeroRangeStep)
            positive = compare(.sgt, step, .imm(0))
            let below = compare(.slt, current, stop), above = compare(.sgt, current, stop)
            more = b.select(.i1, .reg(positive!), .reg(below), .reg(above))
        }
        let advance = b.newBlock()
        // The exit's copies go on their own edge so that they cannot clobber what the loop body reads.
        let exitBlock: BlockRef
        let here = b.current
        stack = below
        if try needsMoves(to: [(exit, below.count)]) {
            exitBlock = b.newBlock()
            b.position(at: exitBlock)
            try moves(to: [(exit, below.count)])
            b.jump(target(exit))
        } else {
            exitBlock = target(exit)
        }
        b.position(at: here)
        b.branch(.reg(more), advance, exitBlock)

        b.position(at: advance)
        let produced = b.copy(.i64, current)
        let stepped = binary(.add, current, step)
        var nextCurrent = stepped
        if case .imm(let k) = step {
            if k != 1 && k != -1 {
                // Past int64 the range is over: Python would compare the exact sum with stop.
                let wrapped = compare(k > 0 ? .slt : .sgt, stepped, .reg(produced))
                nextCurrent = .reg(b.select(.i64, .reg(wrapped), inRegister(stop), stepped))
            }
        } else {
            let down = compare(.slt, stepped, .reg(produced)), up = compare(.sgt, stepped, .reg(produced))
            let wrapped = b.select(.i1, .reg(positive!), .reg(down), .reg(up))
            nextCurrent = .reg(b.select(.i64, .reg(wrapped), inRegister(stop), stepped))
        }
        stack = below + [value(nextCurrent), value(stop), value(step), .reg(produced)]
        try moves(to: [(next, stack.count)])
        b.jump(target(next))
    }

    func value(_ o: Operand) -> StackValue {
        switch o {
        case .imm(let k): .imm(k)
        case .reg(let r): .reg(r)
        }
    }

    // MARK: Edges

    /// The slot copies the edges need: slot `i` goes to its register when some
    /// edge's target keeps it there (the edges agree on the values of shared slots).
    private mutating func pendingMoves(to edges: [(instruction: Int, depth: Int)]) throws -> [(Var, StackValue)] {
        var out: [(Var, StackValue)] = []
        let depth = edges.map(\.depth).max() ?? 0
        for i in 0..<depth {
            var varying = false
            for e in edges where i < e.depth {
                guard let state = entryStates[blocks.block(startingAt: e.instruction)] else {
                    throw InternalError("an edge leads to a block the analysis did not reach")
                }
                switch state[i] {
                case .varying: varying = true
                case .constant(let k):
                    guard stack[i] == .imm(k) else {
                        throw InternalError("slot \(i) should hold the constant \(k) at instruction \(e.instruction)")
                    }
                }
            }
            let r = slotRegister(i)
            if varying && stack[i] != .reg(r) { out.append((r, stack[i])) }
        }
        return out
    }

    private mutating func needsMoves(to edges: [(instruction: Int, depth: Int)]) throws -> Bool {
        try !pendingMoves(to: edges).isEmpty
    }

    /// Emits the copies as one parallel assignment: a register read by a
    /// pending copy is written only after that copy, cycles go through a temporary.
    private mutating func moves(to edges: [(instruction: Int, depth: Int)]) throws {
        var pending = try pendingMoves(to: edges)
        while !pending.isEmpty {
            if let k = pending.indices.first(where: { k in !pending.contains { $0.1.reads(pending[k].0) } }) {
                let (dst, src) = pending.remove(at: k)
                assign(dst, src)
            } else {
                let blocked = pending[0].0
                let saved = b.copy(.i64, .reg(blocked))
                for k in pending.indices where pending[k].1 == .reg(blocked) { pending[k].1 = .reg(saved) }
            }
        }
    }
}
