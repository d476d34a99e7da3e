import JitIR

/// The order in which a function's blocks are emitted: the blocks reachable
/// from the entry, in the order the frontend wrote them (frontends already
/// place a loop body right after its header and the exit after the body, which
/// is the order that makes most branches fall through). A block the frontend put
/// elsewhere that only continues one block, and jumps to the block after it (the
/// bytecode frontend's step of a `for` loop), is placed between the two, so that a
/// loop's iteration does not jump out and back.
struct BlockLayout {
    /// Block indices in emission order; `order[0]` is the entry.
    let order: [Int]
    /// Position of each block in `order`, or -1 for an unreachable block.
    let position: [Int]

    init(_ function: Function) {
        let n = function.blocks.count
        var reachable = [Bool](repeating: false, count: n)
        var stack = n > 0 ? [0] : []
        if n > 0 { reachable[0] = true }
        while let b = stack.popLast() {
            function.blocks[b].terminator.forEachSuccessor { s in
                if s < n && !reachable[s] {
                    reachable[s] = true
                    stack.append(s)
                }
            }
        }
        var predecessors = [Int](repeating: 0, count: n)
        for b in 0..<n where reachable[b] {
            function.blocks[b].terminator.forEachSuccessor { s in
                if s < n { predecessors[s] += 1 }
            }
        }
        /// The next reachable block after `b` in the frontend's order.
        func nextReachable(after b: Int) -> Int? { (b + 1..<n).first { reachable[$0] } }
        /// `s`, when it only continues `b` and jumps to the block after `b` (where it then falls through).
        func follower(of b: Int, _ s: Int) -> Int? {
            guard s > b + 1, predecessors[s] == 1, case .jump(let t) = function.blocks[s].terminator,
                  t.index == nextReachable(after: b) else { return nil }
            return s
        }
        var order: [Int] = []
        var position = [Int](repeating: -1, count: n)
        func place(_ b: Int) {
            position[b] = order.count
            order.append(b)
        }
        for b in 0..<n where reachable[b] && position[b] < 0 {
            place(b)
            function.blocks[b].terminator.forEachSuccessor { s in
                if s < n, position[s] < 0, let f = follower(of: b, s) { place(f) }
            }
        }
        self.order = order
        self.position = position
    }

    func isReachable(_ block: Int) -> Bool { position[block] >= 0 }

    /// The block emitted right after `block`, if any (a jump to it is a fallthrough).
    func next(after block: Int) -> Int? {
        let p = position[block] + 1
        return p < order.count ? order[p] : nil
    }

    /// Whether the edge `from -> to` goes backwards (or to itself) in the layout: a loop's back edge.
    func isBackEdge(from: Int, to: Int) -> Bool { position[to] <= position[from] }

    /// The blocks some back edge leads to, in layout order.
    func loopHeaders(in function: Function) -> [Int] {
        var header = [Bool](repeating: false, count: position.count)
        for b in order {
            function.blocks[b].terminator.forEachSuccessor { s in
                if s < position.count, isReachable(s), isBackEdge(from: b, to: s) { header[s] = true }
            }
        }
        return order.filter { header[$0] }
    }
}
