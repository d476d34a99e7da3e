import JitIR

extension BFLowering {
    /// Gives the cell registers the assignment `target` (offset → register), so that code
    /// entered from here and from elsewhere may both rely on it: a loop body entered again
    /// from its own end keeps the cells it works on in the same registers every iteration.
    ///
    /// A register takes its cell from the register that holds it now, or else from the tape,
    /// which is always exact (every update is stored). Each cell of `target` must be on the
    /// tape, so that a load of it cannot trap: callers only use cells held at a point where
    /// the pointer was where it is now.
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
            b.append(.load(dst: l.dst, base: pointer, offset: address(l.offset)))
        }
        cellCache = target
    }
}

extension BFLowering {
    /// The cells of `cached` that a loop body keeps in the same registers from one iteration to
    /// the next: those it touches, when every iteration starts at the same cell. Carrying the
    /// others would only cost their reloads wherever the body lets them go. Nil for a body
    /// that moves the pointer, has a scan or a divmod, or has more than `carryingOpLimit` ops
    /// (nested ones included): hot loops are small, and a walk of every body would cost
    /// deeply nested programs time in the square of their size (optimtease: 10,000 loops).
    static func carriedCells(_ cached: CellCache, body: [BFOp]) -> CellCache? {
        var touched: Set<Int> = [0]
        var budget = carryingOpLimit
        guard touchedCells(body, movedBy: 0, into: &touched, budget: &budget) == 0 else { return nil }
        return cached.filter { touched.contains($0) }
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
