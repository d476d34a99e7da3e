import JitIR

/// Forward constant tracking of cell values in straight-line code.
///
/// Knows that every cell of the tape is 0 when the program starts, that the
/// loop cell is 0 when a loop or scan ends, and that a multiply leaves its
/// counter 0. With that it turns adds to cells of known value into sets,
/// drops sets that store the value a cell already has, and drops loops,
/// scans and multiplies whose cell is known to be 0 (such as a loop right
/// after another loop, or a comment loop at the very start).
///
/// A cell's value is only known when the cell is known to be on the tape
/// (touched before, or inside the tape at the start), so every dropped op
/// touched a cell that cannot trap.
public struct KnownCells: BFPass {
    public init() {}
    public var name: String { "known-cells" }

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        var state = State(origin: 0, tapeSize: context.options.tapeSize)
        return rewrite(ops, &state, context)
    }

    /// What is known about cells. Cells are keyed by their offset from where the
    /// pointer was when the state was made; `shift` is where it is now.
    struct State {
        /// Cells written since the state was made: a known value, or nil when unknown.
        var cells: [Int: Int?] = [:]
        var shift = 0
        /// The pointer's initial cell index while the program has run no loop yet,
        /// so that every cell not in `cells` still holds its initial 0.
        var origin: Int?
        var tapeSize: Int

        init(origin: Int?, tapeSize: Int) {
            self.origin = origin
            self.tapeSize = tapeSize
        }

        /// The value of `cell[p + offset]` if known (which implies it is on the tape).
        func value(_ offset: Int) -> Int? {
            if let fact = cells[offset + shift] { return fact }
            if let origin, (0..<tapeSize).contains(origin + shift + offset) { return 0 }
            return nil
        }

        mutating func record(_ offset: Int, _ value: Int?) { cells[offset + shift] = .some(value) }

        mutating func moved(_ n: Int) { shift += n }

        /// After a loop or scan: only the tested cell is known, and it is 0.
        static func afterLoop(tapeSize: Int) -> State {
            var s = State(origin: nil, tapeSize: tapeSize)
            s.record(0, 0)
            return s
        }
    }

    private func rewrite(_ ops: [BFOp], _ state: inout State, _ context: BFPassContext) -> [BFOp] {
        var out: [BFOp] = []
        out.reserveCapacity(ops.count)
        for op in ops {
            switch op {
            case .add(let o, let d, let loc):
                if let v = state.value(o) {
                    let n = context.wrap(v + d)
                    state.record(o, n)
                    out.append(.set(offset: o, value: n, loc: loc))
                } else {
                    state.record(o, nil)
                    out.append(op)
                }
            case .set(let o, let v, _):
                let n = context.wrap(v)
                if state.value(o) == n { continue }
                state.record(o, n)
                out.append(op)
            case .output:
                out.append(op)
            case .input(let o, _):
                state.record(o, nil)
                out.append(op)
            case .move(let n, _):
                state.moved(n)
                out.append(op)
            case .loop(let body, let open, let close):
                if state.value(0) == 0 { continue }
                var inner = State(origin: nil, tapeSize: state.tapeSize)
                out.append(.loop(body: rewrite(body, &inner, context), open: open, close: close))
                state = .afterLoop(tapeSize: state.tapeSize)
            case .scan:
                if state.value(0) == 0 { continue }
                out.append(op)
                state = .afterLoop(tapeSize: state.tapeSize)
            case .multiply(let m):
                if state.value(m.offset) == 0 { continue }
                for t in m.targets { state.record(m.offset + t.offset, nil) }
                state.record(m.offset, 0)
                out.append(op)
            }
        }
        return out
    }
}
