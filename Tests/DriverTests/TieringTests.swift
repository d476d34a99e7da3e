import BFFrontend
@testable import JitCtlCore
import JitCtl
import JitIR
import TestSupport
import Testing
import X86Backend

/// `auto` starts on x86 and moves running code to LLVM's. Wherever the move happens, the run
/// must give what the interpreter gives: output, result, trap, its position and the final memory.
/// `TierUpPolicy.compileAtPoll` makes the move happen at a chosen poll, so that the tests do not
/// depend on timing.
@Suite struct TieringTests {
    static func auto(atPoll n: Int, optLevel: Int = 2) -> any ExecutionEngine {
        BackendKind.auto.makeEngine(BackendOptions(llvmOptLevel: optLevel,
                                                   tierUp: TierUpPolicy(maximumCompiles: 1, compileAtPoll: n)))
    }

    static let hasLLVM = LLVMServicesRegistry.services != nil

    @Test(.enabled(if: hasLLVM), arguments: [1, 2, 3, 5, 17, 60])
    func everyIRProgramGivesItsResultWhereverItMoves(_ poll: Int) throws {
        var problems: [String] = []
        for c in try IRProgramCorpus.all() { problems += try c.check(with: Self.auto(atPoll: poll)) }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// Programs that move in the middle of their output, and just before they trap at either end
    /// of the tape, in every cell width.
    static let programs: [(source: String, input: [UInt8])] = [
        (",>,<[>.<-]", [3, 65]),
        (",[>+<-]>[.-]", [4]),
        (",[.,]", Array("tiering".utf8) + [0]),
        (",.[<]", [1]),
        (",.[>+]", [1]),
        (",[-<+>]", [3]),
        ("+>,>,>+[[-<+>]<]", [0, 3]),
        (",[>+++[>+++[>+>+<<-]<-]<-]>>>[.-]>[<<+>>-]<<<<<.", [3]),
    ]

    @Test(.enabled(if: hasLLVM), arguments: [8, 16, 32])
    func bfProgramsMatchTheInterpreterWhereverTheyMove(_ cellBits: Int) throws {
        for (source, input) in Self.programs {
            let module = try BFFrontend.compile(source: Array(source.utf8), file: "t.bf",
                                                options: BFOptions(cellBits: cellBits, tapeSize: 4096))
            let reference = try EngineOutcome.run(module, on: Interpreter(), input: input)
            for poll in 1...12 {
                let outcome = try EngineOutcome.run(module, on: Self.auto(atPoll: poll, optLevel: poll % 2 == 0 ? 2 : 0), input: input)
                #expect(outcome == reference, "\(source) moved at poll \(poll)")
            }
        }
    }

    @Test(.enabled(if: hasLLVM))
    func aMoveIsReportedAndRunsLLVMsCode() throws {
        let module = try BFFrontend.compile(source: Array(",[.-]".utf8), file: "t.bf", options: BFOptions())
        let program = try #require(try Self.auto(atPoll: 2).compile(module) as? TieredProgram)
        let io = ProgramIO(input: .bytes([3]))
        _ = try program.run("main", io: io)
        io.flush()
        #expect(io.allOutput == [3, 2, 1])
        let kinds = program.lastRunEvents.map(\.kind)
        #expect(kinds.count == 3)
        #expect(kinds.first == .compileStarted)
        #expect(kinds.last == .entered)
        #expect(program.lastRunEvents.last?.site.block != 0)
    }

    /// A site whose x86 code would pass fewer registers than the IR reads from there is never
    /// compiled: the run stays on x86 and gives its result.
    @Test(.enabled(if: hasLLVM))
    func aSiteWithoutItsRegistersIsSkipped() throws {
        let module = try IRText.parse(SampleModules.sumToText, file: "loop.ir")
        let program = try #require(try Self.auto(atPoll: 2).compile(module) as? TieredProgram)
        let loop = try #require(program.controller.sites.firstIndex { $0.block != 0 })
        #expect(program.controller.sites[loop].live.count == 3)
        program.controller.sites[loop].live.removeLast()
        let result = try program.run("sum_to", arguments: [10], io: ProgramIO(input: .bytes([])))
        #expect(result.value == 55)
        #expect(program.lastRunEvents.map(\.kind) == [.compileStarted, .skipped])
    }

    /// A skipped site does not stop the run from moving at the next site it reaches.
    @Test(.enabled(if: hasLLVM))
    func aRunMovesAtTheNextSiteAfterASkippedOne() throws {
        let module = try IRText.parse(SampleModules.sumToText, file: "loop.ir")
        let program = try #require(try Self.auto(atPoll: 1).compile(module) as? TieredProgram)
        let entry = try #require(program.controller.sites.firstIndex { $0.block == 0 })
        program.controller.sites[entry].live = []
        let result = try program.run("sum_to", arguments: [10], io: ProgramIO(input: .bytes([])))
        #expect(result.value == 55)
        let events = program.lastRunEvents
        #expect(events.map(\.kind).prefix(2) == [.compileStarted, .skipped])
        #expect(events.last?.kind == .entered && events.last?.site.block != 0, "\(events)")
    }

    /// Without a forced poll, sampling finds the loop that runs long, compiles it in the
    /// background, and the loop moves there while it runs. LLVM finishes the loop at once (it
    /// solves the sum), so the run ends soon after the move; without one, it takes seconds.
    @Test(.enabled(if: hasLLVM))
    func samplingMovesALongLoop() throws {
        let module = try IRText.parse(SampleModules.sumToText, file: "loop.ir")
        let policy = TierUpPolicy(firstSample: .milliseconds(1), samplePeriod: .milliseconds(1))
        var fast = policy
        fast.payback = 0
        fast.memoryPayback = 0
        let program = try #require(try TieredEngine(policy: fast).compile(module) as? TieredProgram)
        let n: Int64 = 4_000_000_000
        let result = try program.run("sum_to", arguments: [n], io: ProgramIO(input: .bytes([])))
        #expect(result.value == n / 2 * (n + 1))
        #expect(program.lastRunEvents.map(\.kind).contains(.entered))
    }

    /// A program that ends while its compile still runs: the compile finishes on its own thread,
    /// and nothing of the program is kept after it.
    @Test(.enabled(if: hasLLVM))
    func aCompileOutlivesItsProgramAndThenLetsGo() throws {
        let module = try IRText.parse(SampleModules.sumToText, file: "loop.ir")
        var policy = TierUpPolicy(firstSample: .milliseconds(1), samplePeriod: .milliseconds(1))
        policy.payback = 0
        policy.memoryPayback = 0
        weak var released: TieredProgram?
        do {
            let program = try #require(try TieredEngine(policy: policy).compile(module) as? TieredProgram)
            released = program
            // Runs until the first compile has started, then stops: each sum runs a few ms, longer
            // than the first sample waits, and shorter than a compile (200,000 was often over before
            // the sampler looked, and the test failed).
            var started = false
            for _ in 0..<2_000 where !started {
                _ = try program.run("sum_to", arguments: [4_000_000], io: ProgramIO(input: .bytes([])))
                started = program.lastRunEvents.contains { $0.kind == .compileStarted } || program.isCompiling
            }
            #expect(started)
        }
        // The program is gone at once, even if its compile is not done yet (that holds only what
        // it needs, and drops its result).
        #expect(released == nil)
    }

    /// A run that ends before its sampler thread has started waiting must not wait for it to sleep
    /// its first delay (here 2 s) before it can end.
    @Test func aRunEndsWithoutWaitingForTheSampler() throws {
        let module = try BFFrontend.compile(source: Array("+++.".utf8), file: "t.bf", options: BFOptions())
        let controller = TierUpController(module: module, sites: X86Backend.tierUpSites(module), compiler: WireCompiler(),
                                          options: BackendOptions(), policy: TierUpPolicy(firstSample: .seconds(2)))
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<5 {
            controller.begin()
            controller.end()
        }
        #expect(clock.now - start < .seconds(2))
    }

    @Test(.enabled(if: hasLLVM))
    func aShortRunNeverCompiles() throws {
        let module = try BFFrontend.compile(source: Array("+++.".utf8), file: "t.bf", options: BFOptions())
        let program = try #require(try TieredEngine().compile(module) as? TieredProgram)
        _ = try program.run("main", io: ProgramIO(input: .bytes([])))
        #expect(program.lastRunEvents.isEmpty)
        #expect(!program.isCompiling)
    }
}

@Suite("jitctl run --backend=auto")
struct TieringCommandTests {
    @Test func statsSayWhenTheRunMoved() throws {
        let path = try CLI.temporaryFile("echo.bf", ",[.,]")
        let r = try CLI.run(["run", "--backend=auto", "--stats", path], stdin: Array("tier\u{0}".utf8),
                            environment: ["JITCTL_AUTO_AT_POLL": "3"])
        #expect(r.status == 0)
        #expect(r.stdoutText == "tier")
        #expect(r.stderr.contains("now runs LLVM's code"), "\(r.stderr)")
    }

