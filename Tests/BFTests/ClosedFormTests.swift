import BFFrontend
import JitIR
import Testing

/// loop-peeling's closed form: `[B]` becomes `[B [S]]` when the iterations after the first
/// leave cells that are affine functions of the loop cell, `S` being the sets they amount to.
@Suite struct ClosedFormTests {
    static let options = BFOptions(tapeSize: 64)
    static let context = BFPassContext(options: options)

    static func peeled(_ source: String) throws -> [BFOp] {
        let ops = BFPipeline.run(try literalOps(source), options: options,
                                 passes: Array(BFPipeline.passes.prefix(6)))
        return LoopPeeling().run(ops, context)
    }

    @Test func easyoptsCopyLoopEndsWithTheLastIterationsValues() throws {
        let ops = try Self.peeled(",[->[-]<[->+>+<<]>>[-<<+>>]<<]")
        guard case .loop(let body, _, let close)? = ops.last, case .loop(let rest, let open2, _)? = body.last else {
            Issue.record("\(ops)"); return
        }
        #expect(open2 == close)
        // Cell 1 ends each iteration holding the loop cell's new value: 0 after the last one.
        #expect(rest == [.set(offset: 1, value: 0, loc: close), .set(offset: 2, value: 0, loc: close),
                         .set(offset: 0, value: 0, loc: close)])
    }

    @Test func anAffineValueIsTakenAtTheLastIteration() throws {
        // Cell 2 ends each iteration as 2n + 3, n the loop cell at its start: 5 after the last.
        let ops = try Self.peeled(",[>>[-]+++<<[->+>++<<]>[-<+>]<-]")
        guard case .loop(let body, _, _)? = ops.last, case .loop(let rest, _, _)? = body.last else {
            Issue.record("\(ops)"); return
        }
        #expect(rest.contains { if case .set(2, 5, _) = $0 { true } else { false } }, "\(rest)")
    }

    @Test(arguments: [
        ",[->+>[-]<<]",          // cell 1 counts iterations: not a function of the loop cell
        ",[->,<]",               // input
        ",[-->[-]<]",            // steps by 2
    ])
    func otherLoopsHaveNoClosedForm(_ source: String) throws {
        let ops = try Self.peeled(source)
        guard case .loop(let body, _, _)? = ops.last else { Issue.record("\(ops)"); return }
        #expect(!body.contains { if case .loop = $0 { true } else { false } }, "\(body)")
    }

    /// Every input count, traps at either edge, counting down and up: the optimised program
    /// (through the lowering, on the interpreter) and the op list both behave as the literal one.
    @Test(arguments: [
        ">,[->[-]<[->+>+<<]>>[-<<+>>]<<]>.>.",
        ">,[>>[-]+++<<[->+>++<<]>[-<+>]<-]>>.",
        ">,[+>[-]+<]>.",
        ",[<[-]>-]",                              // the first iteration traps at the left edge
        ">,[->>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>[-]<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<]",
    ], [UInt8(0), 1, 2, 7, 255])
    func closedFormsBehaveAsTheLoop(_ source: String, _ input: UInt8) throws {
        for tapeSize in [64, 4096] {
            let reference = try IRRunner.outcome(source: Array(source.utf8), options: BFOptions(tapeSize: tapeSize, optimize: false), input: [input])
            let options = BFOptions(tapeSize: tapeSize)
            let optimized = try IRRunner.outcome(source: Array(source.utf8), options: options, input: [input])
            #expect(optimized == reference, "\(source) on \(input), tape \(tapeSize)")
            let ops = BFPipeline.run(try literalOps(source), options: options)
            #expect(OpEvaluator.run(ops, options: options, input: [input]) == reference, "\(source) on \(input), tape \(tapeSize)")
        }
    }
}
