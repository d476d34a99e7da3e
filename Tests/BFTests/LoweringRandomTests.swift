import BFFrontend
import JitIR
import Testing

/// Generated programs compiled to IR and run on the reference interpreter,
/// against the BF-level reference: unoptimised, optimised, and each half of
/// the optimisation alone (passes without check elimination, check
/// elimination on the literal ops).
///
/// All but the production variant are lowered with guard cells around the
/// tape, so a bounds check removed wrongly shows up as a missing trap or a
/// write into the guards rather than being masked by the interpreter's own
/// memory guard (which traps at the same position as the removed check).
@Suite struct LoweringRandomTests {
    static let programsPerBatch = 150
    static let hooks = BFTestHooks(guardCells: 64, loopIterationLimit: 1_000_000)

    @Test(arguments: 0..<6)
    func compiledProgramsMatchTheReference(batch: Int) throws {
        var finished = 0
        for i in 0..<Self.programsPerBatch {
            let c = RandomCase(seed: UInt64(2_000_000 + batch * Self.programsPerBatch + i))
            guard let reference = c.reference else { continue }
            finished += 1
            let optimized = BFPipeline.run(c.literal, options: c.options)
            let guarded: [(String, [BFOp], Bool)] = [
                ("unoptimised", c.literal, false),
                ("optimised", optimized, true),
                ("passes only", optimized, false),
                ("check elimination only", c.literal, true),
            ]
            for (name, ops, eliminate) in guarded {
                let module = try BFFrontend.lower(ops, file: "test.bf", options: c.options,
                                                  eliminateRedundantChecks: eliminate, hooks: Self.hooks)
                let got = try IRRunner.outcome(module, options: c.options, input: c.input, guardCells: Self.hooks.guardCells)
                #expect(got == reference, "\(name): \(c)")
            }
            let production = try IRRunner.outcome(source: c.source, options: c.options, input: c.input)
            #expect(production == reference, "compile(): \(c)")
        }
        #expect(finished > Self.programsPerBatch / 3)
    }
}
