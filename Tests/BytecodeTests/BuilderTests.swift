import BytecodeFrontend
import JitIR
import Testing

struct BuilderTests {
    /// The example in BytecodeBuilder's documentation, extended to a sum: 1 + 2 + ... + n.
    @Test func builtFunctionRuns() throws {
        var b = BytecodeBuilder(name: "triangle", parameters: ["n"], loc: SourceLoc(line: 1, column: 1))
        let top = b.newLabel("top"), done = b.newLabel("done")
        b.loadConst(0)
        b.storeFast("s")
        b.bind(top)
        b.loc = SourceLoc(line: 2, column: 1)
        b.loadFast("n")
        b.popJumpIfFalse(done)
        b.loadFast("s")
        b.loadFast("n")
        b.binaryOp(.add)
        b.storeFast("s")
        b.loadFast("n")
        b.loadConst(1)
        b.binaryOp(.subtract)
        b.storeFast("n")
        b.jump(top)
        b.bind(done)
        b.loadFast("s")
        b.returnValue()
        let f = try b.finish()
        #expect(f.labelNames == [2: "top", 13: "done"])
        #expect(f.instructions[3].op == .popJumpIfFalse(13))
        #expect(f.instructions[3].loc == SourceLoc(line: 2, column: 1))
        let p = try compile(BytecodeModule(sourceFile: "built", functions: [f]))
        #expect(try run(p, "triangle", [100]) == .value(5050))
        // The printed text of a built module parses back to the same instructions.
        let text = BytecodeFrontend.print(BytecodeModule(functions: [f]))
        #expect(try BytecodeFrontend.parse(sbc: text, file: "t").functions[0].instructions.map(\.op) == f.instructions.map(\.op))
    }
}

struct CallExpressionTests {
    @Test(arguments: [
        ("f(1, -2)", "f", [Int64(1), -2]), ("main()", "main", []), ("  g ( 0x10 ,True,-9223372036854775808 ) ", "g", [16, 1, .min]),
        ("fib(35)", "fib", [35]), ("h(1_000)", "h", [1000]),
    ])
    func parses(text: String, name: String, args: [Int64]) throws {
        let c = try BytecodeFrontend.parseCall(text)
        #expect(c.name == name)
        #expect(c.args == args)
    }

    @Test(arguments: [
        ("f", 2, "expected '(' after 'f'"), ("(1)", 1, "expected a function name"), ("f(1,)", 5, "expected an integer argument"),
        ("f(1 2)", 5, "expected ',' or ')'"), ("f(x)", 3, "expected an integer argument, found 'x'"),
        ("f(9223372036854775808)", 3, "does not fit in 64 bits"), ("f(1) + 2", 6, "unexpected text after the call"),
        ("f(1", 4, "expected ',' or ')'"),
    ])
    func rejects(text: String, column: Int, message: String) {
        let e = sourceError { _ = try BytecodeFrontend.parseCall(text) }
        #expect(e?.loc.column == Int32(column), "\(text)")
        #expect(e?.message.contains(message) == true, "\(e?.message ?? "nothing") should say \(message)")
    }
}
