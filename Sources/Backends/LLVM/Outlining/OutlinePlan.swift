import JitIR

/// How one IR function is split into LLVM functions ("pieces") so that none is larger than
/// a cap: LLVM's code generator takes time that grows faster than the function (awib's
/// 37k-instruction `main` took 2.3 s as one function), and each piece can be compiled on its
/// own, when it is first entered (docs/llvm.md, "Outlining").
///
/// A piece other than the function itself is the subtree of a block `r` in the dominator
/// tree: the blocks only reachable through `r`, minus the pieces outlined inside it. Control
/// enters it only at `r`, so it becomes a function called where the code branched to `r`. It
/// takes the registers live at `r` that it uses, and gives back the registers it writes that
/// are live where it leaves, and which of its exits (blocks outside the subtree) was taken.
/// Registers live through it untouched stay in the caller. The call budget (docs/IR.md §7)
/// travels in and out like a register. A trap inside reports its own site, as the block
/// would have in the whole function: traps are calls to the runtime that never return.
struct OutlinePlan: Sendable {
    /// A loop inside a piece whose head is not the piece's root. Quick code that runs it long
    /// cannot return to be called again at its root, so it calls the loop alone compiled at the
    /// full level (`LazyPieces`, "loop entries"), which returns where the loop leaves.
    struct LoopEntry: Sendable {
        /// The loop's head, and the piece's blocks that branch back to it.
        let head: Int
        var latches: [Int]
        /// The loop as a piece of its own, rooted at the head: the piece's blocks in it, its exits
        /// (pieces called inside it left through theirs), parameters and results. Its parent is
        /// the piece that holds it: the pieces called from the loop are that piece's children.
        var region: Piece
    }

    struct Piece: Sendable {
        /// The block control enters at (the function's entry for piece 0).
        let root: Int
        /// The piece whose code branches to `root`; nil for piece 0.
        let parent: Int?
        /// The blocks it lowers itself, in the function's order.
        var blocks: [Int] = []
        /// The blocks outside its subtree where control may continue; a call returns which.
        var exits: [Int] = []
        /// Registers passed in (live at `root` and used inside) and passed back (written
        /// inside and live at an exit), in increasing order.
        var parameters: [Var] = []
        var results: [Var] = []
        /// Whether the subtree calls, `enter`s or `leave`s (it needs the call budget), and
        /// whether it may change the budget (`enter` and `leave` need not pair up inside).
        var usesBudget = false
        var changesBudget = false
        /// Whether the subtree makes IR calls (it is then compiled with the function's module).
        var makesCalls = false
        /// Whether its own blocks branch back to its root: a loop that may run long in one call.
        var loopsToRoot = false
        /// Its own other loops, one for each head (none for piece 0).
        var loopEntries: [LoopEntry] = []
        /// IR instructions in its own blocks.
        var size = 0
    }

    /// Piece 0 is the function itself.
    let pieces: [Piece]
    /// The piece that lowers each block; -1 for unreachable blocks (which never run).
    let owner: [Int]

    /// The piece rooted at block `b`, if one is.
    func piece(rootedAt b: Int) -> Int? {
        let p = owner[b]
        return p > 0 && pieces[p].root == b ? p : nil
    }

    private init(pieces: [Piece], owner: [Int]) {
        self.pieces = pieces
        self.owner = owner
    }

    /// A plan that keeps the whole function in one piece.
    static func whole(_ function: Function) -> OutlinePlan {
        var piece = Piece(root: 0, parent: nil)
        piece.blocks = Array(function.blocks.indices)
        piece.size = function.instructionCount
        return OutlinePlan(pieces: [piece], owner: Array(repeating: 0, count: function.blocks.count))
    }

