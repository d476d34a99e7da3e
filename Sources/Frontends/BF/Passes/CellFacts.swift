/// What is known about cell values at one point of a BF program, for
/// `KnownCells` and `LoopPeeling`.
///
/// Cells are keyed by their offset from the pointer position the facts were
/// made at (their frame); `shift` is how far the pointer has moved since.
/// A known value implies the cell is on the tape: every fact comes from a
/// touch of the cell, or from the tape's initial zeros inside its bounds.
///
/// The facts are copied at every loop and met at every loop exit, and rarely
/// hold more than a few dozen cells, so they live in arrays sorted by offset:
/// lookups are binary searches and meets are merges, with no hashing.
struct CellFacts: Equatable {
    /// Known values, by frame offset, sorted by offset without repeats.
    private(set) var known: [CellValue] = []
    /// Cells written with an unknown value, by frame offset, sorted without
    /// repeats: only kept while `origin` is set, to mask the initial zeros.
    private(set) var clobbered: [Int] = []
    private(set) var shift = 0
    /// The tape index of frame offset 0 while every cell not in `known` or
    /// `clobbered` still holds its initial 0.
    private(set) var origin: Int?
    let tapeSize: Int
    static let clobberedLimit = 64

    /// Nothing known.
    static func unknown(tapeSize: Int) -> CellFacts { CellFacts(origin: nil, tapeSize: tapeSize) }

    /// The start of the program: pointer at cell 0, every cell 0.
    static func programStart(tapeSize: Int) -> CellFacts { CellFacts(origin: 0, tapeSize: tapeSize) }

    private init(origin: Int?, tapeSize: Int) {
        self.origin = origin
        self.tapeSize = tapeSize
    }

    /// The value of `cell[p + offset]`, if known.
    func value(_ offset: Int) -> Int? { valueAt(frame: offset + shift) }

    private func valueAt(frame k: Int) -> Int? {
        let i = known.firstIndex(atLeast: k)
        if i < known.count && known[i].offset == k { return known[i].value }
        if let origin, (0..<tapeSize).contains(origin + k), !clobbered.containsSorted(k) { return 0 }
        return nil
    }

    mutating func record(_ offset: Int, _ value: Int?) {
        let k = offset + shift
        let i = known.firstIndex(atLeast: k)
        let present = i < known.count && known[i].offset == k
        if let value {
            if present { known[i].value = value } else { known.insert(CellValue(offset: k, value: value), at: i) }
        } else {
            if present { known.remove(at: i) }
            if origin != nil {
                clobbered.insertSorted(k)
                // The initial zeros are worth less than meets that cost a walk of every cell written.
                if clobbered.count > Self.clobberedLimit {
                    origin = nil
                    clobbered = []
                }
            }
        }
    }

    mutating func moved(_ cells: Int) { shift += cells }

    /// Whether any value is known.
    var knowsAnyValue: Bool { !known.isEmpty }

    /// The offsets (from the pointer) of the cells whose values are known, in order.
    var knownOffsets: [Int] { known.map { $0.offset - shift } }

    /// Only the known values, relative to the pointer: what `unknown` would
    /// become if exactly these cells were recorded.
    func knownValuesOnly() -> CellFacts {
        var f = CellFacts.unknown(tapeSize: tapeSize)
        f.known = shift == 0 ? known : known.map { CellValue(offset: $0.offset - shift, value: $0.value) }
        return f
    }

    /// The same facts in the frame of the current pointer (`shift` 0).
    func rebased() -> CellFacts {
        guard shift != 0 else { return self }
        var f = CellFacts(origin: origin.map { $0 + shift }, tapeSize: tapeSize)
        f.known = known.map { CellValue(offset: $0.offset - shift, value: $0.value) }
        f.clobbered = clobbered.map { $0 - shift }
        return f
    }

    /// The facts with the cells at `offsets` (from the pointer, sorted without
    /// repeats) unknown: the same as recording each of them as unknown, in one
    /// merge. (Recording them one by one gives the same result in any order:
    /// the initial zeros are dropped exactly when the clobbered cells and
    /// `offsets` together exceed the limit.)
    func forgetting(_ offsets: [Int]) -> CellFacts {
        guard !offsets.isEmpty else { return self }
        var f = self
        let frame = shift == 0 ? offsets : offsets.map { $0 + shift }
        f.known = known.removingSorted(frame)
        if origin != nil {
            f.clobbered = clobbered.unionSorted(frame)
            if f.clobbered.count > Self.clobberedLimit {
                f.origin = nil
                f.clobbered = []
            }
        }
        return f
    }

    /// Whether these facts may know a value `other` does not (both relative to the pointer):
    /// false only when every value known here is known the same there. Builds nothing.
    func mayKnowMore(than other: CellFacts) -> Bool {
        if origin != nil && other.origin == nil { return true }  // the initial zeros, left aside
        return known.contains { other.value($0.offset - shift) != $0.value }
    }

