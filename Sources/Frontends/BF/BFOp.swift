import JitIR

/// The Brainfuck-level program the passes rewrite and the lowering translates.
///
/// Offsets are in cells, relative to the tape pointer. Every op that touches a
/// cell carries the position of the source command that first touched it: if the
/// cell is off the tape, that is where the program traps. Moving the pointer
/// never traps; only touching a cell does.
public enum BFOp: Sendable, Hashable {
    /// `cell[p + offset] += delta`, wrapping. A zero delta still touches the cell.
    case add(offset: Int, delta: Int, loc: SourceLoc)
    /// `cell[p + offset] = value`.
    case set(offset: Int, value: Int, loc: SourceLoc)
    /// `p += cells`. Never traps.
    case move(Int, loc: SourceLoc)
    /// Writes the low 8 bits of `cell[p + offset]`.
    case output(offset: Int, loc: SourceLoc)
    /// Writes constant bytes: output whose cells' values were known when the
    /// program was compiled. Touches no cell.
    case write(bytes: [UInt8], loc: SourceLoc)
    /// Reads a byte into `cell[p + offset]` (end of input per `BFOptions.eof`).
    case input(offset: Int, loc: SourceLoc)
    /// `while cell[p] != 0 { body }`: the test before the first iteration touches
    /// the cell at `open`, the tests after each iteration at `close`.
    case loop(body: [BFOp], open: SourceLoc, close: SourceLoc)
    /// `while cell[p] != 0 { p += step }` (`[>]`, `[<<]`, ...), tests as in `loop`.
    case scan(step: Int, open: SourceLoc, close: SourceLoc)
    /// A loop that only adds constants to cells and steps its counter by ±1,
    /// done without iterating. Boxed: its payload would make every op 48 bytes
    /// rather than 32, and the passes copy ops far more often than multiplies.
    indirect case multiply(BFMultiply)
    /// A divmod idiom (`BFDivmod`): the original loop, done with one division when it can be.
    indirect case divmod(BFDivmod)
}

/// A balanced loop whose body only adds constants at fixed offsets and changes
/// its counter cell by exactly -1 or +1 per iteration, such as `[->+>++<<]`.
///
/// Meaning (the lowering and the reference evaluator agree on it): touch the
/// counter at `open`; if it is 0, nothing else happens. Otherwise the first
/// iteration runs as written, term by term (so a term whose cell is off the tape
/// traps at its own position with the earlier terms already applied), and the
/// remaining iterations add `factor * iterations` to each target and leave the
/// counter 0.
public struct BFMultiply: Sendable, Hashable {
    /// One `+`/`-` run of the loop body.
    public struct Term: Sendable, Hashable {
        /// Relative to the counter cell.
        public var offset: Int
        public var delta: Int
        public var loc: SourceLoc
        public init(offset: Int, delta: Int, loc: SourceLoc) {
            self.offset = offset
            self.delta = delta
            self.loc = loc
        }
    }

    /// The counter cell, relative to the pointer.
    public var offset: Int
    /// The counter's change per iteration: -1 or +1.
    public var step: Int
    /// The `[` of the original loop.
    public var open: SourceLoc
    /// The body's adds in execution order, the counter's included.
    public var terms: [Term]
    /// Targets (relative to the counter) known to hold 0 whenever the multiply runs, as
    /// `known-cells` found: the lowering may store their new value rather than add it.
    public var zeroTargets: [Int]

    public init(offset: Int, step: Int, open: SourceLoc, terms: [Term], zeroTargets: [Int] = []) {
        self.offset = offset
        self.step = step
        self.open = open
        self.terms = terms
        self.zeroTargets = zeroTargets
    }

    /// The cells other than the counter, in the order the body first touches
    /// them, with the total added per iteration (possibly 0: still touched).
    public var targets: [(offset: Int, factor: Int, loc: SourceLoc)] {
        // A multiply has a few terms: a linear search beats hashing them.
        var out: [(offset: Int, factor: Int, loc: SourceLoc)] = []
        out.reserveCapacity(terms.count)
        for t in terms where t.offset != 0 {
            if let i = out.firstIndex(where: { $0.offset == t.offset }) {
                out[i].factor += t.delta
            } else {
                out.append((t.offset, t.delta, t.loc))
            }
        }
        return out
    }
}

