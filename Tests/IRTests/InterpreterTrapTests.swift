import JitIR
import Testing

private let here = SourceLoc(line: 12, column: 7)
private let elsewhere = SourceLoc(line: 99, column: 1)

/// A program whose instruction at `here` traps with `kind` (in a function named `kind`'s raw value).
struct TrapProgram: CustomTestStringConvertible, Sendable {
    var kind: TrapKind
    var name: String
    var build: @Sendable (inout FunctionBuilder) -> Void
    var testDescription: String { name }
}

private func program(_ name: String, _ kind: TrapKind, _ build: @escaping @Sendable (inout FunctionBuilder) -> Void)
    -> TrapProgram {
    TrapProgram(kind: kind, name: name, build: build)
}

private let trappingInstructions: [TrapProgram] = [
    program("checked add", .overflow) { b in
        let x = b.copy(.i64, .imm(.max))
        b.loc = here
        _ = b.binary(.add, .i64, .reg(x), .imm(1), checked: true)
    },
    program("checked sub i8", .overflow) { b in
        let x = b.copy(.i8, .imm(-128))
        b.loc = here
        _ = b.binary(.sub, .i8, .reg(x), .imm(1), checked: true)
    },
    program("checked mul i32", .overflow) { b in
        let x = b.copy(.i32, .imm(1 << 20))
        b.loc = here
        _ = b.binary(.mul, .i32, .reg(x), .reg(x), checked: true)
    },
    program("checked neg", .overflow) { b in
        let x = b.copy(.i16, .imm(-32768))
        b.loc = here
        _ = b.unary(.neg, .i16, .reg(x), checked: true)
    },
    program("sdiv MIN/-1", .overflow) { b in
        let x = b.copy(.i32, .imm(Int64(Int32.min)))
        let y = b.copy(.i32, .imm(-1))
        b.loc = here
        _ = b.binary(.sdiv, .i32, .reg(x), .reg(y))
    },
    program("sdiv by zero", .divisionByZero) { b in
        let x = b.copy(.i64, .imm(5))
        let y = b.copy(.i64, .imm(0))
        b.loc = here
        _ = b.binary(.sdiv, .i64, .reg(x), .reg(y))
    },
    program("srem by zero", .divisionByZero) { b in
        let x = b.copy(.i8, .imm(5))
        b.loc = here
        _ = b.binary(.srem, .i8, .reg(x), .imm(0))
    },
    program("load past the end", .outOfBounds) { b in
        let p = b.copy(.i64, .imm(16))
        b.loc = here
        _ = b.load(.i8, base: p)
    },
    program("store before the start", .outOfBounds) { b in
        let p = b.copy(.i64, .imm(0))
        b.loc = here
        b.store(.i32, .imm(1), base: p, offset: -1)
    },
    program("trapIf register", .negativeShift) { b in
        let c = b.compare(.slt, .i64, .imm(-3), .imm(0))
        b.loc = here
        b.trapIf(.reg(c), .negativeShift)
    },
    program("trapIf immediate", .negativePower) { b in
        b.loc = here
        b.trapIf(.imm(1), .negativePower)
    },
    program("trapIf after its comparison", .outOfBounds) { b in
        let p = b.copy(.i64, .imm(40000))
        let c = b.compare(.uge, .i64, .reg(p), .imm(30000))
        b.loc = here
        b.trapIf(.reg(c), .outOfBounds)
    },
    program("trap terminator", .unreachable) { b in
        b.loc = here
        b.trap(.unreachable)
    },
]

@Suite("Interpreter: traps")
struct InterpreterTrapTests {
    /// Each trap reports its kind, the position of the trapping instruction and the
    /// function; output written before it is kept and flushed.
    @Test(arguments: trappingInstructions)
    func trapReportsKindPositionAndFunction(_ p: TrapProgram) throws {
        var b = FunctionBuilder(name: "victim", result: .i64)
        b.loc = elsewhere
        b.hostCall(.putByte, [.imm(65)])
        p.build(&b)
        if !b.isTerminated {
            b.loc = elsewhere
            b.hostCall(.putByte, [.imm(66)])
            b.ret(.imm(0))
        }
        let module = Module(memorySize: 16, functions: [try b.finish()])
        for engine in InterpreterHarness.engines {
            let io = ProgramIO(output: .capture)
            let r = try engine.compile(module).run("victim", arguments: [], io: io)
            #expect(r.trap == Trap(kind: p.kind, loc: here, function: "victim"))
            #expect(r.value == nil)
            #expect(io.captured == [65])  // flushed by the run, not by reading allOutput
        }
    }

