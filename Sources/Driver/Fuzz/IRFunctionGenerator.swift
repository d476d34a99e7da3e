import JitIR

/// Generates the body of one function for `IRProgramGenerator`: nested
/// statements over a pool of readable registers (see the rules there).
struct FunctionGenerator {
    var rng: FuzzRandom
    let signatures: [IRProgramGenerator.Signature]
    let index: Int
    let memorySize: Int
    let limits: IRProgramGenerator.Limits
    var b: FunctionBuilder
    /// Registers that may be read at the current point, outer scopes first.
    var readable: [Var] = []
    /// Registers statements must not reassign: loop counters and the recursion depth.
    var frozen: Set<Var> = []
    /// Enclosing loops: where `continue` and `break` go.
    var loops: [(latch: BlockRef, exit: BlockRef)] = []
    var line = 1
    var selfCalled = false

    var signature: IRProgramGenerator.Signature { signatures[index] }

    init(rng: FuzzRandom, signatures: [IRProgramGenerator.Signature], index: Int, memorySize: Int,
         limits: IRProgramGenerator.Limits) {
        self.rng = rng
        self.signatures = signatures
        self.index = index
        self.memorySize = memorySize
        self.limits = limits
        let s = signatures[index]
        b = FunctionBuilder(name: s.name, parameters: s.parameters, result: s.result,
                            loc: SourceLoc(line: 1, column: index + 1))
    }

    mutating func generate() -> Function {
        readable = signature.parameters.indices.map { b.parameter($0) }
        if signature.recursive {
            // The base case first: a depth <= 0 returns at once.
            let depth = b.parameter(0), t = signature.parameters[0]
            frozen.insert(depth)
            step()
            let done = b.compare(.sle, t, .reg(depth), .imm(0))
            let base = b.newBlock(), body = b.newBlock()
            b.branch(.reg(done), base, body)
            b.position(at: base)
            step()
            b.ret(signature.result.map { .imm(rng.edgeValue($0)) })
            b.position(at: body)
        }
        // Some recursive functions stay small enough for the native backends to inline their
        // self-calls (RecursiveInlining), so that inlining meets traps, loops and deep recursion.
        let small = signature.recursive && rng.chance(40)
        // Long-lived variables, assigned on every path before any statement.
        for t in IntType.allCases {
            for _ in 0..<(small ? 1 : rng.int(1...2)) {
                step()
                readable.append(b.copy(t, operand(t)))
            }
        }
        _ = region(depth: 0, count: small ? rng.int(1...3) : rng.int(limits.statements))
        epilogue()
        // A misused builder would be a generator bug; the function as built still goes through
        // the verifier, which reports it.
        return (try? b.finish()) ?? b.function
    }

    // MARK: Positions, operands, destinations

    /// Gives the next instruction its own source position (line = instruction
    /// number, column = function number), so trap positions tell instructions apart.
    mutating func step() {
        line += 1
        b.loc = SourceLoc(line: line, column: index + 1)
    }

    /// A readable register of type `t`, or an edge-heavy immediate.
    mutating func operand(_ t: IntType) -> Operand {
        let candidates = readable.filter { b.function.type(of: $0) == t }
        if !candidates.isEmpty && rng.chance(70) { return .reg(rng.pick(candidates)) }
        return .imm(rng.edgeValue(t))
    }

    /// A register of type `t` to assign: a fresh one (readable from now on in
    /// this scope) or an existing one that may be reassigned.
    mutating func destination(_ t: IntType) -> Var {
        let reusable = readable.filter { b.function.type(of: $0) == t && !frozen.contains($0) }
        if !reusable.isEmpty && rng.chance(40) { return rng.pick(reusable) }
        let v = b.newRegister(t)
        readable.append(v)
        return v
    }

    /// Appends `op(dst)` at a new position with a destination of type `t`.
    mutating func emit(_ t: IntType, _ op: (Var) -> Op) {
        step()
        let d = destination(t)
        b.append(op(d))
    }

    /// A fresh temporary assigned by `op`, not offered to later statements as
    /// a destination (used for intermediate values such as addresses).
    mutating func temporary(_ t: IntType, _ op: (Var) -> Op) -> Var {
        step()
        let d = b.newRegister(t)
        b.append(op(d))
        return d
    }

    mutating func anyType() -> IntType {
        rng.weighted([(IntType.i64, 4), (.i32, 3), (.i16, 2), (.i8, 2), (.i1, 1)])
    }

    /// `v` of type `t` widened (sign-extended) to i64.
    mutating func toI64(_ v: Operand, from t: IntType) -> Operand {
        if t == .i64 { return v }
        let how: ConvertOp = rng.chance(50) ? .sext : .zext
        return .reg(temporary(.i64) { .convert(how, dst: $0, src: v, from: t) })
    }

