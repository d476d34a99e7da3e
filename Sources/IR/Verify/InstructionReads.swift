extension Instruction {
    /// Calls `body` with each register `used` holds, in the same order, without
    /// building arrays: the verifier asks this of every instruction, and two
    /// allocations per instruction were most of its time on large functions.
    /// Must follow `operands` case by case (IRVerifierTests checks every case).
    func forEachRead(_ body: (Var) -> Void) {
        func read(_ o: Operand) { if case .reg(let v) = o { body(v) } }
        switch op {
        case .copy(_, let s), .unary(_, _, let s, _), .convert(_, _, let s, _):
            read(s)
        case .binary(_, _, let a, let b, _), .compare(_, _, _, let a, let b):
            read(a)
            read(b)
        case .select(_, let c, let t, let f):
            read(c)
            read(t)
            read(f)
        case .load(_, let base, _), .scan(_, let base, _, _, _), .probe(_, let base, _):
            body(base)
        case .store(_, let v, let base, _):
            read(v)
            body(base)
        case .call(_, _, let args), .hostCall(_, _, let args):
            for a in args { read(a) }
        case .trapIf(let c, _):
            read(c)
        case .enter, .leave:
            break
        }
    }
}
