import BFFrontend
import JitIR
import Testing

/// Pattern in, ops out, for the passes that work from known cell values:
/// known-cells, dead-stores, loop-peeling and the repeated group.
@Suite struct KnownValuePassTests {
    static let options = BFOptions(tapeSize: 64)
    static let context = BFPassContext(options: options)

    static func pipeline(_ source: String, _ options: BFOptions = options) throws -> [BFOp] {
        BFPipeline.run(BFOp.literal(try BFParser.parse(Array(source.utf8), file: "t.bf")), options: options)
    }

    static func loops(_ ops: [BFOp]) -> Int {
        ops.reduce(0) { n, op in
            switch op {
            case .loop(let body, _, _): n + 1 + loops(body)
            case .multiply, .scan: n + 1
            default: n
            }
        }
    }

    static func at(_ column: Int) -> SourceLoc { SourceLoc(line: 1, column: column) }

    @Test func factsFromBeforeALoopHoldInItsBodyWhenTheBodyKeepsThem() throws {
        // Cell 1 is 7 before the loop and the body never writes it: its output is a constant.
        let ops = try Self.pipeline("+++++++>,[<.>-]")
        guard case .loop(let body, _, _)? = ops.last else { Issue.record("\(ops)"); return }
        #expect(body.contains { if case .write([7], _) = $0 { true } else { false } }, "\(body)")
    }

    @Test func aCellTheBodyChangesIsNotKnownInTheBody() throws {
        let ops = try Self.pipeline("+++++++>,[<.+>-]")
        guard case .loop(let body, _, _)? = ops.last else { Issue.record("\(ops)"); return }
        #expect(body.contains { if case .output(-1, _) = $0 { true } else { false } }, "\(body)")
    }

    @Test func knownTripCountsBecomeStraightLine() throws {
        let ops = try Self.pipeline("++[>+++[>++<-]<-]>>.")
        #expect(Self.loops(ops) == 0, "\(ops)")
        #expect(ops.contains { if case .write([12], _) = $0 { true } else { false } }, "\(ops)")
    }

    @Test func aLoopThatNeverEndsIsNotUnrolled() throws {
        let ops = try Self.pipeline("+[>+<]")
        #expect(Self.loops(ops) == 1, "\(ops)")
    }

    @Test func multiplyTargetsKnownToHoldZeroAreMarked() throws {
        // Cell 1 is cleared before the multiply, cell 2 is not known.
        let ops = try Self.pipeline(",>,>,<[-]<[->+>+<<]>.>.")
        let m = ops.compactMap { if case .multiply(let m) = $0 { m } else { nil } }
        #expect(m.count == 1 && m[0].zeroTargets == [1], "\(ops)")
        // The same multiply run again: cell 1 no longer holds 0.
        let twice = try Self.pipeline(",>,>,<[-]<[->+>+<<],[->+>+<<]>.>.")
        let ms = twice.compactMap { if case .multiply(let m) = $0 { m } else { nil } }
        #expect(ms.count == 2 && ms[1].zeroTargets.isEmpty, "\(twice)")
    }

