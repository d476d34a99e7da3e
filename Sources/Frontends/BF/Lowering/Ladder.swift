import JitIR

/// Nested loops on one counter cell in which every level steps the counter by the same ±1, adds
/// constants to other cells and ends with the next level, such as factor's decimal carry
/// `[->+<[->+<[ … [->---------(>×9)+(<×10)[->+<]] … ]]]`. Every level runs at most once: its
/// body ends with a loop on the counter, which leaves it 0.
///
/// Let k be the number of steps that bring the counter from its value n to 0 (n when it counts
/// down, −n when it counts up, in the cell's width). Rung i runs when k ≥ i, and the tail when
/// k exceeds the number of rungs. The lowering (`BFLowering.emitLadder`) computes what each cell
/// gains as a function of k, without a branch: the original takes one branch per rung, the last
/// of them at a place that changes with the data.
struct Ladder {
    /// A constant added to a cell, or stored in it (`set`), relative to the pointer (offset 0
    /// is the counter, which rungs only add to).
    struct Add {
        var offset: Int
        var delta: Int
        var loc: SourceLoc
        var set = false
    }

    /// How the tail leaves the counter 0: a multiply on it (whose targets gain
    /// `factor × iterations`), or a clear.
    enum Clear {
        case multiply(BFMultiply)
        case set(SourceLoc)
    }

    /// What runs once when the counter is still not 0 after the last rung: adds (and stores to
    /// other cells), the counter's included, then the clear, then adds to other cells.
    struct Tail {
        var before: [Add]
        var clear: Clear
        var after: [Add]
    }

    /// The first time the ladder touches a cell other than the counter: at which level
    /// (rung 1...R, or R + 1 for the tail), and what the ladder has done by then, so that a trap
    /// there leaves the tape as the original does.
    struct Touch {
        var offset: Int
        var level: Int
        var loc: SourceLoc
        /// Constants added by then, by offset (the counter's at 0), to cells not stored since.
        var added: [Int: Int]
        /// The values of cells stored by then (and added to since).
        var stored: [Int: Int]
        /// `factor` of each multiply target written by then (they gain `factor × iterations`).
        var multiplied: [Int: Int]
        /// Whether the tail's clear has left the counter 0 by then.
        var cleared: Bool
    }

    /// The counter's change per rung: -1 or +1.
    let step: Int
    /// Each rung's adds, in order, the counter's included.
    let rungs: [[Add]]
    let tail: Tail
    /// The `.loop`s nested inside the outermost one (every rung but the first, and a tail
    /// that is a loop), which the lowering's per-loop facts count.
    let nestedLoops: Int

    /// The ladder that `body`, the body of a loop, forms; nil when it is not one of at least
    /// two rungs.
    init?(body: [BFOp]) {
        var rungs: [[Add]] = []
        var step: Int?
        var nested = 0
        var level = body
        while true {
            guard let last = level.last, let adds = Self.adds(level.dropLast(), sets: true),
                  !adds.contains(where: { $0.offset == 0 && $0.set }) else { break }
            let counterChange = adds.reduce(0) { $0 + ($1.offset == 0 ? $1.delta : 0) }
            guard abs(counterChange) == 1, step == nil || step == counterChange else { break }
            switch last {
            case .loop(let inner, _, _):
                rungs.append(adds)
                step = counterChange
                nested += 1
                level = inner
                continue
            case .multiply(let m) where m.offset == 0:
                rungs.append(adds)
                step = counterChange
                level = [last]
            case .set(0, 0, _):
                rungs.append(adds)
                step = counterChange
                level = [last]
            default:
                break
            }
            break
        }
        guard rungs.count >= 2, let step, let tail = Self.tail(level) else { return nil }
        self.step = step
        self.rungs = rungs
        self.tail = tail
        nestedLoops = nested
    }

    /// Every cell other than the counter, at its first touch, in the order the original
    /// touches them.
    var touches: [Touch] {
        var added: [Int: Int] = [:]
        var stored: [Int: Int] = [:]
        var multiplied: [Int: Int] = [:]
        var cleared = false
        var seen: Set<Int> = [0]
        var out: [Touch] = []
        func touch(_ offset: Int, _ level: Int, _ loc: SourceLoc) {
            guard seen.insert(offset).inserted else { return }
            out.append(Touch(offset: offset, level: level, loc: loc, added: added.filter { $0.value != 0 },
                             stored: stored, multiplied: multiplied, cleared: cleared))
        }
        func apply(_ adds: [Add], _ level: Int) {
            for a in adds {
                touch(a.offset, level, a.loc)
                if a.set {
                    stored[a.offset] = a.delta
                    added[a.offset] = nil
                } else if stored[a.offset] != nil {
                    stored[a.offset]! += a.delta
                } else {
                    added[a.offset, default: 0] += a.delta
                }
            }
        }
        for (i, rung) in rungs.enumerated() { apply(rung, i + 1) }
        let tailLevel = rungs.count + 1
        apply(tail.before, tailLevel)
        if case .multiply(let m) = tail.clear {
            // The first iteration runs term by term; the whole then adds factor × iterations.
            for t in m.terms {
                touch(t.offset, tailLevel, t.loc)
                added[t.offset, default: 0] += t.delta
            }
            for t in m.terms { added[t.offset, default: 0] -= t.delta }
            for t in m.targets { multiplied[t.offset, default: 0] += t.factor }
        }
        cleared = true
        added[0] = nil
        apply(tail.after, tailLevel)
        return out
    }

