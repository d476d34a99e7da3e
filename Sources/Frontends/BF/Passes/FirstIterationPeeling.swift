import JitIR

/// A small innermost loop with a multiply runs its first iteration on its own:
/// `[B]` becomes `[B [B]]`, where the inner loop's tests are those at the `]`.
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
        bottomUp(ops) { list in
            guard list.contains(where: { if case .loop = $0 { true } else { false } }) else { return list }
            return list.map { op in
                guard case .loop(let body, let open, let close) = op, Self.worthPeeling(body) else { return op }
                return .loop(body: body + [.loop(body: body, open: close, close: close)], open: open, close: close)
            }
        }
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
            case .loop, .scan, .input, .output, .write: return false
            }
        }
        guard multiplies else { return false }
        var moved = 0
        for op in body.reversed() {
            switch op {
            case .move(let n, _): moved += n
            case .multiply(let m): return m.offset != moved
            case .set(let offset, 0, _): return offset != moved
            default: return true
            }
        }
        return true
    }
}
