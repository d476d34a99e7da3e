import BytecodeFrontend
import JitIR
import Testing

/// The `.sbc` reader: what it accepts, and each error at its line and column.
struct SBCParseTests {
    @Test func readsEveryOpcode() throws {
        let m = try BytecodeFrontend.parse(sbc: """
        .sbc 1
        def f(a, b):   # a comment
            NOP
        top: LOAD_FAST a
            STORE_FAST c
            LOAD_CONST -0x10
            LOAD_CONST 1_000
            LOAD_CONST True
            POP_TOP
            COPY 1
            SWAP 2
            BINARY_OP **
            UNARY_NEGATIVE
            UNARY_INVERT
            UNARY_NOT
            TO_BOOL
            COMPARE_OP >=
            POP_JUMP_IF_FALSE top
            JUMP_IF_TRUE_OR_POP top
            JUMP_IF_FALSE_OR_POP top
            POP_JUMP_IF_TRUE top
            FOR_RANGE top
            CALL f 2
            JUMP top
            RETURN_VALUE
        """, file: "all.sbc")
        let f = try #require(m.function(named: "f"))
        #expect(f.parameters == ["a", "b"])
        #expect(f.loc == SourceLoc(line: 2, column: 5))
        #expect(f.instructions.map(\.op.opcode) == [
            .NOP, .LOAD_FAST, .STORE_FAST, .LOAD_CONST, .LOAD_CONST, .LOAD_CONST, .POP_TOP, .COPY, .SWAP, .BINARY_OP,
            .UNARY_NEGATIVE, .UNARY_INVERT, .UNARY_NOT, .TO_BOOL, .COMPARE_OP, .POP_JUMP_IF_FALSE, .JUMP_IF_TRUE_OR_POP,
            .JUMP_IF_FALSE_OR_POP, .POP_JUMP_IF_TRUE, .FOR_RANGE, .CALL, .JUMP, .RETURN_VALUE,
        ])
        #expect(f.instructions[1] == BytecodeInstruction(.loadFast("a"), loc: SourceLoc(line: 4, column: 6)))
        #expect(f.instructions[3].op == .loadConst(-16))
        #expect(f.instructions[4].op == .loadConst(1000))
        #expect(f.instructions[5].op == .loadConst(1))
        #expect(f.instructions[9].op == .binaryOp(.power))
        #expect(f.instructions[14].op == .compareOp(.greaterOrEqual))
        #expect(f.instructions[15].op == .popJumpIfFalse(1))
        #expect(f.instructions[20].op == .call("f", argc: 2))
        #expect(f.labelNames == [1: "top"])
        #expect(f.locals == ["a", "b", "c"])
    }

    /// Printing and reading back gives the same functions.
    @Test func printedTextReadsBack() throws {
        let m = try BytecodeFrontend.parse(sbc: SBCProgramTests.programs, file: "p.sbc")
        let again = try BytecodeFrontend.parse(sbc: BytecodeFrontend.print(m), file: "p.sbc")
        func strip(_ m: BytecodeModule) -> [[BytecodeOp]] { m.functions.map { $0.instructions.map(\.op) } }
        #expect(strip(again) == strip(m))
        #expect(again.functions.map(\.parameters) == m.functions.map(\.parameters))
        #expect(again.functions.map(\.labelNames) == m.functions.map(\.labelNames))
    }

    static let errors: [(text: String, line: Int, column: Int, message: String)] = [
        ("def f():\n    LOAD_FASTER x\n", 2, 5, "unknown opcode 'LOAD_FASTER'"),
        ("def f():\n    LOAD_CONST 9223372036854775808\n", 2, 16, "integer constant 9223372036854775808 does not fit in 64 bits"),
        ("def f():\n    LOAD_CONST -9223372036854775809\n", 2, 16, "does not fit in 64 bits"),
        ("def f():\n    LOAD_CONST 12x\n", 2, 16, "expected an integer, found '12x'"),
        ("def f():\n    LOAD_CONST\n", 2, 5, "LOAD_CONST expects an integer"),
        ("def f():\n    RETURN_VALUE now\n", 2, 18, "unexpected 'now' after RETURN_VALUE"),
        ("def f():\n    JUMP nowhere\n", 2, 10, "unknown label 'nowhere'"),
        ("def f():\nx:\n    NOP\nx:  RETURN_VALUE\n", 4, 1, "label 'x' is defined twice (first at line 2)"),
        ("def f():\n    NOP\nend:\n", 3, 1, "label 'end' is not followed by an instruction"),
        ("    LOAD_CONST 1\n", 1, 5, "instruction outside a function"),
        (".sbc 2\n", 1, 6, "unsupported .sbc version '2'"),
        ("def f():\n    NOP\n.sbc 1\n", 3, 1, ".sbc must come before the first function"),
        (".version 1\n", 1, 1, "unknown directive '.version'"),
        ("def f():\n    RETURN_VALUE\ndef f():\n    RETURN_VALUE\n", 3, 5, "function 'f' is defined twice"),
        ("def f(a, a):\n    RETURN_VALUE\n", 1, 10, "parameter 'a' appears twice"),
        ("def f(a b):\n", 1, 9, "expected ',' or ')' in the parameter list, found 'b'"),
        ("def (a):\n", 1, 5, "expected a function name after 'def', found '('"),
        ("def f():\n    COPY 0\n", 2, 10, "COPY expects a count of at least 1, found '0'"),
        ("def f():\n    SWAP 1\n", 2, 10, "SWAP expects a count of at least 2"),
        ("def f():\n    BINARY_OP /\n", 2, 15, "unknown binary operator '/'"),
        ("def f():\n    COMPARE_OP =<\n", 2, 16, "unknown comparison '=<'"),
        ("def f():\n    CALL f\n", 2, 5, "CALL expects a function name and an argument count"),
        ("def f():\n    LOAD_FAST 1x\n", 2, 15, "expected a local variable name, found '1x'"),
    ]

    @Test(arguments: errors.indices)
    func reportsErrorPositions(_ k: Int) {
        let c = Self.errors[k]
        let e = sourceError { _ = try BytecodeFrontend.parse(sbc: c.text, file: "bad.sbc") }
        #expect(e?.file == "bad.sbc")
        #expect(e?.loc == SourceLoc(line: c.line, column: c.column), "\(c.message)")
        #expect(e?.message.contains(c.message) == true, "\(e?.message ?? "no error") should say \(c.message)")
    }

    @Test func errorPrintsFileLineAndColumn() {
        let e = sourceError { _ = try BytecodeFrontend.parse(sbc: "def f():\n  BOGUS\n", file: "prog.sbc") }
        #expect(e?.description == "prog.sbc:2:3: error: unknown opcode 'BOGUS'")
    }
}
