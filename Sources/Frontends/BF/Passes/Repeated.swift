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
        var current = ops
        for _ in 0..<rounds {
            let next = passes.reduce(current) { $1.run($0, context) }
            if next == current { break }
            current = next
        }
        return current
    }
}
