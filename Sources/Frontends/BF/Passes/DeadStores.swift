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
        var known = entry
        var before: [KnownRange] = []
        before.reserveCapacity(ops.count)
        let list = ops.map { op -> BFOp in
            before.append(known)
            switch op {
            case .add(let o, _, _), .set(let o, _, _), .output(let o, _), .input(let o, _):
                known.include(o)
            case .move(let n, _):
                known = known.shifted(by: n)
            case .write:
                break
            case .loop(let body, let open, let close):
                known.include(0)
                if cellsWritten(by: body) == nil { known = .single(0) }
                return .loop(body: eliminate(body, entry: .single(0)), open: open, close: close)
            case .scan:
                known = .single(0)
            case .multiply(let m):
                known.include(m.offset)
            }
            return op
        }

        // Cells that a later store overwrites before any read or possible trap.
        var overwritten: Set<Int> = []
        var keep = [Bool](repeating: true, count: list.count)
        for i in list.indices.reversed() {
            let safe = before[i]
            switch list[i] {
            case .set(let o, _, _), .add(let o, _, _):
                if overwritten.contains(o) && safe.contains(o) {
                    keep[i] = false
                } else if case .set = list[i] {
                    if !safe.contains(o) { overwritten = [] }
                    overwritten.insert(o)
                } else {
                    if !safe.contains(o) { overwritten = [] }
                    overwritten.remove(o)
                }
            case .output(let o, _), .input(let o, _):
                if !safe.contains(o) { overwritten = [] }
                overwritten.remove(o)
            case .move(let n, _):
                overwritten = Set(overwritten.map { $0 + n })
            case .write:
                break
            case .loop, .scan, .multiply:
                overwritten = []
            }
        }
        return list.indices.compactMap { keep[$0] ? list[$0] : nil }
    }
}
