import JitIR

extension BFLowering {
    /// Whether `emitLadder` can do `ladder` in this cell width: every rung must be reachable by
    /// a count below 2^bits, so that comparisons with rung numbers stay exact.
    func fitsCellWidth(_ ladder: Ladder) -> Bool {
        ladder.rungs.count + 1 < 1 << min(cellBytes * 8, 62)
    }

    /// The body of a `Ladder`'s outermost loop, entered with the counter (cell 0) not 0.
    ///
    /// First the checks, in the order the original touches the cells; then what each cell gains
    /// as a function of k, without a branch; then the counter's 0.
    ///
    /// A cell that only a later rung or the tail touches is touched only when k reaches that
    /// level. Unless it is known to be on the tape, its check and its update go through a base
    /// that a `select` points at the counter below that level: the counter then passes the
    /// check and gains 0. A failed check first writes, in a cold block, what the original had
    /// written when it reached that cell (`Ladder.Touch`).
    mutating func emitLadder(_ ladder: Ladder, _ open: SourceLoc) {
        b.loc = open
        let rungCount = ladder.rungs.count
        // Registers of their own: the cell registers are reused as cells are loaded.
        let n = b.newRegister(cellType)
        b.append(.copy(dst: n, src: .reg(cellValue(0))))
        var values = LadderValues(k: n)
        if ladder.step == 1 {
            values.k = b.newRegister(cellType)
            b.append(.unary(.neg, dst: values.k, src: .reg(n), checked: false))
        }
        var iterations: Var?
        if case .multiply(let m) = ladder.tail.clear {
            // The counter as the tail's multiply finds it, then the multiply's iteration count.
            let v = b.newRegister(cellType)
            let shift = normalized(rungCount * ladder.step + ladder.tailShift)
            if m.step == 1 {
                b.append(.binary(.sub, dst: v, lhs: .imm(normalized(-Int(shift))), rhs: .reg(n), checked: false))
            } else if shift != 0 {
                b.append(.binary(.add, dst: v, lhs: .reg(n), rhs: .imm(shift), checked: false))
            } else {
                b.append(.copy(dst: v, src: .reg(n)))
            }
            iterations = v
        }

        let touches = ladder.touches
        var bases: [Int: Var] = [:]
        // What the checks below wrote to the tape for real, by offset (the counter's at 0).
        var written: [Int: Int] = [:]
        for t in touches {
            if t.level == 1 {
                let writes = Self.unwritten(t.added, written)
                if t.stored.isEmpty && !writes.isEmpty && guardWouldCatch(t.offset) {
                    // Written for real, the rung's effects so far leave the tape as a trap at this
                    // cell must: its access can be left to the guard regions.
                    for (o, amount) in writes {
                        addToCell(o, .imm(normalized(amount)), t.loc)
                        written[o, default: 0] += amount
                    }
                }
                if t.stored.isEmpty && Self.unwritten(t.added, written).isEmpty {
                    check(t.offset, t.loc, accessFollows: true)
                    b.loc = t.loc
                    _ = cellValue(t.offset)
                } else {
                    let partial = Self.unwritten(t.added, written)
                    check(t.offset, t.loc, writingFirst: { $0.writeLadderState(t, partial, iterations) })
                }
                continue
            }
            if onTape(t.offset) { continue }
            b.loc = t.loc
            let base = b.newRegister(.i64)
            b.append(.binary(.add, dst: base, lhs: .reg(pointer), rhs: .imm(bytes(-t.offset)), checked: false))
            b.append(.select(dst: base, cond: .reg(kAbove(t.level - 1, &values)), ifTrue: .reg(pointer), ifFalse: .reg(base)))
            let partial = Self.unwritten(t.added, written)
            trapInColdBlock(if: outOfRange(t.offset, base: base), at: t.loc) { $0.writeLadderState(t, partial, iterations) }
            bases[t.offset] = base
        }

        for t in touches {
            let (amounts, firstStore) = ladder.steps(of: t.offset)
            let tail = ladder.tailEffect(t.offset)
            let already = written[t.offset, default: 0]
            let gain = ladderGain(amounts, tail: tail.stores ? (0, 0) : (tail.constant, tail.factor), rungs: rungCount,
                                  iterations, less: firstStore == nil ? already : 0, &values)
            if firstStore == nil && gain == nil && !tail.stores { continue }
            b.loc = t.loc
            let base = bases[t.offset] ?? pointer
            let value: Var
            if firstStore == 1 {
                // Stored to by the first rung, which always runs: the cell's value does not matter.
                value = bases[t.offset] == nil ? cellRegister(t.offset) : b.newRegister(cellType)
                b.append(.copy(dst: value, src: gain ?? .imm(0)))
            } else {
                if bases[t.offset] == nil {
                    value = cellValue(t.offset)
                } else {
                    value = b.newRegister(cellType)
                    b.append(.load(dst: value, base: base, offset: address(t.offset)))
                }
                if let firstStore {
                    // From the first rung that stores to it, the cell's old value no longer counts.
                    if already != 0 {
                        b.append(.binary(.add, dst: value, lhs: .reg(value), rhs: .imm(normalized(-already)), checked: false))
                    }
                    b.append(.select(dst: value, cond: .reg(kAbove(firstStore - 1, &values)), ifTrue: .imm(0), ifFalse: .reg(value)))
                }
                if let gain { b.append(.binary(.add, dst: value, lhs: .reg(value), rhs: gain, checked: false)) }
            }
            if tail.stores {
                // The tail leaves the cell its own value when it runs.
                var stored = Operand.imm(normalized(tail.constant))
                if let iterations, let term = multiple(normalized(tail.factor), of: iterations) {
                    b.append(.binary(.add, dst: term, lhs: .reg(term), rhs: stored, checked: false))
                    stored = .reg(term)
                }
                b.append(.select(dst: value, cond: .reg(kAbove(rungCount, &values)), ifTrue: stored, ifFalse: .reg(value)))
            }
            b.store(cellType, .reg(value), base: base, offset: address(t.offset))
            if bases[t.offset] != nil { cellCache.forget(t.offset) }
        }
        b.loc = open
        b.store(cellType, .imm(0), base: pointer, offset: address(0))
        cellCache.forget(0)
    }

