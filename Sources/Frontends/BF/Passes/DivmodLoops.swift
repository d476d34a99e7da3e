import JitIR

/// A loop spelled as one of the common divmod idioms (`BFDivmod`) becomes `divmod`: the
/// lowering computes its effect with one division where its preconditions hold, instead of
/// iterating once per unit of the dividend, and runs the original loop where they do not.
///
/// It runs first, on the loops as written: later passes would rewrite their inner loops into
/// scans and multiplies, each in its own way.
public struct DivmodLoops: BFPass {
    public init() {}
    public var name: String { "divmod-loops" }

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        mapBottomUp(ops) { op in BFDivmod(loop: op).map { .divmod($0) } }
    }
}
