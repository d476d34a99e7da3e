import JitIR

/// A loop whose later iterations are a multiply runs its first iteration as
/// written and the rest as that multiply: `[B]` becomes `[B M]`, where `M` is
/// `B` simplified with what holds at the end of every iteration.
///
/// For example in `[<+++>->>>>>+++[->+++++<]>[-]<<<<<<]` every iteration ends
/// with the cells at 5 and 6 cleared. An iteration that starts that way only
/// adds 3 to the cell at -1 and counts down, so after the first iteration the
/// rest is one multiply. `[B M]` runs at most once: `M` leaves the loop cell 0.
///
/// The first iteration keeps every touch and trap of the original. `M` only
/// runs where the original's second iteration would start, in the state the
/// facts describe, and is exact there (each pass used is).
public struct LoopPeeling: BFPass {
    public init() {}
    public var name: String { "loop-peeling" }

    /// Rounds of simplification of the later iterations.
    static let rounds = 3

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        mapBottomUp(ops) { op in
            guard case .loop(let body, let open, let close) = op else { return nil }
            // Later rounds of the repeated group meet most loops again unchanged.
            guard let rest = context.memo.peeling(body, close: close, options: context.options, {
                Self.laterIterationsOp(body, close: close, context)
            }) else { return nil }
            return .loop(body: body + [rest], open: open, close: close)
        }
    }

    /// What `[B]` gets at the end of its body: the multiply or the loop of sets that the
    /// iterations after the first amount to; nil when there is none.
    static func laterIterationsOp(_ body: [BFOp], close: SourceLoc, _ context: BFPassContext) -> BFOp? {
        let straight = isStraightLine(body)
        guard straight || (mayBecomeMultiply(body, depthLimit: 3) && writesArePlaceable(body)) else { return nil }
        // What holds at the end of every iteration; both rewrites start from it.
        let end = KnownCells.facts(after: body, entry: .unknown(tapeSize: context.options.tapeSize), context)
        // A body that always ends with its cell 0 runs once: nothing to peel.
        guard end.value(0) != 0 else { return nil }
        if let rest = laterIterations(body, end: end, close: close, context) { return .multiply(rest) }
        if straight, let rest = closedForm(body, end: end, close: close, context) {
            return .loop(body: rest, open: close, close: close)
        }
        return nil
    }

    /// The later iterations as straight-line sets, when every cell the body writes ends each
    /// iteration holding an affine function of the loop cell's value at its start (and of
    /// cells whose values are the same at the start of every later iteration), and the loop
    /// cell steps by exactly 1: then the loop ends after the iteration that starts with the
    /// loop cell 1 (or -1, counting up), and what that iteration leaves is known.
    ///
    /// For example in easyopt's `[->[-]<[->+>+<<]>>[-<<+>>]<<]` every iteration leaves cell 1
    /// holding the loop cell's new value and cell 2 holding 0: once the first iteration has
    /// run, the rest amounts to `set [1] 0; set [2] 0; set [0] 0`. The sets run in a loop of
    /// their own, at most once, that the `]` test enters only when a second iteration would
    /// start: `[B [S]]`. Every cell they set, the first iteration touched.
    /// `end`: what holds at the end of every iteration (`KnownCells.facts`), its cell not 0.
    static func closedForm(_ body: [BFOp], end: CellFacts, close: SourceLoc, _ context: BFPassContext) -> [BFOp]? {
        guard isStraightLine(body) else { return nil }
        let facts = end.knownValuesOnly()

        /// `a × n + b`, with `n` the loop cell's value at the start of the iteration.
        struct Affine { var a: Int; var b: Int }
        var state: [Int: Affine?] = [:]
        var written: [Int] = []
        func read(_ o: Int) -> Affine? {
            if let s = state[o] { return s }
            if o == 0 { return Affine(a: 1, b: 0) }
            return facts.value(o).map { Affine(a: 0, b: $0) }
        }
        func write(_ o: Int, _ value: Affine?) {
            if state[o] == nil { written.append(o) }
            state[o] = .some(value.map { Affine(a: context.wrap($0.a), b: context.wrap($0.b)) })
        }
        var position = 0
        for op in body {
            switch op {
            case .add(let o, let d, _):
                write(position + o, read(position + o).map { Affine(a: $0.a, b: $0.b &+ d) })
            case .set(let o, let v, _):
                write(position + o, Affine(a: 0, b: v))
            case .move(let n, _):
                position += n
            case .multiply(let m):
                let counter = position + m.offset
                let count = read(counter)
                for t in m.targets {
                    let k = context.wrap(-m.step &* t.factor)
                    let target = read(counter + t.offset)
                    write(counter + t.offset, count.flatMap { c in
                        target.map { Affine(a: $0.a &+ k &* c.a, b: $0.b &+ k &* c.b) }
                    })
                }
                write(counter, Affine(a: 0, b: 0))
            default:
                return nil
            }
        }
        guard position == 0, let counter = state[0] ?? nil, counter.a == 1, counter.b == 1 || counter.b == -1 else { return nil }
        // The last iteration starts with the cell at 1 when it counts down, at -1 when up.
        let last = -counter.b
        var sets: [BFOp] = []
        for o in written.sorted() where o != 0 {
            guard let e = state[o] ?? nil else { return nil }
            sets.append(.set(offset: o, value: context.wrap(e.a &* last &+ e.b), loc: close))
        }
        return sets + [.set(offset: 0, value: 0, loc: close)]
    }

    /// The multiply that iterations after the first amount to, if any.
    /// `end`: what holds at the end of every iteration (`KnownCells.facts`), its cell not 0.
    static func laterIterations(_ body: [BFOp], end: CellFacts, close: SourceLoc, _ context: BFPassContext) -> BFMultiply? {
        guard mayBecomeMultiply(body, depthLimit: 3), writesArePlaceable(body) else { return nil }
        let facts = end.knownValuesOnly()
        guard facts.knowsAnyValue else { return nil }
        var onTape = KnownRange.single(0)
        for o in facts.knownOffsets { onTape.include(o) }

        var later = body
        for _ in 0..<rounds {
            var entry = facts
            let before = later
            later = KnownCells.rewrite(later, entry: &entry, context)
            later = DeadStores.eliminate(later, entry: onTape)
            later = AdjacentCombining().run(later, context)
            if let m = MultiplyLoops.multiply(later, open: close, context) { return m }
            // The round is a function of its input: once nothing changes, no later round will.
            if later == before { return nil }
        }
        return nil
    }

    /// Only adds, sets, moves and multiplies, returning to where it started: what `closedForm` takes.
    static func isStraightLine(_ body: [BFOp]) -> Bool {
        var position = 0
        for op in body {
            switch op {
            case .add, .set, .multiply: break
            case .move(let n, _): position += n
            default: return false
            }
        }
        return position == 0
    }

    /// A cheap test first: a multiply does no input or output and no scan,
    /// and a deep nest rarely folds into one.
    static func mayBecomeMultiply(_ body: [BFOp], depthLimit: Int) -> Bool {
        guard depthLimit > 0 else { return false }
        return body.allSatisfy { op in
            switch op {
            case .add, .set, .move, .multiply: true
            case .output, .write, .input, .scan, .divmod: false
            case .loop(let inner, _, _): mayBecomeMultiply(inner, depthLimit: depthLimit - 1)
            }
        }
    }
}
