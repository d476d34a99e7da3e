/// The reachable instructions of a verified function cut into basic blocks:
/// a block starts at the entry, at every jump target and after every
/// instruction that jumps or returns; it ends with such an instruction or
/// just before the next block's start.
struct BasicBlocks {
    struct Block {
        var range: Range<Int>
        var last: Int { range.upperBound - 1 }
    }

    private(set) var blocks: [Block] = []
    /// The block each instruction starts, if it starts one.
    private(set) var blockStartingAt: [Int: Int] = [:]
    /// Whether some instruction jumps to the instruction.
    private(set) var isJumpTarget: [Bool]

    init(_ vf: VerifiedFunction) {
        let code = vf.function.instructions
        let reachable = vf.depth.map { $0 != nil }
        isJumpTarget = Array(repeating: false, count: code.count)
        var leader = Array(repeating: false, count: code.count)
        for (i, instruction) in code.enumerated() where reachable[i] {
            if let t = instruction.op.jumpTarget {
                leader[t] = true
                isJumpTarget[t] = true
            }
            if (instruction.op.jumpTarget != nil || !instruction.op.fallsThrough) && i + 1 < code.count {
                leader[i + 1] = true
            }
        }
        var start: Int?
        for i in 0...code.count {
            let endsHere = i == code.count || !reachable[i] || leader[i]
            if endsHere, let s = start {
                blockStartingAt[s] = blocks.count
                blocks.append(Block(range: s..<i))
                start = nil
            }
            if i < code.count, reachable[i], start == nil { start = i }
        }
    }

    /// The block that starts at instruction `i` (a jump target or the instruction after a block).
    func block(startingAt i: Int) -> Int { blockStartingAt[i]! }
}