    /// `added` less what was `written` for real already, by offset, without the zeros.
    private static func unwritten(_ added: [Int: Int], _ written: [Int: Int]) -> [(offset: Int, amount: Int)] {
        added.sorted { $0.key < $1.key }.compactMap { o, d in
            let amount = d - written[o, default: 0]
            return amount == 0 ? nil : (o, amount)
        }
    }

    /// What the original had written when it reached `touch`, on top of what the ladder has
    /// written for real so far (`added`, the adds not yet written): for a trap there.
    private mutating func writeLadderState(_ touch: Ladder.Touch, _ added: [(offset: Int, amount: Int)], _ iterations: Var?) {
        b.loc = touch.loc
        for (o, value) in touch.stored.sorted(by: { $0.key < $1.key }) {
            b.store(cellType, .imm(normalized(value)), base: pointer, offset: address(o))
            cellCache.forget(o)
        }
        for (o, amount) in added { addToCell(o, .imm(normalized(amount)), touch.loc) }
        if let iterations {
            for (o, f) in touch.multiplied.sorted(by: { $0.key < $1.key }) {
                addMultiple(normalized(f), of: iterations, toCell: o, touch.loc)
            }
        }
        if touch.cleared {
            b.store(cellType, .imm(0), base: pointer, offset: address(0))
            cellCache.forget(0)
        }
    }

