import JitIR
import Testing

/// `RecursiveInlining` must not change what a program means: the interpreter
/// runs the original and the inlined module, and every result, trap and
/// trap position must agree, including at the recursion limit.
struct RecursiveInliningTests {
    static let source = """
        source "rec.py"
        func @fib(%0: i64) -> i64 !1:1 {
          regs %1: i1, %2: i64, %3: i64
        entry:
          %1 = cmp slt i64 %0, 2          !2:1
          br %1, small, big
        small:
          ret %0
        big:
          %2 = sub.ovf i64 %0, 1          !3:1
          %2 = call i64 @fib(%2)          !3:2
          %3 = sub.ovf i64 %0, 2          !3:3
          %3 = call i64 @fib(%3)          !3:4
          %2 = add.ovf i64 %2, %3         !3:5
          ret %2
        }
        func @down(%0: i64) -> i64 !4:1 {
          regs %1: i1
        entry:
          %1 = cmp eq i64 %0, 0
          br %1, done, more
        done:
          ret 0
        more:
          %0 = sub i64 %0, 1
          %0 = call i64 @down(%0)         !5:1
          %0 = add i64 %0, 1
          ret %0
        }
        func @forever(%0: i64) !6:1 {
        entry:
          hostcall putbyte(%0)
          call @forever(%0)               !6:2
          ret
        }
        func @walk(%0: i64) -> i64 !7:1 {
          regs %1: i1
        entry:
          %1 = cmp sge i64 %0, 0
          br %1, go, stop
        go:
          %0 = add.ovf i64 %0, 4611686018427387904   !7:2
          %0 = call i64 @walk(%0)                    !7:3
          ret %0
        stop:
          ret %0
        }
        """

    static func modules() throws -> (original: Module, inlined: Module) {
        let original = try IRText.parse(source, file: "rec.ir")
        return (original, RecursiveInlining.run(original, rounds: 1))
    }

    static func outcome(_ module: Module, _ name: String, _ argument: Int64) throws -> (RunResult, [UInt8]) {
        let io = ProgramIO(input: .bytes([]), output: .capture)
        let result = try Interpreter().compile(module).run(name, arguments: [argument], io: io)
        return (result, io.captured)
    }

    @Test func inlinedModuleVerifiesAndRoundTrips() throws {
        let (original, inlined) = try Self.modules()
        try IRVerifier.verify(inlined)
        #expect(try IRText.parse(IRText.print(inlined), file: "rec.ir") == inlined)
        try IRVerifier.verify(RecursiveInlining.run(original, rounds: 3))
    }

    /// One level: each of fib's two calls becomes a copy of its body, which keeps two calls,
    /// and each copy's two `ret`s become a `leave`.
    @Test func fibKeepsFourCallsAndTwoActivations() throws {
        let (_, inlined) = try Self.modules()
        let fib = try #require(inlined.function(named: "fib"))
        let ops = fib.blocks.flatMap(\.instructions).map(\.op)
        #expect(ops.filter { if case .call = $0 { true } else { false } }.count == 4)
        #expect(ops.filter { $0 == .enter }.count == 2)
        #expect(ops.filter { $0 == .leave }.count == 4)
    }

    @Test(arguments: [("fib", Int64(0)), ("fib", 1), ("fib", 2), ("fib", 15), ("fib", -3),
                      ("down", 0), ("down", 1), ("down", 99_999), ("down", 100_000), ("down", 250_000),
                      ("forever", 65), ("walk", 1), ("walk", -1)])
    func sameOutcome(_ name: String, _ argument: Int64) throws {
        let (original, inlined) = try Self.modules()
        let expected = try Self.outcome(original, name, argument)
        for module in [inlined, RecursiveInlining.run(original)] {
            let actual = try Self.outcome(module, name, argument)
            #expect(actual.0 == expected.0)
            #expect(actual.1 == expected.1)
        }
    }

    /// The limit falls on an inlined call as often as on a real one: both must trap at the call.
    @Test func recursionLimitTrapsAtTheCallEitherWay() throws {
        let (original, inlined) = try Self.modules()
        let twice = RecursiveInlining.run(original)
        for n in Int64(99_997)...100_001 {
            let expected = try Self.outcome(original, "down", n).0
            #expect(try Self.outcome(inlined, "down", n).0 == expected)
            #expect(try Self.outcome(twice, "down", n).0 == expected)
        }
        #expect(try Self.outcome(original, "down", 100_000).0.trap?.loc == SourceLoc(line: 5, column: 1))
    }

    @Test func largeFunctionsAreLeftAlone() throws {
        var b = FunctionBuilder(name: "big", parameters: [.i64], result: .i64)
        var x = b.parameter(0)
        for _ in 0..<RecursiveInlining.sizeLimit { x = b.binary(.add, .i64, .reg(x), .imm(1)) }
        let r = b.call("big", [.reg(x)], result: .i64)!
        b.ret(.reg(r))
        let module = Module(functions: [try b.finish()])
        #expect(RecursiveInlining.run(module) == module)
    }
}
