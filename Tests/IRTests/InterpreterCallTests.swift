import JitIR
import Testing

/// `fib(n)`, naively recursive, with checked addition.
private func fib() throws -> Function {
    var b = FunctionBuilder(name: "fib", parameters: [.i64], result: .i64)
    let n = b.parameter(0)
    let small = b.compare(.slt, .i64, .reg(n), .imm(2))
    let base = b.newBlock(), recurse = b.newBlock()
    b.branch(.reg(small), base, recurse)
    b.position(at: base)
    b.ret(.reg(n))
    b.position(at: recurse)
    let a = b.call("fib", [.reg(b.binary(.sub, .i64, .reg(n), .imm(1)))], result: .i64)!
    let c = b.call("fib", [.reg(b.binary(.sub, .i64, .reg(n), .imm(2)))], result: .i64)!
    b.ret(.reg(b.binary(.add, .i64, .reg(a), .reg(c), checked: true)))
    return try b.finish()
}

/// `sum(n) = n == 0 ? 0 : n + sum(n - 1)`: recursion as deep as `n`.
private func sum(loc: SourceLoc = .unknown) throws -> Function {
    var b = FunctionBuilder(name: "sum", parameters: [.i64], result: .i64)
    let n = b.parameter(0)
    let done = b.compare(.eq, .i64, .reg(n), .imm(0))
    let base = b.newBlock(), recurse = b.newBlock()
    b.branch(.reg(done), base, recurse)
    b.position(at: base)
    b.ret(.imm(0))
    b.position(at: recurse)
    let m = b.binary(.sub, .i64, .reg(n), .imm(1))
    b.loc = loc
    let s = b.call("sum", [.reg(m)], result: .i64)!
    b.loc = .unknown
    b.ret(.reg(b.binary(.add, .i64, .reg(s), .reg(n))))
    return try b.finish()
}

/// `name(n) = n == 0 ? atZero : other(n - 1)`.
private func parity(_ name: String, other: String, atZero: Int64) throws -> Function {
    var b = FunctionBuilder(name: name, parameters: [.i64], result: .i1)
    let n = b.parameter(0)
    let done = b.compare(.eq, .i64, .reg(n), .imm(0))
    let base = b.newBlock(), recurse = b.newBlock()
    b.branch(.reg(done), base, recurse)
    b.position(at: base)
    b.ret(.imm(atZero))
    b.position(at: recurse)
    let r = b.call(other, [.reg(b.binary(.sub, .i64, .reg(n), .imm(1)))], result: .i1)!
    b.ret(.reg(r))
    return try b.finish()
}

@Suite("Interpreter: calls")
struct InterpreterCallTests {
    @Test(arguments: [(Int64(0), Int64(0)), (1, 1), (2, 1), (10, 55), (20, 6765)])
    func fibonacci(_ n: Int64, _ expected: Int64) throws {
        #expect(try InterpreterHarness.run(Module(functions: [fib()]), "fib", arguments: [n]).0.value == expected)
    }

    /// A million nested calls finish normally when the depth limit allows them: the interpreter's
    /// frames are not native stack frames. (The IR's own rule, the default, is `CallDepth.limit`.)
    @Test func millionDeepRecursion() throws {
        let program = try Interpreter(maxCallDepth: 2_000_000).compile(Module(functions: [sum()]))
        let r = try program.run("sum", arguments: [1_000_000], io: ProgramIO())
        #expect(r.trap == nil)
        #expect(r.value == 500_000_500_000)
    }

    @Test(arguments: [(Int64(0), Int64(1)), (7, 0), (10_000, 1), (10_001, 0)])
    func mutualRecursion(_ n: Int64, _ even: Int64) throws {
        let module = Module(functions: [try parity("isEven", other: "isOdd", atZero: 1),
                                        try parity("isOdd", other: "isEven", atZero: 0)])
        #expect(try InterpreterHarness.run(module, "isEven", arguments: [n]).0.value == even)
        #expect(try InterpreterHarness.run(module, "isOdd", arguments: [n]).0.value == 1 - even)
    }

    /// Exactly `maxCallDepth` live activations are allowed; one more traps at the call.
    @Test(arguments: [false, true])
    func recursionLimit(_ specializes: Bool) throws {
        let callSite = SourceLoc(line: 4, column: 2)
        let engine = Interpreter(maxCallDepth: 50, specializes: specializes)
        let program = try engine.compile(Module(functions: [sum(loc: callSite)]))
        let fits = try program.run("sum", arguments: [49], io: ProgramIO())  // sum(49) ... sum(0): 50 activations
        #expect(fits.value == Int64(49 * 50 / 2))
        let deep = try program.run("sum", arguments: [50], io: ProgramIO())
        #expect(deep.trap == Trap(kind: .recursionLimit, loc: callSite, function: "sum"))
        #expect(deep.value == nil)
    }

