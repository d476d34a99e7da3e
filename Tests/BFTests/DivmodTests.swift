import BFFrontend
import JitIR
import Testing
import TestSupport

/// The divmod idioms (`BFDivmod`, `DivmodLoops`): which loops are recognised, and the lowered
/// closed form against the original loop on the BF reference, over many cell values (wrapping
/// sums, zero divisors, non-zero test cells) and with the idiom's cells crossing either edge
/// of the tape, at every cell width.
@Suite struct DivmodTests {
    static func divmod(_ text: String) -> BFDivmod? {
        let ops = try? BFFoldingParser.parse(Array(text.utf8), file: "t.bf", BFPassContext(options: BFOptions()))
        return ops.flatMap { $0.count == 1 ? BFDivmod(loop: $0[0]) : nil }
    }

    @Test func everySpellingAndNothingElseIsRecognised() {
        #expect(BFDivmod.spellings.count == 12)
        for text in BFDivmod.spellings {
            let d = Self.divmod(text)
            #expect(d != nil, "\(text)")
            #expect(d?.direction == (text.hasPrefix("[->") ? 1 : -1), "\(text)")
        }
        for text in ["[->-[>+>>]>[+[-<+>]>+>>]<<<<]", "[->-[>+>>]>[+[-<+>]>++>>]<<<<<]", "[-<-[>+>>]>[+[-<+>]>+>>]<<<<<]",
                     "[->>+<-[>>]>[[<+>-]>+>>]<<<<<]"] {
            #expect(Self.divmod(text) == nil, "\(text)")
        }
        let ops = BFPipeline.run(try! literalOps(",>,<" + BFDivmod.spellings[2]), options: BFOptions())
        #expect(ops.contains { if case .divmod = $0 { true } else { false } }, "\(ops)")
    }

    /// Reads the idiom's cells (those on the tape) from the input, adds `bias` to its divisor
    /// and remainder cells, runs the idiom with the pointer at `start`, and prints its cells.
    static func program(_ d: BFDivmod, start: Int, tapeSize: Int, bias: Int) -> [BFOp] {
        let here = SourceLoc(line: 1, column: 1)
        let cells = [0] + (d.copy.map { [$0] } ?? []) + [d.divisor, d.remainder, d.quotient] + d.zeroCells
        let onTape = cells.filter { (0..<tapeSize).contains(start + $0) }
        var ops: [BFOp] = [.move(start, loc: here)]
        for o in onTape {
            ops.append(.input(offset: o, loc: here))
            if bias != 0 && (o == d.divisor || o == d.remainder) { ops.append(.add(offset: o, delta: bias, loc: here)) }
        }
        ops.append(.divmod(d))
        // After the original loop walked off, these cells may be off the tape: that traps too.
        ops += onTape.map { .output(offset: $0, loc: SourceLoc(line: 2, column: 1)) }
        return ops
    }

    static func inputs(_ d: BFDivmod, _ rng: inout SeededGenerator) -> [UInt8] {
        let interesting: [UInt8] = [0, 1, 2, 3, 7, 10, 127, 128, 254, 255]
        // A byte for every cell (a copy cell comes second): an end of input would give cells
        // of -1, counters that run for billions. The zero cells come last, mostly 0, so that
        // the closed form applies.
        let cells = d.copy == nil ? 6 : 7
        return (0..<cells).map { i in
            if i >= cells - 2 { return Int.random(in: 0..<5, using: &rng) == 0 ? 1 : 0 }
            return Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
        }
    }

    @Test(arguments: [8, 16, 32])
    func closedFormMatchesTheLoop(cellBits: Int) throws {
        var rng = SeededGenerator(seed: UInt64(cellBits))
        let options = BFOptions(cellBits: cellBits, eof: .minusOne, tapeSize: 12)
        let hooks = BFTestHooks(guardCells: 8, loopIterationLimit: 10_000_000)
        var fast = 0
        for text in BFDivmod.spellings {
            let d = try #require(Self.divmod(text))
            for (start, bias) in [0, 3, 6, 9, 11].flatMap({ s in [(s, 0), (s, -128)] }) {
                let ops = Self.program(d, start: start, tapeSize: options.tapeSize, bias: bias)
                let reference = ops.map { if case .divmod(let d) = $0 { d.loop } else { $0 } }
                let module = try BFFrontend.lower(ops, file: "t.bf", options: options, eliminateRedundantChecks: true, hooks: hooks)
                for _ in 0..<25 {
                    let input = Self.inputs(d, &rng)
                    guard let expected = OpEvaluator.run(reference, options: options, input: input, maxSteps: 5_000_000) else { continue }
                    let got = try IRRunner.outcome(module, options: options, input: input, guardCells: hooks.guardCells)
                    #expect(got == expected, "\(text) at \(start), bias \(bias), input \(input)")
                    if OpEvaluator.run(reference, options: options, input: input, maxSteps: 40) == nil,
                       OpEvaluator.run(ops, options: options, input: input, maxSteps: 40) != nil {
                        fast += 1
                    }
                }
            }
        }
        // The closed form took the place of a long loop on a good share of the inputs.
        #expect(fast > 100, "\(fast)")
    }
}
