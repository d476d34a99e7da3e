import BFFrontend
import JitIR
import Testing

/// A tape of whole pages gets guard regions instead of explicit checks: an access within
/// `BFFrontend.tapeGuardBytes` of a cell known to be on the tape traps by faulting there.
@Suite struct GuardedTapeTests {
    static func module(_ source: String, _ options: BFOptions = BFOptions()) throws -> Module {
        let m = try BFFrontend.compile(source: Array(source.utf8), file: "g.bf", options: options)
        try IRVerifier.verify(m)
        return m
    }

    static func trapIfs(_ m: Module) -> Int {
        m.functions[0].blocks.flatMap(\.instructions).filter { if case .trapIf = $0.op { true } else { false } }.count
    }

    @Test func wholePageTapesAreGuarded() throws {
        #expect(try Self.module("+").guardBytes == BFFrontend.tapeGuardBytes)
        for bits in [8, 16, 32] {
            #expect(try Self.module("+", BFOptions(cellBits: bits, tapeSize: 4096)).guardBytes == BFFrontend.tapeGuardBytes)
        }
        // Not whole pages, or not optimised: explicit checks only.
        #expect(try Self.module("+", BFOptions(tapeSize: 30_000)).guardBytes == 0)
        #expect(try Self.module("+", BFOptions(optimize: false)).guardBytes == 0)
    }

    @Test func accessesNearKnownCellsNeedNoCheck() throws {
        // The first access has no known cell to measure from; every later one is near one.
        let source = "+>>>+<<<<+>+>+[>>+<<-]>[<]."
        #expect(Self.trapIfs(try Self.module(source)) == 1)
        #expect(Self.trapIfs(try Self.module(source, BFOptions(tapeSize: 30_000))) == 3)
    }

    /// A multiply that adds to the cell it counts with in the next iteration of a loop that
    /// walks (life's `[-[>>>>+<<<<-]>>>>]`) branches on its count instead of selecting its
    /// target's address; one whose target is elsewhere stays branch-free. Both keep the
    /// meaning when the walk runs off the end of the tape.
    @Test func aMultiplyIntoTheNextIterationsCountBranches() throws {
        // Selects of addresses; the loop's peeled first iteration (which runs once) keeps its own.
        let selects = { (source: String) in
            try Self.module(source).functions[0].blocks.flatMap(\.instructions).filter {
                if case .select = $0.op, $0.loc.column > 2 { true } else { false }
            }.count
        }
        #expect(try selects(",[-[>>>>+<<<<-]>>>>]") == 1)
        #expect(try selects(",[-[>>>+<<<-]>>>>]") == 2)
        for walk in [",[-[>>>>+<<<<-]>>>>]", ",[-[>>>+<<<-]>>>>]"] {
            for start in [4070, 4080, 4085, 4090] {
                let source = String(repeating: ">", count: start) + walk
                let run = { (options: BFOptions) in
                    let module = try BFFrontend.compile(source: Array(source.utf8), file: "g.bf", options: options)
                    return try Interpreter().compile(module).run("main", arguments: [], io: ProgramIO(input: .bytes([5])),
                                                                 options: RunOptions(captureMemory: true))
                }
                let literal = try run(BFOptions(tapeSize: 4096, optimize: false))
                let optimized = try run(BFOptions(tapeSize: 4096))
                #expect(optimized.trap == literal.trap && optimized.memory == literal.memory, "\(walk) from \(start)")
            }
        }
    }

    /// A branch-free multiply writes the first iteration's terms before its unknown target
    /// (`[3]` here) for real. A zero target whose factor is 0 (`[0]`, `<+` and later `<-`)
    /// gets no product stored over that write, so it must be taken back (lostkingdom).
    @Test func aZeroTargetWithFactorZeroIsTakenBack() throws {
        let source = Array(">+>+<[<]>[<+>>>+<<<->-]<.".utf8)
        let literal = try IRRunner.outcome(source: source, options: BFOptions(optimize: false))
        let optimized = try IRRunner.outcome(source: source, options: BFOptions())
        #expect(literal.output == [0])
        #expect(optimized == literal)
    }

    @Test func aJumpBeyondTheGuardKeepsItsCheck() throws {
        let options = BFOptions(cellBits: 16, tapeSize: 4096)
        let reach = BFFrontend.tapeGuardBytes / 2  // cells of 2 bytes
        let near = "+" + String(repeating: ">", count: reach) + "+"
        let far = "+" + String(repeating: ">", count: reach + 1) + "+"
        #expect(Self.trapIfs(try Self.module(near, options)) == 1)
        #expect(Self.trapIfs(try Self.module(far, options)) == 2)
    }

    @Test func inputKeepsItsCheck() throws {
        // `,` reads before it stores: its check keeps the input it would consume unread.
        #expect(Self.trapIfs(try Self.module("+<,")) == 2)
    }
}
