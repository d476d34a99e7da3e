import JitIR
import Testing
@testable import X86Backend

/// The order of blocks in the code, and the tier-up sites the code polls.
@Suite struct BlockLayoutTests {
    /// `sum = 0; for i in 0..<n { sum += i }` with the step of `i` in a block of its own at the
    /// end, as the bytecode frontend writes a `for` loop.
    static func loopWithItsStepAtTheEnd() throws -> Function {
        var f = FunctionBuilder(name: "sum", parameters: [.i64], result: .i64)
        let sum = f.copy(.i64, .imm(0)), i = f.copy(.i64, .imm(0))
        let head = f.newBlock("head"), body = f.newBlock("body"), done = f.newBlock("done"), step = f.newBlock("step")
        f.jump(head)
        f.position(at: head)
        f.branch(.reg(f.compare(.slt, .i64, .reg(i), .reg(f.parameter(0)))), step, done)
        f.position(at: body)
        f.append(.binary(.add, dst: sum, lhs: .reg(sum), rhs: .reg(i), checked: false))
        f.append(.binary(.add, dst: i, lhs: .reg(i), rhs: .imm(1), checked: false))
        f.jump(head)
        f.position(at: done)
        f.ret(.reg(sum))
        f.position(at: step)
        f.jump(body)
        return try f.finish()
    }

    @Test func aBlockThatOnlyContinuesAnotherFollowsIt() throws {
        let f = try Self.loopWithItsStepAtTheEnd()
        let labels = BlockLayout(f).order.map { f.blocks[$0].label }
        #expect(labels == ["entry", "head", "step", "body", "done"], "\(labels)")
        let program = try X86Backend().compileProgram(Module(functions: [f]))
        #expect(try program.run("sum", arguments: [10], io: ProgramIO()).value == 45)
    }

    /// A block that continues another but jumps elsewhere than the block after it keeps its place.
    @Test func aBlockJumpingElsewhereStaysWhereItIs() throws {
        var f = FunctionBuilder(name: "f", parameters: [.i64], result: .i64)
        let one = f.newBlock("one"), two = f.newBlock("two"), late = f.newBlock("late")
        f.branch(.reg(f.compare(.eq, .i64, .reg(f.parameter(0)), .imm(0))), late, one)
        f.position(at: one)
        f.ret(.imm(1))
        f.position(at: two)
        f.ret(.imm(2))
        f.position(at: late)
        f.jump(two)
        let function = try f.finish()
        #expect(BlockLayout(function).order == [0, 1, 2, 3])
    }

    /// Entries poll only in functions that loop or may recur: a call of any other ends soon,
    /// and a poll there would cost every call.
    @Test func onlyFunctionsThatLoopOrRecurPollAtTheirEntry() throws {
        var leaf = FunctionBuilder(name: "leaf", parameters: [.i64], result: .i64)
        leaf.ret(.reg(leaf.binary(.add, .i64, .reg(leaf.parameter(0)), .imm(1))))
        var selfCalling = FunctionBuilder(name: "down", parameters: [.i64], result: .i64)
        let stop = selfCalling.newBlock(), go = selfCalling.newBlock()
        selfCalling.branch(.reg(selfCalling.compare(.eq, .i64, .reg(selfCalling.parameter(0)), .imm(0))), stop, go)
        selfCalling.position(at: stop)
        selfCalling.ret(.imm(0))
        selfCalling.position(at: go)
        let less = selfCalling.binary(.sub, .i64, .reg(selfCalling.parameter(0)), .imm(1))
        selfCalling.ret(.reg(selfCalling.call("leaf", [.reg(selfCalling.call("down", [.reg(less)], result: .i64)!)], result: .i64)!))
        // `ping` and `pong` call each other; `top` calls `ping` once and is not recursive itself.
        func calling(_ name: String, _ callee: String) throws -> Function {
            var f = FunctionBuilder(name: name, parameters: [.i64], result: .i64)
            f.ret(.reg(f.call(callee, [.reg(f.parameter(0))], result: .i64)!))
            return try f.finish()
        }
        let module = Module(functions: [try Self.loopWithItsStepAtTheEnd(), try leaf.finish(), try selfCalling.finish(),
                                        try calling("top", "ping"), try calling("ping", "pong"), try calling("pong", "ping")])
        let entries = Set(X86Backend.tierUpSites(module).filter { $0.block == 0 }.map(\.function))
        #expect(entries == ["sum", "down", "ping", "pong"])
        #expect(X86Backend.recursiveFunctions(module) == ["down", "ping", "pong"])
    }
}