    /// What a cell gains over the rungs (`amounts`, see `Ladder.steps`) and the tail, less
    /// `written`, or nil when that is always 0. Runs of rungs that add the same amount cost one
    /// clamp of k; the tail's gain is selected when k passes the last rung.
    private mutating func ladderGain(_ amounts: [Int], tail: (constant: Int, factor: Int), rungs rungCount: Int,
                                     _ iterations: Var?, less written: Int, _ values: inout LadderValues) -> Operand? {
        var constant = normalized(-written)
        var terms: [Var] = []
        var first = 1
        while first <= rungCount {
            let segment = Ladder.segment(of: amounts, from: first)
            defer { first = segment.last + 1 }
            let (p, q) = (normalized(segment.amount), normalized(segment.alternate ?? segment.amount))
            guard p != 0 || q != 0 else { continue }
            if segment.last == 1 {
                constant += p  // rung 1 always runs
                continue
            }
            if first == segment.last {
                let term = b.newRegister(cellType)
                b.append(.select(dst: term, cond: .reg(kAbove(first - 1, &values)), ifTrue: .imm(p), ifFalse: .imm(0)))
                terms.append(term)
                continue
            }
            // How many rungs of the segment run: min(k, last) - (first - 1), or 0 below it.
            let ran = kAtMost(segment.last, &values)
            var count = ran
            if first > 1 {
                count = b.newRegister(cellType)
                b.append(.binary(.sub, dst: count, lhs: .reg(ran), rhs: .imm(normalized(first - 1)), checked: false))
                b.append(.select(dst: count, cond: .reg(kAbove(first - 1, &values)), ifTrue: .reg(count), ifFalse: .imm(0)))
            }
            // p on each of them, and q - p more on every second one.
            if let term = multiple(p, of: count) { terms.append(term) }
            if q != p {
                let half = b.newRegister(cellType)
                b.append(.binary(.lshr, dst: half, lhs: .reg(count), rhs: .imm(1), checked: false))
                if let term = multiple(normalized(Int(q - p)), of: half) { terms.append(term) }
            }
        }
        // The tail's gain, when k passes the last rung.
        let tailConstant = normalized(tail.constant)
        var tailGain: Operand? = tailConstant == 0 ? nil : .imm(tailConstant)
        if let iterations, let product = multiple(normalized(tail.factor), of: iterations) {
            if tailConstant != 0 {
                b.append(.binary(.add, dst: product, lhs: .reg(product), rhs: .imm(tailConstant), checked: false))
            }
            tailGain = .reg(product)
        }
        if let tailGain {
            let term = b.newRegister(cellType)
            b.append(.select(dst: term, cond: .reg(kAbove(rungCount, &values)), ifTrue: tailGain, ifFalse: .imm(0)))
            terms.append(term)
        }
        constant = normalized(Int(constant))
        guard let sum = terms.first else { return constant == 0 ? nil : .imm(constant) }
        for term in terms.dropFirst() {
            b.append(.binary(.add, dst: sum, lhs: .reg(sum), rhs: .reg(term), checked: false))
        }
        if constant != 0 { b.append(.binary(.add, dst: sum, lhs: .reg(sum), rhs: .imm(constant), checked: false)) }
        return .reg(sum)
    }

    /// `factor × value` in a new register; nil for a factor of 0.
    private mutating func multiple(_ factor: Int64, of value: Var) -> Var? {
        guard factor != 0 else { return nil }
        let term = b.newRegister(cellType)
        if factor == 1 {
            b.append(.copy(dst: term, src: .reg(value)))
        } else if factor == normalized(-1) {
            b.append(.unary(.neg, dst: term, src: .reg(value), checked: false))
        } else {
            b.append(.binary(.mul, dst: term, lhs: .reg(value), rhs: .imm(factor), checked: false))
        }
        return term
    }

    /// `k >u i`, computed once per ladder.
    private mutating func kAbove(_ i: Int, _ values: inout LadderValues) -> Var {
        if let v = values.above[i] { return v }
        let v = b.newRegister(.i1)
        b.append(.compare(.ugt, type: cellType, dst: v, lhs: .reg(values.k), rhs: .imm(normalized(i))))
        values.above[i] = v
        return v
    }

    /// `min(k, i)` (unsigned), computed once per ladder.
    private mutating func kAtMost(_ i: Int, _ values: inout LadderValues) -> Var {
        if let v = values.atMost[i] { return v }
        let above = kAbove(i, &values)
        let v = b.newRegister(cellType)
        b.append(.select(dst: v, cond: .reg(above), ifTrue: .imm(normalized(i)), ifFalse: .reg(values.k)))
        values.atMost[i] = v
        return v
    }
}

/// The registers a ladder's gains share: k, and its comparisons and clamps by rung number.
struct LadderValues {
    var k: Var
    var above: [Int: Var] = [:]
    var atMost: [Int: Var] = [:]
}
