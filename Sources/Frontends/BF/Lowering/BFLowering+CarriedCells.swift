import JitIR

extension BFLowering {
    /// Gives the cell registers the assignment `target` (offset → register), so that code
    /// entered from here and from elsewhere may both rely on it: a loop body entered again
    /// from its own end keeps the cells it works on in the same registers every iteration.
    ///
    /// A register takes its cell from the register that holds it now, or else from the tape,
    /// which is always exact (every update is stored). A cell loaded that is not known to be on
    /// the tape is checked first, at the current position: callers restore only cells that the
    /// code at that position checks anyway (a loop's own cell at `]`) or that are known there.
    mutating func restoreCells(_ target: CellCache) {
        var copies: [(dst: Var, src: Var)] = []
        var loads: [(dst: Var, offset: Int)] = []
        for (offset, register) in target.entries {
            switch cellCache.peek(offset) {
            case register?: break
            case let source?: copies.append((register, source))
            case nil: loads.append((register, offset))
            }
        }
        // A copy whose destination another copy still reads waits; a cycle of them is broken
        // by loading one cell from the tape instead.
        while !copies.isEmpty {
            if let i = copies.firstIndex(where: { c in !copies.contains { $0.src == c.dst } }) {
                let c = copies.remove(at: i)
                b.append(.copy(dst: c.dst, src: .reg(c.src)))
            } else {
                let c = copies.removeFirst()
                let offset = target.entries.first { $0.register == c.dst }!.offset
                loads.append((c.dst, offset))
            }
        }
        for l in loads {
            // A cell not yet known to be on the tape here (a moving loop's own cell, before the
            // test at `]`) gets the check that test would do, at the same position, first.
            check(l.offset, b.loc, accessFollows: true)
            b.append(.load(dst: l.dst, base: pointer, offset: address(l.offset)))
        }
        cellCache = target
    }
}

extension BFLowering {
    /// The cells of `cached` that a loop body keeps in the same registers from one iteration to
    /// the next: those it touches, when every iteration moves the pointer by the same amount.
    /// Carrying the others would only cost their reloads wherever the body lets them go.
    ///
    /// When the pointer moves, a cell is carried when the body also touches the cell that is the
    /// next iteration's (it is then most likely held at the end, and passed on by a copy), and
    /// the loop's own cell when the body has loops of its own (its test at the end loads it
    /// anyway, and the inner loops may read it again). long's `[>[<+++>-…]<<]` thus hands
    /// `<+++` on to the next test without a reload: 21 ms → 16. A walk such as collatz's
    /// `[->>>>]` carries nothing: its `-` updates the cell in memory in one instruction, where a
    /// carried register costs an add, a store and the end's load (collatz 10% slower). The cell
    /// must also be in `endOfBody`, the cells known to be on the tape at the end of every
    /// iteration (`LoopFacts`), so that the end may load it when it was let go. Nil for a body with a scan, a divmod or an inner loop that moves the pointer, or with
    /// more than `carryingOpLimit` ops (nested ones included): hot loops are small, and a walk
    /// of every body would cost deeply nested programs time in the square of their size
    /// (optimtease: 10,000 loops).
    static func carriedCells(_ cached: CellCache, body: [BFOp], endOfBody: KnownRange) -> CellCache? {
        var touched: Set<Int> = [0]
        var budget = carryingOpLimit
        guard let step = touchedCells(body, movedBy: 0, into: &touched, budget: &budget) else { return nil }
        let nested = body.contains { if case .loop = $0 { true } else { false } }
        return cached.filter { o in
            touched.contains(o) && (step == 0 || (o == 0 && nested || touched.contains(o + step)) && endOfBody.contains(o))
        }
    }

    static let carryingOpLimit = 64

    /// Adds the cells `ops` touch, relative to the pointer where they start, to `cells`; the
    /// pointer has moved `moved` cells by then. Returns where they leave it, or nil when that
    /// may differ from run to run or `budget` ops were not enough to tell.
    private static func touchedCells(_ ops: [BFOp], movedBy moved: Int, into cells: inout Set<Int>,
                                     budget: inout Int) -> Int? {
        var moved = moved
        for op in ops {
            budget -= 1
            if budget < 0 { return nil }
            switch op {
            case .add(let o, _, _), .set(let o, _, _), .output(let o, _), .input(let o, _):
                cells.insert(o + moved)
            case .move(let n, _):
                moved += n
            case .write:
                break
            case .multiply(let m):
                cells.insert(m.offset + moved)
                for t in m.terms { cells.insert(m.offset + t.offset + moved) }
            case .loop(let body, _, _):
                cells.insert(moved)
                guard touchedCells(body, movedBy: moved, into: &cells, budget: &budget) == moved else { return nil }
            case .scan, .divmod:
                return nil
            }
        }
        return moved
    }

    /// At the end of code that may be skipped (an if-like loop's body, a multiply's branch),
    /// puts the cells that `skipped` (the cache where it was skipped) and this path both hold
    /// into `skipped`'s registers, so that the join keeps them. A cell this path let go is not
    /// loaded again: the code after the join may not read it.
    mutating func rejoinCells(_ skipped: CellCache) {
        restoreCells(skipped.filter { cellCache.holds($0) })
    }
}