    /// `v` (an i64) truncated to `t`.
    mutating func fromI64(_ v: Operand, to t: IntType) -> Operand {
        if t == .i64 { return v }
        return .reg(temporary(t) { .convert(.trunc, dst: $0, src: v, from: .i64) })
    }

    // MARK: Statements

    /// `count` statements in a new scope; true when the last one ended the
    /// block (break, continue, return, trap), after which nothing may follow.
    mutating func region(depth: Int, count: Int) -> Bool {
        let mark = readable.count
        defer { readable.removeSubrange(mark...) }
        for _ in 0..<count where statement(depth: depth) { return true }
        return false
    }

    /// One statement; true when it terminated the current block.
    mutating func statement(depth: Int) -> Bool {
        let nested = depth < limits.maxDepth
        let callees = calleeIndices()
        let kind = rng.weighted([
            ("op", 40), ("memory", 14), ("output", 7), ("input", 2), ("trapif", 2), ("pressure", 3),
            ("if", nested ? 9 : 0), ("loop", nested ? 7 : 0), ("call", callees.isEmpty ? 0 : (loops.isEmpty ? 8 : 3)),
            ("break", loops.isEmpty ? 0 : 2), ("continue", loops.isEmpty ? 0 : 1),
            ("return", depth > 0 ? 1 : 0), ("trap", depth > 0 ? 1 : 0),
        ])
        switch kind {
        case "op": operation()
        case "pressure": pressure(callees: loops.isEmpty ? callees : [])
        case "memory": memoryAccess()
        case "output": output()
        case "input":
            emit(.i32) { .hostCall(.getByte, dst: $0, args: []) }
        case "trapif":
            // Rare conditions (equal to one edge value), so that most runs go on.
            let t = anyType()
            let lhs = operand(t), rhs = Operand.imm(rng.edgeValue(t))
            let c = temporary(.i1) { .compare(.eq, type: t, dst: $0, lhs: lhs, rhs: rhs) }
            step()
            b.trapIf(.reg(c), rng.pick(TrapKind.allCases))
        case "if": return ifElse(depth: depth)
        case "loop": loop(depth: depth)
        case "call": call(rng.pick(callees))
        case "break":
            step()
            b.jump(rng.pick(loops).exit)
            return true
        case "continue":
            step()
            b.jump(loops[loops.count - 1].latch)
            return true
        case "return":
            step()
            b.ret(signature.result.map { operand($0) })
            return true
        default:
            step()
            b.trap(rng.pick(TrapKind.allCases))
            return true
        }
        return false
    }

    mutating func condition() -> Operand {
        // Now and then a constant condition: a branch or select that folds.
        if rng.chance(4) { return .imm(Int64(rng.below(2))) }
        let bools = readable.filter { b.function.type(of: $0) == .i1 }
        if !bools.isEmpty && rng.chance(20) { return .reg(rng.pick(bools)) }
        let t = anyType()
        let p = rng.pick(ComparePredicate.allCases)
        let lhs = operand(t), rhs = operand(t)
        return .reg(temporary(.i1) { .compare(p, type: t, dst: $0, lhs: lhs, rhs: rhs) })
    }

    mutating func ifElse(depth: Int) -> Bool {
        let c = condition()
        let then = b.newBlock(), otherwise = b.newBlock(), join = b.newBlock()
        step()
        b.branch(c, then, otherwise)
        b.position(at: then)
        if !region(depth: depth + 1, count: rng.int(1...4)) { b.jump(join) }
        b.position(at: otherwise)
        if !region(depth: depth + 1, count: rng.int(0...3)) { b.jump(join) }
        // When both arms end the block, `join` is unreachable; code after it is allowed and never runs.
        b.position(at: join)
        return false
    }

    /// A loop that runs a bounded number of times, in one of four shapes.
    mutating func loop(depth: Int) {
        let t = rng.pick([IntType.i8, .i16, .i32, .i64])
        // The trip count: a constant, or a value masked to 0...7.
        let bound: Operand
        if rng.chance(50) {
            bound = .imm(Int64(rng.int(0...6)))
        } else {
            let x = operand(t)
            bound = .reg(temporary(t) { .binary(.and, dst: $0, lhs: x, rhs: .imm(7), checked: false) })
        }
        let shape = rng.pick(["while", "dowhile", "countdown", "halving"])
        let counter = b.newRegister(t)
        frozen.insert(counter)
        step()
        switch shape {
        case "countdown": b.assign(counter, bound)
        case "halving":
            let start = operand(t)
            b.assign(counter, start)
        default: b.assign(counter, .imm(0))
        }
        readable.append(counter)
        let header = b.newBlock(), body = b.newBlock(), latch = b.newBlock(), exit = b.newBlock()
        step()
        b.jump(shape == "dowhile" ? body : header)
        b.position(at: header)
        let go: Var
        switch shape {
        case "countdown": go = temporary(.i1) { .compare(.sgt, type: t, dst: $0, lhs: .reg(counter), rhs: .imm(0)) }
        // Shifting right logically reaches 0 within the width: at most 64 iterations.
        case "halving": go = temporary(.i1) { .compare(.ne, type: t, dst: $0, lhs: .reg(counter), rhs: .imm(0)) }
        default: go = temporary(.i1) { .compare(.slt, type: t, dst: $0, lhs: .reg(counter), rhs: bound) }
        }
        step()
        b.branch(.reg(go), body, exit)
        b.position(at: body)
        loops.append((latch, exit))
        let ended = region(depth: depth + 1, count: rng.int(1...4))
        loops.removeLast()
        if !ended { b.jump(latch) }
        b.position(at: latch)
        step()
        switch shape {
        case "countdown": b.append(.binary(.sub, dst: counter, lhs: .reg(counter), rhs: .imm(1), checked: false))
        case "halving":
            b.append(.binary(.lshr, dst: counter, lhs: .reg(counter), rhs: .imm(Int64(rng.int(1...3))), checked: false))
        default: b.append(.binary(.add, dst: counter, lhs: .reg(counter), rhs: .imm(1), checked: rng.chance(30)))
        }
        step()
        b.jump(header)
        b.position(at: exit)
    }

