import JitIR

/// A loop written in one of the common spellings of Brainfuck's divmod idiom, such as
/// `[->-[>+>>]>[+[-<+>]>+>>]<<<<<]`, which turns the cells `n d 0 0 0 0` into `0 d-n%d n%d n/d 0 0`,
/// or `[->+>-[>+>>]>[+[-<+>]>+>>]<<<<<<]`, which also keeps a copy of `n`: `n 0 d …` into
/// `0 n d-n%d n%d n/d …`.
///
/// Meaning: exactly the original loop, `body`, which the lowering keeps for the cases below
/// that do not hold. Every iteration takes one from the counter (cell 0) and one from the
/// divisor cell, and adds one to the remainder cell; when the divisor cell reaches 0, it gets
/// the remainder cell's value, the remainder cell 0, and the quotient cell one more (in the
/// spellings with a copy cell, that cell gets one more every iteration). The two
/// zero cells are only tested: each ends one of the body's inner loops, which therefore runs at
/// most once. So when all of these hold before the loop:
/// - every cell from the counter to the farthest zero cell is on the tape;
/// - the zero cells hold 0 (else the body's inner loops walk off);
/// - the divisor cell is not 0, and the wrapped sum `S` of the divisor and remainder cells is
///   neither 0 (where the remainder would wrap before the divisor cell is refilled) nor the
///   spelling's `failingSum` (where its pointer walks off),
///
/// the loop does, for a counter `n` and a divisor cell `q`: when `n < q`, `q -= n` and
/// `r += n`; else, with `m = n - q`, `q = S - m % S`, `r = m % S` and `c += m / S + 1`; the copy
/// cell gets `n` added; then the counter is 0. Nothing else changes, and nothing traps.
public struct BFDivmod: Sendable, Hashable {
    /// +1 when the idiom's cells lie right of its counter, -1 when its mirror image lies left.
    public var direction: Int
    /// The sum of divisor and remainder at which this spelling's pointer walks off.
    public var failingSum: Int
    /// Whether the spelling copies the counter into the cell next to it, shifting the others by one.
    public var copies: Bool
    /// The original loop's body, which the lowering falls back to.
    public var body: [BFOp]
    public var open: SourceLoc
    public var close: SourceLoc

    /// Offsets from the counter, in cells.
    public var copy: Int? { copies ? direction : nil }
    public var divisor: Int { (copies ? 2 : 1) * direction }
    public var remainder: Int { divisor + direction }
    public var quotient: Int { divisor + 2 * direction }
    public var zeroCells: [Int] { [divisor + 3 * direction, divisor + 4 * direction] }
    /// The lowest and highest offsets the loop may touch.
    public var window: ClosedRange<Int> { direction > 0 ? 0...zeroCells[1] : zeroCells[1]...0 }

    /// The original loop.
    public var loop: BFOp { .loop(body: body, open: open, close: close) }

    /// The divmod that `loop` is, or nil. `loop` is as the parser folds it (runs of `+`, `-`,
    /// `<`, `>` merged), before any other pass.
    public init?(loop: BFOp) {
        // Every loop of the program comes here: most fail these tests, before any allocation.
        guard case .loop(let body, let open, let close) = loop, case .add(0, -1, _)? = body.first,
              case .move(let back, _)? = body.last, [5, 6].contains(abs(back)),
              Self.shapes.contains(where: { $0.shape.count == body.count }) else { return nil }
        let shape = Self.shape(body)
        guard let found = Self.shapes.first(where: { $0.shape == shape }) else { return nil }
        self.direction = found.direction
        self.failingSum = found.failingSum
        self.copies = found.copies
        self.body = body
        self.open = open
        self.close = close
    }

    /// The spellings recognised, rightward ones, each with the sum at which its pointer walks
    /// off. In the first two, a divisor cell that reaches 0 with the remainder cell 0 leaves the
    /// pointer on the remainder cell; in the others, the remainder is counted before the test, so
    /// that happens only when the remainder cell wrapped to 0.
    private static let rightward: [(text: String, failingSum: Int, copies: Bool)] = [
        ("[->-[>+>>]>[+[-<+>]>+>>]<<<<<]", 1, false),
        ("[->-[>+>>]>[+[<+>-]>+>>]<<<<<]", 1, false),
        ("[->>+<-[>>>]>[[<+>-]>+>>]<<<<<]", 0, false),
        ("[->>+<-[>>>]>[[-<+>]>+>>]<<<<<]", 0, false),
        ("[->+>-[>+>>]>[+[-<+>]>+>>]<<<<<<]", 1, true),
        ("[->+>-[>+>>]>[+[<+>-]>+>>]<<<<<<]", 1, true),
    ]

    /// Every spelling recognised: the rightward ones and their mirror images.
    public static let spellings: [String] = rightward.flatMap { [$0.text, mirrored($0.text)] }

    private static func mirrored(_ text: String) -> String {
        String(text.map { $0 == "<" ? ">" : $0 == ">" ? "<" : $0 })
    }

    private static let shapes: [(shape: [Shape], direction: Int, failingSum: Int, copies: Bool)] = rightward.flatMap { s in
        [1, -1].map { direction -> ([Shape], Int, Int, Bool) in
            let text = direction > 0 ? s.text : mirrored(s.text)
            let ops = (try? BFFoldingParser.parse(Array(text.utf8), file: "", BFPassContext(options: BFOptions()))) ?? []
            guard case .loop(let body, _, _)? = ops.first else { preconditionFailure("divmod spelling \(text)") }
            return (shape(body), direction, s.failingSum, s.copies)
        }
    }

    /// An op without its positions.
    private indirect enum Shape: Equatable, Sendable {
        case add(Int, Int), move(Int), loop([Shape]), other
    }

    private static func shape(_ ops: [BFOp]) -> [Shape] {
        ops.map { op in
            switch op {
            case .add(let o, let d, _): .add(o, d)
            case .move(let n, _): .move(n)
            case .loop(let body, _, _): .loop(shape(body))
            default: .other
            }
        }
    }
}
