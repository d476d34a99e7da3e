import BFFrontend
import JitIR
@testable import LLVMBackend
import Testing

/// Large functions are cut into pieces (`OutlinePlan`), compiled when first called, first
/// quickly and again at the full level once hot (`LazyPieces`). None of it may change what a
/// program does: output, traps (kind, position, function), the tape at the end.
struct OutliningTests {
    static func bf(_ source: String, guarded: Bool = true) throws -> Module {
        var options = BFOptions()
        if !guarded { options.tapeSize = 30_000 }  // not whole pages: explicit checks
        return try BFFrontend.compile(source: Array(source.utf8), file: "o.bf", options: options)
    }

    /// Many loops, each with a little work, the last few nested: far over a small cap.
    static let manyLoops = String(repeating: "++++[>+++[>++<-]<-]>>[-<<+>>]<<.", count: 12) + "+[>++[>+++[-]<-]<-]"

    /// A backend that outlines pieces of a few instructions; lazy with tiering from the first
    /// loop iterations on, for any module size; compiling `ahead` instructions ahead of need.
    static func backend(cap: Int = 12, lazy: Bool = true, tierUp: Int = 0, engine: LLVMEngineKind = .orc,
                        optLevel: Int = 2, ahead: Int = 0, loopEntry: Int = LLVMOutlining.defaultLoopEntryIterations,
                        loopEntrySize: Int = LLVMOutlining.defaultLoopEntryInstructions) -> LLVMBackend {
        var b = LLVMBackend(optLevel: optLevel, engine: engine)
        b.outlining = LLVMOutlining(pieceInstructions: cap, lazy: lazy, tierUpCalls: tierUp, tieringInstructions: 0,
                                    aheadInstructions: ahead, loopEntryIterations: loopEntry,
                                    loopEntryInstructions: loopEntrySize)
        return b
    }

    @Test func aProgramOverTheCapBecomesSeveralFunctionsAndTheRestStaysWhole() throws {
        let module = try Self.bf(Self.manyLoops)
        let split = try Self.backend().compile(module) as! LLVMCompiledProgram
        #expect(split.pieceCount > 10)
        let whole = try LLVMBackend().compile(try Self.bf("+[-]")) as! LLVMCompiledProgram
        #expect(whole.pieceCount == 1)
        #expect(try differences(module, [ProgramRun(function: "main", arguments: [])], backend: Self.backend()).isEmpty)
    }

    /// Every outlined piece holds at most the cap of its own, unless its root block alone is
    /// larger. (The function's own piece keeps the code that returns.)
    @Test func piecesStayUnderTheCap() throws {
        let function = try Self.bf(Self.manyLoops).functions[0]
        for cap in [8, 40, function.instructionCount / 2] {
            let plan = OutlinePlan(function, cap: cap)
            #expect(plan.pieces.count > 1)
            for piece in plan.pieces {
                guard piece.parent != nil else { continue }
                let rootSize = function.blocks[piece.root].instructions.count + 1
                #expect(piece.size <= max(cap, rootSize), "piece at block \(piece.root): \(piece.size)")
            }
        }
    }

    @Test(arguments: [(LLVMEngineKind.orc, 0), (.orc, 2), (.orc, 3), (.mcjit, 0), (.mcjit, 2)])
    func trapsInsideOutlinedLoopsMatchTheInterpreter(_ engine: LLVMEngineKind, _ tierUp: Int) throws {
        // Output, then walks left off the tape inside a nested loop: an explicit check on a
        // tape of 30,000 cells, a guard-region fault (replayed) on the default one.
        let source = "++++++++[>++++++<-]>.+.<+++[>[<<<]+.<]"
        for guarded in [false, true] {
            let module = try Self.bf(source, guarded: guarded)
            let problems = try differences(module, [ProgramRun(function: "main", arguments: [])],
                                           backend: Self.backend(cap: 6, tierUp: tierUp, engine: engine))
            #expect(problems.isEmpty, "\(guarded ? "guarded" : "checked"): \(problems)")
        }
    }

