/// Decoding of single instructions and terminators, specialised by operand shape and width.
extension ProgramDecoder {
    /// The decoded form of `inst`, or nil when it does nothing (`trapIf 0`).
    mutating func decode(_ inst: Instruction, in f: Function) throws -> DecodedInstruction? {
        let loc = inst.loc
        switch inst.op {
        case .probe(_, let base, _):
            // The access right after it (I12) traps in its place, at the same position.
            try checkRegister(base, f, loc)
            return nil
        case .copy(let dst, let src):
            let t = try type(of: dst, f, loc)
            if specialize {
                switch src {
                case .reg(let s): try checkRegister(s, f, loc); return DecodedInstruction(.movR, d: reg(dst), a: reg(s))
                case .imm(let k): return DecodedInstruction(.movI, d: reg(dst), k: t.normalize(k))
                }
            }
            return DecodedInstruction(.gMove, d: reg(dst), a: try operand(src, t, f, loc))

        case .binary(let op, let dst, let lhs, let rhs, let checked):
            let t = try type(of: dst, f, loc)
            if specialize, let fast = try fastBinary(op, t, dst, lhs, rhs, checked: checked, f, loc) { return fast }
            return DecodedInstruction(.gBinary, w: t.decodedCode, d: reg(dst), a: try operand(lhs, t, f, loc),
                                      b: try operand(rhs, t, f, loc), t: Int32(BinaryOp.allCases.firstIndex(of: op)!),
                                      f: checked ? 1 : 0)

        case .unary(let op, let dst, let src, let checked):
            let t = try type(of: dst, f, loc)
            if specialize, op == .not, case .reg(let s) = src {
                try checkRegister(s, f, loc)
                return DecodedInstruction(.xorRI, d: reg(dst), a: reg(s), k: t.normalize(-1))
            }
            return DecodedInstruction(.gUnary, w: t.decodedCode, d: reg(dst), a: try operand(src, t, f, loc),
                                      t: Int32(UnaryOp.allCases.firstIndex(of: op)!), f: checked ? 1 : 0)

        case .compare(let pred, let t, let dst, let lhs, let rhs):
            try checkRegister(dst, f, loc)
            if specialize, let fast = try fastCompare(pred, t, dst, lhs, rhs, in: f, loc: loc) { return fast }
            return DecodedInstruction(.gCompare, w: t.decodedCode, d: reg(dst), a: try operand(lhs, t, f, loc),
                                      b: try operand(rhs, t, f, loc),
                                      t: Int32(ComparePredicate.allCases.firstIndex(of: pred)!))

        case .select(let dst, let cond, let ifTrue, let ifFalse):
            let t = try type(of: dst, f, loc)
            if specialize, case .reg(let c) = cond {
                try checkRegister(c, f, loc)
                switch (ifTrue, ifFalse) {
                case (.reg(let a), .reg(let b)):
                    try checkRegister(a, f, loc)
                    try checkRegister(b, f, loc)
                    return DecodedInstruction(.selRRR, d: reg(dst), a: reg(c), b: reg(a), t: reg(b))
                case (.imm(let k), .reg(let b)):
                    try checkRegister(b, f, loc)
                    return DecodedInstruction(.selRIR, d: reg(dst), a: reg(c), t: reg(b), k: t.normalize(k))
                case (.reg(let a), .imm(let k)):
                    try checkRegister(a, f, loc)
                    return DecodedInstruction(.selRRI, d: reg(dst), a: reg(c), b: reg(a), k: t.normalize(k))
                case (.imm, .imm):
                    break
                }
            }
            return DecodedInstruction(.gSelect, d: reg(dst), a: try operand(cond, .i1, f, loc),
                                      b: try operand(ifTrue, t, f, loc), t: try operand(ifFalse, t, f, loc))

        case .convert(let op, let dst, let src, let from):
            let to = try type(of: dst, f, loc)
            if specialize, case .reg(let s) = src, let fast = fastConvert(op, from: from, to: to, dst: reg(dst), src: reg(s)) {
                try checkRegister(s, f, loc)
                return fast
            }
            return DecodedInstruction(.gConvert, w: to.decodedCode, d: reg(dst), a: try operand(src, from, f, loc),
                                      t: Int32(ConvertOp.allCases.firstIndex(of: op)!), f: Int32(from.decodedCode))

        case .load(let dst, let base, let offset):
            let t = try type(of: dst, f, loc)
            try checkRegister(base, f, loc)
            if !specialize {
                return DecodedInstruction(.gLoad, w: t.decodedCode, d: reg(dst), a: reg(base), k: offset)
            }
            let op: Opcode = switch t {
            case .i1: .ld1
            case .i8: .ld8
            case .i16: .ld16
            case .i32: .ld32
            case .i64: .ld64
            }
            return DecodedInstruction(op, d: reg(dst), a: reg(base), k: offset)

        case .store(let t, let value, let base, let offset):
            try checkRegister(base, f, loc)
            if specialize {
                switch value {
                case .reg(let v):
                    try checkRegister(v, f, loc)
                    let op: Opcode = switch t {
                    case .i1, .i8: .st8R
                    case .i16: .st16R
                    case .i32: .st32R
                    case .i64: .st64R
                    }
                    return DecodedInstruction(op, a: reg(base), b: reg(v), k: offset)
                case .imm(let k):
                    if let small = Int32(exactly: t.normalize(k)) {
                        let op: Opcode = switch t {
                        case .i1, .i8: .st8I
                        case .i16: .st16I
                        case .i32: .st32I
                        case .i64: .st64I
                        }
                        return DecodedInstruction(op, a: reg(base), t: small, k: offset)
                    }
                }
            }
            return DecodedInstruction(.gStore, w: t.decodedCode, a: reg(base), b: try operand(value, t, f, loc), k: offset)

        case .call(let dst, let callee, let args):
            guard let target = functionIndex[callee] else { throw error(f, loc, "call to unknown function @\(callee)") }
            let signature = program.functions[target]
            guard args.count == Int(signature.parameterCount) else {
                throw error(f, loc, "@\(callee) takes \(signature.parameterCount) arguments, not \(args.count)")
            }
            let first = program.arguments.count
            for (j, arg) in args.enumerated() {
                let p = program.parameters[Int(signature.firstParameter) + j]
                program.arguments.append(try operand(arg, p.type, f, loc))
            }
            if let dst { try checkRegister(dst, f, loc) }
            return DecodedInstruction(.call, d: dst.map { reg($0) } ?? -1, a: Int32(target), b: Int32(first),
                                      t: Int32(args.count), f: Int32(f.registerTypes.count))

        case .hostCall(let host, let dst, let args):
            guard args.count == host.parameterCount else {
                throw error(f, loc, "\(host.rawValue) takes \(host.parameterCount) arguments, not \(args.count)")
            }
            switch host {
            case .putByte:
                return DecodedInstruction(.putByte, a: try operand(args[0], .i64, f, loc))
            case .putBytes:
                return DecodedInstruction(.putBytes, a: try operand(args[0], .i64, f, loc), b: try operand(args[1], .i64, f, loc))
            case .getByte:
                guard let dst else { return DecodedInstruction(.getByte, d: -1) }
                let t = try type(of: dst, f, loc)
                return DecodedInstruction(.getByte, w: t.decodedCode, d: reg(dst))
            }

        case .trapIf(let cond, let kind):
            switch cond {
            case .reg(let c):
                try checkRegister(c, f, loc)
                return DecodedInstruction(.trapIfR, a: reg(c), t: Int32(kind.code))
            case .imm(let k):
                return k & 1 != 0 ? DecodedInstruction(.trapIfI, t: Int32(kind.code)) : nil
            }

        case .scan(let dst, let start, let t, let step, let limit):
            try checkRegister(dst, f, loc)
            try checkRegister(start, f, loc)
            // The machine reads memory at every address up to the limit without another check.
            guard t != .i1, step != 0, limit >= 0, limit <= Int64(module.memorySize) - Int64(t.bytes) else {
                throw error(f, loc, "scan \(t), step \(step), limit \(limit) does not fit \(module.memorySize) bytes of memory")
            }
            return DecodedInstruction(.scan, w: t.decodedCode, d: reg(dst), a: reg(start),
                                      b: try operand(.imm(limit), .i64, f, loc), k: step)

        case .enter:
            return DecodedInstruction(.enter)
        case .leave:
            return DecodedInstruction(.leave)
        }
    }

