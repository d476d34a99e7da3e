import BFFrontend
import JitIR
import LLVMBackend
import Testing

/// LLVM's code cannot say which access faulted in a guard region, so the run is replayed on
/// `LLVMBackend.replayEngine` (here the default, the interpreter) from the input it consumed.
struct GuardReplayTests {
    static func module(_ source: String) throws -> Module {
        let m = try BFFrontend.compile(source: Array(source.utf8), file: "r.bf", options: BFOptions())
        #expect(m.guardBytes > 0)
        return m
    }

    @Test(arguments: LLVMConfiguration.all)
    func aFaultIsReportedAtItsCommandWithTheOutputBeforeIt(_ configuration: LLVMConfiguration) throws {
        let program = try configuration.backend.compile(try Self.module(",.,.>+<,.<<."))
        let io = ProgramIO(input: .bytes([7, 8, 9, 10]), output: .capture)
        let result = try program.run("main", arguments: [], io: io, options: RunOptions(captureMemory: true))
        #expect(result.trap?.kind == .outOfBounds)
        #expect(result.trap?.loc == SourceLoc(line: 1, column: 12))
        #expect(io.allOutput == [7, 8, 9])
        // The tape as the trap left it: cell 0 holds the third byte read.
        #expect(result.memory.map { Array($0.prefix(2)) } == [9, 1])
    }

    /// A `ProgramIO` that served earlier runs: the replay takes only this run's input and
    /// keeps the earlier output as it was.
    @Test func aReusedIOReplaysOnlyItsOwnRun() throws {
        let program = try LLVMBackend().compile(try Self.module(",.<."))
        let io = ProgramIO(input: .bytes([1, 2, 3]), output: .capture)
        for expected in [[1], [1, 2], [1, 2, 3]] as [[UInt8]] {
            let result = try program.run("main", arguments: [], io: io, options: RunOptions())
            #expect(result.trap?.loc == SourceLoc(line: 1, column: 4))
            #expect(io.allOutput == expected)
        }
    }

    @Test func programsThatDoNotFaultRunAsBefore() throws {
        let program = try LLVMBackend().compile(try Self.module("++++++[>++++++++<-]>."))
        let io = ProgramIO(output: .capture)
        #expect(try program.run("main", io: io).trap == nil)
        #expect(io.allOutput == [48])
    }
}
