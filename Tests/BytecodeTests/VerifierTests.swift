import BytecodeFrontend
import JitIR
import Testing

/// The bytecode verifier rejects what would break the lowering, at the
/// position of the offending instruction.
struct VerifierTests {
    static let errors: [(text: String, line: Int, column: Int, message: String)] = [
        ("def f():\n    LOAD_CONST 1\n    BINARY_OP +\n    RETURN_VALUE\n", 3, 5,
         "stack underflow: BINARY_OP needs 2 value(s), but the stack holds 1"),
        ("def f():\n    RETURN_VALUE\n", 2, 5, "stack underflow: RETURN_VALUE needs 1 value(s), but the stack holds 0"),
        ("def f(a):\n    LOAD_CONST 1\n    LOAD_FAST a\n    FOR_RANGE out\nout:\n    RETURN_VALUE\n", 4, 5,
         "FOR_RANGE needs 3 value(s)"),
        // One path pushes an extra value before the join.
        ("def f(a):\n    LOAD_FAST a\n    LOAD_FAST a\n    POP_JUMP_IF_FALSE join\n    LOAD_CONST 5\njoin:\n    RETURN_VALUE\n",
         7, 5, "stack depth differs where paths join: 1 on one path, 2 on the path from line 5"),
        // A loop that grows the stack on every iteration.
        ("def f():\ntop:\n    LOAD_CONST 1\n    JUMP top\n", 3, 5, "stack depth differs where paths join"),
        ("def f():\n    LOAD_CONST 1\n    POP_TOP\n", 3, 5, "execution can run past the end of 'f'"),
        ("def f():\n    LOAD_CONST 1\n    CALL g 1\n    RETURN_VALUE\n", 3, 5, "CALL of unknown function 'g'"),
        ("def f(a, b):\n    LOAD_CONST 1\n    CALL f 1\n    RETURN_VALUE\n", 3, 5, "'f' takes 2 argument(s), but CALL passes 1"),
        ("def f():\n    LOAD_CONST 1\n    CALL min 1\n    RETURN_VALUE\n", 3, 5, "builtin min() takes at least 2 arguments"),
        ("def f():\n    LOAD_CONST 1\n    LOAD_CONST 1\n    CALL abs 2\n    RETURN_VALUE\n", 4, 5, "builtin abs() takes exactly 1 argument"),
        ("def f(a):\n    LOAD_FAST a\n    POP_JUMP_IF_FALSE skip\n    LOAD_CONST 1\n    STORE_FAST x\nskip:\n    LOAD_FAST x\n    RETURN_VALUE\n",
         7, 5, "local 'x' may be used before it is assigned"),
        ("def f():\n    LOAD_FAST y\n    RETURN_VALUE\n", 2, 5, "'y' is neither a parameter of 'f' nor assigned anywhere in it"),
    ]

    @Test(arguments: errors.indices)
    func reportsErrorPositions(_ k: Int) throws {
        let c = Self.errors[k]
        let m = try BytecodeFrontend.parse(sbc: c.text, file: "v.sbc")
        let e = sourceError { try BytecodeFrontend.verify(m) }
        #expect(e?.loc == SourceLoc(line: c.line, column: c.column), "\(c.message)")
        #expect(e?.message.contains(c.message) == true, "\(e?.message ?? "no error") should say \(c.message)")
        // Lowering verifies first.
        #expect(sourceError { _ = try BytecodeFrontend.lower(m) } == e)
    }

    @Test func acceptsWhatItShould() throws {
        // Values left under the result, unreachable code, a loop with a balanced stack.
        let m = try BytecodeFrontend.parse(sbc: """
        def f(n):
            LOAD_CONST 7
            LOAD_FAST n
        top:
            COPY 1
            POP_JUMP_IF_FALSE out
            LOAD_CONST 1
            BINARY_OP -
            JUMP top
            BINARY_OP +    # unreachable: never checked
        out:
            RETURN_VALUE
        """, file: "ok.sbc")
        try BytecodeFrontend.verify(m)
        #expect(try run(try compile(m), "f", [5]) == .value(0))
    }

    @Test func builderMistakesAreCaught() {
        var b = BytecodeBuilder(name: "f", parameters: [])
        b.jump(b.newLabel("nowhere"))
        #expect(sourceError { _ = try b.finish() }?.message == "label 'nowhere' in 'f' is never bound")

        var c = BytecodeBuilder(name: "g", parameters: [])
        c.emit(.jump(7))
        let m = BytecodeModule(functions: [(try? c.finish())!])
        #expect(sourceError { try BytecodeFrontend.verify(m) }?.message.contains("jumps to instruction 7, outside 'g'") == true)

        var d = BytecodeBuilder(name: "h", parameters: [])
        d.loadConst(1)
        d.emit(.copy(0))
        d.returnValue()
        let n = BytecodeModule(functions: [(try? d.finish())!])
        #expect(sourceError { try BytecodeFrontend.verify(n) }?.message == "COPY needs a count of at least 1, found 0")
    }
}
