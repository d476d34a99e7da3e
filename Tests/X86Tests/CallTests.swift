import JitIR
import Testing
import TestSupport
@testable import X86Backend

/// Calls between IR functions: System V argument passing (registers and
/// stack), values kept across calls, recursion, and the recursion limit.
@Suite struct CallTests {
    /// `fib(n)`, doubly recursive.
    static func fibonacci() throws -> Function {
        var f = FunctionBuilder(name: "fib", parameters: [.i64], result: .i64)
        let n = f.parameter(0)
        let small = f.newBlock("small"), big = f.newBlock("big")
        f.branch(.reg(f.compare(.slt, .i64, .reg(n), .imm(2))), small, big)
        f.position(at: small)
        f.ret(.reg(n))
        f.position(at: big)
        let a = f.call("fib", [.reg(f.binary(.sub, .i64, .reg(n), .imm(1)))], result: .i64)!
        let b = f.call("fib", [.reg(f.binary(.sub, .i64, .reg(n), .imm(2)))], result: .i64)!
        f.ret(.reg(f.binary(.add, .i64, .reg(a), .reg(b), checked: true)))
        return try f.finish()
    }

    @Test func fibonacciMatchesInterpreter() throws {
        let module = Module(functions: [try Self.fibonacci()])
        try expectSameAsInterpreter(module, function: "fib", argumentSets: [[0], [1], [2], [10], [20]])
        let program = try X86Backend().compile(module)
        #expect(try program.run("fib", arguments: [30], io: ProgramIO()).value == 832_040)
    }

    /// `sum(n) = n == 0 ? 0 : n + sum(n - 1)`: recursion as deep as the IR allows (`CallDepth.limit`).
    @Test func deepRecursion() throws {
        let module = try SampleModules.recursiveSum()
        try expectSameAsInterpreter(module, function: "sum", arguments: [99_999], variants: [x86Variants[0]])
        let program = try X86Backend().compile(module)
        #expect(try program.run("sum", arguments: [99_999], io: ProgramIO()).value == 4_999_950_000)
        #expect(try program.run("sum", arguments: [100_000], io: ProgramIO()).trap?.kind == .recursionLimit)
    }

    /// Endless recursion traps `recursion_limit` at the call, like the interpreter (with its own depth limit).
    @Test func runawayRecursionTraps() throws {
        var f = FunctionBuilder(name: "forever", parameters: [.i64], result: .i64)
        f.loc = SourceLoc(line: 4, column: 2)
        let r = f.call("forever", [.reg(f.binary(.add, .i64, .reg(f.parameter(0)), .imm(1)))], result: .i64)!
        f.ret(.reg(r))
        let module = Module(functions: [try f.finish()])
        try expectSameAsInterpreter(module, function: "forever", arguments: [0], variants: [x86Variants[0]],
                                    interpreter: Interpreter(maxCallDepth: 10_000))
        let result = try X86Backend().compile(module).run("forever", arguments: [0], io: ProgramIO())
        #expect(result.trap == Trap(kind: .recursionLimit, loc: SourceLoc(line: 4, column: 2), function: "forever"))
    }

    /// `weigh(a...h) = sum of (i+1) * arg_i`: any argument out of place changes the result.
    static func weigh(_ count: Int) throws -> Function {
        var f = FunctionBuilder(name: "weigh\(count)", parameters: Array(repeating: .i64, count: count), result: .i64)
        var total = f.copy(.i64, .imm(0))
        for i in 0..<count {
            let term = f.binary(.mul, .i64, .reg(f.parameter(i)), .imm(Int64(i + 1)))
            total = f.binary(.add, .i64, .reg(total), .reg(term))
        }
        f.ret(.reg(total))
        return try f.finish()
    }

