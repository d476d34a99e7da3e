import JitIR

/// `[>]`, `[<<]`, ...: a loop whose body only moves the pointer, by a net
/// non-zero amount, becomes `scan step`.
public struct ScanLoops: BFPass {
    public init() {}
    public var name: String { "scan-loops" }

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        mapBottomUp(ops) { op in
            guard case .loop(let body, let open, let close) = op, !body.isEmpty else { return nil }
            var step = 0
            for inner in body {
                guard case .move(let n, _) = inner else { return nil }
                step += n
            }
            return step == 0 ? nil : .scan(step: step, open: open, close: close)
        }
    }
}
