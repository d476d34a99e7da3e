import JitIR

/// Runs a group of passes again and again until the program stops changing,
/// at most `rounds` times: what one pass finds often lets another do more.
public struct Repeated: BFPass {
    public let passes: [any BFPass]
    public let rounds: Int

    public init(rounds: Int, _ passes: [any BFPass]) {
        self.rounds = rounds
        self.passes = passes
    }

    public var name: String { "repeat(" + passes.map(\.name).joined(separator: ", ") + ")" }

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        // Each pass's input and output in the previous round. A pass is a function
        // of its input, and the last round (the one that finds nothing changes)
        // often hands the later passes what they were given the round before.
        var previous: [(input: [BFOp], output: [BFOp])?] = Array(repeating: nil, count: passes.count)
        var current = ops
        for _ in 0..<rounds {
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
        }
        return current
    }
}
