import JitIR

extension BFLowering {
    /// A divmod idiom (`BFDivmod`): after the loop's own test of its counter, tests that the
    /// closed form applies (cells on the tape, zero cells 0, divisor cell not 0, divisor plus
    /// remainder neither 0 nor the spelling's failing sum), then either computes it with one division or runs the
    /// original loop. The tests read cells the loop would read anyway, and trap nowhere: a
    /// window that misses the tape goes to the original loop, which traps where it always did.
    mutating func emitDivmod(_ d: BFDivmod) {
        check(0, d.open, accessFollows: true)
        b.loc = d.open
        // The scratch registers: only a few registers may live across blocks (the x86 allocator).
        let entered = reg(.condition)
        b.append(.compare(.ne, type: cellType, dst: entered, lhs: .reg(cellValue(0)), rhs: .imm(0)))
        let before = known
        let exit = b.newBlock("exit\(b.function.blocks.count)")
        let original = b.newBlock("divmod.loop\(b.function.blocks.count)")
        let tests = b.newBlock("divmod\(b.function.blocks.count)")
        b.branch(.reg(entered), tests, exit)

        b.position(at: tests)
        let failed = reg(.condition)
        for edge in [d.window.lowerBound, d.window.upperBound] where !onTape(edge) {
            let addr = reg(.address)
            b.append(.binary(.add, dst: addr, lhs: .reg(pointer), rhs: .imm(address(edge - hooks.guardCells)), checked: false))
            b.append(.compare(.ugt, type: .i64, dst: failed, lhs: .reg(addr), rhs: .imm(lastCell)))
            branch(if: failed, to: original)
        }
        for z in d.zeroCells {
            let value = b.newRegister(cellType)
            b.append(.load(dst: value, base: pointer, offset: address(z)))
            b.append(.compare(.ne, type: cellType, dst: failed, lhs: .reg(value), rhs: .imm(0)))
            branch(if: failed, to: original)
        }
        let q = reg(.value), r = reg(.count), sum = reg(.product)
        b.append(.load(dst: q, base: pointer, offset: address(d.divisor)))
        b.append(.load(dst: r, base: pointer, offset: address(d.remainder)))
        b.append(.compare(.eq, type: cellType, dst: failed, lhs: .reg(q), rhs: .imm(0)))
        branch(if: failed, to: original)
        b.append(.binary(.add, dst: sum, lhs: .reg(q), rhs: .reg(r), checked: false))
        for bad in Set([0, d.failingSum]).sorted() {
            b.append(.compare(.eq, type: cellType, dst: failed, lhs: .reg(sum), rhs: .imm(Int64(bad))))
            branch(if: failed, to: original)
        }
        emitDivmodClosedForm(d, q: q, r: r, sum: sum)
        b.jump(exit)

        b.position(at: original)
        known = before
        emit(d.loop)
        let afterLoop = known  // within `before`: the original loop starts from it
        b.jump(exit)
        b.position(at: exit)
        known = afterLoop
        cellCache = .empty
    }

    /// The counter `n`, not 0, and `sum` = divisor + remainder, not 0: when `n < q`,
    /// `q -= n` and `r += n`; else, with `m = n - q`, `q = sum - m % sum`, `r = m % sum` and
    /// `c += m / sum + 1`. The copy cell, if any, gets `n` added; then the counter becomes 0.
    private mutating func emitDivmodClosedForm(_ d: BFDivmod, q: Var, r: Var, sum: Var) {
        let n = cellValue(0)
        let few = reg(.condition)
        b.append(.compare(.ult, type: cellType, dst: few, lhs: .reg(n), rhs: .reg(q)))
        let fewer = b.newBlock(), more = b.newBlock(), done = b.newBlock()
        b.branch(.reg(few), fewer, more)

        b.position(at: fewer)
        let q1 = b.newRegister(cellType), r1 = b.newRegister(cellType)
        b.append(.binary(.sub, dst: q1, lhs: .reg(q), rhs: .reg(n), checked: false))
        b.append(.binary(.add, dst: r1, lhs: .reg(r), rhs: .reg(n), checked: false))
        b.store(cellType, .reg(q1), base: pointer, offset: address(d.divisor))
        b.store(cellType, .reg(r1), base: pointer, offset: address(d.remainder))
        b.jump(done)

        b.position(at: more)
        let s = widened(sum), m = b.newRegister(.i64), quotient = b.newRegister(.i64)
        let rest = b.newRegister(.i64), q2 = b.newRegister(.i64), c = b.newRegister(cellType)
        b.append(.binary(.sub, dst: m, lhs: .reg(widened(n)), rhs: .reg(widened(q)), checked: false))
        b.append(.binary(.sdiv, dst: quotient, lhs: .reg(m), rhs: .reg(s), checked: false))
        b.append(.binary(.srem, dst: rest, lhs: .reg(m), rhs: .reg(s), checked: false))
        b.append(.binary(.sub, dst: q2, lhs: .reg(s), rhs: .reg(rest), checked: false))
        storeNarrowed(q2, to: d.divisor)
        storeNarrowed(rest, to: d.remainder)
        b.append(.load(dst: c, base: pointer, offset: address(d.quotient)))
        let c64 = widened(c)
        b.append(.binary(.add, dst: c64, lhs: .reg(c64), rhs: .reg(quotient), checked: false))
        b.append(.binary(.add, dst: c64, lhs: .reg(c64), rhs: .imm(1), checked: false))
        storeNarrowed(c64, to: d.quotient)
        b.jump(done)

        b.position(at: done)
        if let copy = d.copy { addToCell(copy, .reg(n), d.open) }
        b.store(cellType, .imm(0), base: pointer, offset: address(0))
    }

    /// Goes on in a new block, or to `target` when `condition` holds.
    private mutating func branch(if condition: Var, to target: BlockRef) {
        let next = b.newBlock()
        b.branch(.reg(condition), target, next)
        b.position(at: next)
    }

    /// A new i64 register holding the cell-typed `value`, zero-extended.
    private mutating func widened(_ value: Var) -> Var {
        let wide = b.newRegister(.i64)
        b.append(.convert(.zext, dst: wide, src: .reg(value), from: cellType))
        return wide
    }

    /// Stores the low bits of the i64 `value` to `cell[p + offset]`.
    private mutating func storeNarrowed(_ value: Var, to offset: Int) {
        let cell = b.newRegister(cellType)
        b.append(.convert(.trunc, dst: cell, src: .reg(value), from: .i64))
        b.store(cellType, .reg(cell), base: pointer, offset: address(offset))
    }
}
