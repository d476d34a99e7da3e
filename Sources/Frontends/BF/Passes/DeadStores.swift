import JitIR

/// Drops stores that are overwritten before they are read: `add 3; set 0` of
/// one cell becomes `set 0`, and `set 5; ...; set 7` loses the first set
/// when nothing between reads the cell.
///
/// A store is only dropped when its cell is known to be on the tape (so the
/// store itself cannot trap, see `KnownRange`) and nothing between it and the
/// overwriting store can trap: a trap there would show the dropped value on
/// the tape. Loops, scans and multiplies count as reading every cell.
public struct DeadStores: BFPass {
    public init() {}
    public var name: String { "dead-stores" }

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        // The pointer starts at cell 0, so the whole tape lies at offsets 0..<tapeSize.
        Self.eliminate(ops, entry: KnownRange(lower: 0, upper: context.options.tapeSize - 1))
    }

    /// `ops` without their dead stores, for a start where `entry` is on the tape.
    static func eliminate(_ ops: [BFOp], entry: KnownRange) -> [BFOp] {
        eliminatedIfAny(ops, entry: entry) ?? ops
    }

    /// `eliminate`, or nil when neither `ops` nor a list inside it has a dead store: unchanged
    /// lists keep their storage, so the later passes and `Repeated`'s comparison of an unchanged
    /// program stop at its identity (rebuilding every list was a twentieth of hanoi's start-up).
    private static func eliminatedIfAny(_ ops: [BFOp], entry: KnownRange) -> [BFOp]? {
        var known = entry
        var before: [KnownRange] = []
        before.reserveCapacity(ops.count)
        var rebuilt: [BFOp]?  // copied at the first loop whose body changes
        for i in ops.indices {
            before.append(known)
            if known.step(over: ops[i]) { continue }
            switch ops[i] {
            case .loop(let body, let open, let close):
                known.include(0)
                if !writesArePlaceable(body) { known = .single(0) }
                if let newBody = eliminatedIfAny(body, entry: .single(0)) {
                    if rebuilt == nil { rebuilt = ops }
                    rebuilt![i] = .loop(body: newBody, open: open, close: close)
                }
            default:
                known = .single(0)  // a scan
            }
        }
        let list = rebuilt ?? ops

        // Cells that a later store overwrites before any read or possible trap, by
        // offset from the pointer at the start of the list (`position` is the
        // pointer's offset from there before op i). Sorted: it is small, and cleared often.
        var overwritten: [Int] = []
        var position = list.reduce(0) { if case .move(let n, _) = $1 { $0 + n } else { $0 } }
        var dropped: [Int] = []
        for i in list.indices.reversed() {
            if case .move(let n, _) = list[i] { position -= n }
            let safe = before[i].shifted(by: -position)
            switch list[i].cellShifted(by: position) {
            case .set(let o, _, _), .add(let o, _, _):
                if overwritten.containsSorted(o) && safe.contains(o) {
                    dropped.append(i)
                } else if case .set = list[i] {
                    if !safe.contains(o) { overwritten.removeAll(keepingCapacity: true) }
                    overwritten.insertSorted(o)
                } else {
                    if !safe.contains(o) { overwritten.removeAll(keepingCapacity: true) }
                    overwritten.removeSorted(o)
                }
            case .output(let o, _), .input(let o, _):
                if !safe.contains(o) { overwritten.removeAll(keepingCapacity: true) }
                overwritten.removeSorted(o)
            case .move, .write:
                break
            case .loop, .scan, .multiply, .divmod:
                overwritten.removeAll(keepingCapacity: true)
            }
        }
        guard !dropped.isEmpty else { return rebuilt }
        var keep = [Bool](repeating: true, count: list.count)
        for i in dropped { keep[i] = false }
        return list.indices.compactMap { keep[$0] ? list[$0] : nil }
    }
}

private extension BFOp {
    /// The op with its cell offset moved by `cells` (other ops unchanged).
    func cellShifted(by cells: Int) -> BFOp {
        switch self {
        case .add(let o, let d, let loc): .add(offset: o + cells, delta: d, loc: loc)
        case .set(let o, let v, let loc): .set(offset: o + cells, value: v, loc: loc)
        case .output(let o, let loc): .output(offset: o + cells, loc: loc)
        case .input(let o, let loc): .input(offset: o + cells, loc: loc)
        default: self
        }
    }
}
