/// A range of cell offsets, relative to the tape pointer, that are known to lie
/// on the tape because a bounds check (or a loop test) of them has passed.
///
/// Since the tape is contiguous, once offsets `a` and `b` are known, so is
/// everything between them: the known set is always an interval.
struct KnownRange: Equatable, CustomStringConvertible {
    var lower: Int
    var upper: Int

    static let empty = KnownRange(lower: 1, upper: 0)
    static func single(_ offset: Int) -> KnownRange { KnownRange(lower: offset, upper: offset) }

    var isEmpty: Bool { lower > upper }

    func contains(_ offset: Int) -> Bool { lower <= offset && offset <= upper }

    /// After a successful check of `offset`.
    mutating func include(_ offset: Int) {
        if isEmpty {
            self = .single(offset)
        } else {
            lower = min(lower, offset)
            upper = max(upper, offset)
        }
    }

    /// The same cells, seen after the pointer moved by `cells`.
    func shifted(by cells: Int) -> KnownRange {
        isEmpty ? self : KnownRange(lower: lower - cells, upper: upper - cells)
    }

    /// What holds on both of two paths that meet.
    func intersection(_ other: KnownRange) -> KnownRange {
        if isEmpty || other.isEmpty { return .empty }
        let r = KnownRange(lower: max(lower, other.lower), upper: min(upper, other.upper))
        return r.isEmpty ? .empty : r
    }

    var description: String { isEmpty ? "[]" : "[\(lower), \(upper)]" }

    /// Steps over an op that neither loops nor scans: every cell it touches is on the tape
    /// afterwards (else the run trapped), and a move shifts what is known. Returns false,
    /// changing nothing, for loops and scans, whose callers each treat them their own way.
    mutating func step(over op: BFOp) -> Bool {
        switch op {
        case .add(let o, _, _), .set(let o, _, _), .output(let o, _), .input(let o, _): include(o)
        case .move(let n, _): self = shifted(by: n)
        case .write: break
        case .multiply(let m): include(m.offset)
        case .loop, .scan, .divmod: return false
        }
        return true
    }
}
