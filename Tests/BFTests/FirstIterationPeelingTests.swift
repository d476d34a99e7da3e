import BFFrontend
import JitIR
import Testing

/// `peel-first-iteration`: `[B]` becomes `[B [B]]` for small innermost loops with a multiply,
/// and the result traps, writes and leaves the tape exactly as the loop it replaces.
@Suite struct FirstIterationPeelingTests {
    static let options = BFOptions(tapeSize: 64)
    static let context = BFPassContext(options: options)

    /// The pipeline up to (not including) the peeling, then the peeling.
    static func beforeAndAfter(_ source: String) throws -> (before: [BFOp], after: [BFOp]) {
        let passes = BFPipeline.passes.filter { !($0 is FirstIterationPeeling) }
        let before = BFPipeline.run(try literalOps(source), options: options, passes: passes)
        return (before, FirstIterationPeeling().run(before, context))
    }

    @Test func aMovingLoopWithAMultiplyRunsItsFirstIterationOnItsOwn() throws {
        // Mandelbrot's shape: walk left, moving a cell 9 to the right at every stop.
        let (before, after) = try Self.beforeAndAfter(",[>[->>>>>>>>>+<<<<<<<<<]<<<<<<<<<<]")
        guard case .loop(let body, let open, let close)? = before.last,
              case .loop(let peeled, let open2, let close2)? = after.last else {
            Issue.record("\(before) -> \(after)"); return
        }
        #expect(open2 == open && close2 == close)
        // The later iterations' multiply adds to the cell the previous one cleared.
        var later = body
        if case .multiply(var m) = later[0] {
            m.zeroTargets = [9]
            later[0] = .multiply(m)
        }
        #expect(peeled == body + [.loop(body: later, open: close, close: close)])
    }

    @Test(arguments: [
        ",[>,<-]",                     // no multiply
        ",[>[-]<[->+<]>[>]<-]",        // a nested scan
        ",[>,[->+<]<-]",               // input
        ",[>[->+<]<[->+<]]",           // ends by clearing its own cell: runs at most once already
    ])
    func otherLoopsStayAsTheyAre(_ source: String) throws {
        let (before, after) = try Self.beforeAndAfter(source)
        #expect(after == before)
    }

    /// A loop whose later iterations learn nothing (factor's `[>>>>>>[->++<]>>>>]`) is left to
    /// the lowering, which runs its first iteration on its own only where the code before holds
    /// a cell of its multiply in a register.
    @Test func theLoweringPeelsWhereTheMultiplysCellsAreHeld() throws {
        let loop = "[>>>>>>[->++<]>>>>]"
        let (before, after) = try Self.beforeAndAfter(",[<]," + loop)
        #expect(after == before)
        // How many times the multiply is lowered: its instructions carry its `[`'s column.
        let copies = { (prefix: String) in
            let source = prefix + loop
            let column = source.count - loop.count + 8
            let module = try BFFrontend.compile(source: Array(source.utf8), file: "p.bf", options: BFOptions())
            return Set(module.functions[0].blocks.indices.filter { b in
                module.functions[0].blocks[b].instructions.contains { $0.loc.column == column }
            }).count
        }
        let held = try copies(",[<],>>>>>>+>+<<<<<<<")  // cells 6 and 7 just updated, in registers
        let notHeld = try copies(",[<],")                 // after input, no register is kept
        #expect(held > notHeld, "\(held) blocks against \(notHeld)")
        for input: [UInt8] in [[0, 0], [0, 3], [0, 200]] {
            let source = Array((",[<],>>>>>>+>+<<<<<<<" + loop + ".").utf8)
            let literal = try IRRunner.outcome(source: source, options: BFOptions(tapeSize: 4096, optimize: false), input: input)
            #expect(try IRRunner.outcome(source: source, options: BFOptions(tapeSize: 4096), input: input) == literal)
        }
    }

    @Test func aPeeledLoopIsNotPeeledAgain() throws {
        let (_, once) = try Self.beforeAndAfter(",[>[->>+<<]<]")
        #expect(FirstIterationPeeling().run(once, Self.context) == once)
    }

    /// Traps in the first iteration, in a later one, and none, on the literal program and the
    /// peeled one, through the lowering, with and without guard regions.
    @Test(arguments: [
        (">>,[<[-<+>]<]", [UInt8(3)]),         // walks off the left edge: the multiply's target traps
        (">,[[-<+>]<]", [UInt8(1)]),           // the multiply's counter is 0 at the first stop
        (">>>>,[<[->>+<<]<]", [UInt8(9)]),     // stays on the tape
        (">,[-[-<+>]>>+<]", [UInt8(5)]),       // balanced, stays on the tape
        (">,[>[-<<+>>]<-]<<<[-]", [UInt8(4)]),
        (">>>>>>>>>,[>+<[->>>>>>>>>+<<<<<<<<<]<<<<<<<<<<]>.", [UInt8(3)]),
        (">>,[>+<[->>>>>>>>>+<<<<<<<<<]<<<<<<<<<<]", [UInt8(3)]),  // traps at the left edge
    ])
    func peeledLoopsBehaveAsTheOriginal(_ source: String, _ input: [UInt8]) throws {
        for tapeSize in [64, 4096] {
            let options = BFOptions(tapeSize: tapeSize)
            let reference = try IRRunner.outcome(source: Array(source.utf8), options: BFOptions(tapeSize: tapeSize, optimize: false), input: input)
            let optimized = try IRRunner.outcome(source: Array(source.utf8), options: options, input: input)
            #expect(optimized == reference, "\(source), tape \(tapeSize)")
            let ops = BFPipeline.run(try literalOps(source), options: options)
            #expect(OpEvaluator.run(ops, options: options, input: input) == reference, "\(source), tape \(tapeSize)")
        }
    }
}
