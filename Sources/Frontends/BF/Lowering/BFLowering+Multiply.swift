import JitIR

/// Multiply loops (`BFMultiply`): with a branch on the counter, without one (`emitBranchFreeMultiply`),
/// or with none needed when the counter is known not to be 0.
extension BFLowering {
    /// See `BFMultiply`: when the counter is not 0, check the other cells in
    /// the order the first iteration touches them, then add `factor × count`
    /// (negated when the counter counts up) to each and clear the counter.
    ///
    /// With `countIsNonZero` (the loop test just read the counter), the multiply runs for sure:
    /// no test, and what it checks stays known after it (counter's `[[>>+<<-]>>-[<<]]`).
    mutating func emitMultiply(_ m: BFMultiply, countIsNonZero: Bool = false) {
        check(m.offset, m.open, accessFollows: true)
        let targets = m.targets
        // A sure multiply goes without a branch even where `branchFree` says no; with every
        // target on the tape, the branch-free form needs no select either, and stores zero targets.
        let allOnTape = targets.allSatisfy { onTape(m.offset + $0.offset) }
        if branchFree(m, targets) && (allOnTape || !countIsNonZero) {
            return emitBranchFreeMultiply(m, targets)
        }
        if countIsNonZero {
            b.loc = m.open
            b.append(.copy(dst: reg(.count), src: .reg(cellValue(m.offset))))
            return emitMultiplyRun(m, targets)
        }
        testCell(m.offset, m.open, counter: true)
        let head = b.current
        let run = b.newBlock("mul\(b.function.blocks.count)")
        let before = known
        let cachedAtHead = cellCache
        b.position(at: run)
        emitMultiplyRun(m, targets)
        rejoinCells(cachedAtHead)
        let exit = b.newBlock("exit\(b.function.blocks.count)")
        b.jump(exit)
        b.position(at: head)
        b.loc = m.open
        b.branch(.reg(reg(.condition)), run, exit)
        b.position(at: exit)
        known = before
        cellCache = cachedAtHead.intersection(cellCache)
    }

    /// A multiply whose counter, in the `.count` register, is not 0: the checks in the order
    /// the first iteration touches the cells, the adds, and the counter cleared.
    private mutating func emitMultiplyRun(_ m: BFMultiply, _ targets: [(offset: Int, factor: Int, loc: SourceLoc)]) {
        var applied: [Int: Int] = [:]  // first-iteration deltas so far, by offset from the counter
        var stored: [Int: Int] = [:]   // those of them already written to the tape
        var order: [Int] = []
        for t in m.terms {
            if applied[t.offset] == nil {
                let target = m.offset + t.offset
                let writes = order.compactMap { o -> (Int, Int64)? in
                    let amount = normalized(applied[o]! - stored[o, default: 0])
                    return amount == 0 ? nil : (m.offset + o, amount)
                }
                if !writes.isEmpty && guardWouldCatch(target) {
                    // Writing the first iteration's effects so far for real leaves the tape as a
                    // trap here must: the access of the new cell can then be left to the guards.
                    for (o, amount) in writes { addToCell(o, .imm(amount), m.open) }
                    for o in order { stored[o] = applied[o] }
                }
                if writes.isEmpty || guardWouldCatch(target) {
                    // Nothing (more) to undo if it misses the tape: loading the cell (into the
                    // register its update uses) can be the access the guard regions catch.
                    check(target, t.loc, accessFollows: true)
                    b.loc = t.loc
                    _ = cellValue(target)
                } else {
                    check(target, t.loc, after: writes)
                }
                order.append(t.offset)
            }
            applied[t.offset, default: 0] += t.delta
        }

        let count = reg(.count)
        for t in targets {
            addMultiple(normalized(-m.step * t.factor), of: count, toCell: m.offset + t.offset, t.loc)
        }
        // Take back what the first iteration's writes above added (the counter becomes 0 anyway).
        for o in order where o != 0 {
            let written = normalized(-stored[o, default: 0])
            if written != 0 { addToCell(m.offset + o, .imm(written), m.open) }
        }
        b.loc = m.open
        b.store(cellType, .imm(0), base: pointer, offset: address(m.offset))
        cellCache.forget(m.offset)
    }

    /// Whether `cell[p + offset]` is known to be on the tape here (checked, or held in a register).
    func onTape(_ offset: Int) -> Bool {
        eliminateChecks && (known.contains(offset) || cellCache.holds(offset))
    }

    /// Whether `emitBranchFreeMultiply` may do `m`: every target is known to be on the tape, but
    /// for at most one that the guard regions cover.
    private mutating func branchFree(_ m: BFMultiply, _ targets: [(offset: Int, factor: Int, loc: SourceLoc)]) -> Bool {
        guard eliminateChecks else { return false }
        let unknown = targets.filter { !onTape(m.offset + $0.offset) }
        if unknown.count == 1, let step = loopStep(), step != 0, unknown[0].offset == step {
            // The target is the cell this multiply counts with in the next iteration (life's
            // `[-[>>>>+<<<<-]>>>>]` walks): its address would wait for the select on this
            // iteration's count, and the next iteration's count for that address. A branch on
            // the count, taken but on the last iteration, costs less (life runs 1.6× faster).
            return false
        }
        return unknown.count == 0 || (unknown.count == 1 && guardCovers(m.offset + unknown[0].offset))
    }

