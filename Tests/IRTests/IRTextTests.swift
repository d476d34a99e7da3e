import JitIR
import Testing

/// The printer and parser: exact round trips, the documented syntax, and
/// parse errors at the right line:col.
struct IRTextTests {
    /// A module that uses every operation, both call forms, both hostcalls,
    /// every terminator, known and unknown positions.
    static func everyOperation() throws -> Module {
        var f = FunctionBuilder(name: "all", parameters: [.i64, .i8], result: .i64, loc: SourceLoc(line: 1, column: 1))
        let p = f.parameter(0), q = f.parameter(1)
        f.loc = SourceLoc(line: 2, column: 3)
        let c = f.copy(.i64, .imm(-9_223_372_036_854_775_808))
        for o in BinaryOp.allCases {
            _ = f.binary(o, .i64, .reg(p), .reg(c), checked: o.canBeChecked)
            _ = f.binary(o, .i8, .reg(q), .imm(-128))
        }
        _ = f.unary(.neg, .i64, .reg(p), checked: true)
        _ = f.unary(.not, .i8, .imm(127))
        var cond = f.compare(.eq, .i64, .reg(p), .imm(0))
        for pr in ComparePredicate.allCases { cond = f.compare(pr, .i8, .reg(q), .imm(5)) }
        let s = f.select(.i64, .reg(cond), .reg(p), .imm(7))
        let w = f.convert(.sext, .reg(q), from: .i8, to: .i64)
        _ = f.convert(.zext, .reg(cond), from: .i1, to: .i32)
        _ = f.convert(.trunc, .reg(s), from: .i64, to: .i16)
        f.loc = .unknown
        let l = f.load(.i32, base: p, offset: -9_223_372_036_854_775_808)
        f.store(.i32, .reg(l), base: p, offset: 9_223_372_036_854_775_807)
        f.store(.i8, .imm(-1), base: w)
        _ = f.call("all", [.reg(p), .reg(q)], result: .i64)
        f.call("void", [], result: nil)
        let g = f.hostCall(.getByte, [])!
        f.hostCall(.putByte, [.reg(g)])
        f.trapIf(.reg(cond), .outOfBounds)
        let a = f.newBlock("a"), b = f.newBlock(), d = f.newBlock("trapping")
        f.branch(.reg(cond), a, b)
        f.position(at: a)
        f.loc = SourceLoc(line: 9, column: 9)
        f.jump(d)
        f.position(at: b)
        f.ret(.reg(s))
        f.position(at: d)
        f.trap(.recursionLimit)
        var v = FunctionBuilder(name: "void")
        v.ret(nil)
        return Module(sourceFile: "all.bf", memorySize: 16, functions: [try f.finish(), try v.finish()])
    }

    @Test func everyOperationRoundTrips() throws {
        let m = try Self.everyOperation()
        let text = IRText.print(m)
        #expect(try IRText.parse(text, file: "x.ir") == m)
        #expect(IRVerifier.diagnostics(m).isEmpty, "\(IRVerifier.diagnostics(m))")
    }

    /// Modules the verifier rejects still print and parse back unchanged.
    @Test(arguments: Array(0..<IRTextTests.strangeModules.count))
    func strangeModuleRoundTrips(_ index: Int) throws {
        let m = Self.strangeModules[index]
        let text = IRText.print(m)
        #expect(try IRText.parse(text, file: "x.ir") == m, "\(text)")
    }

    static let strangeModules: [Module] = {
        func one(_ f: Function, memory: Int = 0, source: String = "s") -> Module {
            Module(sourceFile: source, memorySize: memory, functions: [f])
        }
        let block = Block(label: "entry", terminator: .ret(nil))
        return [
            Module(),
            Module(sourceFile: "we\"ird\\ \n\t\r\u{1}\u{7F} é 🦊", memorySize: -5),
            one(Function(name: "no blocks")),
            one(Function(name: "", registerTypes: [.i8], blocks: [block])),
            // Parameters that are not the first registers, repeated, and undeclared.
            one(Function(name: "p", registerTypes: [.i8, .i16, .i32], parameters: [Var(2), Var(0), Var(2), Var(7)],
                         resultType: .i1, blocks: [block], loc: SourceLoc(line: -1, column: -2))),
            // Out-of-range registers as destinations, operands and bases.
            one(Function(name: "r", registerTypes: [.i64], blocks: [Block(label: "b", instructions: [
                Instruction(.copy(dst: Var(5), src: .reg(Var(6)))),
                Instruction(.binary(.add, dst: Var(9), lhs: .reg(Var(0)), rhs: .imm(1), checked: false)),
                Instruction(.convert(.zext, dst: Var(3), src: .reg(Var(0)), from: .i8)),
                Instruction(.load(dst: Var(4), base: Var(8), offset: 3)),
                Instruction(.call(dst: Var(12), callee: "nowhere", args: [])),
                Instruction(.hostCall(.putByte, dst: Var(13), args: [.imm(1), .imm(2)])),
            ], terminator: .ret(.reg(Var(40))))])),
            // Immediates that do not fit their type, checked flags where they mean nothing.
            one(Function(name: "imm", registerTypes: [.i8, .i1], blocks: [Block(label: "b", instructions: [
                Instruction(.copy(dst: Var(0), src: .imm(300))),
                Instruction(.binary(.xor, dst: Var(0), lhs: .imm(-129), rhs: .imm(Int64.max), checked: true)),
                Instruction(.unary(.not, dst: Var(0), src: .imm(Int64.min), checked: true)),
                Instruction(.select(dst: Var(1), cond: .imm(2), ifTrue: .imm(-1), ifFalse: .imm(0))),
            ], terminator: .trap(.unreachable), terminatorLoc: SourceLoc(line: 0, column: 4))])),
            // Duplicate labels, odd labels and out-of-range targets print as #N.
            one(Function(name: "labels", blocks: [
                Block(label: "x", terminator: .jump(BlockRef(1))),
                Block(label: "x", terminator: .branch(cond: .imm(1), ifTrue: BlockRef(0), ifFalse: BlockRef(99))),
                Block(label: "3 words \"q\"", terminator: .jump(BlockRef(2))),
                Block(label: "", terminator: .jump(BlockRef(3))),
                Block(label: "ret", terminator: .jump(BlockRef(4))),
            ])),
            // Labels that are keywords where a line may start with a keyword.
            one(Function(name: "keywords", registerTypes: [.i8], blocks: [
                Block(label: "regs", terminator: .jump(BlockRef(1))),
                Block(label: "func", terminator: .jump(BlockRef(2))),
                Block(label: "source", terminator: .jump(BlockRef(0))),
            ])),
            // Calls to names that need quoting.
            one(Function(name: "a b", registerTypes: [.i64], blocks: [Block(label: "entry", instructions: [
                Instruction(.call(dst: nil, callee: "a b", args: [.imm(Int64.min), .reg(Var(0))]),
                            loc: SourceLoc(line: Int(Int32.max), column: Int(Int32.min))),
            ], terminator: .ret(nil))]), memory: Int.max),
        ]
    }()