    /// What each rung does to `offset` (not the counter), as amounts d₁…d_R such that the cell
    /// ends as `base + d₁ + … + d_m` after rung m, and the first rung that stores to it (if
    /// one does): `base` is the cell's value before the ladder until that rung, 0 from it on.
    func steps(of offset: Int) -> (amounts: [Int], firstStore: Int?) {
        var amounts: [Int] = []
        var firstStore: Int?
        var sum = 0
        for (i, rung) in rungs.enumerated() {
            var value = sum
            for a in rung where a.offset == offset {
                if a.set {
                    value = a.delta
                    if firstStore == nil { firstStore = i + 1 }
                } else {
                    value += a.delta
                }
            }
            amounts.append(value - sum)
            sum = value
        }
        return (amounts, firstStore)
    }

    /// Rungs `first...last` over which a cell gains the same `amount` on each, or `amount` and
    /// `alternate` by turns (factor's halving `[-<+>[-<->>+<[-<+>[…]]]]`), whichever spans more
    /// rungs; alternating needs three at least.
    static func segment(of amounts: [Int], from first: Int) -> (last: Int, amount: Int, alternate: Int?) {
        let delta = { (rung: Int) in amounts[rung - 1] }
        let amount = delta(first)
        var last = first
        while last < amounts.count && delta(last + 1) == amount { last += 1 }
        guard first < amounts.count else { return (last, amount, nil) }
        let alternate = delta(first + 1)
        var end = first + 1
        while end < amounts.count && delta(end + 1) == ((end + 1 - first) % 2 == 0 ? amount : alternate) {
            end += 1
        }
        return end - first >= 2 && end > last ? (end, amount, alternate) : (last, amount, nil)
    }

    /// What the tail does to `offset` (not the counter): it adds `constant` and `factor` times
    /// the clearing multiply's iterations, or, when it `stores`, leaves the cell that value.
    func tailEffect(_ offset: Int) -> (constant: Int, factor: Int, stores: Bool) {
        var constant = 0, factor = 0, stores = false
        func apply(_ adds: [Add]) {
            for a in adds where a.offset == offset {
                if a.set {
                    (constant, factor, stores) = (a.delta, 0, true)
                } else {
                    constant += a.delta
                }
            }
        }
        apply(tail.before)
        if case .multiply(let m) = tail.clear { factor += m.targets.first { $0.offset == offset }?.factor ?? 0 }
        apply(tail.after)
        return (constant, factor, stores)
    }

    /// The counter's change in the tail before its clear.
    var tailShift: Int { tail.before.reduce(0) { $0 + ($1.offset == 0 ? $1.delta : 0) } }

    /// A tail: ops that leave the counter 0 (a multiply on it or a clear), with adds before
    /// and adds to other cells after (stores of constants to other cells too).
    private static func tail(_ ops: [BFOp]) -> Tail? {
        guard let i = ops.firstIndex(where: { op in
            switch op {
            case .multiply(let m): m.offset == 0
            case .set(0, 0, _): true
            default: false
            }
        }) else { return nil }
        guard let before = adds(ops[..<i], sets: true), let after = adds(ops[(i + 1)...], sets: true),
              !before.contains(where: { $0.offset == 0 && $0.set }), !after.contains(where: { $0.offset == 0 })
        else { return nil }
        let clear: Clear = switch ops[i] {
        case .multiply(let m): .multiply(m)
        default: .set(ops[i].loc)
        }
        return Tail(before: before, clear: clear, after: after)
    }

    /// The ops as adds (and, with `sets`, stores of constants), or nil when one is anything else.
    private static func adds(_ ops: ArraySlice<BFOp>, sets: Bool = false) -> [Add]? {
        var out: [Add] = []
        for op in ops {
            switch op {
            case .add(let offset, let delta, let loc): out.append(Add(offset: offset, delta: delta, loc: loc))
            case .set(let offset, let value, let loc) where sets: out.append(Add(offset: offset, delta: value, loc: loc, set: true))
            default: return nil
            }
        }
        return out
    }
}
