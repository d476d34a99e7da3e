import JitIR
import Testing
import TestSupport
@testable import X86Backend

/// Every run of every program in `Tests/IRPrograms` gives exactly the expected
/// result on every x86 variant, and the same as the interpreter.
@Suite struct IRCorpusTests {
    static let cases: [IRProgramCase] = (try? IRProgramCorpus.all()) ?? []

    @Test func corpusLoads() throws {
        #expect(!(try IRProgramCorpus.all()).isEmpty)
    }

    @Test(arguments: cases)
    func matchesExpectations(_ c: IRProgramCase) throws {
        for (name, engine) in x86Variants {
            let problems = try c.check(with: engine)
            #expect(problems.isEmpty, "\(name): \(problems.joined(separator: "; "))")
        }
        try expectSameAsInterpreter(c.module, function: c.function, arguments: c.arguments, input: c.input,
                                    variants: [x86Variants[0]])
    }
}
