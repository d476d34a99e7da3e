import BFFrontend

/// A generated Brainfuck program: source, dialect and the bytes `,` reads.
public struct GeneratedBFProgram: Sendable, Hashable {
    public var source: [UInt8]
    public var options: BFOptions
    public var input: [UInt8]

    public init(source: [UInt8], options: BFOptions, input: [UInt8]) {
        self.source = source
        self.options = options
        self.input = input
    }
}

/// Random Brainfuck programs with balanced brackets, biased towards what the
/// optimisation passes rewrite and the lowering special-cases, and towards
/// the edges of the tape:
///
/// - clear loops (`[-]`, `[+]`, and `[--]`, which never ends on an odd cell),
///   scan loops (`[>]`, `[<<]`), multiply/copy loops (`[->+>++<<]`, also with
///   counter steps that disqualify them, and targets whose terms cancel),
///   counted loops with balanced bodies, ladders of nested loops on one counter,
///   and loops whose bodies move the pointer;
/// - tapes of 1 to a few hundred cells, with runs of `>`/`<` long enough to
///   reach either end, so that traps at the left and the right edge happen;
/// - 8-, 16- and 32-bit cells, every EOF mode, `,` and `.` with short inputs.
///
/// Comments (bytes other than the eight commands) are sprinkled in so that
/// positions span several lines. Fuel bounds loops that never end.
public struct BFProgramGenerator {
    var rng: FuzzRandom
    var tapeSize = 30
    /// Where the pointer probably is (exact outside loops that move it):
    /// moves lean back towards the tape, so that most programs run to their
    /// end and only some trap at an edge.
    var position = 0
    var edges = false

    public init(rng: FuzzRandom) { self.rng = rng }

    /// The program of `index` in the campaign `seed`. With `cReferenceDialect`,
    /// the dialect is the one `bf2c.py` translates (8-bit cells, EOF leaves
    /// the cell unchanged).
    public static func generate(seed: UInt64, index: Int, cReferenceDialect: Bool = false) -> GeneratedBFProgram {
        var g = BFProgramGenerator(rng: FuzzRandom(seed: seed, index: index))
        return g.program(cReferenceDialect: cReferenceDialect)
    }

    public mutating func program(cReferenceDialect: Bool = false) -> GeneratedBFProgram {
        var options = BFOptions()
        options.cellBits = cReferenceDialect ? 8 : rng.weighted([(8, 5), (16, 2), (32, 2)])
        options.eof = cReferenceDialect ? .unchanged : rng.pick(BFOptions.EOFMode.allCases)
        // 4,096 cells fill whole pages at every cell width: the tape gets guard regions instead of checks.
        options.tapeSize = rng.weighted([(1, 1), (2, 1), (3, 1), (5, 2), (8, 2), (16, 3), (30, 3), (64, 2), (300, 2), (4096, 4)])
        options.optimize = true
        tapeSize = options.tapeSize
        var text = ""
        position = 0
        // A third of the programs walk deliberately to an edge of the tape.
        edges = rng.chance(33)
        if rng.chance(60) { text += move(rng.int(1...4)) }
        text += block(depth: 0, count: rng.int(4...16))
        let input = (0..<rng.int(0...6)).map { _ in rng.pick([0, 1, 255, 10, 48, UInt8(truncatingIfNeeded: rng.next())]) }
        return GeneratedBFProgram(source: Array(text.utf8), options: options, input: input)
    }

    private mutating func block(depth: Int, count: Int) -> String {
        var s = ""
        for _ in 0..<count {
            let kind = rng.weighted([("run", 10), ("loop", depth < 3 ? 5 : 0), ("edge", depth == 0 && edges ? 1 : 0), ("io", 2), ("comment", 1)])
            switch kind {
            case "run":
                if rng.chance(55) {
                    // Mostly short runs, sometimes long ones that wrap a cell or fold into one big add.
                    let n = rng.chance(90) ? rng.int(1...5) : rng.pick([127, 128, 255, 256, 257])
                    s += String(repeating: rng.pick(["+", "+", "-"]), count: n)
                } else {
                    s += move(rng.int(1...4))
                }
            case "edge":
                // Far enough to reach (or pass) an end of the tape, then touch the cell.
                let n = max(1, tapeSize + rng.int(-1...1))
                let right = rng.chance(50)
                s += String(repeating: right ? ">" : "<", count: n) + rng.pick(["+", "-", ".", "[-]", ""])
                position = right ? position + n : position - n
            case "io":
                s += rng.weighted([(".", 5), (",", 3), (",.", 1), ("..", 1)])
            case "comment":
                s += rng.pick(["\n", " ", "ab#!", "\r\n", "\t", "x\ny"])
            default:
                s += loop(depth: depth)
            }
        }
        return s
    }

