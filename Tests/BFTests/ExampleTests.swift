import BFFrontend
import Foundation
import JitIR
import Testing
import TestSupport

/// Our own programs in `examples/` produce their `.out`, optimised or not.
@Suite struct ExampleTests {
    static let directory = SharedData.repositoryRoot.appendingPathComponent("examples")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".bf") }.map { String($0.dropLast(3)) }.sorted()
    }

    @Test func examplesArePresent() {
        #expect(Set(Self.names).isSuperset(of: ["hello-jitctl", "alphabet-triangle", "square-bars", "reverse-input"]))
    }

    @Test(arguments: names)
    func example(name: String) throws {
        let p = try #require(CorpusProgram.load(name, from: Self.directory))
        let expected = try #require(p.expectedOutput)
        for optimize in [true, false] {
            var options = try BFOptions(argumentsText: p.arguments)
            options.optimize = optimize
            let outcome = try IRRunner.outcome(source: p.source, options: options, input: p.input)
            #expect(outcome.output == expected, "\(name), optimize \(optimize): \(outcome)")
            #expect(outcome.trap == nil)
        }
    }

    @Test func examplesDoNotShadowCorpusNames() {
        let corpus = Set(CorpusProgram.allNames)
        #expect(corpus.isDisjoint(with: Self.names))
    }
}
