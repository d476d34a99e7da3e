import BFFrontend
import Foundation
import JitIR
import Testing
import TestSupport

/// The shared corpus (skipped when ../shared is absent) through the reference
/// interpreter, optimised, honouring each program's `.args` and `.expect`.
@Suite struct CorpusTests {
    /// Programs that need more BF steps than this, or whose naive C
    /// translation needs more than `secondsBudget` (per SOURCES.md), are left
    /// to the benchmarks: the interpreter is slow in a debug build.
    static let stepBudget = 30_000_000
    static let secondsBudget = 0.005
    /// Up to this many steps, the unoptimised program runs too and must agree
    /// with the optimised one on output, final tape and trap.
    static let unoptimisedStepBudget = 2_000_000
    /// Programs without figures in SOURCES.md that are known to be slow.
    static let slowWithoutFigures: Set<String> = ["dbfi", "mandelbrot-huge"]

    static var selected: [String] {
        CorpusProgram.allNames.filter { name in
            if slowWithoutFigures.contains(name) { return false }
            guard let cost = CorpusProgram.costs[name] else { return true }
            return (cost.steps ?? 0) <= stepBudget && (cost.seconds ?? 0) <= secondsBudget
        }
    }

    @Test(.enabled(if: SharedData.bfCorpus != nil, "../shared/corpus/bf is absent"), arguments: selected)
    func corpusProgram(name: String) throws {
        let dir = try #require(SharedData.bfCorpus)
        let p = try #require(CorpusProgram.load(name, from: dir))
        let options = try BFOptions(argumentsText: p.arguments)
        if p.expectation == "error" {
            #expect(throws: SourceError.self) { try BFFrontend.compile(source: p.source, file: "\(name).bf", options: options) }
            return
        }
        let outcome = try IRRunner.outcome(source: p.source, options: options, input: p.input)
        if let steps = CorpusProgram.costs[name]?.steps, steps <= Self.unoptimisedStepBudget {
            var literal = options
            literal.optimize = false
            let reference = try IRRunner.outcome(source: p.source, options: literal, input: p.input)
            #expect(outcome == reference, "\(name): optimised and unoptimised differ")
        }
        #expect(outcome.output == p.expectedOutput, "\(name): \(outcome)")
        if p.expectation == "trap" {
            #expect(outcome.trap != nil, "\(name) should trap")
        } else {
            #expect(outcome.trap == nil, "\(name) trapped at \(outcome.trap?.description ?? "")")
        }
    }

    /// With the corpus present, most of it runs (the budgets above do not leave out too much).
    @Test(.enabled(if: SharedData.bfCorpus != nil, "../shared/corpus/bf is absent"))
    func mostOfTheCorpusIsSelected() {
        #expect(Self.selected.count >= 40, "\(Self.selected)")
    }
}
