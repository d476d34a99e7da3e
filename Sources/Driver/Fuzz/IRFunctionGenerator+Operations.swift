import JitIR

extension FunctionGenerator {
    /// One arithmetic, comparison, select or conversion instruction at a random type.
    mutating func operation() {
        let t = anyType()
        switch rng.weighted([("binary", 10), ("division", 3), ("unary", 3), ("compare", 3), ("select", 2),
                             ("convert", 3), ("copy", 1)]) {
        case "binary":
            let o = rng.pick(BinaryOp.allCases.filter { !$0.isDivision })
            let checked = o.canBeChecked && rng.chance(35)
            let lhs = operand(t), rhs = operand(t)
            emit(t) { .binary(o, dst: $0, lhs: lhs, rhs: rhs, checked: checked) }
        case "division":
            let o: BinaryOp = rng.chance(50) ? .sdiv : .srem
            let lhs = operand(t)
            var rhs = operand(t)
            if rng.chance(60) {
                // Mostly a divisor that is not 0 (`x | 1`), so that the
                // division itself is tested; the rest may trap.
                let raw = rhs
                rhs = .reg(temporary(t) { .binary(.or, dst: $0, lhs: raw, rhs: .imm(1), checked: false) })
            }
            emit(t) { .binary(o, dst: $0, lhs: lhs, rhs: rhs, checked: false) }
        case "unary":
            let o = rng.pick(UnaryOp.allCases)
            let checked = o == .neg && rng.chance(50)
            let src = operand(t)
            emit(t) { .unary(o, dst: $0, src: src, checked: checked) }
        case "compare":
            let p = rng.pick(ComparePredicate.allCases)
            let lhs = operand(t), rhs = operand(t)
            emit(.i1) { .compare(p, type: t, dst: $0, lhs: lhs, rhs: rhs) }
        case "select":
            let c = condition()
            let a = operand(t), f = operand(t)
            emit(t) { .select(dst: $0, cond: c, ifTrue: a, ifFalse: f) }
        case "convert":
            var from = anyType()
            while from == t { from = anyType() }
            let src = operand(from)
            let how: ConvertOp = from.bits > t.bits ? .trunc : (rng.chance(50) ? .zext : .sext)
            emit(t) { .convert(how, dst: $0, src: src, from: from) }
        default:
            let src = operand(t)
            emit(t) { .copy(dst: $0, src: src) }
        }
    }

    /// A load or a store of a random width at an address that is in range by
    /// construction, or checked with the guard docs/IR.md §5 prescribes.
    mutating func memoryAccess() {
        let t = anyType()
        let bytes = t.bytes
        let size = Int64(memorySize)
        let base: Var
        let offset: Int64
        if t != .i1 && rng.chance(12) { return scan(t) }
        switch rng.weighted([("constant", 3), ("masked", 4), ("guarded", 3)]) {
        case "constant":
            // A fixed cell, split between the base register and the offset.
            let address = Int64(rng.int(0...(memorySize - bytes)))
            let split = rng.chance(50) ? address : Int64(rng.int(-64...64))
            base = temporary(.i64) { .copy(dst: $0, src: .imm(split)) }
            offset = address - split
        case "masked":
            // Any value masked to a multiple of 8 below `size`: bytes 0...7 after it are in range.
            let x = wideValue()
            let masked = temporary(.i64) { .binary(.and, dst: $0, lhs: x, rhs: .imm(size - 8), checked: false) }
            let inner = Int64(rng.int(0...(8 - bytes)))
            if rng.chance(50) {
                base = masked
                offset = inner
            } else {
                // Moved by k, and the offset moves back: exercises address folding.
                let k = rng.pick([Int64(1), 8, 64, -8, -1024, 1 << 20])
                base = temporary(.i64) { .binary(.add, dst: $0, lhs: .reg(masked), rhs: .imm(k), checked: false) }
                offset = inner - k
            }
        default:
            // Mostly inside (the guard rarely fires), sometimes anywhere (it fires
            // about half the time), and now and then an edge value with an edge
            // offset, where only wrapping address arithmetic can land inside.
            let x = wideValue()
            switch rng.weighted([("inside", 8), ("twice", 2), ("anything", 1)]) {
            case "inside":
                // In range by construction (the guard must not fire), but the
                // engines cannot know: the mask and the offset come in separately.
                base = temporary(.i64) { .binary(.and, dst: $0, lhs: x, rhs: .imm(size / 2 - 1), checked: false) }
                offset = Int64(rng.int(0...min(8, memorySize / 2 - bytes)))
            case "twice":
                base = temporary(.i64) { .binary(.and, dst: $0, lhs: x, rhs: .imm(2 * size - 1), checked: false) }
                offset = Int64(rng.int(-4...4))
            default:
                base = temporary(.i64) { .copy(dst: $0, src: x) }
                offset = rng.pick([Int64.min, .max, -size, size, Int64(Int32.max), 0, 1])
            }
            let address = temporary(.i64) { .binary(.add, dst: $0, lhs: .reg(base), rhs: .imm(offset), checked: false) }
            let outside = temporary(.i1) { .compare(.ugt, type: .i64, dst: $0, lhs: .reg(address), rhs: .imm(size - Int64(bytes))) }
            step()
            b.trapIf(.reg(outside), .outOfBounds)
        }
        // The address register may be reused later, even as a load's own
        // destination (`%5 = load [%5]`), which register allocators must get right.
        if rng.chance(30) { readable.append(base) }
        if rng.chance(50) {
            emit(t) { .load(dst: $0, base: base, offset: offset) }
        } else {
            let v = operand(t)
            step()
            b.store(t, v, base: base, offset: offset)
        }
    }

