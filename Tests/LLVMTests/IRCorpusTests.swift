import JitIR
import LLVMBackend
import TestSupport
import Testing

/// The shared IR test programs (Tests/IRPrograms): every run meets its stated expectations and
/// agrees with the interpreter, unoptimised and optimised, on both engines.
@Suite struct IRCorpusTests {
    @Test(arguments: LLVMConfiguration.all)
    func corpusRunsAsSpecified(configuration: LLVMConfiguration) throws {
        let files = try IRProgramCorpus.files()
        #expect(!files.isEmpty)
        for file in files {
            let program = try configuration.backend.compile(file.module)
            for c in file.cases {
                let io = c.makeIO()
                let result = try program.run(c.function, arguments: c.arguments, io: io)
                let problems = c.mismatches(result, output: io.allOutput)
                #expect(problems.isEmpty, "\(configuration): \(problems.joined(separator: "; "))")
            }
        }
    }

    @Test(arguments: LLVMConfiguration.all)
    func corpusAgreesWithInterpreter(configuration: LLVMConfiguration) throws {
        for file in try IRProgramCorpus.files() {
            let runs = file.cases.map { ProgramRun(function: $0.function, arguments: $0.arguments, input: $0.input) }
            let problems = try differences(file.module, runs, backend: configuration.backend)
            #expect(problems.isEmpty, "\(file.name) \(configuration): \(problems.joined(separator: "; "))")
        }
    }
}
