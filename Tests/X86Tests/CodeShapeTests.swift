import BFFrontend
import JitIR
import LLVMBackend
import NativeCode
import Testing
@testable import X86Backend

/// The machine code has the shapes a baseline compiler should produce.
@Suite struct CodeShapeTests {
    /// Whether `code` contains `bytes`.
    static func contains(_ code: [UInt8], _ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, code.count >= bytes.count else { return false }
        return (0...(code.count - bytes.count)).contains { code[$0 ..< $0 + bytes.count].elementsEqual(bytes) }
    }

    /// Brainfuck `source` compiled for x86 and run on `input`: what it wrote, and its instructions.
    static func runBF(_ source: String, input: [UInt8], options: BFOptions = BFOptions()) throws -> (output: [UInt8], text: [String]) {
        let module = try BFFrontend.compile(source: Array(source.utf8), file: "t.bf", options: options)
        let program = try X86Backend().compileProgram(module)
        let io = ProgramIO(input: .bytes(input), output: .capture)
        _ = try program.run("main", arguments: [], io: io)
        return (io.allOutput, try Disassembler().disassemble(program.machineCode).map(\.text))
    }

    /// The encoding of one instruction.
    static func encode(_ body: (inout Assembler) -> Void) throws -> [UInt8] {
        var a = Assembler()
        body(&a)
        return try a.finish()
    }

    /// The operand of byte `disp` past index register `index` in `program`'s memory: `[index + address + disp]`
    /// when that fits a displacement (the memory lies in the low 2 GiB), else `[r15 + index + disp]`.
    static func cell(_ program: X86Program, _ index: Reg, _ disp: Int32) -> Mem {
        if let absolute = Int32(exactly: Int64(program.context.memoryAddress) + Int64(disp)) {
            return .byte(index, absolute)
        }
        return .byte(.r15, index: index, disp)
    }

    /// A BF cell update (`+++` at an offset) is one `add byte [memory + p + offset], 3`, and a clear is one `mov`.
    @Test func cellUpdatesAreSingleMemoryInstructions() throws {
        var f = FunctionBuilder(name: "main")
        let p = f.copy(.i64, .imm(16))
        let v = f.load(.i8, base: p, offset: 2)
        f.store(.i8, .reg(f.binary(.add, .i8, .reg(v), .imm(3))), base: p, offset: 2)
        let w = f.load(.i8, base: p, offset: -1)
        f.store(.i8, .reg(f.binary(.sub, .i8, .reg(w), .imm(5))), base: p, offset: -1)
        f.store(.i8, .imm(0), base: p, offset: 4)
        f.ret(nil)
        let function = try f.finish()
        let program = try X86Backend().compileProgram(Module(memorySize: 64, functions: [function]))
        guard case .register(let n) = FunctionAnalysis(function).allocation.location(p) else {
            Issue.record("p not in a register")
            return
        }
        let index = Reg(number: Int(n), size: .qword)
        let add = try Self.encode { $0.add(Self.cell(program, index, 2), 3) }
        let sub = try Self.encode { $0.sub(Self.cell(program, index, -1), 5) }
        let clear = try Self.encode { $0.mov(Self.cell(program, index, 4), 0) }
        #expect(Self.contains(program.machineCode, add))
        #expect(Self.contains(program.machineCode, sub))
        #expect(Self.contains(program.machineCode, clear))
        let result = try program.run("main", arguments: [], io: ProgramIO(), options: RunOptions(captureMemory: true))
        #expect(result.memory?[18] == 3 && result.memory?[15] == 251)
    }

    /// The same through the BF frontend: the tape pointer is in a callee-saved register and `+` runs are memory adds.
    /// Every loop's first instruction starts a 16-byte block (`FunctionEmitter.loopAlignment`).
    @Test func loopHeadsAreAligned() throws {
        let module = try BFFrontend.compile(source: Array(",[.,]>,[.-]".utf8), file: "a.bf",
                                            options: BFOptions())
        let program = try X86Backend().compileProgram(module)
        let loops = program.codeSymbols.filter { $0.name.contains("loop at") }
        #expect(loops.count >= 2)
        for loop in loops {
            #expect((loop.address - program.codeAddress) % UInt64(FunctionEmitter.loopAlignment) == 0, "\(loop.name)")
        }
    }

    @Test func bfProgramUsesMemoryOperands() throws {
        // Inside a loop that prints (so it is not a multiply loop) the frontend cannot know
        // the cell's value, so `>+++<` stays an addition to memory.
        let (output, text) = try Self.runBF(",[>+++<-.]>.", input: [2])
        #expect(output == [1, 0, 6])
        // Some `add byte [memory + reg + disp], 3`.
        #expect(text.contains { $0.hasPrefix("add byte ptr [") && $0.hasSuffix("], 3") }, "\(text)")
    }

