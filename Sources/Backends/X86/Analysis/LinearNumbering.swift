import JitIR

/// Numbers every instruction and terminator of a function in layout order.
///
/// Index 0 is a pseudo-instruction at the function entry that "defines" the
/// parameters. Block `b` occupies `first[b] ... first[b] + instructions.count`,
/// the last of which is its terminator. Live intervals use two positions per
/// index: `2k` where instruction `k` reads its operands and `2k + 1` where it
/// writes its result, so a result may take the register of an operand that dies.
struct LinearNumbering {
    /// First index of each block (indexed like `Function.blocks`), -1 if unreachable.
    let first: [Int]
    /// Number of indices, the entry pseudo-instruction included.
    let count: Int

    init(_ function: Function, layout: BlockLayout) {
        var first = [Int](repeating: -1, count: function.blocks.count)
        var next = 1
        for b in layout.order {
            first[b] = next
            next += function.blocks[b].instructions.count + 1
        }
        self.first = first
        count = next
    }

    func index(block: Int, instruction: Int) -> Int { first[block] + instruction }

    func terminatorIndex(_ block: Int, _ function: Function) -> Int {
        first[block] + function.blocks[block].instructions.count
    }

    static func usePosition(_ index: Int) -> Int32 { Int32(2 * index) }
    static func definePosition(_ index: Int) -> Int32 { Int32(2 * index + 1) }
}