    @Test func multiplyWithAKnownCounterBecomesAdds() {
        let m = BFMultiply(offset: 0, step: -1, open: Self.at(1), terms: [
            .init(offset: 0, delta: -1, loc: Self.at(2)), .init(offset: 1, delta: 3, loc: Self.at(3)),
        ])
        let ops = KnownCells().run([.set(offset: 0, value: 5, loc: Self.at(1)), .multiply(m)], Self.context)
        #expect(ops == [.set(offset: 0, value: 5, loc: Self.at(1)), .set(offset: 0, value: 4, loc: Self.at(2)),
                        .set(offset: 1, value: 3, loc: Self.at(3)), .set(offset: 1, value: 15, loc: Self.at(3)),
                        .set(offset: 0, value: 0, loc: Self.at(1))])
    }

    @Test func addThenSetOfOneCellIsTheSet() {
        let ops: [BFOp] = [.add(offset: 0, delta: 3, loc: Self.at(1)), .set(offset: 0, value: 0, loc: Self.at(4))]
        #expect(DeadStores().run(ops, Self.context) == [.set(offset: 0, value: 0, loc: Self.at(4))])
    }

    @Test func aStoreBeforeAPossibleTrapIsKept() {
        // Cell 70 is off a 64-cell tape: the trap there must show the add.
        let ops: [BFOp] = [.add(offset: 0, delta: 3, loc: Self.at(1)), .add(offset: 70, delta: 1, loc: Self.at(2)),
                           .set(offset: 0, value: 0, loc: Self.at(3))]
        #expect(DeadStores().run(ops, Self.context) == ops)
    }

    @Test func aStoreOfACellThatMayBeOffTheTapeIsKept() {
        let ops: [BFOp] = [.move(-1, loc: Self.at(1)), .add(offset: 0, delta: 3, loc: Self.at(2)),
                           .set(offset: 0, value: 0, loc: Self.at(3))]
        #expect(DeadStores().run(ops, Self.context) == ops)
    }

    @Test func aReadKeepsTheStore() {
        let ops: [BFOp] = [.set(offset: 0, value: 3, loc: Self.at(1)), .output(offset: 0, loc: Self.at(2)),
                           .set(offset: 0, value: 0, loc: Self.at(3))]
        #expect(DeadStores().run(ops, Self.context) == ops)
    }

    @Test func laterIterationsOfTheLongLoopAreOneMultiply() throws {
        // tritium's hot spot in long.bf: after its first iteration the loop only
        // adds 3 to the cell on its left per count.
        let ops = try Self.pipeline(">,[<+++>->>>>>+++[->+++++<]>[-]<<<<<<]")
        guard case .loop(let body, _, _)? = ops.last, case .multiply(let m)? = body.last else {
            Issue.record("\(ops)")
            return
        }
        #expect(m.targets.map(\.offset) == [-1] && m.targets.map(\.factor) == [3], "\(m)")
    }

    @Test func peelingKeepsTheLoopsMeaningOnEveryInput() throws {
        let source = ">,[<+++>->>>>>+++[->+++++<]>[-]<<<<<<]<."
        let literal = BFOp.literal(try BFParser.parse(Array(source.utf8), file: "t.bf"))
        for tape in [3, 6, 7, 8] {
            for input: UInt8 in [0, 1, 2, 200, 255] {
                let options = BFOptions(tapeSize: tape)
                let optimized = BFPipeline.run(literal, options: options)
                let want = OpEvaluator.run(literal, options: options, input: [input], maxSteps: 1_000_000)
                let got = OpEvaluator.run(optimized, options: options, input: [input], maxSteps: 1_000_000)
                #expect(got == want, "tape \(tape), input \(input): \(optimized)")
            }
        }
    }

    /// `depth` nested delay loops as bench writes them, inside a loop on an input byte.
    static func delayNest(depth: Int) -> String {
        var body = ">++++++++++[-]<-"
        for _ in 1..<depth { body = ">++++++++++[" + body + "]<-" }
        return ",[" + body + "]>."
    }

    @Test func aCellEveryIterationSetsBackIsKnownOnEveryIteration() throws {
        // Each inner loop's cell is 0 when an iteration starts (the loop inside cleared it), so
        // each runs a known number of times; assuming the cells the body writes unknown left
        // every loop of the nest in place.
        let ops = try Self.pipeline(Self.delayNest(depth: 4))
        guard case .loop(let body, _, _)? = ops.dropLast().last else { Issue.record("\(ops)"); return }
        #expect(Self.loops(body) <= 1, "\(body)")  // at most the outer loop's own peeled rest
    }

    @Test func aCellSetOnlyWhenTheLoopRunsIsNotKnownAfterIt() throws {
        // Cell 1 is 1 after any iteration, 0 when the loop never runs.
        let ops = try Self.pipeline(",[>[-]+<,]>.")
        #expect(ops.last.map { if case .output(1, _) = $0 { true } else { false } } == true, "\(ops)")
    }

    @Test func roundsGoOnWhileTheProgramShrinks() throws {
        // A nest folds about a level per round: two rounds are not enough for six levels.
        let source = Self.delayNest(depth: 6)
        let ops = try Self.pipeline(source)
        guard case .loop(let body, _, _)? = ops.dropLast().last else { Issue.record("\(ops)"); return }
        #expect(Self.loops(body) <= 1, "\(body)")
        let twoRounds = BFPipeline.passes.map { pass -> any BFPass in
            guard let group = pass as? Repeated else { return pass }
            return Repeated(rounds: group.rounds, group.passes)
        }
        let parsed = BFOp.literal(try BFParser.parse(Array(source.utf8), file: "t.bf"))
        let fewer = BFPipeline.run(parsed, options: Self.options, passes: twoRounds)
        #expect(Self.loops(fewer) > Self.loops(ops), "\(fewer)")
    }

    @Test func repeatedStopsAtAFixpoint() {
        let group = Repeated(rounds: 5, [KnownCells(), AdjacentCombining()])
        let ops: [BFOp] = [.add(offset: 0, delta: 2, loc: Self.at(1)), .output(offset: 0, loc: Self.at(2))]
        #expect(group.run(ops, Self.context) == [.set(offset: 0, value: 2, loc: Self.at(1)), .write(bytes: [2], loc: Self.at(2))])
    }

    /// Whether `pass` hands back the literal ops of `source` themselves, not an equal copy: later
    /// passes and `Repeated`'s comparison stop at an unchanged list's identity.
    static func keepsStorage(_ pass: any BFPass, _ source: String) throws -> Bool {
        let ops = BFOp.literal(try BFParser.parse(Array(source.utf8), file: "t.bf"))
        let out = pass.run(ops, context)
        return out == ops && out.withUnsafeBufferPointer { a in ops.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
    }

    @Test func deadStoresKeepTheStorageOfAProgramWithoutThem() throws {
        #expect(try Self.keepsStorage(DeadStores(), ",[>+<-]>[->+<]>."))
    }

    @Test func aNestWhoseFirstIterationsCostMostStillUnrolls() throws {
        // The counters wrap from 0 to 255; after its first iterations each loop finds the loops
        // inside it already 0, so judging the budget by the first iteration's cost would keep them.
        let ops = try Self.pipeline("++++++++[->-[->-[->-[-]<]<]<]>.")
        #expect(ops == [.write(bytes: [0], loc: Self.at(31))], "\(ops)")
    }

    @Test func knownCellsKeepsTheStorageOfAListItCannotImprove() throws {
        // Nothing is known about the cells the input reaches.
        #expect(try Self.keepsStorage(KnownCells(), ",[>,[>+<-]<-]>>."))
    }
}