    /// `jitctl` stays itself (it never becomes `jitctl-llvm` and never maps LLVM) and has the
    /// compile done by a server process.
    @Test func jitctlCompilesInAServerAndStaysLean() throws {
        let path = try CLI.temporaryFile("count.bf", ",[.-]")
        let (r, files) = try StartupTests.mappedFiles(["run", "--backend=auto", "--stats", path],
                                                      stdin: [3], environment: ["JITCTL_AUTO_AT_POLL": "2"])
        #expect(r.status == 0)
        #expect(r.stdout == [3, 2, 1])
        #expect(r.stderr.contains("now runs LLVM's code"), "\(r.stderr)")
        #expect(files.contains { $0.hasSuffix("/jitctl") }, "\(files)")
        #expect(!files.contains { $0.hasSuffix("/jitctl-llvm") || $0.contains("libLLVM") }, "\(files)")
    }

    @Test func aTrapAfterTheMoveIsReportedWithItsPosition() throws {
        let path = try CLI.temporaryFile("left.bf", "+>+>+\n[.<]")
        let r = try CLI.run(["run", "--backend=auto", path], environment: ["JITCTL_AUTO_AT_POLL": "2"])
        #expect(r.status == 3)
        #expect(r.stdout == [1, 1, 1])
        #expect(r.stderr.contains("left.bf:2:4: trap:"), "\(r.stderr)")  // the loop test reads cell -1
    }
}