    /// `trapIf` and the `trap` terminator carry any kind.
    @Test(arguments: TrapKind.allCases)
    func everyKindTraps(_ kind: TrapKind) throws {
        for viaTrapIf in [false, true] {
            var b = FunctionBuilder(name: "f", parameters: [.i1])
            b.loc = here
            if viaTrapIf {
                b.trapIf(.reg(b.parameter(0)), kind)
                b.loc = elsewhere
                b.ret(nil)
            } else {
                b.trap(kind)
            }
            let (r, _) = try InterpreterHarness.run(Module(functions: [try b.finish()]), "f", arguments: [1])
            #expect(r.trap == Trap(kind: kind, loc: here, function: "f"))
        }
    }

    /// A false `trapIf` does nothing, fused with its comparison or not.
    @Test func falseTrapIfContinues() throws {
        var b = FunctionBuilder(name: "f", parameters: [.i64], result: .i64)
        let c = b.compare(.uge, .i64, .reg(b.parameter(0)), .imm(10))
        b.trapIf(.reg(c), .outOfBounds)
        b.trapIf(.reg(c), .overflow)
        b.trapIf(.imm(0), .unreachable)
        let wide = b.convert(.zext, .reg(c), from: .i1, to: .i64)
        let r = b.binary(.add, .i64, .reg(wide), .imm(5))
        b.ret(.reg(r))
        let module = Module(functions: [try b.finish()])
        #expect(try InterpreterHarness.run(module, "f", arguments: [9]).0.value == 5)
        #expect(try InterpreterHarness.run(module, "f", arguments: [-1]).0.trap?.kind == .outOfBounds)
    }

    /// A block with no terminator set traps `unreachable` at the terminator's (unknown) position.
    @Test func defaultTerminatorIsUnreachable() throws {
        let f = Function(name: "f", blocks: [Block(label: "entry")])
        let (r, _) = try InterpreterHarness.run(Module(functions: [f]), "f")
        #expect(r.trap == Trap(kind: .unreachable, loc: .unknown, function: "f"))
    }

    /// A trap in a callee names the callee and stops the whole run.
    @Test func trapInCalleeNamesTheCallee() throws {
        var callee = FunctionBuilder(name: "inner", parameters: [.i64], result: .i64)
        callee.loc = here
        let q = callee.binary(.sdiv, .i64, .imm(100), .reg(callee.parameter(0)))
        callee.ret(.reg(q))
        var caller = FunctionBuilder(name: "outer", result: .i64)
        caller.loc = elsewhere
        let a = caller.call("inner", [.imm(5)], result: .i64)!
        let b = caller.call("inner", [.imm(0)], result: .i64)!
        caller.hostCall(.putByte, [.imm(33)])
        let s = caller.binary(.add, .i64, .reg(a), .reg(b))
        caller.ret(.reg(s))
        let (r, out) = try InterpreterHarness.run(Module(functions: [try caller.finish(), try callee.finish()]), "outer")
        #expect(r.trap == Trap(kind: .divisionByZero, loc: here, function: "inner"))
        #expect(out == [])
    }

    /// A fused comparison and `trapIf` in a small loop header that is copied into
    /// the loop's back edge still traps at the `trapIf`'s position.
    @Test func trapIfInDuplicatedLoopHeader() throws {
        var b = FunctionBuilder(name: "walk", result: .i64)
        let p = b.copy(.i64, .imm(0))
        let head = b.newBlock(), body = b.newBlock(), exit = b.newBlock()
        b.jump(head)
        b.position(at: head)
        let bad = b.compare(.ugt, .i64, .reg(p), .imm(10))
        b.loc = here
        b.trapIf(.reg(bad), .outOfBounds)
        b.loc = elsewhere
        let more = b.compare(.slt, .i64, .reg(p), .imm(100))
        b.branch(.reg(more), body, exit)
        b.position(at: body)
        b.append(.binary(.add, dst: p, lhs: .reg(p), rhs: .imm(3), checked: false))
        b.jump(head)
        b.position(at: exit)
        b.ret(.reg(p))
        let (r, _) = try InterpreterHarness.run(Module(functions: [try b.finish()]), "walk")
        #expect(r.trap == Trap(kind: .outOfBounds, loc: here, function: "walk"))
    }

    /// `Trap.render` gives the line jitctl prints.
    @Test func rendering() {
        let t = Trap(kind: .divisionByZero, loc: here, function: "f")
        #expect(t.render(file: "p.py") == "p.py:12:7: trap: \(TrapKind.divisionByZero.message)")
    }
}
