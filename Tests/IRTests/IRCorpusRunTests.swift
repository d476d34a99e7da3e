import JitIR
import Testing
import TestSupport

/// Every run of every corpus program on the reference interpreter, against the
/// expectations written in the program (with and without its fast paths).
struct IRCorpusRunTests {
    static let cases: [IRProgramCase] = (try? IRProgramCorpus.all()) ?? []

    @Test func thereAreCases() {
        #expect(Self.cases.count >= 100)
    }

    @Test(arguments: cases)
    func interpreterMeetsExpectations(_ c: IRProgramCase) throws {
        for mismatch in try c.check(with: Interpreter()) { Issue.record("\(mismatch)") }
    }

    @Test(arguments: cases)
    func generalPathMeetsExpectations(_ c: IRProgramCase) throws {
        for mismatch in try c.check(with: Interpreter(specializes: false)) { Issue.record("\(mismatch)") }
    }

    /// All runs of one file on one compiled program: memory is zero at the start of each.
    @Test func runsShareACompiledProgram() throws {
        for file in try IRProgramCorpus.files() {
            let program = try Interpreter().compile(file.module)
            for c in file.cases {
                let io = c.makeIO()
                let result = try program.run(c.function, arguments: c.arguments, io: io)
                for mismatch in c.mismatches(result, output: io.allOutput) { Issue.record("\(mismatch)") }
            }
        }
    }
}