    /// `n` moves, mostly away from the nearer edge; never further than one cell past it.
    private mutating func move(_ n: Int) -> String {
        let room = (left: position, right: tapeSize - 1 - position)
        let right = room.left < 1 ? rng.chance(90) : room.right < 1 ? rng.chance(10) : rng.chance(room.right * 100 / max(1, room.left + room.right))
        let steps = min(n, max(1, (right ? room.right : room.left) + (rng.chance(8) ? 1 : 0)))
        position += right ? steps : -steps
        return String(repeating: right ? ">" : "<", count: steps)
    }

    private mutating func loop(depth: Int) -> String {
        switch rng.weighted([("clear", 3), ("scan", 3), ("multiply", 5), ("counted", 4), ("moving", 2),
                             ("nested", 2), ("empty", 1), ("scan-multiply", 2), ("ladder", 3),
                             ("divmod", 2)]) {
        case "clear":
            return rng.weighted([("[-]", 5), ("[+]", 3), ("[--]", 1), ("[---]", 1), ("[-+-]", 1), ("[+++++]", 1)])
        case "scan":
            position = tapeSize / 2
            return rng.weighted([("[>]", 3), ("[<]", 3), ("[>>]", 2), ("[<<]", 2), ("[<<<]", 1), ("[><<]", 1)])
        case "multiply":
            return multiplyLoop()
        case "scan-multiply":
            // The scan stops on a 0 the passes know of, at an offset the multiply after it writes
            // and takes back (a target of factor 0), ahead of a target not known to be on the tape.
            position = tapeSize / 2
            let scan = rng.pick(["[<]", "[>]", "[<<]"])
            let k = rng.int(1...2)
            position += k
            return scan + String(repeating: ">", count: k) + multiplyLoop(cancelling: -k)
        case "ladder":
            return ladder()
        case "divmod":
            // A dividend and a divisor, then a divmod idiom; where its conditions fail (a zero
            // cell not 0, a divisor of 0, cells off the tape), its loop walks off.
            let setup = String(repeating: "+", count: rng.int(0...12)) + ">" + String(repeating: "+", count: rng.int(0...4)) + "<"
            position = tapeSize / 2
            return setup + rng.pick(BFDivmod.spellings)
        case "counted":
            return "[" + rng.pick(["-", "-", "+"]) + balanced(depth: depth + 1) + "]"
        case "moving":
            // The body leaves the pointer elsewhere: each iteration tests another cell.
            let body = "[" + block(depth: depth + 1, count: rng.int(1...3)) + rng.pick([">", "<", ">>", "<<<"]) + "]"
            position = tapeSize / 2
            return body
        case "nested":
            return "[" + block(depth: depth + 1, count: rng.int(1...5)) + "]"
        default:
            return "[]"
        }
    }

    /// A body that returns to where it started without touching its first cell's pointer.
    private mutating func balanced(depth: Int) -> String {
        let offset = rng.int(1...3)
        let start = position
        defer { position = start }
        position += offset
        let inner = block(depth: depth, count: rng.int(1...4)).filter { $0 != "<" && $0 != ">" }
        return String(repeating: ">", count: offset) + inner + String(repeating: "<", count: offset)
    }

