import BFFrontend
import JitIR

/// One generated test program with its dialect, input and reference outcome
/// (the literal op list run by `OpEvaluator`).
struct RandomCase: CustomStringConvertible {
    var seed: UInt64
    var source: [UInt8]
    var options: BFOptions
    var input: [UInt8]
    var literal: [BFOp]
    /// nil when the literal program did not finish within the step limit.
    var reference: Outcome?

    static let stepLimit = 20_000

    init(seed: UInt64) {
        var g = ProgramGenerator(seed: seed)
        self.seed = seed
        source = g.program()
        input = g.input()
        var o = BFOptions()
        o.cellBits = [8, 8, 8, 16, 32][Int(seed % 5)]
        o.eof = BFOptions.EOFMode.allCases[Int(seed / 5 % 3)]
        o.tapeSize = [5, 9, 16, 40][Int(seed / 15 % 4)]
        options = o
        // The generator balances brackets, so parsing cannot fail.
        literal = (try? BFOp.literal(BFParser.parse(source, file: "test.bf"))) ?? []
        reference = OpEvaluator.run(literal, options: o, input: input, maxSteps: Self.stepLimit)
    }

    /// Runs `ops` with the same dialect and input (twice the steps allowed).
    func evaluate(_ ops: [BFOp]) -> Outcome? {
        OpEvaluator.run(ops, options: options, input: input, maxSteps: 2 * Self.stepLimit)
    }

    var description: String {
        "seed \(seed), \(options.cellBits)-bit, eof \(options.eof), tape \(options.tapeSize), "
            + "input \(input), program \(String(decoding: source, as: UTF8.self).debugDescription)"
    }
}

/// Counts what a batch of random programs exercised, so a test can insist the
/// batch was not vacuous.
struct Coverage {
    var finished = 0
    var trapped = 0
    var multiplies = 0
    var scans = 0
    var sets = 0

    mutating func record(_ reference: Outcome, optimized: [BFOp]) {
        finished += 1
        if reference.trap != nil { trapped += 1 }
        func walk(_ ops: [BFOp]) {
            for op in ops {
                switch op {
                case .multiply: multiplies += 1
                case .scan: scans += 1
                case .set: sets += 1
                case .loop(let body, _, _): walk(body)
                default: break
                }
            }
        }
        walk(optimized)
    }
}
