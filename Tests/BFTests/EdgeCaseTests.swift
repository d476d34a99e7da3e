import BFFrontend
import JitIR
import Testing

/// Soundness at the edges: loops that never run, even-step clear loops, clear
/// loops on odd values, multiply loops at the tape edge. Each program runs four
/// ways — literal and optimised ops on the BF evaluator, unoptimised and
/// optimised IR on the interpreter — and all must agree with the stated result.
@Suite struct EdgeCaseTests {
    struct Expected: CustomStringConvertible {
        var source: String
        var tapeSize: Int
        var tape: [UInt64]
        var trap: SourceLoc?
        var output: [UInt8] = []
        var cellBits = 8
        var description: String { source.debugDescription }
    }

    static func at(_ line: Int, _ column: Int) -> SourceLoc { SourceLoc(line: line, column: column) }

    static let cases: [Expected] = [
        // A loop that never runs touches nothing but its own cell.
        Expected(source: "[>>>>>>>>+<<<<<<<<-]", tapeSize: 2, tape: [0, 0]),
        Expected(source: "[<<<<<.>>>>>]", tapeSize: 1, tape: [0]),
        // Multiply loop at the tape edge: harmless when the counter is 0...
        Expected(source: ">[->+<]", tapeSize: 2, tape: [0, 0]),
        Expected(source: ">+[-<<+>>]-", tapeSize: 2, tape: [0, 0], trap: at(1, 7)),
        // ...and when it runs it traps at the first out-of-tape command, after
        // the first iteration's earlier commands (the counter's `-`).
        Expected(source: ">++[->+<]", tapeSize: 2, tape: [0, 1], trap: at(1, 7)),
        Expected(source: "++[>+>>+<<<-]", tapeSize: 3, tape: [2, 1, 0], trap: at(1, 8)),
        Expected(source: "++[>+<+++>>>>+<<<<---]", tapeSize: 3, tape: [5, 1, 0], trap: at(1, 14)),
        // A target whose adds cancel is still touched.
        Expected(source: "+[->+-<]", tapeSize: 1, tape: [0], trap: at(1, 5)),
        // Counting up: 255 + 1 wraps to 0 after one iteration.
        Expected(source: "-[+>++<]", tapeSize: 2, tape: [0, 2]),
        Expected(source: "--[+>+++<]", tapeSize: 2, tape: [0, 6]),
        // [--] only ends on even values; on 6 it clears.
        Expected(source: "++++++[--]", tapeSize: 1, tape: [0]),
        // [-] and [---] clear odd values too.
        Expected(source: "+++[-]>+++++[---]>-[+]", tapeSize: 3, tape: [0, 0, 0]),
        // Moving off the tape is fine, touching there is not.
        Expected(source: "<>.", tapeSize: 1, tape: [0], output: [0]),
        Expected(source: "<.", tapeSize: 1, tape: [0], trap: at(1, 2)),
        Expected(source: "+>>\n\n  <[-]", tapeSize: 2, tape: [1, 0]),
        Expected(source: ">>+", tapeSize: 2, tape: [0, 0], trap: at(1, 3)),
        Expected(source: "+[<]", tapeSize: 3, tape: [1, 0, 0], trap: at(1, 4)),
        Expected(source: "+[>+]", tapeSize: 3, tape: [1, 1, 1], trap: at(1, 4)),
        Expected(source: "+>+>+[<]", tapeSize: 3, tape: [1, 1, 1], trap: at(1, 8)),
        // Scan that stops on the tape.
        Expected(source: "+>+>+>>+<<<<[>]>.", tapeSize: 6, tape: [1, 1, 1, 0, 1, 0], output: [1]),
        // Dead code after a loop still traps where the original would.
        Expected(source: "[-][<]<[-]", tapeSize: 1, tape: [0], trap: at(1, 8)),
        // Merged runs trap at their first command.
        Expected(source: ">>>>+++", tapeSize: 4, tape: [0, 0, 0, 0], trap: at(1, 5)),
        Expected(source: "+\n>>+<<-[-]", tapeSize: 2, tape: [1, 0], trap: at(2, 3)),
        // 16-bit counting down from 256 in a multiply.
        Expected(source: "++++++++++++++++[>++++++++++++++++<-]>[>+<-]", tapeSize: 3, tape: [0, 0, 256], cellBits: 16),
    ]

    @Test(arguments: cases)
    func edgeCase(_ e: Expected) throws {
        var options = BFOptions(cellBits: e.cellBits, tapeSize: e.tapeSize)
        let expected = Outcome(output: e.output, tape: e.tape, trap: e.trap)
        let literal = try literalOps(e.source)
        #expect(OpEvaluator.run(literal, options: options) == expected, "literal ops")
        let optimized = BFPipeline.run(literal, options: options)
        #expect(OpEvaluator.run(optimized, options: options) == expected, "optimised ops \(optimized)")
        #expect(try IRRunner.outcome(source: Array(e.source.utf8), options: options) == expected, "optimised IR")
        options.optimize = false
        #expect(try IRRunner.outcome(source: Array(e.source.utf8), options: options) == expected, "unoptimised IR")
    }

    @Test func evenClearLoopStaysALoop() throws {
        let ops = BFPipeline.run(try literalOps("+[--]"), options: BFOptions())
        #expect(ops.contains { if case .loop = $0 { true } else { false } }, "\(ops)")
        #expect(!ops.contains { if case .set(0, 0, _) = $0 { true } else { false } }, "\(ops)")
    }

    @Test func clearAndMultiplyAndScanAreRecognised() throws {
        let ops = BFPipeline.run(try literalOps(",[-]>,[->+>++<<]>>,[<]"), options: BFOptions())
        #expect(ops.contains { if case .set(0, 0, _) = $0 { true } else { false } }, "\(ops)")
        #expect(ops.contains { if case .multiply(let m) = $0 { m.offset == 1 && m.targets.map(\.factor) == [1, 2] } else { false } },
                "\(ops)")
        #expect(ops.contains { if case .scan(-1, _, _) = $0 { true } else { false } }, "\(ops)")
    }

    @Test func multiplyNeedsExactlyOneStepOnTheCounter() throws {
        for source in ["[-->+<]", "[>+<]", "[->+<<]", "[->+<.]", "[-+>+<]"] {
            let ops = BFPipeline.run(try literalOps("," + source), options: BFOptions())
            #expect(!ops.contains { if case .multiply = $0 { true } else { false } }, "\(source): \(ops)")
        }
        // 255 steps of +1 are one step of -1 with 8-bit cells, not with 16-bit ones.
        let wraps = "," + "[" + String(repeating: "+", count: 255) + ">+<]"
        let eight = BFPipeline.run(try literalOps(wraps), options: BFOptions())
        #expect(eight.contains { if case .multiply(let m) = $0 { m.step == -1 } else { false } }, "\(eight)")
        let sixteen = BFPipeline.run(try literalOps(wraps), options: BFOptions(cellBits: 16))
        #expect(!sixteen.contains { if case .multiply = $0 { true } else { false } })
    }
}