    /// Pieces compiled ahead of need, on a thread of their own, while the program runs (and
    /// while the run's thread compiles others, when it would otherwise wait) change nothing;
    /// with tiering, they are compiled quickly and tier up as before.
    @Test(.enabled(if: LazyPieces.canCompileInBackground, "one processor: nothing compiles in the background"),
          arguments: [(false, 0), (true, 0), (true, 3)])
    func piecesCompiledAheadOfNeedMatchTheInterpreter(_ guarded: Bool, _ tierUp: Int) async throws {
        let module = try Self.bf(Self.manyLoops + "<<<<<<<<[<]", guarded: guarded)
        let backend = Self.backend(cap: 8, tierUp: tierUp, ahead: 1_000_000)
        let program = try backend.compile(module) as! LLVMCompiledProgram
        // Wait for the compiles ahead (they need not all be done before the run).
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while let s = program.lazyStatistics, s.compiled < s.lazyPieces, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        let statistics = try #require(program.lazyStatistics)
        #expect(statistics.compiledAhead == statistics.lazyPieces && statistics.compiled == statistics.lazyPieces,
                "\(statistics)")
        #expect(try differences(module, [ProgramRun(function: "main", arguments: [])], backend: backend).isEmpty)
    }

    /// Only pieces up to the budget are compiled ahead; the others wait for their first call.
    @Test(.enabled(if: LazyPieces.canCompileInBackground, "one processor: nothing compiles in the background"))
    func compilingAheadStopsAtItsBudget() async throws {
        let module = try Self.bf(Self.manyLoops)
        let layout = OutlineLayout(module, options: LLVMOutlining(pieceInstructions: 8), lazyAllowed: true)
        let (f, p) = try #require(layout.lazySlots.first)
        // Room for the first piece only.
        let program = try Self.backend(cap: 8, ahead: layout.plans[f].pieces[p].size).compile(module) as! LLVMCompiledProgram
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while let s = program.lazyStatistics, s.compiled == 0, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        try await Task.sleep(for: .milliseconds(100))  // time enough to compile another, were it allowed
        let statistics = try #require(program.lazyStatistics)
        #expect(statistics.lazyPieces > 2 && statistics.compiledAhead == 1 && statistics.compiled == 1, "\(statistics)")
    }

    @Test func aLoopThatIsNeverEnteredIsNeverCompiled() throws {
        // Cell 0 is the input byte, 0, so the big loop never runs; the small one after it does.
        let cold = ",[" + String(repeating: ">+++[-<++>]<.", count: 20) + "]+++[>++<-]>."
        let program = try Self.backend(cap: 30).compile(try Self.bf(cold)) as! LLVMCompiledProgram
        let before = try #require(program.lazyStatistics)
        #expect(before.lazyPieces >= 1 && before.compiled == 0)
        let io = ProgramIO(input: .bytes([0]), output: .capture)
        #expect(try program.run("main", arguments: [], io: io).trap == nil)
        #expect(io.allOutput == [6])
        let after = try #require(program.lazyStatistics)
        #expect(after.compiled < after.lazyPieces, "\(after)")
    }

    /// A loop that runs long in its quick code returns once it is hot and is called again at the
    /// full level where it left off; pieces called often are compiled again too.
    @Test func hotPiecesAreCompiledAgainAndGoOnWhereTheyLeftOff() throws {
        // Counts read from the input, so that the BF passes cannot work the loops out.
        let source = ",[>,[>,[>+>+<<-]>[-<+>]<<-]<-]>>>." + String(repeating: "[-]+[>+<-]>.", count: 3)
        let module = try Self.bf(source)
        let backend = Self.backend(cap: 10, tierUp: 5)
        let program = try backend.compile(module) as! LLVMCompiledProgram
        let io = ProgramIO(input: .bytes([9, 9, 3]), output: .capture)
        _ = try program.run("main", arguments: [], io: io)
        let statistics = try #require(program.lazyStatistics)
        #expect(statistics.compiled > statistics.lazyPieces, "\(statistics)")
        let run = ProgramRun(function: "main", arguments: [], input: [9, 9, 3])
        #expect(try differences(module, [run], backend: backend).isEmpty)
    }

    /// With a background thread, the full level a hot piece asks for is compiled there while the
    /// quick code goes on; the loop moves to it when it is ready, and nothing changes.
    @Test(.enabled(if: LazyPieces.canCompileInBackground, "one processor: nothing compiles in the background"))
    func hotPiecesTierUpInTheBackgroundAndGoOnWhereTheyLeftOff() async throws {
        let source = ",[>,[>,[>+>+<<-]>[-<+>]<<-]<-]>>>." + String(repeating: "[-]+[>+<-]>.", count: 3)
        let module = try Self.bf(source)
        let backend = Self.backend(cap: 10, tierUp: 5, ahead: 1_000_000)
        let input: [UInt8] = [200, 200, 3]
        let program = try backend.compile(module) as! LLVMCompiledProgram
        let io = ProgramIO(input: .bytes(input), output: .capture)
        _ = try program.run("main", arguments: [], io: io)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while let s = program.lazyStatistics, s.compiled <= s.lazyPieces, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        let statistics = try #require(program.lazyStatistics)
        #expect(statistics.compiled > statistics.lazyPieces && statistics.compiledAhead > 0, "\(statistics)")
        let run = ProgramRun(function: "main", arguments: [], input: input)
        #expect(try differences(module, [run], backend: backend).isEmpty)
    }

    /// A loop inside a piece, not back to its root, that runs long in one call of its quick code
    /// is compiled alone at the full level and called from there on (a loop entry); the quick
    /// code goes on where that leaves the loop, and then walks off the tape.
    @Test(arguments: [false, true])
    func hotInnerLoopsOfQuickCodeMoveToLoopEntries(_ guarded: Bool) async throws {
        // The outer loop is one piece, called once; its inner loop (counts from the input, and
        // output, so that the BF passes leave it a loop) is a loop entry.
        let source = ",>,<[>[>.+<-]>[-<+>]<<-]>[<<<]"
        let module = try Self.bf(source, guarded: guarded)
        // The largest piece size that cuts the function and leaves a loop inside a piece.
        func layout(_ cap: Int) -> OutlineLayout {
            OutlineLayout(module, options: LLVMOutlining(pieceInstructions: cap, tieringInstructions: 0,
                                                         loopEntryInstructions: 1_000), lazyAllowed: true)
        }
        let size = module.functions[0].instructionCount
        let cap = try #require(stride(from: size - 1, through: 4, by: -1).first { !layout($0).loopEntrySlots.isEmpty })
        let input: [UInt8] = [60, 50]
        let run = ProgramRun(function: "main", arguments: [], input: input)
        for ahead in [0, 1_000_000] {
            let backend = Self.backend(cap: cap, tierUp: 1_000_000, ahead: ahead, loopEntry: 20, loopEntrySize: 1_000)
            let program = try backend.compile(module) as! LLVMCompiledProgram
            let io = ProgramIO(input: .bytes(input), output: .capture)
            #expect(try program.run("main", arguments: [], io: io).trap?.kind == .outOfBounds)
            // On the run's thread the loop entry is compiled when asked for; on the background
            // thread, perhaps only after the run.
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(20)
            while let s = program.lazyStatistics, s.loopEntries == 0, ahead > 0, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            let statistics = try #require(program.lazyStatistics)
            #expect(statistics.loopEntries == 1, "cap \(cap), ahead \(ahead): \(statistics)")
            #expect(try differences(module, [run], backend: backend).isEmpty, "ahead \(ahead)")
        }
    }

    /// With loop entries off, or loops larger than their cap, the plan describes none.
    @Test func loopEntriesOnlyForSmallLoopsAndWhenAskedFor() throws {
        let module = try Self.bf(String(repeating: ",>,<[>[>.+<-]>[-<+>]<<-]", count: 4))
        for (iterations, size, expected) in [(0, 1_000, false), (20, 1, false), (20, 1_000, true)] {
            let options = LLVMOutlining(pieceInstructions: 30, tieringInstructions: 0, loopEntryIterations: iterations,
                                        loopEntryInstructions: size)
            let layout = OutlineLayout(module, options: options, lazyAllowed: true)
            #expect(layout.loopEntrySlots.isEmpty != expected, "\(iterations), \(size)")
        }
    }

    /// The BF test hook's fuel register lives through every piece, and runs out in one.
    @Test func fuelCountedInARegisterRunsOutAtTheSamePlace() throws {
        let ops = try BFFrontend.ops(source: Array(Self.manyLoops.utf8), file: "f.bf", options: BFOptions())
        for limit in [5, 40, 1_000] {
            let module = try BFFrontend.lower(ops, file: "f.bf", options: BFOptions(),
                                              hooks: BFTestHooks(loopIterationLimit: limit))
            let problems = try differences(module, [ProgramRun(function: "main", arguments: [])],
                                           backend: Self.backend(cap: 8, tierUp: 3))
            #expect(problems.isEmpty, "limit \(limit): \(problems)")
        }
    }

    /// Bytecode-like code with calls and recursion keeps its pieces in its own module, and the
    /// call budget travels through them.
    @Test func callsAndTheRecursionRuleThroughPieces() throws {
        var f = FunctionBuilder(name: "sum", parameters: [.i64], result: .i64)
        let n = f.parameter(0)
        let acc = f.newRegister(.i64), i = f.newRegister(.i64)
        f.assign(acc, .imm(0))
        f.assign(i, .imm(0))
        let head = f.newBlock("head"), body = f.newBlock("body"), done = f.newBlock("done")
        f.jump(head)
        f.position(at: head)
        f.loc = SourceLoc(line: 2, column: 1)
        let more = f.compare(.slt, .i64, .reg(i), .reg(n))
        f.branch(.reg(more), body, done)
        f.position(at: body)
        f.loc = SourceLoc(line: 3, column: 5)
        let inner = f.call("sum", [.reg(i)], result: .i64)!
        f.append(.binary(.add, dst: acc, lhs: .reg(acc), rhs: .reg(inner), checked: true))
        f.append(.binary(.add, dst: i, lhs: .reg(i), rhs: .imm(1), checked: false))
        f.jump(head)
        f.position(at: done)
        f.append(.binary(.add, dst: acc, lhs: .reg(acc), rhs: .reg(n), checked: true))
        f.ret(.reg(acc))
        let module = Module(functions: [try f.finish()])
        let runs = [0, 1, 5, 12].map { ProgramRun(function: "sum", arguments: [$0]) }
        for engine in LLVMEngineKind.allCases {
            #expect(try differences(module, runs, backend: Self.backend(cap: 3, engine: engine)).isEmpty)
        }
        let program = try Self.backend(cap: 3).compile(module) as! LLVMCompiledProgram
        #expect(program.pieceCount > 1 && program.lazyStatistics == nil)
    }
}
