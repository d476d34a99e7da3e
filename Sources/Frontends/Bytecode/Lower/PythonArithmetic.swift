import JitIR

/// Python's integer operators on int64, exactly where the results fit:
/// `//` and `%` round toward negative infinity, results that do not fit trap
/// `overflow` instead of wrapping, and Python's exceptions become traps.
/// Constant right operands get shorter code (shifts and masks for powers of
/// two, unrolled squaring for `**`).
extension FunctionLowering {
    /// `lhs o rhs` on i64 operands.
    mutating func binary(_ o: BinaryOp, _ lhs: Operand, _ rhs: Operand, checked: Bool = false) -> Operand {
        let lhs = bothImmediate(lhs, rhs) ? .reg(b.copy(.i64, lhs)) : lhs
        return .reg(b.binary(o, .i64, lhs, rhs, checked: checked))
    }

    /// An i1 register holding `lhs p rhs` on i64 operands.
    mutating func compare(_ p: ComparePredicate, _ lhs: Operand, _ rhs: Operand) -> Var {
        let lhs = bothImmediate(lhs, rhs) ? .reg(b.copy(.i64, lhs)) : lhs
        return b.compare(p, .i64, lhs, rhs)
    }

    mutating func select(_ cond: Var, _ a: Operand, _ c: Operand) -> Operand {
        let a = bothImmediate(a, c) ? .reg(b.copy(.i64, a)) : a
        return .reg(b.select(.i64, .reg(cond), a, c))
    }

    mutating func inRegister(_ o: Operand) -> Operand {
        if case .imm = o { return .reg(b.copy(.i64, o)) }
        return o
    }

    private func bothImmediate(_ a: Operand, _ c: Operand) -> Bool {
        if case .imm = a, case .imm = c { return true }
        return false
    }

    private mutating func both(_ x: Var, _ y: Var) -> Var { b.binary(.and, .i1, .reg(x), .reg(y)) }

    private mutating func either(_ x: Var, _ y: Var) -> Var { b.binary(.or, .i1, .reg(x), .reg(y)) }

    /// `lhs o rhs` with Python's meaning.
    mutating func pythonBinary(_ o: BinaryOperator, _ lhs: Operand, _ rhs: Operand) -> Operand {
        switch o {
        case .add: binary(.add, lhs, rhs, checked: true)
        case .subtract: binary(.sub, lhs, rhs, checked: true)
        case .multiply: binary(.mul, lhs, rhs, checked: true)
        case .and: binary(.and, lhs, rhs)
        case .or: binary(.or, lhs, rhs)
        case .xor: binary(.xor, lhs, rhs)
        case .floorDivide: floorDivide(lhs, rhs)
        case .remainder: remainder(lhs, rhs)
        case .power: power(lhs, rhs)
        case .leftShift: leftShift(lhs, rhs)
        case .rightShift: rightShift(lhs, rhs)
        }
    }

    /// Floor division. `sdiv` traps a zero divisor and `MIN // -1`; the quotient
    /// is then moved down by one when the remainder is non-zero and its sign
    /// differs from the divisor's.
    private mutating func floorDivide(_ a: Operand, _ d: Operand) -> Operand {
        if case .imm(let k) = d, k != 0 {
            if k == 1 { return a }
            if k == -1 { return .reg(b.unary(.neg, .i64, inRegister(a), checked: true)) }
            if k > 0 && k & (k - 1) == 0 { return binary(.ashr, a, .imm(Int64(k.trailingZeroBitCount))) }
            let q = binary(.sdiv, a, d)
            let r = binary(.sub, a, binary(.mul, q, d))
            let adjust = compare(k > 0 ? .slt : .sgt, r, .imm(0))
            return binary(.sub, q, .reg(b.convert(.zext, .reg(adjust), from: .i1, to: .i64)))
        }
        let q = binary(.sdiv, a, d)
        let r = binary(.sub, a, binary(.mul, q, d))
        let adjust = both(compare(.ne, r, .imm(0)), compare(.slt, binary(.xor, r, d), .imm(0)))
        return binary(.sub, q, .reg(b.convert(.zext, .reg(adjust), from: .i1, to: .i64)))
    }

    /// Modulo with the sign of the divisor: the truncating remainder, plus the
    /// divisor when the two signs differ and the remainder is non-zero.
    private mutating func remainder(_ a: Operand, _ d: Operand) -> Operand {
        if case .imm(let k) = d, k != 0 {
            if k == 1 || k == -1 { return .imm(0) }
            if k > 0 && k & (k - 1) == 0 { return binary(.and, a, .imm(k - 1)) }
            let r = binary(.srem, a, d)
            let adjust = compare(k > 0 ? .slt : .sgt, r, .imm(0))
            return select(adjust, binary(.add, r, d), r)
        }
        let r = binary(.srem, a, d)
        let adjust = both(compare(.ne, r, .imm(0)), compare(.slt, binary(.xor, r, d), .imm(0)))
        return select(adjust, binary(.add, r, d), r)
    }