    /// factor's `[->+<[->+<[…[->---------(>×9)+(<×10)[->+<]]…]]]`: nested loops on one counter,
    /// each stepping it by the same ±1 (now and then not) and adding to cells that stay the
    /// same, alternate or change from rung to rung, some first touched by a later rung or just
    /// off the tape; over a tail that clears the counter. Often the counter is set first to
    /// about the number of rungs, so that runs stop at every rung.
    private mutating func ladder() -> String {
        let rungs = rng.weighted([(2, 3), (3, 3), (5, 2), (10, 3), (13, 1)])
        let step = rng.pick(["-", "+"])
        var s = ""
        if rng.chance(50) { s += "[-]" + String(repeating: step == "-" ? "+" : "-", count: rng.int(0...rungs + 2)) }
        let here = position
        let offsets = [-10, -3, -2, -1, 1, 2, 3, 10]
        let near = offsets.filter { (0..<tapeSize).contains(here + $0) }
        var targets: [Int] = []
        for _ in 0..<rng.int(1...3) {
            let o = rng.chance(85) && !near.isEmpty ? rng.pick(near) : rng.pick(offsets)
            if !targets.contains(o) { targets.append(o) }
        }
        let patterns = targets.map { _ in (rng.int(-3...3), rng.int(-3...3), rng.weighted([("same", 3), ("alternate", 2), ("random", 2)]),
                                           rng.chance(25) ? rng.int(2...rungs) : 1) }
        for rung in 1...rungs {
            var parts: [(Int, Int)] = []
            for (t, (a, b, kind, from)) in zip(targets, patterns) where rung >= from {
                let delta = switch kind {
                case "same": a
                case "alternate": rung % 2 == 1 ? a : b
                default: rng.int(-3...3)
                }
                parts.append((t, delta))
            }
            let counter = rng.chance(95) ? (step == "-" ? -1 : 1) : rng.pick([-2, 2, 0])
            parts.insert((0, counter), at: rng.int(0...parts.count))
            s += "[" + Self.walk(parts)
        }
        s += rng.weighted([(multiplyLoop(), 4), ("[-]", 2), ("[++++++++++[+>-<]>>-<<]", 1), ("[[-]<+>]", 1), ("", 1)])
        return s + String(repeating: "]", count: rungs)
    }

    /// Adds of `delta` to each cell at `offset`, in order, walking there and back.
    private static func walk(_ parts: [(offset: Int, delta: Int)]) -> String {
        var s = "", at = 0
        for (offset, delta) in parts {
            s += offset > at ? String(repeating: ">", count: offset - at) : String(repeating: "<", count: at - offset)
            s += String(repeating: delta < 0 ? "-" : "+", count: abs(delta))
            at = offset
        }
        return s + (at > 0 ? String(repeating: "<", count: at) : String(repeating: ">", count: -at))
    }

    /// `[->+>++<<]`-like loops, with the counter's change sometimes not ±1, in
    /// the middle or at the end of the body, and targets on both sides.
    /// With `cancelling`, a target at that offset gets terms that cancel.
    private mutating func multiplyLoop(cancelling: Int? = nil) -> String {
        var terms: [(Int, String)] = []
        if let cancelling { terms.append((cancelling, "+")) }
        for _ in 0..<rng.int(1...3) {
            // Mostly on the tape; now and then just off it.
            let here = position
            let offset = rng.chance(90) ? rng.pick([-3, -2, -1, 1, 2, 3, 4].filter { (0..<tapeSize).contains(here + $0) } + [1])
                : rng.pick([-3, -2, -1, 1, 2, 3, 4])
            terms.append((offset, String(repeating: rng.pick(["+", "+", "-"]), count: rng.int(1...4))))
        }
        if cancelling != nil || rng.chance(25) {
            let (offset, adds) = terms[0]
            // A target whose terms cancel: its factor is 0, yet the first iteration may write it
            // before a later target (lostkingdom's `[<+>>>+<<<->-]` after a scan).
            terms.append((offset, String(adds.map { $0 == "+" ? "-" : "+" })))
        }
        let counter = rng.weighted([("-", 6), ("+", 3), ("--", 1), ("-+-", 1), ("+-", 1)])
        terms.insert((0, counter), at: rng.int(0...terms.count))
        var s = "[", at = 0
        for (offset, adds) in terms {
            s += offset > at ? String(repeating: ">", count: offset - at) : String(repeating: "<", count: at - offset)
            s += adds
            at = offset
        }
        s += at > 0 ? String(repeating: "<", count: at) : String(repeating: ">", count: -at)
        return s + "]"
    }
}
