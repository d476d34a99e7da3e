/// What is known about cell values at one point of a BF program, for
/// `KnownCells` and `LoopPeeling`.
///
/// Cells are keyed by their offset from the pointer position the facts were
/// made at (their frame); `shift` is how far the pointer has moved since.
/// A known value implies the cell is on the tape: every fact comes from a
/// touch of the cell, or from the tape's initial zeros inside its bounds.
struct CellFacts: Equatable {
    /// Known values, by frame offset.
    private(set) var known: [Int: Int] = [:]
    /// Cells written with an unknown value, by frame offset: only kept while
    /// `origin` is set, to mask the initial zeros.
    private(set) var clobbered: Set<Int> = []
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

    /// Only `values` (offsets from the pointer) are known.
    static func only(_ values: [Int: Int], tapeSize: Int) -> CellFacts {
        var f = CellFacts.unknown(tapeSize: tapeSize)
        f.known = values
        return f
    }

    private init(origin: Int?, tapeSize: Int) {
        self.origin = origin
        self.tapeSize = tapeSize
    }

    /// The value of `cell[p + offset]`, if known.
    func value(_ offset: Int) -> Int? { valueAt(frame: offset + shift) }

    private func valueAt(frame k: Int) -> Int? {
        if let v = known[k] { return v }
        if let origin, !clobbered.contains(k), (0..<tapeSize).contains(origin + k) { return 0 }
        return nil
    }

    mutating func record(_ offset: Int, _ value: Int?) {
        let k = offset + shift
        if let value {
            known[k] = value
        } else {
            known[k] = nil
            if origin != nil {
                clobbered.insert(k)
                // The initial zeros are worth less than meets that cost a walk of every cell written.
                if clobbered.count > Self.clobberedLimit {
                    origin = nil
                    clobbered = []
                }
            }
        }
    }

    mutating func moved(_ cells: Int) { shift += cells }

    /// The known values relative to the pointer.
    var values: [Int: Int] { Dictionary(uniqueKeysWithValues: known.map { ($0.key - shift, $0.value) }) }

    /// The same facts in the frame of the current pointer (`shift` 0).
    func rebased() -> CellFacts {
        guard shift != 0 else { return self }
        var f = CellFacts(origin: origin.map { $0 + shift }, tapeSize: tapeSize)
        f.known = Dictionary(uniqueKeysWithValues: known.map { ($0.key - shift, $0.value) })
        f.clobbered = Set(clobbered.map { $0 - shift })
        return f
    }

    /// The facts with the cells at `offsets` (from the pointer) unknown.
    func forgetting(_ offsets: Set<Int>) -> CellFacts {
        var f = self
        for o in offsets { f.record(o, nil) }
        return f
    }

    /// What holds on both of two paths that meet with the pointer at the same
    /// cell: both sets of facts are taken relative to the pointer.
    func meet(_ other: CellFacts) -> CellFacts {
        let a = rebased(), b = other.rebased()
        var f = CellFacts(origin: a.origin == b.origin ? a.origin : nil, tapeSize: tapeSize)
        var keys = Set(a.known.keys).union(b.known.keys)
        if f.origin != nil { keys.formUnion(a.clobbered.union(b.clobbered)) }
        for k in keys {
            let va = a.valueAt(frame: k)
            if va != nil && va == b.valueAt(frame: k) { f.known[k] = va } else if f.origin != nil { f.clobbered.insert(k) }
        }
        return f
    }
}

/// The cells a loop body may write, relative to the pointer at its start, or
/// nil when the body does not return to where it started (or contains a loop
/// that does not), so that its writes cannot be placed, or when it nests loops
/// deeper than `depthLimit` (which keeps the analyses linear on deep nests).
func cellsWritten(by body: [BFOp], depthLimit: Int = 8) -> Set<Int>? {
    guard depthLimit > 0 else { return nil }
    var cells: Set<Int> = []
    var position = 0
    for op in body {
        switch op {
        case .add(let o, _, _), .set(let o, _, _), .input(let o, _):
            cells.insert(position + o)
        case .move(let n, _):
            position += n
        case .output, .write:
            break
        case .loop(let inner, _, _):
            guard let w = cellsWritten(by: inner, depthLimit: depthLimit - 1) else { return nil }
            cells.formUnion(w.map { $0 + position })
        case .scan:
            return nil
        case .multiply(let m):
            cells.insert(position + m.offset)
            for t in m.terms { cells.insert(position + m.offset + t.offset) }
        }
    }
    return position == 0 ? cells : nil
}
