import BFFrontend
import JitIR
import Testing

/// What the lowered IR looks like: checks where they are needed and only
/// there, cell updates as load/add/store on one address, rotated loops,
/// a handful of registers.
///
/// The tape here is 30,000 cells, not a whole number of pages, so it has no guard regions and
/// every check the lowering needs is explicit (GuardedTapeTests covers the guarded tape).
@Suite struct LoweringShapeTests {
    static func compile(_ source: String, _ options: BFOptions = BFOptions(tapeSize: 30_000)) throws -> Function {
        let module = try BFFrontend.compile(source: Array(source.utf8), file: "shape.bf", options: options)
        try IRVerifier.verify(module)
        return module.functions[0]
    }

    static func instructions(_ f: Function) -> [Instruction] { f.blocks.flatMap(\.instructions) }

    static func trapIfs(_ f: Function) -> Int {
        instructions(f).filter { if case .trapIf = $0.op { true } else { false } }.count
    }

    @Test func straightLineChecksCoverTheRangeBetween() throws {
        // Offsets 3 then 0 are checked; 1 and 2 lie between.
        #expect(Self.trapIfs(try Self.compile(">>>+<<<+>+>+")) == 2)
        #expect(Self.trapIfs(try Self.compile(">>>+<<<+>+>+", BFOptions(optimize: false))) == 4)
    }

    /// How many instructions add a constant to the pointer register (an `i64` added to itself).
    static func pointerMoves(_ f: Function) -> Int {
        instructions(f).filter {
            guard case .binary(.add, let d, .reg(let l), .imm, _) = $0.op else { return false }
            return d == l && f.type(of: d) == .i64
        }.count
    }

    @Test func movesBetweenLoopsBecomeDisplacements() throws {
        // Straight-line moves never touch the register; neither do those around a balanced loop.
        #expect(Self.pointerMoves(try Self.compile(">+>+>+<<<-")) == 0)
        #expect(Self.pointerMoves(try Self.compile(">>,[<+>.-]<<.")) == 0)
        // A loop that moves by one cell each time catches up once per iteration, at its end.
        #expect(Self.pointerMoves(try Self.compile(">>,[>>+<.]<<<.")) == 1)
        // A scan starts from the Brainfuck pointer: the register catches up before it.
        #expect(Self.pointerMoves(try Self.compile(">>>,[>>]<.")) == 2)
    }

    @Test func checksPositionedAtTheTouchingCommand() throws {
        let f = try Self.compile(">>\n >+<<<<.")
        let locs = Self.instructions(f).filter { if case .trapIf = $0.op { true } else { false } }.map(\.loc)
        #expect(locs == [SourceLoc(line: 2, column: 3), SourceLoc(line: 2, column: 8)])
    }

    @Test func balancedLoopBodyReusesChecksFromBeforeTheLoop() throws {
        // Cells 0 and 1 are checked by the two reads; the loop needs nothing more.
        let f = try Self.compile(",>,<[>.<-]")
        #expect(Self.trapIfs(f) == 2)
    }

    @Test func cellUpdateIsLoadAddStoreOnOneAddress() throws {
        let f = try Self.compile(",>,<[>+++<-.]")
        let body = Self.instructions(f)
        var found = 0
        for i in 0..<(body.count - 2) {
            guard case .load(let v, let base, let off) = body[i].op,
                  case .binary(.add, let d, .reg(v), .imm(3), false) = body[i + 1].op, d == v,
                  case .store(.i8, .reg(v), base, off) = body[i + 2].op else { continue }
            #expect(off == 1)
            found += 1
        }
        #expect(found == 1)
    }

    @Test(arguments: [",[.,]", ",[.>,]", ",[-.]"])
    func loopsAreRotatedCompareAndBranchOnTheCell(source: String) throws {
        let f = try Self.compile(source)
        let backEdges = f.blocks.enumerated().filter { i, b in b.terminator.successors.contains { $0.index <= i } }
        #expect(backEdges.count == 1)
        let (_, block) = try #require(backEdges.first)
        // The loop ends `compare ne cell, 0; branch` on the register holding the
        // cell (loaded, or still there from the last update: no reload).
        guard case .branch(.reg(let c), _, _) = block.terminator,
              case .compare(.ne, .i8, c, .reg(let v), .imm(0)) = block.instructions.last?.op else {
            Issue.record("loop end is not compare ne 0; branch: \(block)")
            return
        }
        #expect(f.type(of: v) == .i8)
    }

    /// A loop test right after an update of its cell tests the register the update stored
    /// (`CellCache`): no reload of what was just written.
    @Test func loopTestsReuseTheUpdatedCell() throws {
        let f = try Self.compile(",[>.<-]", BFOptions(eof: .zero, tapeSize: 30_000))
        var tested = 0
        for block in f.blocks {
            guard case .branch(.reg(let c), let t, _) = block.terminator, t.index <= f.blocks.firstIndex(of: block)! else { continue }
            let n = block.instructions.count
            guard n >= 2, case .compare(.ne, .i8, c, .reg(let v), .imm(0)) = block.instructions[n - 1].op,
                  case .store(.i8, .reg(v), _, 0) = block.instructions[n - 2].op else {
                Issue.record("the test at ] does not test the value just stored: \(block)")
                continue
            }
            tested += 1
        }
        #expect(tested == 1)
        let loads = Self.instructions(f).filter { if case .load(_, _, 0) = $0.op { true } else { false } }
        // The test at `[` and the `-` (after the output, which keeps no cell in a register).
        #expect(loads.count == 2, "\(f.blocks)")
    }

