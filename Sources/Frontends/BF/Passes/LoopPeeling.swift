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
        bottomUp(ops) { list in
            list.map { op in
                guard case .loop(let body, let open, let close) = op,
                      let rest = Self.laterIterations(body, close: close, context) else { return op }
                return .loop(body: body + [.multiply(rest)], open: open, close: close)
            }
        }
    }

    /// The multiply that iterations after the first amount to, if any.
    static func laterIterations(_ body: [BFOp], close: SourceLoc, _ context: BFPassContext) -> BFMultiply? {
        guard mayBecomeMultiply(body, depthLimit: 3), writesArePlaceable(body) else { return nil }
        let tapeSize = context.options.tapeSize
        let end = KnownCells.facts(after: body, entry: .unknown(tapeSize: tapeSize), context)
        // A body that always ends with its cell 0 runs once: nothing to peel.
        guard end.value(0) != 0 else { return nil }
        let facts = end.knownValuesOnly()
        guard facts.knowsAnyValue else { return nil }
        var onTape = KnownRange.single(0)
        for o in facts.knownOffsets { onTape.include(o) }

        var later = body
        for _ in 0..<rounds {
            var entry = facts
            later = KnownCells.rewrite(later, entry: &entry, context)
            later = DeadStores.eliminate(later, entry: onTape)
            later = AdjacentCombining().run(later, context)
            if let m = MultiplyLoops.multiply(later, open: close, context) { return m }
        }
        return nil
    }

    /// A cheap test first: a multiply does no input or output and no scan,
    /// and a deep nest rarely folds into one.
    static func mayBecomeMultiply(_ body: [BFOp], depthLimit: Int) -> Bool {
        guard depthLimit > 0 else { return false }
        return body.allSatisfy { op in
            switch op {
            case .add, .set, .move, .multiply: true
            case .output, .write, .input, .scan: false
            case .loop(let inner, _, _): mayBecomeMultiply(inner, depthLimit: depthLimit - 1)
            }
        }
    }
}