    /// `a ** e` by squaring with checked multiplies. A base is squared only
    /// while exponent bits remain, so squaring overflows only when the result
    /// would too. A negative exponent gives a float in Python: trap
    /// `negative_power` (`0 ** -1` raises ZeroDivisionError: `division_by_zero`).
    private mutating func power(_ a: Operand, _ e: Operand) -> Operand {
        if case .imm(var k) = e, k >= 0 {
            if k == 0 { return .imm(1) }
            var result: Operand?
            var base = a
            while true {
                if k & 1 == 1 { result = result.map { binary(.mul, $0, base, checked: true) } ?? base }
                k >>= 1
                if k == 0 { break }
                base = binary(.mul, base, base, checked: true)
            }
            return result!
        }
        let e = inRegister(e)
        let negative = compare(.slt, e, .imm(0))
        b.trapIf(.reg(both(negative, compare(.eq, a, .imm(0)))), .divisionByZero)
        b.trapIf(.reg(negative), .negativePower)
        let result = b.copy(.i64, .imm(1)), base = b.copy(.i64, a), exponent = b.copy(.i64, e)
        let head = b.newBlock(), bit = b.newBlock(), multiply = b.newBlock(), shift = b.newBlock()
        let square = b.newBlock(), done = b.newBlock()
        b.jump(head)
        b.position(at: head)
        b.branch(.reg(compare(.sgt, .reg(exponent), .imm(0))), bit, done)
        b.position(at: bit)
        let low = binary(.and, .reg(exponent), .imm(1))
        b.branch(.reg(compare(.ne, low, .imm(0))), multiply, shift)
        b.position(at: multiply)
        b.append(.binary(.mul, dst: result, lhs: .reg(result), rhs: .reg(base), checked: true))
        b.jump(shift)
        b.position(at: shift)
        b.append(.binary(.ashr, dst: exponent, lhs: .reg(exponent), rhs: .imm(1), checked: false))
        b.branch(.reg(compare(.sgt, .reg(exponent), .imm(0))), square, done)
        b.position(at: square)
        b.append(.binary(.mul, dst: base, lhs: .reg(base), rhs: .reg(base), checked: true))
        b.jump(head)
        b.position(at: done)
        return .reg(result)
    }

    /// `a << n`: a negative count traps `negative_shift`; losing any bit
    /// (the sign included) traps `overflow`, so only 0 survives counts of 64 and more.
    private mutating func leftShift(_ a: Operand, _ n: Operand) -> Operand {
        if case .imm(let k) = n, (0...63).contains(k) {
            if k == 0 { return a }
            let shifted = binary(.shl, a, n)
            b.trapIf(.reg(compare(.ne, binary(.ashr, shifted, n), a)), .overflow)
            return shifted
        }
        let n = inRegister(n)
        b.trapIf(.reg(compare(.slt, n, .imm(0))), .negativeShift)
        let shifted = binary(.shl, a, n)
        let lost = compare(.ne, binary(.ashr, shifted, n), a)
        let tooFar = both(compare(.sgt, n, .imm(63)), compare(.ne, a, .imm(0)))
        b.trapIf(.reg(either(lost, tooFar)), .overflow)
        return shifted
    }

    /// `a >> n`: a negative count traps `negative_shift`; counts of 64 and more give 0 or -1.
    private mutating func rightShift(_ a: Operand, _ n: Operand) -> Operand {
        if case .imm(let k) = n, k >= 0 {
            return k == 0 ? a : binary(.ashr, a, .imm(min(k, 63)))
        }
        let n = inRegister(n)
        b.trapIf(.reg(compare(.slt, n, .imm(0))), .negativeShift)
        let count = select(compare(.sgt, n, .imm(63)), .imm(63), n)
        return binary(.ashr, a, count)
    }

    /// `abs`, `min` and `max` of int64 arguments.
    mutating func builtinCall(_ f: BuiltinFunction, _ args: [Operand]) -> Operand {
        switch f {
        case .abs:
            let x = inRegister(args[0])
            let negated = Operand.reg(b.unary(.neg, .i64, x, checked: true))  // traps only for MIN
            return select(compare(.slt, x, .imm(0)), negated, x)
        case .min, .max:
            // Python keeps the first of equal extremes; equal ints are indistinguishable.
            var best = args[0]
            for v in args.dropFirst() {
                let better = compare(f == .min ? .slt : .sgt, v, best)
                best = select(better, v, best)
            }
            return best
        }
    }
}