    mutating func decode(_ term: Terminator, in f: Function, loc: SourceLoc) throws -> PendingInstruction {
        switch term {
        case .jump(let b):
            return PendingInstruction(DecodedInstruction(.jump), loc, .jump(b.index))
        case .branch(let cond, let ifTrue, let ifFalse):
            let targets = PendingInstruction.Link.branch(ifTrue.index, ifFalse.index)
            if !specialize {
                return PendingInstruction(DecodedInstruction(.gBranch, a: try operand(cond, .i1, f, loc)), loc, targets)
            }
            switch cond {
            case .reg(let c):
                try checkRegister(c, f, loc)
                return PendingInstruction(DecodedInstruction(.branchR, a: reg(c)), loc, targets)
            case .imm(let k):
                return PendingInstruction(DecodedInstruction(.jump), loc, .jump(k & 1 != 0 ? ifTrue.index : ifFalse.index))
            }
        case .ret(let value):
            switch value {
            case .none:
                return PendingInstruction(DecodedInstruction(.retI, k: 0), loc)
            case .reg(let v)?:
                try checkRegister(v, f, loc)
                return PendingInstruction(DecodedInstruction(.retR, a: reg(v)), loc)
            case .imm(let k)?:
                return PendingInstruction(DecodedInstruction(.retI, k: f.resultType?.normalize(k) ?? k), loc)
            }
        case .trap(let kind):
            return PendingInstruction(DecodedInstruction(.trap, t: Int32(kind.code)), loc)
        }
    }

