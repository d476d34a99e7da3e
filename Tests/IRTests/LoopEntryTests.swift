import JitIR
import TestSupport
import Testing

/// `LoopEntry` is what tier-up moves running code with: the registers live at a block, and a
/// function that continues there. Continuing must give what the whole function gives.
struct LoopEntryTests {
    static func sumTo() throws -> Function {
        try #require(IRText.parse(SampleModules.sumToText, file: "loop.ir").function(named: "sum_to"))
    }

    @Test func liveRegistersAreThoseReadBeforeBeingAssigned() throws {
        let live = LoopEntry.liveIn(try Self.sumTo())
        #expect(live == [[Var(0)], [Var(0), Var(1), Var(2)], [Var(0), Var(1), Var(2)], [Var(1)]])
    }

    @Test func loopHeadsAreTheTargetsOfBackEdges() throws {
        #expect(LoopEntry.loopHeads(try Self.sumTo()) == [1])
    }

    @Test func innermostLoopsOfANestAreFound() throws {
        let text = """
            func @triangle(%0: i64) -> i64 {
              regs %1: i64, %2: i64, %3: i64, %4: i1
            entry:
              %1 = copy i64 0
              %2 = copy i64 1
              jump outer
            outer:
              %4 = cmp sgt i64 %2, %0
              br %4, exit, outer_body
            outer_body:
              %3 = copy i64 1
              jump inner
            inner:
              %4 = cmp sgt i64 %3, %2
              br %4, outer_next, inner_body
            inner_body:
              %1 = add i64 %1, %3
              %3 = add i64 %3, 1
              jump inner
            outer_next:
              %2 = add i64 %2, 1
              jump outer
            exit:
              ret %1
            }
            """
        let f = try #require(IRText.parse(text, file: "nest.ir").function(named: "triangle"))
        #expect(LoopEntry.loopHeads(f) == [1, 3])
        #expect(LoopEntry.innermostNestedHeads(f) == [3])
        // A loop on its own is not nested, however innermost.
        #expect(LoopEntry.innermostNestedHeads(try Self.sumTo()).isEmpty)
    }

    @Test func continuingAtTheLoopHeadFinishesTheSum() throws {
        let f = try Self.sumTo()
        let live = LoopEntry.liveIn(f)[1]
        let entered = LoopEntry.function(of: f, enteringAt: 1, parameters: live, named: "sum_to.osr")
        let module = Module(sourceFile: "loop.ir", functions: [entered])
        try IRVerifier.verify(module)
        // As if 1 + 2 + 3 + 4 had been summed already: n = 100, sum = 10, next = 5.
        let result = try Interpreter().compile(module).run("sum_to.osr", arguments: [100, 10, 5], io: ProgramIO(input: .bytes([])))
        #expect(result.value == 5050)
        // The original function still means what it meant.
        let whole = try Interpreter().compile(Module(sourceFile: "loop.ir", functions: [f])).run("sum_to", arguments: [100], io: ProgramIO(input: .bytes([])))
        #expect(whole.value == 5050)
    }

    @Test func enteringAtTheEntryTakesTheParametersAndWhatIsReadUnassigned() throws {
        let f = try Self.sumTo()
        let entered = LoopEntry.function(of: f, enteringAt: 0, parameters: LoopEntry.liveIn(f)[0], named: "again")
        #expect(entered.parameters == [Var(0)])
        #expect(entered.blocks.count == f.blocks.count + 1)
        if case .jump(let target) = entered.blocks[0].terminator { #expect(target.index == 1) } else { Issue.record("no jump") }
    }
}
