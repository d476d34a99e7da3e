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

    /// A probe right before a store becomes a volatile store (FunctionLowering): a store LLVM may
    /// not drop, although the next store to the cell, after some output, overwrites it.
    @Test(arguments: LLVMConfiguration.all)
    func aProbedStoreFaultsBeforeTheOutputAfterIt(_ configuration: LLVMConfiguration) throws {
        var f = FunctionBuilder(name: "main")
        let p = f.copy(.i64, .imm(0))
        f.store(.i8, .imm(5), base: p)
        f.loc = SourceLoc(line: 2, column: 1)
        f.append(.probe(type: .i8, base: p, offset: 6000))
        f.store(.i8, .imm(1), base: p, offset: 6000)
        f.loc = SourceLoc(line: 3, column: 1)
        _ = f.hostCall(.putByte, [.imm(7)])
        f.store(.i8, .imm(2), base: p, offset: 6000)
        f.ret(nil)
        let module = Module(memorySize: 4096, guardBytes: 4096, functions: [try f.finish()])
        let program = try configuration.backend.compile(module)
        let io = ProgramIO(output: .capture)
        let result = try program.run("main", arguments: [], io: io, options: RunOptions(captureMemory: true))
        #expect(result.trap?.kind == .outOfBounds)
        #expect(result.trap?.loc == SourceLoc(line: 2, column: 1))
        #expect(io.allOutput.isEmpty)
        #expect(result.memory.map { Array($0.prefix(1)) } == [5])
    }
}