extension BFOp {
    /// The literal translation of a parse tree: one op per command.
    public static func literal(_ nodes: [BFNode]) -> [BFOp] {
        nodes.map { node in
            switch node {
            case .command(let c, let loc):
                switch c {
                case .increment: .add(offset: 0, delta: 1, loc: loc)
                case .decrement: .add(offset: 0, delta: -1, loc: loc)
                case .left: .move(-1, loc: loc)
                case .right: .move(1, loc: loc)
                case .output: .output(offset: 0, loc: loc)
                case .input: .input(offset: 0, loc: loc)
                }
            case .loop(let body, let open, let close):
                .loop(body: literal(body), open: open, close: close)
            }
        }
    }

    /// The source position of the op (its first character).
    public var loc: SourceLoc {
        switch self {
        case .add(_, _, let loc), .set(_, _, let loc), .move(_, let loc), .output(_, let loc),
             .input(_, let loc), .write(_, let loc):
            loc
        case .loop(_, let open, _), .scan(_, let open, _):
            open
        case .multiply(let m):
            m.open
        case .divmod(let d):
            d.open
        }
    }

    /// Whether a loop body leaves the loop's cell 0, having just read or written it (so it is on
    /// the tape): the last op that touches it is a multiply of it, a clear of it, a loop (it ends
    /// only on a 0 cell; factor's `[->+<[->+<[…]]]` ladders) or a scan. Such a loop runs at most
    /// once. Adds and sets of other cells may follow, and moves at the very end (offset folding
    /// defers them there) only change which cell that is.
    static func leavesItsCellZero(_ body: [BFOp]) -> Bool {
        var moved = 0
        for op in body.reversed() {
            switch op {
            case .move(let n, _): moved += n
            case .multiply(let m): return m.offset == moved
            case .set(let offset, let value, _): if offset == moved { return value == 0 }
            case .add(let offset, _, _): if offset == moved { return false }
            case .loop, .scan, .divmod: return moved == 0
            case .output, .input, .write: return false
            }
        }
        return false
    }

    /// Number of ops, nested ones included.
    public static func count(_ ops: [BFOp]) -> Int {
        ops.reduce(0) { n, op in
            if case .loop(let body, _, _) = op { return n + 1 + count(body) }
            if case .divmod(let d) = op { return n + 1 + count(d.body) }
            return n + 1
        }
    }
}

extension BFOp: CustomStringConvertible {
    /// A one-line form for dumps and test failures, e.g. `add [2] +3 @1:4`.
    public var description: String {
        func cell(_ o: Int) -> String { "[\(o)]" }
        switch self {
        case .add(let o, let d, let loc): return "add \(cell(o)) \(d >= 0 ? "+" : "")\(d) @\(loc)"
        case .set(let o, let v, let loc): return "set \(cell(o)) \(v) @\(loc)"
        case .move(let n, let loc): return "move \(n) @\(loc)"
        case .output(let o, let loc): return "output \(cell(o)) @\(loc)"
        case .input(let o, let loc): return "input \(cell(o)) @\(loc)"
        case .write(let bytes, let loc): return "write \(String(decoding: bytes, as: UTF8.self).debugDescription) @\(loc)"
        case .loop(let body, let open, let close):
            return "loop @\(open)..\(close) { " + body.map(\.description).joined(separator: "; ") + " }"
        case .scan(let step, let open, _): return "scan \(step) @\(open)"
        case .multiply(let m):
            let ts = m.targets.map {
                "\(cell(m.offset + $0.offset))\(m.zeroTargets.contains($0.offset) ? "=" : "+=")\($0.factor)"
            }.joined(separator: " ")
            return "multiply \(cell(m.offset)) step \(m.step) \(ts) @\(m.open)"
        case .divmod(let d):
            return "divmod [0] divisor \(cell(d.divisor)) remainder \(cell(d.remainder)) quotient \(cell(d.quotient)) @\(d.open)"
        }
    }
}

extension BFOp {
    /// Whether `other` is this op, a loop only when it has the same body storage: a cheap test
    /// of "nothing changed" for passes that rebuild their lists, where `==` would compare
    /// every loop's body op by op.
    func isSameOp(_ other: BFOp) -> Bool {
        switch (self, other) {
        case (.loop(let a, let openA, let closeA), .loop(let b, let openB, let closeB)):
            return openA == openB && closeA == closeB && a.count == b.count && a.storageAddress == b.storageAddress
        case (.loop, _), (_, .loop):
            return false
        default:
            return self == other
        }
    }
}
