import BFFrontend
import JitIR
import Testing

/// Every pass, alone and as a prefix of the pipeline, against the literal
/// program on generated programs: same output, same final tape, same trap
/// position, evaluated at the BF level.
@Suite struct PassRandomTests {
    static let batches = 0..<8
    static let programsPerBatch = 400

    @Test(arguments: batches)
    func eachPassAloneKeepsMeaning(batch: Int) {
        var coverage = Coverage()
        for i in 0..<Self.programsPerBatch {
            let c = RandomCase(seed: UInt64(batch * Self.programsPerBatch + i))
            guard let reference = c.reference else { continue }
            let context = BFPassContext(options: c.options)
            for pass in BFPipeline.allPasses {
                let ops = pass.run(c.literal, context)
                let got = c.evaluate(ops)
                #expect(got == reference, "\(pass.name) alone: \(c)\nops: \(ops)")
            }
            coverage.record(reference, optimized: BFPipeline.run(c.literal, options: c.options))
        }
        Self.expectUseful(coverage)
    }

    @Test(arguments: batches)
    func pipelinePrefixesKeepMeaning(batch: Int) {
        var coverage = Coverage()
        for i in 0..<Self.programsPerBatch {
            let c = RandomCase(seed: UInt64(1_000_000 + batch * Self.programsPerBatch + i))
            guard let reference = c.reference else { continue }
            var ops = c.literal
            let context = BFPassContext(options: c.options)
            for pass in BFPipeline.passes {
                ops = pass.run(ops, context)
                let got = c.evaluate(ops)
                #expect(got == reference, "after \(pass.name): \(c)\nops: \(ops)")
                if got != reference { break }
            }
            coverage.record(reference, optimized: ops)
        }
        Self.expectUseful(coverage)
    }

    /// The generated batch must finish often, trap sometimes, and give every
    /// loop rewrite something to do.
    static func expectUseful(_ c: Coverage) {
        #expect(c.finished > programsPerBatch / 3, "only \(c.finished) programs finished")
        #expect(c.trapped > 10 && c.trapped < c.finished - 10, "\(c.trapped) of \(c.finished) trapped")
        #expect(c.multiplies > 20 && c.scans > 10 && c.sets > 20, "\(c)")
    }
}