    /// Functions this one may call: later ones (so calls form no cycle), and
    /// itself once, outside loops, when it is recursive.
    func calleeIndices() -> [Int] {
        var out = Array((index + 1)..<signatures.count)
        if signature.recursive && !selfCalled && loops.isEmpty { out.append(index) }
        return out
    }

    mutating func call(_ callee: Int) {
        let s = signatures[callee]
        var args: [Operand] = []
        for (k, t) in s.parameters.enumerated() {
            if k == 0 && s.recursive {
                if callee == index {
                    // One level down: depth - 1.
                    let depth = Operand.reg(b.parameter(0))
                    args.append(.reg(temporary(t) { .binary(.sub, dst: $0, lhs: depth, rhs: .imm(1), checked: false) }))
                } else {
                    // Usually a depth of 0...31; now and then up to 131,071, which may pass the
                    // IR's recursion limit, where every engine must trap at the same call.
                    let x = operand(t)
                    let mask: Int64 = rng.chance(3) ? (1 << 17) - 1 : 31
                    args.append(.reg(temporary(t) { .binary(.and, dst: $0, lhs: x, rhs: .imm(mask), checked: false) }))
                }
            } else {
                args.append(operand(t))
            }
        }
        if callee == index { selfCalled = true }
        if let r = s.result {
            emit(r) { .call(dst: $0, callee: s.name, args: args) }
        } else {
            step()
            b.append(.call(dst: nil, callee: s.name, args: args))
        }
    }

    mutating func output() {
        if rng.chance(15) {
            // Counts outside 1...8 too, which every engine clamps.
            let word = operand(.i64)
            let count: Operand = rng.chance(70) ? .imm(Int64(rng.int(-1...9))) : operand(.i64)
            step()
            b.hostCall(.putBytes, [word, count])
            return
        }
        let t = anyType()
        let v = operand(t)
        step()
        b.hostCall(.putByte, [v])
        if t.bits > 8 && rng.chance(40) {
            // A higher byte too, so that more of the value is observed.
            let count = Operand.imm(Int64(rng.pick([8, 16, 24, 56]) % t.bits))
            let shifted = temporary(t) { .binary(.lshr, dst: $0, lhs: v, rhs: count, checked: false) }
            step()
            b.hostCall(.putByte, [.reg(shifted)])
        }
    }

    /// The end of the function: for `main`, a checksum of memory and of the
    /// variables goes to the output and the result, so that wrong values show.
    mutating func epilogue() {
        var acc: Operand = .imm(0)
        if index == 0 {
            let base = temporary(.i64) { .copy(dst: $0, src: .imm(0)) }
            for k in 0..<min(memorySize / 8, 4) {
                let word = temporary(.i64) { .load(dst: $0, base: base, offset: Int64(k * 8)) }
                acc = .reg(temporary(.i64) { [acc] in .binary(.xor, dst: $0, lhs: acc, rhs: .reg(word), checked: false) })
            }
        }
        let picks = readable.isEmpty ? [] : (0..<rng.int(1...4)).map { _ in rng.pick(readable) }
        for v in picks {
            let wide = toI64(.reg(v), from: b.function.type(of: v))
            let mixed = temporary(.i64) { [acc] in .binary(.mul, dst: $0, lhs: acc, rhs: .imm(31), checked: false) }
            acc = .reg(temporary(.i64) { .binary(.add, dst: $0, lhs: .reg(mixed), rhs: wide, checked: false) })
        }
        if index == 0 || rng.chance(30) {
            step()
            b.hostCall(.putByte, [acc])
        }
        let result = signature.result.map { fromI64(acc, to: $0) }
        step()
        b.ret(result)
    }
}