    /// The update and the test at `]` of `[>.<-]` fuse: `add byte [r15 + p], -1` and a branch on
    /// its flags, with no load, no register copy and no `test` in between.
    @Test func loopEndUpdatesAndTestsInOne() throws {
        let (output, text) = try Self.runBF(",[>.<-]", input: [3])
        #expect(output == [0, 0, 0])
        let update = try #require(text.firstIndex { $0.hasPrefix("add byte ptr [") && $0.hasSuffix("], -1") })
        #expect(text[update + 1].hasPrefix("jne") || text[update + 1].hasPrefix("je"), "\(text[update...].prefix(3))")
    }

    /// A multiply that opens its loop's body runs for sure (the loop just tested its counter):
    /// no branch and no `cmov` on the counter, even with a target not yet known to be on the tape.
    @Test func multiplyOpeningALoopBodyNeedsNoTestOfItsCounter() throws {
        // `--eof minus-one`: reading a byte needs no `select` (a cmov) either.
        let (output, text) = try Self.runBF(",[[->>+<<]>>.<<]", input: [3], options: BFOptions(eof: .minusOne))
        #expect(output == [3])
        #expect(!text.contains { $0.hasPrefix("cmov") }, "\(text)")
    }

    /// A cell read for its low bits only (an equality test, an addition stored back) is loaded
    /// with `movzx` alone and never sign-extended, and sums of such cells are not either; the
    /// equality test still sees only the cell's own bits, whatever the upper bits hold.
    @Test func narrowCellsAreNotSignExtended() throws {
        var f = FunctionBuilder(name: "main", result: .i64)
        let p = f.copy(.i64, .imm(8))
        f.store(.i8, .imm(-56), base: p, offset: 0)  // 200 as a byte
        f.store(.i8, .imm(100), base: p, offset: 1)
        let a = f.load(.i8, base: p, offset: 0)
        let b = f.load(.i8, base: p, offset: 1)
        let sum = f.binary(.add, .i8, .reg(a), .reg(b))  // 300 wraps to 44
        let product = f.binary(.mul, .i8, .reg(sum), .imm(3))  // 132 wraps to -124
        f.store(.i8, .reg(product), base: p, offset: 2)
        let yes = f.newBlock(), no = f.newBlock()
        f.branch(.reg(f.compare(.eq, .i8, .reg(product), .imm(-124))), yes, no)
        f.position(at: yes)
        f.ret(.imm(1))
        f.position(at: no)
        f.ret(.imm(0))
        let function = try f.finish()
        let program = try X86Backend().compileProgram(Module(memorySize: 16, functions: [function]))
        let result = try program.run("main", arguments: [], io: ProgramIO(), options: RunOptions(captureMemory: true))
        #expect(result.value == 1)
        #expect(result.memory?[10] == 132)
        let text = try Disassembler().disassemble(program.machineCode).map(\.text)
        #expect(text.contains { $0.hasPrefix("movzx") })
        #expect(!text.contains { $0.hasPrefix("movsx") }, "\(text)")
    }

    /// A cell read for `,`'s "unchanged at end of input" (a select between the old and the new
    /// value) stays narrow too, so the BF loops around it keep their loads free of `movsx`.
    @Test func cellsThroughSelectsStayNarrow() throws {
        let (output, text) = try Self.runBF(",[>+<-]>.", input: [200])
        #expect(output == [200])
        #expect(!text.contains { $0.hasPrefix("movsx") }, "\(text)")
    }

    /// `@name(n) = n < 2 ? n : otherwise(n)`, compiled.
    static func earlyReturning(_ name: String, otherwise: (inout FunctionBuilder, Var) -> Var) throws -> X86Program {
        var f = FunctionBuilder(name: name, parameters: [.i64], result: .i64)
        let n = f.parameter(0)
        let small = f.newBlock(), big = f.newBlock()
        f.branch(.reg(f.compare(.slt, .i64, .reg(n), .imm(2))), small, big)
        f.position(at: small)
        f.ret(.reg(n))
        f.position(at: big)
        f.ret(.reg(otherwise(&f, n)))
        return try X86Backend().compileProgram(Module(functions: [try f.finish()]))
    }

