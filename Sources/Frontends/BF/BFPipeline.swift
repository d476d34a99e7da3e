import JitIR

/// The BF-level optimisation pipeline, in order. Each pass keeps output, final
/// tape and traps (kind and position) exactly; see the files in `Passes/` and
/// docs/bf-passes.md.
public enum BFPipeline {
    public static let passes: [any BFPass] = [
        RunLengthFolding(),   // +++ -> add 3, >>> -> move 3
        DivmodLoops(),        // [->-[>+>>]>[+[-<+>]>+>>]<<<<<] -> divmod
        ClearLoops(),         // [-] [+] [---] -> set 0
        ScanLoops(),          // [>] [<<] -> scan
        MultiplyLoops(),      // [->+>++<<] -> multiply
        OffsetFolding(),      // lazy pointer: moves become offsets
        AdjacentCombining(),  // set 0; add 5 -> set 5
        Repeated(rounds: 2, shrinkingRounds: 8, [
            KnownCells(),         // constant cells through loops, dead loops, unrolling
            DeadStores(),         // add 3; set 0 -> set 0
            AdjacentCombining(),  // again, for the sets known-cells made
            ClearLoops(),
            LoopPeeling(),        // [B] -> [B multiply] when later iterations are a multiply
            MultiplyLoops(),      // loops that became multiplies
        ]),
        FirstIterationPeeling(),  // [B] -> [B [B]] for small loops with a multiply
    ]

    /// The passes after the first, `RunLengthFolding`, for ops `BFFoldingParser` already folded.
    static let passesAfterFolding: [any BFPass] = {
        precondition(passes.first is RunLengthFolding, "BFFrontend.ops folds while parsing")
        return Array(passes.dropFirst())
    }()

    /// Every pass, those inside `Repeated` groups included, in pipeline order.
    public static var allPasses: [any BFPass] {
        passes.flatMap { ($0 as? Repeated)?.passes ?? [$0] }
    }

    /// The name of every pass (`BFPass.name`), in pipeline order, each once.
    public static var passNames: [String] {
        allPasses.map(\.name).reduce(into: []) { names, name in if !names.contains(name) { names.append(name) } }
    }

    /// The pass called `name`, or nil.
    public static func pass(named name: String) -> (any BFPass)? {
        allPasses.first { $0.name == name }
    }

    /// Runs `passes` over `ops`.
    public static func run(_ ops: [BFOp], options: BFOptions, passes: [any BFPass] = BFPipeline.passes) -> [BFOp] {
        let context = BFPassContext(options: options)
        return passes.reduce(ops) { $1.run($0, context) }
    }
}
