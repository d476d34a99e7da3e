import BFFrontend
import JitIR

/// How a run ended, as compared between the reference and the compiled program.
struct Outcome: Equatable, CustomStringConvertible {
    var output: [UInt8]
    /// Final cells, each the unsigned value of its width.
    var tape: [UInt64]
    /// Where an out-of-bounds trap happened, if one did.
    var trap: SourceLoc?

    var description: String {
        let text = String(decoding: output.prefix(60), as: UTF8.self)
        let used = tape.lastIndex { $0 != 0 }.map { Array(tape[...$0]) } ?? []
        return "output \(output.count) bytes \(text.debugDescription), tape \(used.prefix(40)), trap \(trap?.description ?? "none")"
    }
}

/// The BF-level reference semantics: runs an op list directly, with a step
/// limit so that non-terminating random programs can be recognised.
/// It is the oracle the passes and the lowering are tested against.
struct OpEvaluator {
    enum Stop: Error { case trap(SourceLoc), stepLimit }

    let options: BFOptions
    let mask: UInt64
    var tape: [UInt64]
    var pointer = 0
    var input: [UInt8]
    var inputPosition = 0
    var output: [UInt8] = []
    var steps = 0
    let maxSteps: Int

    init(options: BFOptions, input: [UInt8] = [], maxSteps: Int = 100_000) {
        self.options = options
        mask = options.cellBits == 64 ? ~0 : (1 << UInt64(options.cellBits)) - 1
        tape = Array(repeating: 0, count: options.tapeSize)
        self.input = input
        self.maxSteps = maxSteps
    }

    /// Runs `ops`; nil when the step limit was reached.
    static func run(_ ops: [BFOp], options: BFOptions, input: [UInt8] = [], maxSteps: Int = 100_000) -> Outcome? {
        var e = OpEvaluator(options: options, input: input, maxSteps: maxSteps)
        do {
            try e.run(ops)
            return Outcome(output: e.output, tape: e.tape, trap: nil)
        } catch .trap(let loc) {
            return Outcome(output: e.output, tape: e.tape, trap: loc)
        } catch {
            return nil
        }
    }

    private mutating func tick() throws(Stop) {
        steps += 1
        if steps > maxSteps { throw .stepLimit }
    }

    private func cell(_ offset: Int, _ loc: SourceLoc) throws(Stop) -> Int {
        let c = pointer + offset
        guard c >= 0 && c < tape.count else { throw .trap(loc) }
        return c
    }

    private mutating func add(_ c: Int, _ amount: Int) {
        tape[c] = (tape[c] &+ UInt64(bitPattern: Int64(amount))) & mask
    }

    mutating func run(_ ops: [BFOp]) throws(Stop) {
        for op in ops {
            try tick()
            switch op {
            case .add(let o, let d, let loc):
                add(try cell(o, loc), d)
            case .set(let o, let v, let loc):
                tape[try cell(o, loc)] = UInt64(bitPattern: Int64(v)) & mask
            case .move(let n, _):
                pointer += n
            case .output(let o, let loc):
                output.append(UInt8(truncatingIfNeeded: tape[try cell(o, loc)]))
            case .write(let bytes, _):
                output += bytes
            case .input(let o, let loc):
                let c = try cell(o, loc)
                if inputPosition < input.count {
                    tape[c] = UInt64(input[inputPosition])
                    inputPosition += 1
                } else {
                    switch options.eof {
                    case .unchanged: break
                    case .zero: tape[c] = 0
                    case .minusOne: tape[c] = mask
                    }
                }
            case .loop(let body, let open, let close):
                var c = try cell(0, open)
                while tape[c] != 0 {
                    try tick()
                    try run(body)
                    c = try cell(0, close)
                }
            case .scan(let step, let open, let close):
                var c = try cell(0, open)
                while tape[c] != 0 {
                    try tick()
                    pointer += step
                    c = try cell(0, close)
                }
            case .multiply(let m):
                let counter = try cell(m.offset, m.open)
                if tape[counter] == 0 { continue }
                // The first iteration as written, then the rest in closed form.
                for t in m.terms { add(try cell(m.offset + t.offset, t.loc), t.delta) }
                let left = m.step == -1 ? tape[counter] : (mask &+ 1 &- tape[counter]) & mask
                for t in m.targets {
                    let c = pointer + m.offset + t.offset
                    tape[c] = (tape[c] &+ UInt64(bitPattern: Int64(t.factor)) &* left) & mask
                }
                tape[counter] = 0
            case .divmod(let d):
                try divmod(d)
            }
        }
    }

    /// `BFDivmod`'s closed form where its conditions hold, else the original loop.
    private mutating func divmod(_ d: BFDivmod) throws(Stop) {
        let first = pointer + d.window.lowerBound, last = pointer + d.window.upperBound
        let n = tape[try cell(0, d.open)]
        guard n != 0 else { return }
        guard first >= 0, last < tape.count, d.zeroCells.allSatisfy({ tape[pointer + $0] == 0 }) else {
            return try run([d.loop])
        }
        let (qc, rc, cc) = (pointer + d.divisor, pointer + d.remainder, pointer + d.quotient)
        let (q, r) = (tape[qc], tape[rc])
        let sum = (q &+ r) & mask
        guard q != 0, sum != 0, sum != UInt64(d.failingSum) else { return try run([d.loop]) }
        try tick()
        if n < q {
            (tape[qc], tape[rc]) = (q - n, (r &+ n) & mask)
        } else {
            let m = n - q
            (tape[qc], tape[rc]) = (sum - m % sum, m % sum)
            tape[cc] = (tape[cc] &+ m / sum &+ 1) & mask
        }
        if let copy = d.copy { tape[pointer + copy] = (tape[pointer + copy] &+ n) & mask }
        tape[pointer] = 0
    }
}
