import JitIR

/// Constant propagation of cell values, through loops.
///
/// Knows that every cell is 0 when the program starts, that a loop's cell is
/// 0 when the loop ends and that a multiply leaves its counter 0. A loop body
/// starts with the facts that hold both before the loop and at the end of the
/// body (computed to a fixpoint; a body that always ends with its cell 0 runs
/// at most once and starts with the facts from before the loop).
///
/// With that it turns adds to cells of known value into sets, drops sets that
/// store the value a cell already has, drops loops, scans and multiplies whose
/// cell is 0, writes output of known cells as constant bytes, expands
/// multiplies whose counter is known into adds, and unrolls loops whose cell
/// stays known on every test (a known trip count) when the result is small.
///
/// A known value implies its cell is on the tape (see `CellFacts`), so every
/// dropped or rewritten touch was of a cell that cannot trap.
public struct KnownCells: BFPass {
    public init() {}
    public var name: String { "known-cells" }

    /// Ops processed at most while unrolling one loop, nested unrolls included.
    static let unrollBudget = 1024
    /// Ops an unrolled loop may become at most.
    static let unrolledSize = 128

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        var walker = Walker(context: context)
        var facts = CellFacts.programStart(tapeSize: context.options.tapeSize)
        return walker.rewrite(ops, &facts, emitting: true)
    }

    /// `ops` rewritten for a start in which `entry` holds; `entry` becomes what
    /// holds at the end.
    static func rewrite(_ ops: [BFOp], entry: inout CellFacts, _ context: BFPassContext) -> [BFOp] {
        var walker = Walker(context: context)
        return walker.rewrite(ops, &entry, emitting: true)
    }

    /// What holds at the end of `ops` started with `entry`.
    static func facts(after ops: [BFOp], entry: CellFacts, _ context: BFPassContext) -> CellFacts {
        var walker = Walker(context: context)
        var facts = entry
        _ = walker.rewrite(ops, &facts, emitting: false)
        return facts
    }

    struct Walker {
        let context: BFPassContext
        /// Ops left to process in the current unroll attempt; nil outside one.
        var fuel: Int?
        /// Loops entered and not left.
        var depth = 0
        static let analysedDepth = 24
        /// Ops that the walks of `iterationInvariant` may still process, those of the loops
        /// nested in the bodies it walks included: a nest multiplies the walks (about a
        /// millisecond of compile time).
        private var invariantBudget = 5_000
        /// Whether a walk of `iterationInvariant` is under way, whose ops count against the budget.
        private var findingInvariant = false
        static let invariantRounds = 4

        /// `cellsWritten(by:)` of the loop bodies met so far: the walk of every enclosing loop
        /// asks again.
        private var writtenCache = ListMemo<[Int]?>()

        init(context: BFPassContext) { self.context = context }

        private mutating func written(by body: [BFOp]) -> [Int]? {
            writtenCache.value(for: body) { cellsWritten(by: body) }
        }

        private var tapeSize: Int { context.options.tapeSize }

        /// Rewrites `ops` (when `emitting`; otherwise only follows the facts and
        /// returns nothing, as nobody reads that list).
        mutating func rewrite(_ ops: [BFOp], _ facts: inout CellFacts, emitting: Bool) -> [BFOp] {
            var out: [BFOp] = []
            if emitting { out.reserveCapacity(ops.count) }
            if findingInvariant { invariantBudget -= ops.count }
            // Whether `out` is still `ops` op for op: then `ops` itself is returned, whose storage
            // tells the later passes (and this one's next round) that nothing in it changed.
            var unchanged = emitting
            for (i, op) in ops.enumerated() {
                if let f = fuel {
                    if f <= 0 { return out }
                    fuel = f - 1
                }
                if unchanged, i > 0, out.count != i || !out[i - 1].isSameOp(ops[i - 1]) { unchanged = false }
                switch op {
                case .add(let o, let d, let loc):
                    if let v = facts.value(o) {
                        if context.wrap(d) == 0 { continue }
                        let n = context.wrap(v + d)
                        facts.record(o, n)
                        if emitting { out.append(.set(offset: o, value: n, loc: loc)) }
                    } else {
                        facts.record(o, nil)
                        if emitting { out.append(op) }
                    }
                case .set(let o, let v, let loc):
                    let n = context.wrap(v)
                    if facts.value(o) == n { continue }
                    facts.record(o, n)
                    if emitting { out.append(.set(offset: o, value: n, loc: loc)) }
                case .output(let o, let loc):
                    guard emitting else { continue }
                    if let v = facts.value(o) {
                        Self.appendWrite([UInt8(truncatingIfNeeded: v)], loc, to: &out)
                    } else {
                        out.append(op)
                    }
                case .write(let bytes, let loc):
                    if emitting { Self.appendWrite(bytes, loc, to: &out) }
                case .input(let o, _):
                    facts.record(o, nil)
                    if emitting { out.append(op) }
                case .move(let n, _):
                    facts.moved(n)
                    if emitting { out.append(op) }
                case .loop(let body, let open, let close):
                    if let done = knownCount(body, &facts, emitting: emitting) {
                        out += done
                        continue
                    }
                    let rewritten = loop(body, open: open, close: close, &facts, emitting: emitting)
                    if emitting { out.append(rewritten!) }
                case .divmod(let d):
                    if let done = knownCount(d.body, &facts, emitting: emitting) {
                        out += done
                        continue
                    }
                    if emitting { out.append(op) }
                    facts = .unknown(tapeSize: tapeSize)
                    facts.record(0, 0)
                case .scan:
                    if facts.value(0) == 0 { continue }
                    if emitting { out.append(op) }
                    facts = .unknown(tapeSize: tapeSize)
                    facts.record(0, 0)
                case .multiply(var m):
                    guard let count = facts.value(m.offset) else {
                        if emitting {
                            m.zeroTargets = m.targets.compactMap { facts.value(m.offset + $0.offset) == 0 ? $0.offset : nil }
                            out.append(.multiply(m))
                        }
                        for t in m.terms { facts.record(m.offset + t.offset, nil) }
                        facts.record(m.offset, 0)
                        continue
                    }
                    if count == 0 { continue }
                    out += rewrite(KnownCells.expand(m, count: count, context), &facts, emitting: emitting)
                }
            }
            if unchanged, out.count == ops.count, out.last.map({ $0.isSameOp(ops[ops.count - 1]) }) ?? true { return ops }
            return out
        }

        /// For a loop whose cell is known here: nothing when it is 0, else the unrolled loop
        /// when `emitting` and it unrolls (`facts` then updated); nil when the loop stays.
        private mutating func knownCount(_ body: [BFOp], _ facts: inout CellFacts, emitting: Bool) -> [BFOp]? {
            guard let v = facts.value(0) else { return nil }
            if v == 0 { return [] }
            return emitting ? unroll(body, &facts) : nil
        }

        static func appendWrite(_ bytes: [UInt8], _ loc: SourceLoc, to out: inout [BFOp]) {
            if case .write(let earlier, let first) = out.last {
                out[out.count - 1] = .write(bytes: earlier + bytes, loc: first)
            } else {
                out.append(.write(bytes: bytes, loc: loc))
            }
        }

        /// A loop whose cell is not known to be 0 on entry: the rewritten loop
        /// when `emitting`, else nil.
        private mutating func loop(_ body: [BFOp], open: SourceLoc, close: SourceLoc,
                                   _ facts: inout CellFacts, emitting: Bool) -> BFOp? {
            let before = facts.rebased()
            var entry = CellFacts.unknown(tapeSize: tapeSize)
            var runsOnce = false
            depth += 1
            defer { depth -= 1 }
            // Deep inside a nest the facts are not worth their quadratic cost.
            let written = depth > Self.analysedDepth ? nil : self.written(by: body)
            var firstEnd: CellFacts?
            if let written {
                // Every iteration starts with `before` minus the written cells; what the
                // body then leaves, where it agrees with `before`, holds at every test.
                var end = before.forgetting(written)
                _ = rewrite(body, &end, emitting: false)
                firstEnd = end
                runsOnce = end.value(0) == 0
                entry = runsOnce ? before : before.meet(end)
                // Only worth the walks when a fact of a cell other than the loop's own was lost.
                if !runsOnce, written.contains(where: { $0 != 0 && before.value($0) != nil && entry.value($0) == nil }),
                   let (invariant, invariantEnd) = iterationInvariant(body, before: before, beyond: entry),
                   invariant.meet(entry) == entry {
                    entry = invariant
                    firstEnd = invariantEnd
                }
            }
            guard emitting else {
                // Followed only: what the first walk found at the end of the body
                // holds at every exit too, and a second walk per loop would make
                // nested loops cost exponential time.
                facts = written == nil ? .unknown(tapeSize: tapeSize) : before.meet(firstEnd ?? before)
                facts.record(0, 0)
                return nil
            }
            var end = entry
            let newBody = rewrite(body, &end, emitting: true)
            if written == nil {
                facts = .unknown(tapeSize: tapeSize)
            } else {
                facts = before.meet(end)
            }
            facts.record(0, 0)
            return .loop(body: newBody, open: open, close: close)
        }

        /// The facts of `before` that hold at the start of every iteration, with the end of the
        /// body walked from them; nil when not found within `invariantRounds` walks or the budget,
        /// or when they would know no more than `pessimistic`, the entry found without them.
        ///
        /// Walking from `before` and keeping what the body leaves as it was, until nothing more
        /// drops, keeps facts that assuming the written cells unknown loses: a cell the body
        /// sets back to the value it had (bench's nest of delay loops clears the same cells on
        /// every iteration, so the loop inside always runs and always leaves them 0).
        private mutating func iterationInvariant(_ body: [BFOp], before: CellFacts,
                                                 beyond pessimistic: CellFacts) -> (CellFacts, CellFacts)? {
            let outermost = !findingInvariant
            findingInvariant = true
            defer { if outermost { findingInvariant = false } }
            var candidate = before
            for _ in 0..<Self.invariantRounds {
                guard invariantBudget > 0 else { return nil }
                var end = candidate
                _ = rewrite(body, &end, emitting: false)
                guard invariantBudget >= 0 else { return nil }
                let kept = candidate.meet(end)
                // Every round keeps less: once nothing is left beyond what the pessimistic entry
                // knows, no round can give the loop more (fibint: 134 of 142 walks ended so).
                if !kept.mayKnowMore(than: pessimistic) { return nil }
                if kept == candidate { return (candidate, end) }
                candidate = kept
            }
            return nil
        }

        /// The loop run at compile time while its cell stays known on every
        /// test, or nil when that fails or grows past the budget.
        private mutating func unroll(_ body: [BFOp], _ facts: inout CellFacts) -> [BFOp]? {
            let outermost = fuel == nil
            if outermost { fuel = KnownCells.unrollBudget }
            defer { if outermost { fuel = nil } }
            var trial = facts
            var out: [BFOp] = []
            var iterations = 0
            while let v = trial.value(0), v != 0 {
                let fuelBefore = fuel!
                fuel! -= 1
                out += rewrite(body, &trial, emitting: true)
                iterations += 1
                if let f = fuel, f <= 0 { return nil }
                // Already too long to keep (the test below would say so): stop now.
                if out.count > KnownCells.unrolledSize { return nil }
                // A loop that would run out of fuel usually shows it after three iterations, which
                // cost what each later one will (the first ones may do work once, as nested loops
                // fold). Stopping then, not at the end of the budget, was a fifth of fibint's
                // start-up; no corpus program unrolls differently.
                if iterations >= 3, let next = trial.value(0), next != 0,
                   let left = KnownCells.remainingIterations(from: v, to: next, cellBits: context.options.cellBits),
                   left > KnownCells.unrollBudget || (fuelBefore - fuel!) * left > fuel! {
                    return nil
                }
            }
            // Longer straight-line code costs more to compile than the loop costs to run.
            guard trial.value(0) == 0, BFOp.count(out) <= KnownCells.unrolledSize else { return nil }
            facts = trial
            // Each iteration's moves would otherwise stay: a pointer add per move in the code.
            return OffsetFolding.foldedKeepingPointer(out)
        }
    }

    /// How many more iterations a loop whose cell went from `before` to `after` in one iteration
    /// runs, if every iteration moves it as much; nil when it did not move.
    private static func remainingIterations(from before: Int, to after: Int, cellBits: Int) -> Int? {
        let modulus = 1 << cellBits
        let down = (before - after) & (modulus - 1)
        guard down != 0 else { return nil }
        let value = after & (modulus - 1)
        // A cell that counts up reaches 0 by wrapping around.
        return down <= modulus / 2 ? value / down : ((modulus - value) & (modulus - 1)) / (modulus - down)
    }

    /// A multiply whose counter holds `count` (not 0): its first iteration as
    /// written, then the other iterations' adds, then the counter cleared.
    static func expand(_ m: BFMultiply, count: Int, _ context: BFPassContext) -> [BFOp] {
        let bits = UInt64(context.options.cellBits)
        let mask: UInt64 = bits >= 64 ? ~0 : (1 << bits) - 1
        let raw = UInt64(bitPattern: Int64(count)) & mask
        let iterations = m.step == -1 ? raw : (0 &- raw) & mask
        var ops = m.terms.map { BFOp.add(offset: m.offset + $0.offset, delta: $0.delta, loc: $0.loc) }
        for t in m.targets {
            let rest = context.wrap(Int(truncatingIfNeeded: UInt64(bitPattern: Int64(t.factor)) &* (iterations &- 1)))
            if rest != 0 { ops.append(.add(offset: m.offset + t.offset, delta: rest, loc: t.loc)) }
        }
        ops.append(.set(offset: m.offset, value: 0, loc: m.open))
        return ops
    }
}
