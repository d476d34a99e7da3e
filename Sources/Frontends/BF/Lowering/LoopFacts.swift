/// For every loop, what is known on the tape at the end of an iteration that
/// started knowing only the loop cell: `E0 = checks(body, {0}) ∪ {0}`.
///
/// The lowering enters a loop body knowing `S = pre ∩ E0`, where `pre` is what
/// holds before the loop (its cell included). That is sound for every
/// iteration: the first starts from `pre ⊇ S`; a later one starts from what
/// the previous iteration ended with, `E(S) ⊇ E({0}) = E0 ⊇ S`, because what an
/// iteration learns only grows with what it starts from.
///
/// Inside this analysis an inner loop's exit is taken as `pre ∩ E0` (weaker
/// than the lowering's own `pre ∩ E(S)`, still sound), so every loop body is
/// walked exactly once.
struct LoopFacts {
    /// `E0` of each `.loop`, in pre-order (the order the lowering meets them).
    private(set) var endOfBody: [KnownRange] = []

    init(_ ops: [BFOp]) {
        _ = walk(ops, .empty)
    }

    /// The scan body is one move; what its test leaves known, started from {0}.
    static func scanEndOfBody(step: Int) -> KnownRange {
        var k = KnownRange.single(0).shifted(by: step)
        k.include(0)
        return k
    }

    /// Records the loop's `E0` (after those of the loops before it, before those inside it).
    private mutating func walkLoop(_ body: [BFOp]) -> KnownRange {
        let id = endOfBody.count
        endOfBody.append(.empty)
        var end = walk(body, .single(0))
        end.include(0)
        endOfBody[id] = end
        return end
    }

    private mutating func walk(_ ops: [BFOp], _ entry: KnownRange) -> KnownRange {
        var known = entry
        for op in ops {
            if known.step(over: op) { continue }
            switch op {
            case .loop(let body, _, _):
                known.include(0)
                known = known.intersection(walkLoop(body))
            case .divmod(let d):
                // Lowered with its original loop, whose loops count here.
                known.include(0)
                known = known.intersection(walkLoop(d.body))
            case .scan(let step, _, _):
                known.include(0)
                known = known.intersection(Self.scanEndOfBody(step: step))
            default:
                break  // stepped over
            }
        }
        return known
    }
}
