import JitIR
import Testing

/// A function `main` with one block holding `op` and returning.
private func moduleWith(_ op: Op, registers: [IntType] = [.i64], loc: SourceLoc,
                        extra: [Function] = []) -> Module {
    let block = Block(label: "entry", instructions: [Instruction(op, loc: loc)], terminator: .ret(nil))
    return Module(sourceFile: "bad.ir",
                  functions: [Function(name: "main", registerTypes: registers, blocks: [block])] + extra)
}

struct MalformedCase: CustomTestStringConvertible, Sendable {
    var name: String
    var module: Module
    var loc: SourceLoc
    var testDescription: String { name }
}

private let at = SourceLoc(line: 3, column: 9)
private let callee = Function(name: "g", registerTypes: [.i64], parameters: [Var(0)],
                              blocks: [Block(label: "entry", terminator: .ret(nil))])

private let malformed: [MalformedCase] = [
    .init(name: "unknown callee", module: moduleWith(.call(dst: nil, callee: "nope", args: []), loc: at), loc: at),
    .init(name: "call arity", module: moduleWith(.call(dst: nil, callee: "g", args: []), loc: at, extra: [callee]),
          loc: at),
    .init(name: "undeclared destination", module: moduleWith(.copy(dst: Var(5), src: .imm(1)), loc: at), loc: at),
    .init(name: "undeclared operand",
          module: moduleWith(.binary(.add, dst: Var(0), lhs: .reg(Var(0)), rhs: .reg(Var(1)), checked: false), loc: at),
          loc: at),
    .init(name: "undeclared load base", module: moduleWith(.load(dst: Var(0), base: Var(9), offset: 0), loc: at),
          loc: at),
    .init(name: "hostcall arity", module: moduleWith(.hostCall(.putByte, dst: nil, args: []), loc: at), loc: at),
    .init(name: "branch to a missing block",
          module: Module(sourceFile: "bad.ir", functions: [Function(name: "main", blocks: [
              Block(label: "entry", terminator: .jump(BlockRef(4)), terminatorLoc: at)])]),
          loc: at),
    .init(name: "function without blocks",
          module: Module(sourceFile: "bad.ir", functions: [Function(name: "main", loc: at)]), loc: at),
]

@Suite("Interpreter: decoding")
struct InterpreterDecodeTests {
    /// A module the interpreter cannot run is rejected at compile time with a
    /// positioned error, never a crash.
    @Test(arguments: malformed)
    func malformedModulesAreRejected(_ c: MalformedCase) throws {
        for engine in InterpreterHarness.engines {
            #expect {
                _ = try engine.compile(c.module)
            } throws: { error in
                guard let e = error as? SourceError else { return false }
                return e.file == "bad.ir" && e.loc == c.loc && e.message.contains("@main")
            }
        }
    }

    @Test func engineName() {
        #expect(Interpreter().name == "interp")
    }

    /// Fusion makes fewer decoded instructions than IR instructions; the general
    /// path keeps one per instruction (and drops nothing observable).
    @Test func specialisationFusesInstructions() throws {
        var b = FunctionBuilder(name: "main")
        let p = b.copy(.i64, .imm(0))
        let x = b.load(.i8, base: p)
        let y = b.binary(.add, .i8, .reg(x), .imm(1))
        b.store(.i8, .reg(y), base: p)
        b.ret(nil)
        let module = Module(memorySize: 1, functions: [try b.finish()])
        let fast = try #require(try Interpreter().compile(module) as? InterpretedProgram)
        let general = try #require(try Interpreter(specializes: false).compile(module) as? InterpretedProgram)
        #expect(fast.decodedInstructionCount == 3)
        #expect(general.decodedInstructionCount == 5)
    }

    /// Loops whose small headers are copied into their back edges, nested, with
    /// jumps to blocks that only jump.
    @Test func nestedLoopsAndJumpChains() throws {
        var b = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        let n = b.parameter(0)
        let total = b.copy(.i64, .imm(0))
        let i = b.copy(.i64, .imm(0))
        let outer = b.newBlock("outer"), outerBody = b.newBlock(), inner = b.newBlock("inner"),
            innerBody = b.newBlock(), innerDone = b.newBlock(), hop = b.newBlock(), done = b.newBlock()
        b.jump(outer)
        b.position(at: outer)
        b.branch(.reg(b.compare(.slt, .i64, .reg(i), .reg(n))), outerBody, done)
        b.position(at: outerBody)
        let j = b.copy(.i64, .imm(0))
        b.jump(inner)
        b.position(at: inner)
        b.branch(.reg(b.compare(.sle, .i64, .reg(j), .reg(i))), innerBody, innerDone)
        b.position(at: innerBody)
        b.append(.binary(.add, dst: total, lhs: .reg(total), rhs: .reg(j), checked: true))
        b.append(.binary(.add, dst: j, lhs: .reg(j), rhs: .imm(1), checked: false))
        b.jump(inner)
        b.position(at: innerDone)
        b.append(.binary(.add, dst: i, lhs: .reg(i), rhs: .imm(1), checked: false))
        b.jump(hop)
        b.position(at: hop)
        b.jump(outer)
        b.position(at: done)
        b.ret(.reg(total))
        let module = Module(functions: [try b.finish()])
        // sum over i < n of i(i+1)/2 = (n-1)n(n+1)/6
        for n: Int64 in [0, 1, 5, 30] {
            #expect(try InterpreterHarness.run(module, arguments: [n]).0.value == (n - 1) * n * (n + 1) / 6)
        }
    }

    /// A branch on an immediate condition goes one way only.
    @Test(arguments: [(Int64(1), Int64(10)), (0, 20)])
    func branchOnImmediate(_ cond: Int64, _ expected: Int64) throws {
        var b = FunctionBuilder(name: "main", result: .i64)
        let yes = b.newBlock(), no = b.newBlock()
        b.branch(.imm(cond), yes, no)
        b.position(at: yes)
        b.ret(.imm(10))
        b.position(at: no)
        b.ret(.imm(20))
        #expect(try InterpreterHarness.run(Module(functions: [try b.finish()])).0.value == expected)
    }
}