    /// Splits `function` so that every piece has at most `cap` instructions of its own, where
    /// blocks allow (a single block larger than the cap stays whole). Pieces are chosen from the
    /// bottom of the dominator tree up: where a subtree outgrows the cap, its largest subtrees are
    /// outlined, loop bodies and branch arms (a block entered from one place, or the head of a
    /// loop) before the code after a join, so that a loop runs inside one call. Blocks that
    /// return from the function stay in it: a piece leaves for them through an exit.
    /// The loops of outlined pieces of at most `loopEntryInstructions` IR instructions of their
    /// own are described for quick code to call (`LoopEntry`); 0 describes none.
    init(_ function: Function, cap: Int, loopEntryInstructions: Int = 0) {
        guard function.instructionCount > cap, function.blocks.count > 1 else {
            self = .whole(function)
            return
        }
        let tree = DominatorTree(function)
        let n = function.blocks.count
        var predecessorCount = [Int](repeating: 0, count: n)
        var loopHead = [Bool](repeating: false, count: n)
        for b in tree.reversePostorder {
            for s in tree.successors[b] {
                predecessorCount[s] += 1
                if tree.dominates(s, b) { loopHead[s] = true }
            }
        }
        func returns(_ b: Int) -> Bool {
            if case .ret = function.blocks[b].terminator { true } else { false }
        }

        // Bottom-up: what each subtree still holds after its own outlining.
        var remaining = [Int](repeating: 0, count: n)
        var outlined = [Bool](repeating: false, count: n)
        for b in tree.bottomUp {
            var size = returns(b) ? 0 : function.blocks[b].instructions.count + 1
            var candidates: [(block: Int, rank: Int, size: Int)] = []
            for c in tree.children[b] {
                size += remaining[c]
                if !returns(c) && remaining[c] > 0 {
                    candidates.append((c, loopHead[c] || predecessorCount[c] == 1 ? 0 : 1, remaining[c]))
                }
            }
            if size > cap {
                candidates.sort { ($0.rank, -$0.size) < ($1.rank, -$1.size) }
                for c in candidates where size > cap {
                    outlined[c.block] = true
                    size -= c.size
                }
            }
            remaining[b] = size
        }

        // Number the pieces top-down and give every block its owner.
        var owner = [Int](repeating: -1, count: n)
        var pieces = [Piece(root: 0, parent: nil)]
        for b in tree.reversePostorder.isEmpty ? [] : Self.preorderBlocks(tree) {
            if b == 0 || returns(b) {
                owner[b] = 0
            } else if outlined[b] {
                pieces.append(Piece(root: b, parent: owner[tree.idom[b]]))
                owner[b] = pieces.count - 1
            } else {
                owner[b] = owner[tree.idom[b]]
            }
        }
        for b in 0..<n where owner[b] >= 0 {
            pieces[owner[b]].blocks.append(b)
            pieces[owner[b]].size += function.blocks[b].instructions.count + 1
        }
        Self.describeBoundaries(&pieces, owner: owner, function: function, tree: tree,
                                loopEntryInstructions: loopEntryInstructions)
        self.pieces = pieces
        self.owner = owner
    }

    /// Blocks in preorder of the dominator tree (every block after its immediate dominator).
    private static func preorderBlocks(_ tree: DominatorTree) -> [Int] {
        var result: [Int] = []
        var stack = [0]
        while let b = stack.popLast() {
            result.append(b)
            stack.append(contentsOf: tree.children[b].reversed())
        }
        return result
    }