    @Test(arguments: [0, 1, 6, 7, 8, 11])
    func manyArguments(_ count: Int) throws {
        var main = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        let x = main.parameter(0)
        // Arguments of every kind: parameters, computed registers, immediates, and repeats.
        var args: [Operand] = []
        for i in 0..<count {
            switch i % 3 {
            case 0: args.append(.reg(x))
            case 1: args.append(.imm(Int64(1000 * i + 1)))
            default: args.append(.reg(main.binary(.add, .i64, .reg(x), .imm(Int64(i)))))
            }
        }
        let r1 = main.call("weigh\(count)", args, result: .i64)!
        // A second call with the arguments reversed, keeping r1 alive across it.
        let r2 = main.call("weigh\(count)", args.reversed(), result: .i64)!
        main.ret(.reg(main.binary(.sub, .i64, .reg(r1), .reg(main.binary(.mul, .i64, .reg(r2), .imm(3))))))
        let module = Module(functions: [try main.finish(), try Self.weigh(count)])
        try expectSameAsInterpreter(module, argumentSets: [[5], [-77]])
        // Entry functions with more than six parameters go through an adapter.
        let values = (0..<count).map { Int64($0 * $0 - 7) }
        try expectSameAsInterpreter(module, function: "weigh\(count)", arguments: values)
    }

    /// Arguments that are a permutation of the caller's parameters: the moves form cycles.
    @Test func argumentPermutations() throws {
        var rotate = FunctionBuilder(name: "main", parameters: [.i64, .i64, .i64, .i64], result: .i64)
        let p = (0..<4).map { rotate.parameter($0) }
        let a = rotate.call("weigh4", [.reg(p[1]), .reg(p[2]), .reg(p[3]), .reg(p[0])], result: .i64)!
        let b = rotate.call("weigh4", [.reg(p[1]), .reg(p[0]), .reg(p[3]), .reg(p[2])], result: .i64)!
        let c = rotate.call("weigh4", [.reg(p[0]), .reg(p[0]), .reg(p[1]), .reg(p[1])], result: .i64)!
        let ab = rotate.binary(.mul, .i64, .reg(a), .imm(1_000_000))
        let abc = rotate.binary(.add, .i64, .reg(ab), .reg(rotate.binary(.mul, .i64, .reg(b), .imm(1000))))
        rotate.ret(.reg(rotate.binary(.add, .i64, .reg(abc), .reg(c))))
        let module = Module(functions: [try rotate.finish(), try Self.weigh(4)])
        try expectSameAsInterpreter(module, arguments: [1, 2, 3, 4])
    }

    /// Many values live across calls and host calls must survive them.
    @Test func valuesSurviveCalls() throws {
        var main = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        let x = main.parameter(0)
        let values = (1...12).map { main.binary(.mul, .i64, .reg(x), .imm(Int64($0))) }
        main.call("clobber", [.reg(values[0])], result: nil)
        main.hostCall(.putByte, [.imm(65)])
        var total = main.copy(.i64, .imm(0))
        for (i, v) in values.enumerated() {
            total = main.binary(.add, .i64, .reg(total), .reg(main.binary(.shl, .i64, .reg(v), .imm(Int64(i)))))
        }
        main.ret(.reg(total))
        // A callee that uses (and so clobbers) every caller-saved register.
        var clobber = FunctionBuilder(name: "clobber", parameters: [.i64])
        let many = (0..<10).map { clobber.binary(.add, .i64, .reg(clobber.parameter(0)), .imm(Int64($0))) }
        var sum = clobber.copy(.i64, .imm(0))
        for v in many { sum = clobber.binary(.xor, .i64, .reg(sum), .reg(v)) }
        clobber.hostCall(.putByte, [.reg(sum)])
        clobber.ret(nil)
        let module = Module(functions: [try main.finish(), try clobber.finish()])
        try expectSameAsInterpreter(module, argumentSets: [[3], [-1000]])
    }

    @Test func mutualRecursionAndVoidCalls() throws {
        func parity(_ name: String, _ other: String, base: Int64) throws -> Function {
            var f = FunctionBuilder(name: name, parameters: [.i32], result: .i1)
            let n = f.parameter(0)
            let done = f.newBlock(), recurse = f.newBlock()
            f.branch(.reg(f.compare(.eq, .i32, .reg(n), .imm(0))), done, recurse)
            f.position(at: done)
            f.ret(.imm(base))
            f.position(at: recurse)
            f.call("note", [], result: nil)
            f.ret(.reg(f.call(other, [.reg(f.binary(.sub, .i32, .reg(n), .imm(1)))], result: .i1)!))
            return try f.finish()
        }
        var note = FunctionBuilder(name: "note")
        note.hostCall(.putByte, [.imm(46)])
        note.ret(nil)
        let module = Module(functions: [try parity("even", "odd", base: 1), try parity("odd", "even", base: 0), try note.finish()])
        try expectSameAsInterpreter(module, function: "even", argumentSets: [[0], [7], [10]])
    }
}
