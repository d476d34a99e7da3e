import JitIR

/// A small innermost loop with a multiply runs its first iteration on its own:
/// `[B]` becomes `[B [B']]`, where the inner loop's tests are those at the `]` and `B'` is `B`
/// simplified with what holds at the end of every iteration, when that changes it.
///
/// For example mandelbrot's `[>[->>>>>>>>>+<<<<<<<<<]<<<<<<<<<<]` walks left,
/// and each multiply adds to the cell the previous iteration's multiply
/// cleared. Only the first iteration touches a cell not yet known to be on
/// the tape; from the second on, the lowering knows every cell the body
/// touches, and lowers the multiply without a branch or a guarded access.
///
/// The outer loop runs at most once: its body ends with a loop, which leaves
/// the cell 0, so the lowering gives it no test at its `]`. The first iteration
/// keeps every touch and position of the original's first iteration, and the
/// inner loop is the original loop from its first test at `]` on.
///
/// Runs once, at the end of the pipeline: a peeled loop's copy is innermost again.
public struct FirstIterationPeeling: BFPass {
    public init() {}
    public var name: String { "peel-first-iteration" }

    /// Ops a body may have at most: the body is emitted twice.
    static let maxBodyOps = 16

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        mapBottomUp(ops) { op in
            guard case .loop(let body, let open, let close) = op, Self.worthPeeling(body) else { return nil }
            // Without facts for the later iterations, the first one on its own gains only
            // where the code before the loop holds its cells in registers: the lowering sees
            // that, and peels there (`BFLowering.emitFirstIterationApart`). Peeled here, factor's
            // 17 such loops cost a sixth of its compile on LLVM for nothing.
            let later = Self.laterIterations(body, context)
            guard later != body else { return nil }
            return .loop(body: body + [.loop(body: later, open: close, close: close)], open: open, close: close)
        }
    }

    /// The body of the inner loop: `body` simplified with what holds at the end of every
    /// iteration, where each of its iterations starts. In a moving loop that is new: in
    /// mandelbrot's loop above, the target of every multiply but the first holds 0 (the
    /// previous iteration's multiply cleared it), so the lowering stores to it without a load
    /// (`BFMultiply.zeroTargets`). A balanced loop's `known-cells` walk knew that already.
    static func laterIterations(_ body: [BFOp], _ context: BFPassContext) -> [BFOp] {
        let net = body.reduce(0) { if case .move(let n, _) = $1 { $0 + n } else { $0 } }
        guard net != 0 else { return body }
        var end = KnownCells.facts(after: body, entry: .unknown(tapeSize: context.options.tapeSize), context)
        return KnownCells.rewrite(body, entry: &end, context)
    }

    /// A short body of tape updates with a multiply, that does not end by clearing its own
    /// cell (such a loop runs at most once already).
    static func worthPeeling(_ body: [BFOp]) -> Bool {
        guard body.count <= maxBodyOps else { return false }
        var multiplies = false
        for op in body {
            switch op {
            case .multiply: multiplies = true
            case .add, .set, .move: break
            case .loop, .scan, .divmod, .input, .output, .write: return false
            }
        }
        return multiplies && !BFOp.leavesItsCellZero(body)
    }
}