    /// Random modules built from random operations (valid or not) round-trip.
    @Test func randomModulesRoundTrip() throws {
        var rng = IRRandom(seed: 0x5EED)
        for _ in 0..<300 {
            let m = IRRandomModule.make(&rng)
            let text = IRText.print(m)
            let back = try IRText.parse(text, file: "random.ir")
            #expect(back == m, "\(text)")
            if back != m { return }
        }
    }

    @Test func printedFormIsTheDocumentedOne() throws {
        var f = FunctionBuilder(name: "main", parameters: [.i64, .i64], result: .i64)
        f.loc = SourceLoc(line: 3, column: 7)
        let s = f.binary(.add, .i64, .reg(f.parameter(0)), .reg(f.parameter(1)), checked: true)
        f.loc = SourceLoc(line: 3, column: 9)
        let c = f.compare(.slt, .i64, .reg(s), .imm(10))
        let small = f.newBlock("small"), big = f.newBlock("big")
        f.branch(.reg(c), small, big)
        f.loc = .unknown
        f.position(at: small)
        f.ret(.reg(s))
        f.position(at: big)
        f.ret(.imm(-10))
        let m = Module(sourceFile: "hello.bf", memorySize: 65536, functions: [try f.finish()])
        #expect(IRText.print(m) == """
            source "hello.bf"
            memory 65536

            func @main(%0: i64, %1: i64) -> i64 {
              regs %2: i64, %3: i1
            entry:
              %2 = add.ovf i64 %0, %1                 !3:7
              %3 = cmp slt i64 %2, 10                 !3:9
              br %3, small, big                       !3:9
            small:
              ret %2
            big:
              ret -10
            }

            """)
    }

    @Test func handWrittenTextParses() throws {
        let m = try IRText.parse("""
            ; no source line: the file name is used
            func @f(%1: i8, %0: i64) {   ; parameters in any order
              regs %3: i1
              regs %2: i64
            start:
              %2 = load [%0 - 4]       ; the type may be left out
              %3 = trunc i64 %2
              store i8 %1, [%0 + 1]  !12:34
              br %3, #0, "end"
            "end":
              ret
            }
            """, file: "hand.ir")
        #expect(m.sourceFile == "hand.ir")
        #expect(m.memorySize == 0)
        let f = try #require(m.functions.first)
        #expect(f.registerTypes == [.i64, .i8, .i64, .i1])
        #expect(f.parameters == [Var(1), Var(0)])
        #expect(f.blocks.map(\.label) == ["start", "end"])
        #expect(f.blocks[0].instructions.map(\.op) == [
            .load(dst: Var(2), base: Var(0), offset: -4),
            .convert(.trunc, dst: Var(3), src: .reg(Var(2)), from: .i64),
            .store(type: .i8, value: .reg(Var(1)), base: Var(0), offset: 1),
        ])
        #expect(f.blocks[0].instructions[2].loc == SourceLoc(line: 12, column: 34))
        #expect(f.blocks[0].terminator == .branch(cond: .reg(Var(3)), ifTrue: BlockRef(0), ifFalse: BlockRef(1)))
    }

    @Test func guardRegionsRoundTrip() throws {
        let text = "source \"g.bf\"\nmemory 8192\nguard 1048576\n"
        let m = try IRText.parse(text, file: "g.ir")
        #expect(m.guardBytes == 1 << 20 && m.memorySize == 8192)
        #expect(IRText.print(m) == text)
        // Without guard regions the line is left out.
        #expect(!IRText.print(Module(memorySize: 8192)).contains("guard"))
        #expect(throws: SourceError.self) { try IRText.parse("guard 4096\nguard 4096\n", file: "g.ir") }
    }

    @Test func singleInstructionsPrint() {
        let f = Function(name: "f", registerTypes: [.i64, .i1])
        #expect(IRText.print(Instruction(.binary(.mul, dst: Var(0), lhs: .reg(Var(0)), rhs: .imm(-3), checked: true)), in: f)
                == "%0 = mul.ovf i64 %0, -3")
        #expect(IRText.print(Instruction(.hostCall(.getByte, dst: Var(7), args: [])), in: f) == "%7 = hostcall getbyte()")
        #expect(IRText.print(.ret(nil), in: f) == "ret")
        #expect(IRText.print(.jump(BlockRef(2)), in: f) == "jump #2")
    }
}