    /// Exits, parameters, results and budget use of every outlined piece, from the innermost
    /// out, since a piece also leaves through the exits of the pieces inside it.
    private static func describeBoundaries(_ pieces: inout [Piece], owner: [Int], function: Function,
                                           tree: DominatorTree, loopEntryInstructions: Int) {
        let live = LiveRegisters(function, tree)
        let words = live.words
        var referenced = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: pieces.count)
        var written = referenced
        var exits = [Set<Int>](repeating: [], count: pieces.count)
        for p in pieces.indices {
            for b in pieces[p].blocks {
                for w in 0..<words {
                    referenced[p][w] |= live.referenced[b * words + w]
                    written[p][w] |= live.written[b * words + w]
                }
                for inst in function.blocks[b].instructions {
                    switch inst.op {
                    case .call:
                        pieces[p].usesBudget = true
                        pieces[p].makesCalls = true
                    case .enter, .leave:
                        pieces[p].usesBudget = true
                        pieces[p].changesBudget = true
                    default: break
                    }
                }
                if p != 0 && tree.successors[b].contains(pieces[p].root) { pieces[p].loopsToRoot = true }
                // Another loop of the piece: a branch back to a head of its own.
                for s in tree.successors[b] where loopEntryInstructions > 0 && p != 0 && s != pieces[p].root
                    && owner[s] == p && tree.dominates(s, b) {
                    if let k = pieces[p].loopEntries.firstIndex(where: { $0.head == s }) {
                        pieces[p].loopEntries[k].latches.append(b)
                    } else {
                        pieces[p].loopEntries.append(LoopEntry(head: s, latches: [b], region: Piece(root: s, parent: p)))
                    }
                }
                for s in tree.successors[b] where owner[s] != p && !(owner[s] > 0 && pieces[owner[s]].root == s
                                                                      && pieces[owner[s]].parent == p) {
                    exits[p].insert(s)
                }
            }
        }
        // Whether block `x` is lowered by piece `p` or a piece inside it.
        func inside(_ p: Int, _ x: Int) -> Bool {
            var q: Int? = owner[x]
            while let current = q, current >= p {
                if current == p { return true }
                q = pieces[current].parent
            }
            return false
        }
        // Children have larger indices than their parents: fold each into its parent.
        for p in pieces.indices.dropFirst().reversed() {
            let outside = exits[p].filter { !inside(p, $0) }
            pieces[p].exits = outside.sorted()
            var liveOut = [UInt64](repeating: 0, count: words)
            for x in pieces[p].exits {
                for w in 0..<words { liveOut[w] |= live.liveIn[x * words + w] }
            }
            let root = pieces[p].root
            pieces[p].parameters = live.registers(in: (0..<words).map { live.liveIn[root * words + $0] & referenced[p][$0] })
            pieces[p].results = live.registers(in: (0..<words).map { liveOut[$0] & written[p][$0] })
            guard let parent = pieces[p].parent else { continue }
            for w in 0..<words {
                referenced[parent][w] |= referenced[p][w]
                written[parent][w] |= written[p][w]
            }
            exits[parent].formUnion(pieces[p].exits)
            pieces[parent].usesBudget = pieces[parent].usesBudget || pieces[p].usesBudget
            pieces[parent].changesBudget = pieces[parent].changesBudget || pieces[p].changesBudget
            pieces[parent].makesCalls = pieces[parent].makesCalls || pieces[p].makesCalls
        }
        describeLoopEntries(&pieces, owner: owner, function: function, tree: tree, live: live,
                            referenced: referenced, written: written, loopEntryInstructions: loopEntryInstructions)
    }

    /// The region of every loop entry: the natural loop of its head (the blocks that reach a
    /// latch without passing the head) within its piece, and where control leaves it.
    private static func describeLoopEntries(_ pieces: inout [Piece], owner: [Int], function: Function, tree: DominatorTree,
                                            live: LiveRegisters, referenced: [[UInt64]], written: [[UInt64]],
                                            loopEntryInstructions: Int) {
        guard pieces.contains(where: { !$0.loopEntries.isEmpty }) else { return }
        let words = live.words
        let liveIn = live.liveIn, blockReferenced = live.referenced, blockWritten = live.written
        var predecessors = [[Int]](repeating: [], count: function.blocks.count)
        for (b, targets) in tree.successors.enumerated() {
            for s in targets { predecessors[s].append(b) }
        }
        // `mark[b] == stamp`: block b is in the loop being described.
        var mark = [Int](repeating: -1, count: function.blocks.count)
        var stamp = 0
        for p in pieces.indices {
            for k in pieces[p].loopEntries.indices {
                let entry = pieces[p].loopEntries[k]
                stamp += 1
                mark[entry.head] = stamp
                var region = entry.region
                region.blocks = [entry.head]
                region.size = function.blocks[entry.head].instructions.count + 1
                var work = entry.latches
                while let x = work.popLast(), region.size <= loopEntryInstructions {
                    guard mark[x] != stamp else { continue }
                    mark[x] = stamp
                    if owner[x] == p {
                        region.blocks.append(x)
                        region.size += function.blocks[x].instructions.count + 1
                    }
                    work += predecessors[x]
                }
                guard region.size <= loopEntryInstructions else {
                    pieces[p].loopEntries[k].region = region
                    continue
                }
                region.blocks.sort()
                var touched = [UInt64](repeating: 0, count: words)
                var wrote = touched
                var exits: Set<Int> = []
                var called: Set<Int> = []
                // A piece called inside the loop leaves it through those of its exits outside it.
                var targets = region.blocks.flatMap { tree.successors[$0] }
                while let t = targets.popLast() {
                    if owner[t] == p && mark[t] == stamp { continue }
                    if owner[t] > 0, pieces[owner[t]].root == t, pieces[owner[t]].parent == p {
                        if called.insert(owner[t]).inserted { targets += pieces[owner[t]].exits }
                    } else {
                        exits.insert(t)
                    }
                }
                for b in region.blocks {
                    for w in 0..<words {
                        touched[w] |= blockReferenced[b * words + w]
                        wrote[w] |= blockWritten[b * words + w]
                    }
                }
                for c in called {
                    for w in 0..<words {
                        touched[w] |= referenced[c][w]
                        wrote[w] |= written[c][w]
                    }
                }
                region.exits = exits.sorted()
                var liveOut = [UInt64](repeating: 0, count: words)
                for x in region.exits {
                    for w in 0..<words { liveOut[w] |= liveIn[x * words + w] }
                }
                // A register the loop writes on some paths only and that is live where it leaves
                // is live at the head too, so it comes in: the loop gives back the right value.
                region.parameters = live.registers(in: (0..<words).map { liveIn[entry.head * words + $0] & touched[$0] })
                region.results = live.registers(in: (0..<words).map { liveOut[$0] & wrote[$0] })
                region.usesBudget = pieces[p].usesBudget
                region.changesBudget = pieces[p].changesBudget
                region.makesCalls = pieces[p].makesCalls
                pieces[p].loopEntries[k].region = region
            }
            // Quick code pays for every loop it can leave for a loop entry: only small loops
            // get one, which cost little to compile and suffer most in quick code.
            pieces[p].loopEntries.removeAll { $0.region.size > loopEntryInstructions }
        }
    }
}
