import JitIR

/// The BF-level optimisation pipeline, in order. Each pass keeps output, final
/// tape and traps (kind and position) exactly; see the files in `Passes/`.
public enum BFPipeline {
    public static let passes: [any BFPass] = [
        RunLengthFolding(),   // +++ -> add 3, >>> -> move 3
        ClearLoops(),         // [-] [+] [---] -> set 0
        ScanLoops(),          // [>] [<<] -> scan
        MultiplyLoops(),      // [->+>++<<] -> multiply
        OffsetFolding(),      // lazy pointer: moves become offsets
        AdjacentCombining(),  // set 0; add 5 -> set 5
        KnownCells(),         // constant cells, dead loops
        AdjacentCombining(),  // again, for the sets known-cells made
    ]

    /// Runs `passes` over `ops`.
    public static func run(_ ops: [BFOp], options: BFOptions, passes: [any BFPass] = BFPipeline.passes) -> [BFOp] {
        let context = BFPassContext(options: options)
        return passes.reduce(ops) { $1.run($0, context) }
    }
}