    /// A `scan` for a zero of type `t` (docs/IR.md §3): from an address in range or anywhere (it
    /// checks its own bounds), by a step that is often a multiple of the width and now and then
    /// not, up to a limit at the end of memory or below it. Its result, an address, is kept.
    mutating func scan(_ t: IntType) {
        let bytes = Int64(t.bytes), size = Int64(memorySize)
        let limit = rng.chance(70) ? size - bytes : Int64(rng.int(0...(memorySize - t.bytes)))
        // Memory starts out zero, where every scan stops at once: first fill a stretch of it
        // with mostly non-zero bytes, and start inside that stretch.
        var region = size
        if rng.chance(60) {
            let words = rng.int(2...min(32, memorySize / 8))
            let zero = temporary(.i64) { .copy(dst: $0, src: .imm(0)) }
            for j in 0..<words {
                let value = Int64(bitPattern: rng.next() | 0x0101_0101_0101_0101) & (rng.chance(10) ? 0x00FF_FFFF_FFFF_FF00 : -1)
                step()
                b.store(.i64, .imm(value), base: zero, offset: Int64(8 * j))
            }
            region = 8
            while region < Int64(8 * words) { region *= 2 }
        }
        let start: Var
        if rng.chance(80) {
            let x = wideValue()
            start = temporary(.i64) { .binary(.and, dst: $0, lhs: x, rhs: .imm(region - 1), checked: false) }
        } else {
            let x = wideValue()
            start = temporary(.i64) { .copy(dst: $0, src: x) }
        }
        let magnitude = rng.chance(75) ? bytes * Int64(rng.pick([1, 1, 2, 3, 4, 8])) : Int64(rng.int(1...20))
        let step = rng.chance(50) ? magnitude : -magnitude
        emit(.i64) { .scan(dst: $0, start: start, type: t, step: step, limit: limit) }
    }

    /// Register pressure: 8 to 20 values computed first and all used at the
    /// end, sometimes with a call in between, so that they are live at the same
    /// time (more than the machine has registers for) and across the call.
    mutating func pressure(callees: [Int]) {
        var values: [(Var, IntType)] = []
        for _ in 0..<rng.int(8...20) {
            let t = anyType()
            let o = rng.pick([BinaryOp.add, .sub, .mul, .xor, .and, .or, .shl, .ashr])
            let lhs = operand(t), rhs = operand(t)
            values.append((temporary(t) { .binary(o, dst: $0, lhs: lhs, rhs: rhs, checked: false) }, t))
        }
        if !callees.isEmpty && rng.chance(60) { call(rng.pick(callees)) }
        var acc: Operand = .imm(0)
        for (v, t) in values.shuffled(using: &rng) {
            let wide = toI64(.reg(v), from: t)
            let previous = acc
            acc = .reg(temporary(.i64) { .binary(.xor, dst: $0, lhs: previous, rhs: wide, checked: false) })
        }
        let result = acc
        emit(.i64) { .copy(dst: $0, src: result) }
    }

    /// An i64 operand derived from any readable value (widened when narrower).
    mutating func wideValue() -> Operand {
        let t = anyType()
        return toI64(operand(t), from: t)
    }
}
