import Foundation
import JitCtl
import JitIR
import Testing

@Suite("jitctl fuzz: generators, fuel, minimiser")
struct FuzzTests {
    @Test("generated IR modules always verify")
    func irVerifies() throws {
        for index in 0..<200 {
            let p = IRProgramGenerator.generate(seed: 7, index: index)
            let problems = IRVerifier.diagnostics(p.module)
            #expect(problems.isEmpty, "index \(index): \(problems.prefix(3))\n\(IRText.print(p.module))")
            if !problems.isEmpty { break }
            #expect(p.module.function(named: p.entry)!.parameters.count <= 6)
        }
    }

    @Test("generated IR programs run")
    func irRuns() throws {
        let runner = DifferentialRunner(configs: FuzzConfig.configs(forProgram: 0, all: false))
        var counts: [String: Int] = [:]
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<40 {
            let p = IRProgramGenerator.generate(seed: 7, index: index)
            let r = runner.run(p.module, entry: p.entry, arguments: p.arguments, input: p.input)
            switch r.verdict {
            case .agree: counts[r.reference?.trap.map { $0.kind.rawValue } ?? "ok", default: 0] += 1
            case .outOfFuel: counts["fuel", default: 0] += 1
            case .mismatch(let m): counts["mismatch", default: 0] += 1; print("index \(index): \(m)")
            }
        }
        print(counts, clock.now - start)
    }
}