    /// Register memory over all activations is capped as well.
    @Test func frameMemoryLimit() throws {
        let engine = Interpreter(maxFrameMemory: 1 << 16)
        let program = try engine.compile(Module(functions: [sum()]))
        #expect(try program.run("sum", arguments: [100], io: ProgramIO()).value == 5050)
        #expect(try program.run("sum", arguments: [100_000], io: ProgramIO()).trap?.kind == .recursionLimit)
    }

    /// Infinite recursion stops with `recursion_limit`.
    @Test func infiniteRecursionTraps() throws {
        var b = FunctionBuilder(name: "forever", parameters: [.i64], result: .i64)
        let r = b.call("forever", [.reg(b.parameter(0))], result: .i64)!
        b.ret(.reg(r))
        let program = try Interpreter(maxCallDepth: 200_000).compile(Module(functions: [try b.finish()]))
        #expect(try program.run("forever", arguments: [1], io: ProgramIO()).trap?.kind == .recursionLimit)
    }

    /// Each activation has its own registers: a callee using the same register
    /// numbers leaves the caller's alone; arguments are normalised to the parameter types.
    @Test func framesAreIndependent() throws {
        var callee = FunctionBuilder(name: "clobber", parameters: [.i8, .i64], result: .i64)
        for _ in 0..<8 { _ = callee.copy(.i64, .imm(-99)) }
        let wide = callee.convert(.sext, .reg(callee.parameter(0)), from: .i8, to: .i64)
        let s = callee.binary(.add, .i64, .reg(wide), .reg(callee.parameter(1)))
        callee.ret(.reg(s))
        var caller = FunctionBuilder(name: "main", result: .i64)
        let keep = caller.copy(.i64, .imm(1000))
        let small = caller.copy(.i8, .imm(-1))
        let first = caller.call("clobber", [.reg(small), .reg(keep)], result: .i64)!  // -1 + 1000
        let second = caller.call("clobber", [.imm(200), .imm(0)], result: .i64)!  // 200 is -56 as i8
        let t = caller.binary(.add, .i64, .reg(first), .reg(second))
        caller.ret(.reg(caller.binary(.add, .i64, .reg(t), .reg(keep))))
        let (r, _) = try InterpreterHarness.run(Module(functions: [try caller.finish(), try callee.finish()]))
        #expect(r.value == Int64(999 - 56 + 1000))
    }

    /// A call without a result register, a function without a result, and a
    /// result written to the register that was the argument.
    @Test func voidCallsAndResultRegisters() throws {
        var poke = FunctionBuilder(name: "poke", parameters: [.i64])
        let p = poke.copy(.i64, .imm(0))
        poke.store(.i64, .reg(poke.parameter(0)), base: p)
        poke.ret(nil)
        var twice = FunctionBuilder(name: "twice", parameters: [.i64], result: .i64)
        twice.ret(.reg(twice.binary(.mul, .i64, .reg(twice.parameter(0)), .imm(2))))
        var main = FunctionBuilder(name: "main", result: .i64)
        let x = main.copy(.i64, .imm(21))
        main.append(.call(dst: x, callee: "twice", args: [.reg(x)]))
        main.call("poke", [.reg(x)], result: nil)
        main.call("twice", [.imm(1)], result: nil)
        let q = main.copy(.i64, .imm(0))
        main.ret(.reg(main.load(.i64, base: q)))
        let module = Module(memorySize: 8, functions: [try main.finish(), try twice.finish(), try poke.finish()])
        #expect(try InterpreterHarness.run(module).0.value == 42)
        let direct = try InterpreterHarness.run(module, "poke", arguments: [7], captureMemory: true).0
        #expect(direct.value == nil)
        #expect(direct.memory == [7, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func missingFunctionIsARunError() throws {
        let program = try Interpreter().compile(Module(functions: [fib()]))
        #expect(throws: RunError.self) { try program.run("fob", arguments: [1], io: ProgramIO()) }
    }

    @Test(arguments: [[Int64](), [1, 2]])
    func wrongArgumentCountIsARunError(_ arguments: [Int64]) throws {
        let program = try Interpreter().compile(Module(functions: [fib()]))
        #expect(throws: RunError.self) { try program.run("fib", arguments: arguments, io: ProgramIO()) }
    }
}
