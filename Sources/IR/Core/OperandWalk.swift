/// Allocation-free walks over the registers an instruction reads. (`Instruction.operands`
/// builds an array on every call, which dominates a compiler that runs in microseconds, and
/// the verifier that checks every instruction.)
extension Op {
    /// Calls `body` with each operand, in order (as `Instruction.operands` lists them).
    @inlinable
    public func forEachOperand(_ body: (Operand) -> Void) {
        switch self {
        case .copy(_, let s), .unary(_, _, let s, _), .convert(_, _, let s, _):
            body(s)
        case .binary(_, _, let a, let b, _), .compare(_, _, _, let a, let b):
            body(a)
            body(b)
        case .select(_, let c, let t, let f):
            body(c)
            body(t)
            body(f)
        case .load(_, let base, _), .scan(_, let base, _, _, _), .probe(_, let base, _):
            body(.reg(base))
        case .store(_, let v, let base, _):
            body(v)
            body(.reg(base))
        case .call(_, _, let args), .hostCall(_, _, let args):
            for a in args { body(a) }
        case .trapIf(let c, _):
            body(c)
        case .enter, .leave:
            break
        }
    }

    /// Calls `body` with each register operand and its position among the operands.
    @inlinable
    public func forEachRegister(_ body: (Int, Var) -> Void) {
        var i = 0
        forEachOperand { o in
            if case .reg(let v) = o { body(i, v) }
            i += 1
        }
    }
}

extension Terminator {
    /// Calls `body` with each successor block index (without building an array).
    @inlinable
    public func forEachSuccessor(_ body: (Int) -> Void) {
        switch self {
        case .jump(let b): body(b.index)
        case .branch(_, let t, let f):
            body(t.index)
            body(f.index)
        case .ret, .trap: break
        }
    }

    /// The register the terminator reads, if any.
    @inlinable
    public var readRegister: Var? {
        switch self {
        case .branch(.reg(let v), _, _), .ret(.reg(let v)?): v
        default: nil
        }
    }
}
