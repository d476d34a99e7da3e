extension Op {
    /// The same operation with every register, read or written, replaced by `rename(register)`.
    public func renamingRegisters(_ rename: (Var) -> Var) -> Op {
        func o(_ x: Operand) -> Operand { x.register.map { .reg(rename($0)) } ?? x }
        switch self {
        case .copy(let d, let s): return .copy(dst: rename(d), src: o(s))
        case .binary(let k, let d, let a, let b, let c): return .binary(k, dst: rename(d), lhs: o(a), rhs: o(b), checked: c)
        case .unary(let k, let d, let s, let c): return .unary(k, dst: rename(d), src: o(s), checked: c)
        case .compare(let p, let t, let d, let a, let b): return .compare(p, type: t, dst: rename(d), lhs: o(a), rhs: o(b))
        case .select(let d, let c, let a, let b): return .select(dst: rename(d), cond: o(c), ifTrue: o(a), ifFalse: o(b))
        case .convert(let k, let d, let s, let from): return .convert(k, dst: rename(d), src: o(s), from: from)
        case .load(let d, let base, let off): return .load(dst: rename(d), base: rename(base), offset: off)
        case .store(let t, let v, let base, let off): return .store(type: t, value: o(v), base: rename(base), offset: off)
        case .call(let d, let callee, let args): return .call(dst: d.map(rename), callee: callee, args: args.map(o))
        case .hostCall(let h, let d, let args): return .hostCall(h, dst: d.map(rename), args: args.map(o))
        case .trapIf(let c, let kind): return .trapIf(cond: o(c), kind: kind)
        case .scan(let d, let start, let t, let step, let limit):
            return .scan(dst: rename(d), start: rename(start), type: t, step: step, limit: limit)
        case .probe(let t, let base, let off): return .probe(type: t, base: rename(base), offset: off)
        case .enter, .leave: return self
        }
    }
}

extension Op {
    /// The same operation with every register it reads (operands and memory bases) replaced by
    /// `rename(register)`; the register it writes stays.
    public func renamingReads(_ rename: (Var) -> Var) -> Op {
        func o(_ x: Operand) -> Operand { x.register.map { .reg(rename($0)) } ?? x }
        switch self {
        case .copy(let d, let s): return .copy(dst: d, src: o(s))
        case .binary(let k, let d, let a, let b, let c): return .binary(k, dst: d, lhs: o(a), rhs: o(b), checked: c)
        case .unary(let k, let d, let s, let c): return .unary(k, dst: d, src: o(s), checked: c)
        case .compare(let p, let t, let d, let a, let b): return .compare(p, type: t, dst: d, lhs: o(a), rhs: o(b))
        case .select(let d, let c, let a, let b): return .select(dst: d, cond: o(c), ifTrue: o(a), ifFalse: o(b))
        case .convert(let k, let d, let s, let from): return .convert(k, dst: d, src: o(s), from: from)
        case .load(let d, let base, let off): return .load(dst: d, base: rename(base), offset: off)
        case .store(let t, let v, let base, let off): return .store(type: t, value: o(v), base: rename(base), offset: off)
        case .call(let d, let callee, let args): return .call(dst: d, callee: callee, args: args.map(o))
        case .hostCall(let h, let d, let args): return .hostCall(h, dst: d, args: args.map(o))
        case .trapIf(let c, let kind): return .trapIf(cond: o(c), kind: kind)
        case .scan(let d, let start, let t, let step, let limit):
            return .scan(dst: d, start: rename(start), type: t, step: step, limit: limit)
        case .probe(let t, let base, let off): return .probe(type: t, base: rename(base), offset: off)
        case .enter, .leave: return self
        }
    }
}

extension Terminator {
    /// The same terminator with its register operand replaced by `rename(register)`.
    public func renamingRegisters(_ rename: (Var) -> Var) -> Terminator {
        func o(_ x: Operand) -> Operand { x.register.map { .reg(rename($0)) } ?? x }
        switch self {
        case .branch(let c, let t, let f): return .branch(cond: o(c), ifTrue: t, ifFalse: f)
        case .ret(let v): return .ret(v.map(o))
        case .jump, .trap: return self
        }
    }
}