    /// What holds on both of two paths that meet with the pointer at the same
    /// cell: both sets of facts are taken relative to the pointer.
    ///
    /// One merge over the four sorted arrays, in the pointer's frame: the cells
    /// either side knows, and while the initial zeros hold on both, those either
    /// side clobbered. A meet happens at every loop, so it builds no other arrays.
    func meet(_ other: CellFacts) -> CellFacts {
        let a = MeetCursor(self), b = MeetCursor(other)
        var f = CellFacts(origin: a.origin == b.origin ? a.origin : nil, tapeSize: tapeSize)
        let withZeros = f.origin != nil
        var ca = a, cb = b
        while let k = ca.nextKey(withZeros: withZeros, cb.nextKey(withZeros: withZeros, nil)) {
            let va = ca.value(at: k, tapeSize: tapeSize)
            let vb = cb.value(at: k, tapeSize: tapeSize)
            // Unlike `record`, a meet does not apply the clobbered limit: the next record does.
            if let va, va == vb {
                f.known.append(CellValue(offset: k, value: va))
            } else if withZeros {
                f.clobbered.append(k)
            }
            ca.pass(k)
            cb.pass(k)
        }
        return f
    }

    /// A walk through one side's facts in increasing offset, in the frame of
    /// the pointer (as `rebased()` would give them, without building it).
    private struct MeetCursor {
        let facts: CellFacts
        let origin: Int?
        var known = 0
        var clobbered = 0

        init(_ facts: CellFacts) {
            self.facts = facts
            origin = facts.origin.map { $0 + facts.shift }
        }

        private func knownKey(_ i: Int) -> Int { facts.known[i].offset - facts.shift }
        private func clobberedKey(_ i: Int) -> Int { facts.clobbered[i] - facts.shift }

        /// The smaller of `other` and this side's next key, nil when both are exhausted.
        func nextKey(withZeros: Bool, _ other: Int?) -> Int? {
            var k = other
            if known < facts.known.count { k = min(k ?? .max, knownKey(known)) }
            if withZeros && clobbered < facts.clobbered.count { k = min(k ?? .max, clobberedKey(clobbered)) }
            return k
        }

        /// `valueAt(frame:)` of the rebased facts, for keys asked in increasing order.
        mutating func value(at k: Int, tapeSize: Int) -> Int? {
            if known < facts.known.count && knownKey(known) == k { return facts.known[known].value }
            guard let origin, (0..<tapeSize).contains(origin + k) else { return nil }
            while clobbered < facts.clobbered.count && clobberedKey(clobbered) < k { clobbered += 1 }
            return clobbered < facts.clobbered.count && clobberedKey(clobbered) == k ? nil : 0
        }

        /// Moves past key `k`.
        mutating func pass(_ k: Int) {
            if known < facts.known.count && knownKey(known) == k { known += 1 }
            while clobbered < facts.clobbered.count && clobberedKey(clobbered) <= k { clobbered += 1 }
        }
    }
}

/// A known cell value, by offset.
struct CellValue: Equatable {
    var offset: Int
    var value: Int
}

private extension Array where Element == CellValue {
    /// The index of the first value whose offset is at least `offset` (`count` if none).
    func firstIndex(atLeast offset: Int) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].offset < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The values whose offsets are not in `offsets` (sorted).
    func removingSorted(_ offsets: [Int]) -> [CellValue] {
        var out: [CellValue] = []
        out.reserveCapacity(count)
        var j = 0
        for v in self {
            while j < offsets.count && offsets[j] < v.offset { j += 1 }
            if j < offsets.count && offsets[j] == v.offset { continue }
            out.append(v)
        }
        return out
    }
}

/// The cells a loop body may write, relative to the pointer at its start and
/// sorted without repeats, or nil when the body does not return to where it
/// started (or contains a loop that does not), so that its writes cannot be
/// placed, or when it nests loops deeper than `depthLimit` (which keeps the
/// analyses linear on deep nests).
func cellsWritten(by body: [BFOp], depthLimit: Int = 8) -> [Int]? {
    var collected: [Int]? = []
    guard collectWrites(body, at: 0, depthLimit: depthLimit, into: &collected) else { return nil }
    var cells = collected!
    collected = nil  // so that sorting does not copy
    cells.sort()
    var unique = 0
    for c in cells where unique == 0 || cells[unique - 1] != c {
        cells[unique] = c
        unique += 1
    }
    cells.removeLast(cells.count - unique)
    return cells
}

/// Whether `cellsWritten(by:depthLimit:)` is not nil, without collecting the cells.
func writesArePlaceable(_ body: [BFOp], depthLimit: Int = 8) -> Bool {
    var none: [Int]?
    return collectWrites(body, at: 0, depthLimit: depthLimit, into: &none)
}

/// Appends the cells `body` writes, offset by `base`, to `cells` (when not nil):
/// false where `cellsWritten` is nil. One walk with shifted offsets, where
/// shifting each inner loop's set would cost depth times size.
private func collectWrites(_ body: [BFOp], at base: Int, depthLimit: Int, into cells: inout [Int]?) -> Bool {
    guard depthLimit > 0 else { return false }
    var position = base
    for op in body {
        switch op {
        case .add(let o, _, _), .set(let o, _, _), .input(let o, _):
            cells?.append(position + o)
        case .move(let n, _):
            position += n
        case .output, .write:
            break
        case .loop(let inner, _, _):
            guard collectWrites(inner, at: position, depthLimit: depthLimit - 1, into: &cells) else { return false }
        case .scan, .divmod:
            return false
        case .multiply(let m):
            cells?.append(position + m.offset)
            for t in m.terms { cells?.append(position + m.offset + t.offset) }
        }
    }
    return position == base
}