    @Test func multiplyLoopHasNoLoopAndTrapPathsComeLast() throws {
        let f = try Self.compile(",[->++>+++<<]>>.")
        let backEdges = f.blocks.enumerated().filter { i, b in b.terminator.successors.contains { $0.index <= i } }
        #expect(backEdges.isEmpty)
        let muls = Self.instructions(f).filter { if case .binary(.mul, _, _, .imm, _) = $0.op { true } else { false } }
        #expect(muls.count == 2)
        // The two targets need partial-write trap paths (the counter's `-` came first), laid out last.
        let trapBlocks = f.blocks.indices.filter { if case .trap = f.blocks[$0].terminator { true } else { false } }
        #expect(trapBlocks == [f.blocks.count - 2, f.blocks.count - 1])
        #expect(trapBlocks.first.map { f.blocks[$0].terminatorLoc } == SourceLoc(line: 1, column: 5))
    }

    @Test func fewRegistersForLargePrograms() throws {
        var g = ProgramGenerator(seed: 42)
        let source = (0..<200).flatMap { _ in g.program() }
        for optimize in [true, false] {
            for bits in [8, 32] {
                for eof in BFOptions.EOFMode.allCases {
                    let module = try BFFrontend.compile(source: source, file: "big.bf",
                                                        options: BFOptions(cellBits: bits, eof: eof, optimize: optimize))
                    try IRVerifier.verify(module)
                    // Pointer, 6 scratch registers and at most 6 cells held in registers live
                    // across blocks; other registers are temporaries of one block (a branch-free
                    // multiply's redirected access), which the x86 allocator keeps short.
                    #expect(Self.registersLiveAcrossBlocks(module.functions[0]) <= 13)
                }
            }
        }
    }

    /// The registers that some block reads or writes and another block does too.
    static func registersLiveAcrossBlocks(_ f: Function) -> Int {
        var blocksOf: [Int: Set<Int>] = [:]
        for (i, block) in f.blocks.enumerated() {
            for instruction in block.instructions {
                if let d = instruction.defined { blocksOf[d.index, default: []].insert(i) }
                instruction.op.forEachRegister { _, v in blocksOf[v.index, default: []].insert(i) }
            }
            switch block.terminator {
            case .branch(.reg(let v), _, _): blocksOf[v.index, default: []].insert(i)
            default: break
            }
        }
        return blocksOf.values.filter { $0.count > 1 }.count
    }

    @Test func trapRendersAtTheCommand() throws {
        let module = try BFFrontend.compile(source: Array("+\n<<>.".utf8), file: "t.bf", options: BFOptions())
        let trap = try #require(try Interpreter().compile(module).run("main", io: ProgramIO()).trap)
        #expect(trap.render(file: module.sourceFile) == "t.bf:2:4: trap: cell access outside the tape")
        #expect(trap.function == "main")
    }

    @Test func aPeeledLoopHasNoTestAtItsEnd() throws {
        // The `]` at column 38 ends a loop whose body ends in a multiply of the loop
        // cell (loop-peeling's result): at most that multiply tests the cell there (none
        // when it is branch-free), and nothing branches back.
        let f = try Self.compile(">,[<+++>->>>>>+++[->+++++<]>[-]<<<<<<]")
        let testsAtClose = Self.instructions(f).filter {
            if case .compare = $0.op { $0.loc == SourceLoc(line: 1, column: 38) } else { false }
        }
        #expect(testsAtClose.count <= 1)
        let backEdges = f.blocks.enumerated().filter { i, b in b.terminator.successors.contains { $0.index <= i } }
        #expect(backEdges.isEmpty)
    }

    /// A body that ends in a loop, a scan or a clear of its cell leaves that cell 0 (and has
    /// just touched it), so the enclosing loop runs at most once: its `]` loads nothing.
    @Test(arguments: [
        (",.[->+<.[->+<.]]", 16),  // factor's ladder: the outer `]` follows the inner one
        (",.[>.[>]]", 9),           // a scan at the end of the body
        (",.[.>,[-]]", 10),          // a clear at the end of the body
    ])
    func aBodyEndingOnAZeroCellHasNoTestAtItsEnd(_ source: String, _ column: Int) throws {
        var options = BFOptions()
        options.optimize = true
        let f = try Self.compile(source)
        let loadsAtClose = Self.instructions(f).filter {
            if case .load = $0.op { $0.loc == SourceLoc(line: 1, column: column) } else { false }
        }
        #expect(loadsAtClose.isEmpty, "\(source)")
        let outcome = { (module: Module) in
            let io = ProgramIO(input: .bytes([3, 0, 2, 5]), output: .capture)
            let r = try Interpreter().compile(module).run("main", io: io)
            return (r, io.captured)
        }
        options.optimize = false
        let literal = try BFFrontend.compile(source: Array(source.utf8), file: "t.bf", options: options)
        options.optimize = true
        let optimized = try BFFrontend.compile(source: Array(source.utf8), file: "t.bf", options: options)
        let (expected, expectedOutput) = try outcome(literal)
        let (actual, actualOutput) = try outcome(optimized)
        #expect(actual.trap == expected.trap && actualOutput == expectedOutput)
    }