    // MARK: Specialisation

    func fastBinary(_ op: BinaryOp, _ t: IntType, _ dst: Var, _ lhs: Operand, _ rhs: Operand,
                            checked: Bool, _ f: Function, _ loc: SourceLoc) throws -> DecodedInstruction? {
        // Register on the left; an immediate left operand only for commutative operators.
        var l = lhs, r = rhs
        if case .imm = l, case .reg = r, op.isCommutative { swap(&l, &r) }
        guard case .reg(let a) = l else { return nil }
        try checkRegister(a, f, loc)
        if case .reg(let b) = r { try checkRegister(b, f, loc) }
        let d = reg(dst), ra = reg(a)
        let wide = t == .i64
        let shift = UInt8(64 - t.bits)
        func rr(_ op64: Opcode, _ opN: Opcode?) -> DecodedInstruction? {
            guard case .reg(let b) = r else { return nil }
            if wide { return DecodedInstruction(op64, d: d, a: ra, b: reg(b)) }
            guard let opN, t != .i1 else { return nil }
            return DecodedInstruction(opN, w: shift, d: d, a: ra, b: reg(b))
        }
        func ri(_ op64: Opcode, _ opN: Opcode?, _ k: (Int64) -> Int64 = { $0 }) -> DecodedInstruction? {
            guard case .imm(let c) = r else { return nil }
            let imm = t.normalize(k(t.normalize(c)))
            if wide { return DecodedInstruction(op64, d: d, a: ra, k: imm) }
            guard let opN, t != .i1 else { return nil }
            return DecodedInstruction(opN, w: shift, d: d, a: ra, k: imm)
        }
        if checked {
            guard wide else { return nil }
            switch op {
            case .add: return rr(.addChk64RR, nil) ?? ri(.addChk64RI, nil)
            case .sub: return rr(.subChk64RR, nil) ?? ri(.subChk64RI, nil)
            case .mul: return rr(.mulChk64RR, nil) ?? ri(.mulChk64RI, nil)
            default: break  // `checked` means nothing for the others
            }
        }
        switch op {
        case .add: return rr(.add64RR, .addNRR) ?? ri(.add64RI, .addNRI)
        case .sub: return rr(.sub64RR, .subNRR) ?? ri(.add64RI, .addNRI) { 0 &- $0 }
        case .mul: return rr(.mul64RR, .mulNRR) ?? ri(.mul64RI, .mulNRI)
        case .and, .or, .xor:
            // Bitwise operators keep values canonical at every width, i1 included.
            let (opRR, opRI): (Opcode, Opcode) = switch op {
            case .and: (.andRR, .andRI)
            case .or: (.orRR, .orRI)
            default: (.xorRR, .xorRI)
            }
            switch r {
            case .reg(let b): return DecodedInstruction(opRR, d: d, a: ra, b: reg(b))
            case .imm(let c): return DecodedInstruction(opRI, d: d, a: ra, k: t.normalize(c))
            }
        case .shl, .lshr, .ashr:
            guard case .imm(let c) = r else { return nil }
            let count = c & Int64(t.bits - 1)
            if count == 0 { return DecodedInstruction(.movR, d: d, a: ra) }
            switch op {
            case .shl: return DecodedInstruction(wide ? .shl64RI : .shlNRI, w: shift, d: d, a: ra, k: count)
            case .lshr: return DecodedInstruction(wide ? .lshr64RI : .lshrNRI, w: shift, d: d, a: ra, k: count)
            default: return DecodedInstruction(.ashrRI, d: d, a: ra, k: count)
            }
        case .sdiv, .srem:
            guard wide else { return nil }
            switch r {
            case .reg(let b):
                return DecodedInstruction(op == .sdiv ? .sdiv64RR : .srem64RR, d: d, a: ra, b: reg(b))
            case .imm(let c) where c != 0 && c != -1:
                return DecodedInstruction(op == .sdiv ? .sdiv64RI : .srem64RI, d: d, a: ra, k: c)
            case .imm:
                return nil
            }
        }
    }

