import JitIR

/// Copy and multiply loops such as `[->+>++<<]` become `multiply`.
///
/// Applies to a loop whose body only adds constants and moves the pointer,
/// returns to where it started, and changes the loop cell by exactly ±1
/// (modulo the cell width) per iteration. The rewrite keeps the body's terms
/// in order, so the lowering can touch the other cells only when the loop
/// runs, each at the position of its first command.
public struct MultiplyLoops: BFPass {
    public init() {}
    public var name: String { "multiply-loops" }

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        mapBottomUp(ops) { op in
            guard case .loop(let body, let open, _) = op,
                  let m = Self.multiply(body, open: open, context) else { return nil }
            return .multiply(m)
        }
    }

    static func multiply(_ body: [BFOp], open: SourceLoc, _ context: BFPassContext) -> BFMultiply? {
        var position = 0
        var terms: [BFMultiply.Term] = []
        for op in body {
            switch op {
            case .add(let o, let d, let loc): terms.append(.init(offset: position + o, delta: d, loc: loc))
            case .move(let n, _): position += n
            default: return nil
            }
        }
        guard position == 0 else { return nil }
        let step = context.wrap(terms.reduce(0) { $1.offset == 0 ? $0 + $1.delta : $0 })
        guard step == 1 || step == -1 else { return nil }
        return BFMultiply(offset: 0, step: step, open: open, terms: terms)
    }
}