    /// A multiply without a branch on its count: each target gets `factor × count` added
    /// whatever the count. A count of 0 adds 0 to cells known to be on the tape, which changes
    /// nothing and cannot trap. Multiplies over cells that hold 0 or 1 (mandelbrot's binary
    /// digits) thus cost no mispredicted branch.
    ///
    /// At most one target may be unknown (`branchFree`). Its access goes through a base that
    /// a `select` points at the counter cell when the count is 0, so that the original's
    /// untouched cell stays untouched. When the count is not 0 and that cell is off the tape,
    /// the access traps at its own position in a guard region, after the first iteration's
    /// writes of the cells touched before it have been written for real (and are taken back
    /// at the end when nothing traps), as in `emitMultiply`.
    private mutating func emitBranchFreeMultiply(_ m: BFMultiply, _ targets: [(offset: Int, factor: Int, loc: SourceLoc)]) {
        b.loc = m.open
        let count = reg(.count)
        b.append(.copy(dst: count, src: .reg(cellValue(m.offset))))
        let unknown = targets.first { !onTape(m.offset + $0.offset) }.map { $0.offset }
        var taken: [(offset: Int, amount: Int)] = []
        if let u = unknown {
            // The first iteration's writes before the unknown cell's first touch.
            var applied: [Int: Int] = [:]
            var order: [Int] = []
            for t in m.terms {
                if t.offset == u { break }
                if applied[t.offset] == nil { order.append(t.offset) }
                applied[t.offset, default: 0] += t.delta
            }
            for o in order {
                let amount = normalized(applied[o]!)
                guard amount != 0 else { continue }
                addToCell(m.offset + o, .imm(amount), m.open)
                if o != 0 { taken.append((o, applied[o]!)) }
            }
            let target = m.offset + u
            let t = targets.first { $0.offset == u }!
            b.loc = t.loc
            // Registers of their own: short lives that the x86 allocator keeps out of memory.
            let cond = b.newRegister(.i1), base = b.newRegister(.i64), value = b.newRegister(cellType)
            b.append(.binary(.add, dst: base, lhs: .reg(pointer), rhs: .imm(bytes(m.offset - target)), checked: false))
            b.append(.compare(.ne, type: cellType, dst: cond, lhs: .reg(count), rhs: .imm(0)))
            b.append(.select(dst: base, cond: .reg(cond), ifTrue: .reg(pointer), ifFalse: .reg(base)))
            b.append(.probe(type: cellType, base: base, offset: address(target)))
            b.append(.load(dst: value, base: base, offset: address(target)))
            let k = normalized(-m.step * t.factor)
            if k == 1 || k == -1 {
                b.append(.binary(k == 1 ? .add : .sub, dst: value, lhs: .reg(value), rhs: .reg(count), checked: false))
            } else if k != 0 {
                let product = reg(.product)
                b.append(.binary(.mul, dst: product, lhs: .reg(count), rhs: .imm(k), checked: false))
                b.append(.binary(.add, dst: value, lhs: .reg(value), rhs: .reg(product), checked: false))
            }
            b.store(cellType, .reg(value), base: base, offset: address(target))
            // The counter may have been read and written through that base.
            cellCache.forget(target)
            cellCache.forget(m.offset)
        }
        var storedOver: [Int] = []  // zero targets whose new value was stored, not added
        for t in targets where t.offset != unknown {
            let k = normalized(-m.step * t.factor)
            if m.zeroTargets.contains(t.offset) {
                // The cell holds 0: its new value is the product alone, stored without a load
                // and kept in a register for what reads it next. A product of 0 stores
                // nothing: a first-iteration write to the cell is then taken back below.
                guard k != 0 else { continue }
                storedOver.append(t.offset)
                b.loc = t.loc
                let value = cellRegister(m.offset + t.offset)
                if k == 1 {
                    b.append(.copy(dst: value, src: .reg(count)))
                } else {
                    b.append(.binary(.mul, dst: value, lhs: .reg(count), rhs: .imm(k), checked: false))
                }
                b.store(cellType, .reg(value), base: pointer, offset: address(m.offset + t.offset))
            } else {
                addMultiple(k, of: count, toCell: m.offset + t.offset, t.loc)
            }
        }
        // A cell known to hold 0 got its value stored, over any first-iteration write.
        for (o, amount) in taken where !storedOver.contains(o) {
            addToCell(m.offset + o, .imm(normalized(-amount)), m.open)
        }
        b.loc = m.open
        b.store(cellType, .imm(0), base: pointer, offset: address(m.offset))
        cellCache.forget(m.offset)
    }
}
