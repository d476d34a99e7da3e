import JitIR

/// The dominator tree of an IR function's reachable blocks (Cooper, Harvey and Kennedy's
/// iterative algorithm over the reverse postorder), with a preorder numbering that answers
/// "does `a` dominate `b`" in constant time.
///
/// The blocks a block dominates are exactly the blocks that can only be reached through it,
/// which is what makes its subtree something that can become a function of its own: control
/// enters it only at its root.
struct DominatorTree {
    /// The successors of every block (targets outside the function dropped).
    let successors: [[Int]]
    /// Reachable blocks in reverse postorder; the entry first.
    let reversePostorder: [Int]
    /// The immediate dominator of every reachable block other than the entry; -1 otherwise.
    let idom: [Int]
    /// The children of every block in the tree.
    let children: [[Int]]
    /// Preorder number of each reachable block and the last preorder number in its subtree
    /// (-1 for unreachable blocks).
    private let first: [Int]
    private let last: [Int]

    init(_ function: Function) {
        let n = function.blocks.count
        var successors = [[Int]](repeating: [], count: n)
        var predecessors = [[Int]](repeating: [], count: n)
        for (i, block) in function.blocks.enumerated() {
            block.terminator.forEachSuccessor { s in
                guard s >= 0 && s < n else { return }
                successors[i].append(s)
                predecessors[s].append(i)
            }
        }
        self.successors = successors

        // Postorder, iteratively: a BF function nests thousands of blocks deep.
        var postorder: [Int] = []
        var visited = [Bool](repeating: false, count: n)
        if n > 0 {
            var stack: [(block: Int, next: Int)] = [(0, 0)]
            visited[0] = true
            while let (block, next) = stack.last {
                if next < successors[block].count {
                    stack[stack.count - 1].next += 1
                    let s = successors[block][next]
                    if !visited[s] {
                        visited[s] = true
                        stack.append((s, 0))
                    }
                } else {
                    postorder.append(block)
                    stack.removeLast()
                }
            }
        }
        reversePostorder = postorder.reversed()
        var order = [Int](repeating: -1, count: n)
        for (i, b) in reversePostorder.enumerated() { order[b] = i }

        var idom = [Int](repeating: -1, count: n)
        if n > 0 { idom[0] = 0 }
        var changed = true
        while changed {
            changed = false
            for b in reversePostorder.dropFirst() {
                var candidate = -1
                for p in predecessors[b] where idom[p] != -1 {
                    if candidate == -1 {
                        candidate = p
                        continue
                    }
                    // Intersect: walk both up the tree until they meet.
                    var x = p, y = candidate
                    while x != y {
                        while order[x] > order[y] { x = idom[x] }
                        while order[y] > order[x] { y = idom[y] }
                    }
                    candidate = x
                }
                if candidate != -1 && idom[b] != candidate {
                    idom[b] = candidate
                    changed = true
                }
            }
        }
        if n > 0 { idom[0] = -1 }
        self.idom = idom

        var children = [[Int]](repeating: [], count: n)
        for b in reversePostorder.dropFirst() { children[idom[b]].append(b) }
        self.children = children

        var first = [Int](repeating: -1, count: n), last = [Int](repeating: -1, count: n)
        if n > 0 {
            var counter = 0
            var stack: [(block: Int, next: Int)] = [(0, 0)]
            first[0] = 0
            while let (block, next) = stack.last {
                if next < children[block].count {
                    stack[stack.count - 1].next += 1
                    let c = children[block][next]
                    counter += 1
                    first[c] = counter
                    stack.append((c, 0))
                } else {
                    last[block] = counter
                    stack.removeLast()
                }
            }
        }
        self.first = first
        self.last = last
    }

    func isReachable(_ b: Int) -> Bool { first[b] >= 0 }

    /// Whether every path from the entry to `b` passes through `a` (a block dominates itself).
    func dominates(_ a: Int, _ b: Int) -> Bool {
        first[a] >= 0 && first[b] >= 0 && first[a] <= first[b] && first[b] <= last[a]
    }

    /// Reachable blocks with every block after all of its tree children (a postorder of the tree).
    var bottomUp: [Int] {
        var result: [Int] = []
        result.reserveCapacity(reversePostorder.count)
        guard !first.isEmpty else { return result }
        var stack: [(block: Int, next: Int)] = [(0, 0)]
        while let (block, next) = stack.last {
            if next < children[block].count {
                stack[stack.count - 1].next += 1
                stack.append((children[block][next], 0))
            } else {
                result.append(block)
                stack.removeLast()
            }
        }
        return result
    }
}
