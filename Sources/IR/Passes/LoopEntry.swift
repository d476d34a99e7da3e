/// Functions that start in the middle of another: what tier-up needs to move a running
/// activation from one engine to another at a block boundary (on-stack replacement).
///
/// At the start of a block, everything an activation will still need is the memory, which the
/// engines share, and the registers live there. `LoopEntry.function(of:enteringAt:named:)` makes a
/// function that takes exactly those registers as its parameters and continues at that block:
/// calling it with their values finishes the activation, and returns what it would have returned.
public enum LoopEntry {
    /// The registers live at the start of each block (`BlockLiveness`), in increasing order.
    public static func liveIn(_ f: Function) -> [[Var]] {
        let liveness = BlockLiveness(f, order: Array(f.blocks.indices))
        return f.blocks.indices.map { liveness.liveInRegisters($0) }
    }

    /// `f` entered at block `block` instead of its entry: a function named `name` whose
    /// parameters are `parameters` (the registers live at `block`, see `liveIn`), whose new entry
    /// jumps to `block`, and whose other blocks are `f`'s (those it cannot reach never run).
    public static func function(of f: Function, enteringAt block: Int, parameters: [Var], named name: String) -> Function {
        var entered = f
        entered.name = name
        entered.parameters = parameters
        func shifted(_ r: BlockRef) -> BlockRef { BlockRef(r.index + 1) }
        entered.blocks = f.blocks.map { original in
            var moved = original
            switch original.terminator {
            case .jump(let t): moved.terminator = .jump(shifted(t))
            case .branch(let c, let t, let e): moved.terminator = .branch(cond: c, ifTrue: shifted(t), ifFalse: shifted(e))
            case .ret, .trap: break
            }
            return moved
        }
        var labels = Set(f.blocks.map(\.label))
        var label = "osr.entry"
        while labels.contains(label) { label += "." }
        labels.insert(label)
        let at = f.blocks.indices.contains(block) ? f.blocks[block].terminatorLoc : f.loc
        entered.blocks.insert(Block(label: label, terminator: .jump(BlockRef(block + 1)), terminatorLoc: at), at: 0)
        return entered
    }

    /// The blocks that begin a loop: targets of an edge from a block they dominate, found as the
    /// targets of back edges of a depth-first walk from the entry (the same in reducible code).
    public static func loopHeads(_ f: Function) -> [Int] {
        Set(backEdges(f).map(\.to)).sorted()
    }

    /// The edges of a depth-first walk from the entry that go back to a block still on the walk.
    private static func backEdges(_ f: Function) -> [(from: Int, to: Int)] {
        depthFirst(f).backEdges
    }

    /// A depth-first walk from the entry: each block's place in the walk's preorder (-1 when the
    /// walk never reaches it), and the edges that go back to a block still on the walk.
    private static func depthFirst(_ f: Function) -> (preorder: [Int], backEdges: [(from: Int, to: Int)]) {
        let n = f.blocks.count
        guard n > 0 else { return ([], []) }
        var state = [UInt8](repeating: 0, count: n)  // 0 unseen, 1 on the walk's stack, 2 done
        var preorder = [Int](repeating: -1, count: n)
        var visited = 0
        var edges: [(from: Int, to: Int)] = []
        var stack: [(block: Int, successors: [Int], next: Int)] = []
        func push(_ b: Int) {
            state[b] = 1
            preorder[b] = visited
            visited += 1
            var successors: [Int] = []
            f.blocks[b].terminator.forEachSuccessor { s in if s >= 0 && s < n { successors.append(s) } }
            stack.append((b, successors, 0))
        }
        push(0)
        while let top = stack.last {
            if top.next < top.successors.count {
                stack[stack.count - 1].next += 1
                let s = top.successors[top.next]
                if state[s] == 0 { push(s) } else if state[s] == 1 { edges.append((top.block, s)) }
            } else {
                state[top.block] = 2
                stack.removeLast()
            }
        }
        return (preorder, edges)
    }

    /// The loop heads whose loop holds no other loop and lies inside another loop: the innermost
    /// loops of a nest. Each time one starts, its enclosing loop has come back to its own head.
    ///
    /// A loop's body is its head and the blocks that reach one of its back edges without passing
    /// it. Heads are taken innermost first (a nested head comes later in the walk's preorder), and a
    /// body already walked is stepped over through its head (a union-find), so that every block
    /// is walked about once however deep the nest.
    public static func innermostNestedHeads(_ f: Function) -> Set<Int> {
        loopNest(f).innermostNested
    }

    /// The loop heads (`loopHeads`), those of them that `innermostNestedHeads` gives, and each
    /// head's depth (1 for a loop in no other), from one walk.
    public static func loopNest(_ f: Function) -> (heads: [Int], innermostNested: Set<Int>, depth: [Int: Int]) {
        let (preorder, edges) = depthFirst(f)
        let allHeads = Set(edges.map(\.to)).sorted()
        let n = f.blocks.count
        var latches = [[Int]](repeating: [], count: n)
        for (from, to) in edges { latches[to].append(from) }
        let heads = allHeads.sorted { preorder[$0] > preorder[$1] }
        guard heads.count > 1 else { return (allHeads, [], Dictionary(uniqueKeysWithValues: allHeads.map { ($0, 1) })) }
        var predecessors = [[Int]](repeating: [], count: n)
        for (b, block) in f.blocks.enumerated() {
            block.terminator.forEachSuccessor { s in if s >= 0 && s < n { predecessors[s].append(b) } }
        }
        var outer = Array(0..<n)  // union-find: the outermost walked loop head a block belongs to
        func find(_ b: Int) -> Int {
            var r = b
            while outer[r] != r { r = outer[r] }
            var x = b
            while outer[x] != r { (outer[x], x) = (r, outer[x]) }
            return r
        }
        var mark = [Int](repeating: -1, count: n)
        var enclosing = [Int](repeating: -1, count: n)  // each head's innermost enclosing head
        var holdsLoop = [Bool](repeating: false, count: n)
        var isNested = [Bool](repeating: false, count: n)
        for h in heads {
            mark[h] = h
            var stack = latches[h].map(find)
            while let x = stack.popLast() {
                guard mark[x] != h else { continue }
                mark[x] = h
                if !latches[x].isEmpty {  // an inner loop, walked already: its head stands for it
                    holdsLoop[h] = true
                    isNested[x] = true
                    if enclosing[x] < 0 { enclosing[x] = h }
                }
                outer[x] = h
                for p in predecessors[x] {
                    let q = find(p)
                    if mark[q] != h { stack.append(q) }
                }
            }
        }
        var depth: [Int: Int] = [:]
        for h in heads.reversed() { depth[h] = enclosing[h] >= 0 ? (depth[enclosing[h]] ?? 0) + 1 : 1 }
        return (allHeads, Set(heads.filter { !holdsLoop[$0] && isNested[$0] }), depth)
    }
}

extension LoopEntry {
    /// A place where a running activation can move to other code: the start of `block` in
    /// `function`, with the registers `live` there (which the new code takes as its parameters).
    public struct Site: Hashable, Sendable {
        public var function: String
        public var block: Int
        public var live: [Var]

        public init(function: String, block: Int, live: [Var]) {
            self.function = function
            self.block = block
            self.live = live
        }

        /// The name of the function that continues from this site (`LoopEntry.function`).
        public var entryName: String { "\(function).osr.b\(block)" }
    }
}
