import BFFrontend
import TestSupport
/// Random Brainfuck programs with balanced brackets, biased towards the shapes
/// the passes rewrite (clear, scan and multiply loops, counted loops) and
/// sprinkled with comments and newlines so positions span several lines.
struct ProgramGenerator {
    var rng: SeededGenerator

    init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    mutating func program() -> [UInt8] {
        var text = ""
        if Int.random(in: 0..<10, using: &rng) < 7 { text += String(repeating: ">", count: Int.random(in: 1...4, using: &rng)) }
        text += block(depth: 0, budget: Int.random(in: 4...14, using: &rng))
        return Array(text.utf8)
    }

    mutating func input() -> [UInt8] {
        (0..<Int.random(in: 0...4, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    private mutating func pick<T>(_ items: [(T, Int)]) -> T {
        var r = Int.random(in: 0..<items.reduce(0) { $0 + $1.1 }, using: &rng)
        for (item, weight) in items {
            if r < weight { return item }
            r -= weight
        }
        return items[0].0
    }

    private mutating func block(depth: Int, budget: Int) -> String {
        var s = ""
        for _ in 0..<budget {
            let kind = depth < 3 ? pick([("run", 10), ("loop", 4), ("junk", 1)]) : pick([("run", 10), ("junk", 1)])
            switch kind {
            case "run":
                let c = pick([("+", 25), ("-", 15), (">", 20), ("<", 15), (".", 7), (",", 4)])
                s += String(repeating: c, count: Int.random(in: 1...4, using: &rng))
            case "junk":
                s += pick([("\n", 3), (" ", 1), ("ab#!", 1), ("\r\n", 1)])
            default:
                s += loop(depth: depth)
            }
        }
        return s
    }

    private mutating func loop(depth: Int) -> String {
        switch pick([("clear", 3), ("scan", 2), ("multiply", 5), ("counted", 4), ("random", 2), ("empty", 1), ("divmod", 2)]) {
        case "clear":
            return pick([("[-]", 4), ("[+]", 3), ("[---]", 1), ("[--]", 1), ("[+++++]", 1), ("[-+-]", 1)])
        case "scan":
            return pick([("[>]", 3), ("[<]", 3), ("[>>]", 2), ("[<<<]", 1), ("[><<]", 1)])
        case "multiply":
            return multiplyLoop()
        case "counted":
            return "[" + pick([("-", 3), ("+", 1)]) + balanced(depth: depth + 1) + "]"
        case "empty":
            return "[]"
        case "divmod":
            let dividend = String(repeating: "+", count: Int.random(in: 0...9, using: &rng))
            let divisor = String(repeating: "+", count: Int.random(in: 0...4, using: &rng))
            let spelling: String = pick(BFDivmod.spellings.map { ($0, 1) })
            return dividend + ">" + divisor + "<" + spelling
        default:
            return "[" + block(depth: depth + 1, budget: Int.random(in: 1...5, using: &rng)) + "]"
        }
    }

    /// A body that returns to its start, mostly not touching its first cell.
    private mutating func balanced(depth: Int) -> String {
        let offset = Int.random(in: 1...3, using: &rng)
        return String(repeating: ">", count: offset) + block(depth: depth, budget: Int.random(in: 1...4, using: &rng))
            .filter { $0 != "<" && $0 != ">" } + String(repeating: "<", count: offset)
    }

    /// `[->+>++<<]`-like loops, sometimes with a counter step that is not ±1,
    /// or with the counter changed in the middle or at the end.
    private mutating func multiplyLoop() -> String {
        var terms: [(Int, String)] = []
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let offset = Int.random(in: -3...3, using: &rng)
            let sign = pick([("+", 3), ("-", 1)])
            terms.append((offset, String(repeating: sign, count: Int.random(in: 1...3, using: &rng))))
        }
        let counter = pick([("-", 6), ("+", 3), ("--", 1), ("-+-", 1)])
        terms.insert((0, counter), at: Int.random(in: 0...terms.count, using: &rng))
        var s = "[", position = 0
        for (offset, adds) in terms {
            s += offset > position ? String(repeating: ">", count: offset - position) : String(repeating: "<", count: position - offset)
            s += adds
            position = offset
        }
        s += position > 0 ? String(repeating: "<", count: position) : String(repeating: ">", count: -position)
        return s + "]"
    }
}