    @Test func knownCellsTurnStartupAddsIntoStores() throws {
        let f = try Self.compile("++++++++>+++<.")
        let stores = Self.instructions(f).filter { if case .store(.i8, .imm, _, _) = $0.op { true } else { false } }
        let loads = Self.instructions(f).filter { if case .load = $0.op { true } else { false } }
        #expect(stores.count == 2)
        #expect(loads.isEmpty)  // the output's cell is known: it writes a constant
        let puts = Self.instructions(f).filter { if case .hostCall(.putByte, _, [.imm(8)]) = $0.op { true } else { false } }
        #expect(puts.count == 1)
    }
}

/// A loop whose iterations all start at the same cell keeps the cells it works on in the same
/// registers from one iteration to the next (`BFLowering.restoreCells`): its counter is not
/// loaded again each time round, after the store of the iteration before.
@Suite struct CarriedCellsTests {
    /// The loads of `cell[p + offset]`, by the block they are in.
    static func loads(in block: Block) -> [Int64] {
        block.instructions.compactMap { if case .load(_, _, let offset) = $0.op { offset } else { nil } }
    }

    /// Blocks that branch back to themselves: one-block loop bodies.
    static func selfLoops(_ f: Function) -> [Block] {
        f.blocks.enumerated().filter { i, block in
            var back = false
            block.terminator.forEachSuccessor { if $0 == i { back = true } }
            return back
        }.map(\.1)
    }

    @Test func aBalancedLoopCarriesItsCounter() throws {
        // The outer loop is balanced; its body holds two multiplies that stay loops-free
        // branches, and its counter `-` at the end updates the register the test at `[` loaded.
        let f = try LoweringShapeTests.compile(",>,<[>[>+<-]>[<++>-]<<-]", BFOptions())
        let loops = Self.selfLoops(f)
        #expect(loops.count == 1)
        for body in loops {
            #expect(!Self.loads(in: body).contains(0), "the counter is loaded again: \(body)")
        }
    }

    @Test func aLoopThatMovesDoesNotCarryCells() throws {
        // Each iteration starts one cell further: the cell held at the start is not the next one's.
        let f = try LoweringShapeTests.compile(",[->+>]", BFOptions())
        #expect(Self.selfLoops(f).contains { Self.loads(in: $0).contains(0) })
    }

    /// The lowering's IR ends as the unoptimised program does (output, tape, trap position)
    /// where carried registers meet ifs, multiplies, output, a swap of two cells' registers
    /// and the tape's left edge.
    @Test(arguments: [
        ",>,<[>[>+<-]>[<++>-]<<-]>>.",
        ",>,>,<<[>>[<+>[-]]<+<-]>.>.",
        ",>,<[>.+<-]>.",
        ",>,>++<<[>[>+<-]>[<+>-]<<-]>.>.",
        ",>+<[>[-<+>]<[->+<]>[-<+>]<-]>.",
        ",[>,[<<+>>-]<-]",
        ">>>>,>,<[>[<+++>-[-]]<<]>>>>.",   // walks left, carrying the cell it hands on
        ",>,>,[<[>>++<<-]<]",               // walks off the tape's left edge
        ">,>,>,[>[-]<[>+<[-]]<<]",          // walks off it with an inner loop: its own cell is carried
        ">,>,>,[+[->+<]<]",
    ])
    func carriedCellsKeepTheMeaning(_ source: String) throws {
        let bytes = Array(source.utf8)
        let options = BFOptions(eof: .zero, tapeSize: 64)
        // Guard cells around the tape: a check left out shows as a missing trap or a write into
        // them, where the interpreter's own bounds would trap at the same position.
        let hooks = BFTestHooks(guardCells: 16, loopIterationLimit: 100_000)
        let ops = try BFFrontend.ops(source: bytes, file: "c.bf", options: options)
        let guarded = try BFFrontend.lower(ops, file: "c.bf", options: options, eliminateRedundantChecks: true, hooks: hooks)
        for input: [UInt8] in [[0, 0], [3, 5], [200, 7, 9], [1, 255, 2], [1, 1, 1, 1, 1]] {
            let literal = try IRRunner.outcome(source: bytes, options: BFOptions(eof: .zero, tapeSize: 64, optimize: false), input: input)
            #expect(try IRRunner.outcome(source: bytes, options: options, input: input) == literal, "\(source) on \(input)")
            #expect(try IRRunner.outcome(guarded, options: options, input: input, guardCells: hooks.guardCells) == literal,
                    "\(source) on \(input), guarded")
        }
    }
}