    func fastCompare(_ pred: ComparePredicate, _ t: IntType, _ dst: Var, _ lhs: Operand, _ rhs: Operand,
                             in f: Function, loc: SourceLoc) throws -> DecodedInstruction? {
        // On canonical values Int64 order is the signed order and UInt64 order the
        // unsigned one, at every width; only i1's signed reading (1 is -1) differs.
        var p = pred, l = lhs, r = rhs
        if case .imm = l, case .reg = r { swap(&l, &r); p = p.swapped }
        if t == .i1 && [.slt, .sle, .sgt, .sge].contains(p) { return nil }
        guard case .reg(let a) = l else { return nil }
        try checkRegister(a, f, loc)
        try checkRegister(dst, f, loc)
        let index = UInt8(ComparePredicate.allCases.firstIndex(of: p)!)
        switch r {
        case .reg(let b):
            try checkRegister(b, f, loc)
            return DecodedInstruction(Opcode(rawValue: Opcode.eqRR.rawValue + index)!, d: reg(dst), a: reg(a), b: reg(b))
        case .imm(let c):
            return DecodedInstruction(Opcode(rawValue: Opcode.eqRI.rawValue + index)!, d: reg(dst), a: reg(a),
                                      k: t.normalize(c))
        }
    }

    func fastConvert(_ op: ConvertOp, from: IntType, to: IntType, dst: Int32, src: Int32) -> DecodedInstruction? {
        switch op {
        case .sext where from.bits <= to.bits && from != .i1:
            return DecodedInstruction(.movR, d: dst, a: src)
        case .zext where from.bits <= to.bits:
            if from == to || from == .i64 { return DecodedInstruction(.movR, d: dst, a: src) }
            return DecodedInstruction(.andRI, d: dst, a: src, k: Int64(from.mask))
        case .trunc where from.bits >= to.bits:
            switch to {
            case .i64: return DecodedInstruction(.movR, d: dst, a: src)
            case .i1: return DecodedInstruction(.andRI, d: dst, a: src, k: 1)
            default: return DecodedInstruction(.addNRI, w: UInt8(64 - to.bits), d: dst, a: src, k: 0)
            }
        default:
            return nil
        }
    }

    // MARK: Operands and checks

    func reg(_ v: Var) -> Int32 { Int32(v.index) }

    func type(of v: Var, _ f: Function, _ loc: SourceLoc) throws -> IntType {
        try checkRegister(v, f, loc)
        return f.type(of: v)
    }

    func checkRegister(_ v: Var, _ f: Function, _ loc: SourceLoc) throws {
        guard v.index >= 0 && v.index < f.registerTypes.count else {
            throw error(f, loc, "register \(v) is not declared")
        }
    }

    /// A general operand: the register, or the immediate normalised to `type` in the constant pool.
    mutating func operand(_ o: Operand, _ type: IntType, _ f: Function, _ loc: SourceLoc) throws -> Int32 {
        switch o {
        case .reg(let v):
            try checkRegister(v, f, loc)
            return OperandCode.register(v.index)
        case .imm(let k):
            let value = type.normalize(k)
            if let i = constantIndex[value] { return OperandCode.constant(i) }
            program.constants.append(value)
            constantIndex[value] = program.constants.count - 1
            return OperandCode.constant(program.constants.count - 1)
        }
    }
}