    /// `if n < 2 { return n }` at the top of a function is tested before the prologue, and
    /// returns without saving a register; the other path still gets the whole function.
    @Test func earlyReturnRunsBeforeThePrologue() throws {
        let program = try Self.earlyReturning("sum") { f, n in
            let m = f.call("sum", [.reg(f.binary(.sub, .i64, .reg(n), .imm(1)))], result: .i64)!
            return f.binary(.add, .i64, .reg(m), .reg(n))
        }
        for (argument, expected) in [(Int64(-5), Int64(-5)), (1, 1), (2, 3), (100, 5050)] {
            #expect(try program.run("sum", arguments: [argument], io: ProgramIO()).value == expected)
        }
        let text = try Disassembler().disassemble(program.machineCode).map(\.text)
        #expect(text.prefix(4).map { $0.split(separator: " ").first.map(String.init) ?? "" } == ["cmp", "jge", "mov", "ret"],
                "\(text.prefix(6))")
        #expect(text[4].hasPrefix("push"))
    }

    /// A bounds check `a = p + k; a >u L` whose `a` dies there is one `add` in a temporary and a
    /// compare, whether it traps (`trapIf`) or branches to a trap path; `a` gets no register
    /// and no spill slot. Unsigned: a negative `p + k` fails too.
    @Test(arguments: [false, true])
    func boundsChecksComputeTheAddressInATemporary(branching: Bool) throws {
        var f = FunctionBuilder(name: "check", parameters: [.i64], result: .i64)
        let p = f.parameter(0)
        let a = f.binary(.add, .i64, .reg(p), .imm(5))
        let outside = f.compare(.ugt, .i64, .reg(a), .imm(100))
        if branching {
            let bad = f.newBlock(), good = f.newBlock()
            f.branch(.reg(outside), bad, good)
            f.position(at: bad)
            f.trap(.outOfBounds)
            f.position(at: good)
        } else {
            f.trapIf(.reg(outside), .outOfBounds)
        }
        f.ret(.reg(p))
        let program = try X86Backend().compileProgram(Module(functions: [try f.finish()]))
        for (argument, traps) in [(Int64(95), false), (96, true), (-5, false), (-6, true), (Int64.max, true)] {
            let result = try program.run("check", arguments: [argument], io: ProgramIO())
            #expect((result.trap?.kind == .outOfBounds) == traps, "\(argument)")
        }
        let text = try Disassembler().disassemble(program.machineCode).map(\.text)
        #expect(text.contains { $0.hasPrefix("lea rax, [") && $0.hasSuffix("+ 5]") }, "\(text)")
        #expect(!text.contains { $0.contains("[rsp") }, "\(text)")
    }

    /// After the prologue, the entry block's test is not run again: its outcome is known.
    @Test func earlyReturnIsNotTestedTwice() throws {
        let program = try Self.earlyReturning("step") { f, n in
            f.binary(.add, .i64, .reg(f.binary(.mul, .i64, .reg(n), .imm(3), checked: true)), .imm(1), checked: true)
        }
        for (argument, expected) in [(Int64(-5), Int64(-5)), (1, 1), (2, 7), (10, 31)] {
            #expect(try program.run("step", arguments: [argument], io: ProgramIO()).value == expected)
        }
        let text = try Disassembler().disassemble(program.machineCode).map(\.text)
        #expect(text.filter { $0.hasPrefix("cmp") }.count == 1, "\(text)")
    }

    /// The early return needs its value in a register: a function returning its seventh
    /// argument (passed on the stack) keeps the ordinary path, and still returns it.
    @Test func earlyReturnOfAStackArgumentTakesTheOrdinaryPath() throws {
        var f = FunctionBuilder(name: "pick", parameters: Array(repeating: .i64, count: 8), result: .i64)
        let small = f.newBlock(), big = f.newBlock()
        f.branch(.reg(f.compare(.slt, .i64, .reg(f.parameter(0)), .imm(2))), small, big)
        f.position(at: small)
        f.ret(.reg(f.parameter(6)))
        f.position(at: big)
        f.ret(.reg(f.parameter(1)))
        let program = try X86Backend().compileProgram(Module(functions: [try f.finish()]))
        let result = try program.run("pick", arguments: [1, 2, 3, 4, 5, 6, 7, 8], io: ProgramIO())
        #expect(result.value == 7)
        #expect(try program.run("pick", arguments: [5, 2, 3, 4, 5, 6, 7, 8], io: ProgramIO()).value == 2)
    }

    /// A jump to the next block emits nothing; a branch needs only one jcc when a successor follows it.
    @Test func fallthroughJumpsAreOmitted() throws {
        var f = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        let next = f.newBlock(), yes = f.newBlock(), no = f.newBlock()
        f.jump(next)
        f.position(at: next)
        f.branch(.reg(f.compare(.eq, .i64, .reg(f.parameter(0)), .imm(7))), yes, no)
        f.position(at: yes)
        f.ret(.imm(1))
        f.position(at: no)
        f.ret(.imm(2))
        let program = try X86Backend().compileProgram(Module(functions: [try f.finish()]))
        // cmp rdi, 7; jne no; mov eax, 1; ret; mov eax, 2; ret  -- and then the shared trap tail.
        let expected = try Self.encode { a in
            let no = a.newLabel()
            a.cmp(.rdi, 7)
            a.jcc(.ne, no)
            a.mov(.rax, 1)
            a.ret()
            a.bind(no)
            a.mov(.rax, 2)
            a.ret()
        }
        #expect(Array(program.machineCode.prefix(expected.count)) == expected)
        #expect(program.functionOffsets["main"] == 0)
        #expect(try program.run("main", arguments: [7], io: ProgramIO()).value == 1)
    }
}
