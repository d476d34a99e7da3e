import JitIR

/// Runs a group of passes again and again until the program stops changing,
/// at most `rounds` times, and up to `shrinkingRounds` times while each round
/// removes at least a tenth of the ops of a program of at most
/// `shrinkingSizeLimit` ops: what one pass finds often lets another do more.
/// A nest of delay loops (bench) folds one level per round, while a program
/// whose later rounds change a few ops (hanoi) would pay a whole walk for each.
/// A program of more than `shrinkingSizeLimit` ops gets one round: lostkingdom
/// (81,000 ops here) runs for 2 ms, and a second round cost it 30 ms of compiling.
public struct Repeated: BFPass {
    public let passes: [any BFPass]
    public let rounds: Int
    public let shrinkingRounds: Int
    static let shrinkingSizeLimit = 20_000

    public init(rounds: Int, shrinkingRounds: Int? = nil, _ passes: [any BFPass]) {
        self.rounds = rounds
        self.shrinkingRounds = max(rounds, shrinkingRounds ?? rounds)
        self.passes = passes
    }

    public var name: String { "repeat(" + passes.map(\.name).joined(separator: ", ") + ")" }

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        // Each pass's input and output in the previous round. A pass is a function
        // of its input, and the last round (the one that finds nothing changes)
        // often hands the later passes what they were given the round before.
        var previous: [(input: [BFOp], output: [BFOp])?] = Array(repeating: nil, count: passes.count)
        var current = ops
        var size = BFOp.count(ops)
        let limit = size > Self.shrinkingSizeLimit ? 1 : shrinkingRounds
        for round in 0..<limit {
            var next = current
            for (k, pass) in passes.enumerated() {
                if let p = previous[k], p.input == next {
                    next = p.output
                } else {
                    let output = pass.run(next, context)
                    previous[k] = (next, output)
                    next = output
                }
            }
            if next == current { break }
            current = next
            guard shrinkingRounds > rounds else { continue }
            let newSize = BFOp.count(next)
            if round + 1 >= rounds && (newSize * 10 > size * 9 || newSize > Self.shrinkingSizeLimit) { break }
            size = newSize
        }
        return current
    }
}
