import JitIR

/// The lazy pointer: moves are deferred and folded into the offsets of the ops
/// that follow, and only performed where the pointer itself matters: before a
/// loop or scan (which test the cell under the pointer) and at the end of a
/// loop body. A move at the very end of the program is dropped.
///
/// Moving never traps, so deferring moves changes no trap; the ops keep their
/// own positions.
public struct OffsetFolding: BFPass {
    public init() {}
    public var name: String { "offset-folding" }

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        fold(ops, isBody: false)
    }

    /// `ops` with their moves folded, ending with the move that leaves the pointer where they do
    /// (for straight-line code that replaces a loop, such as an unrolled one).
    static func foldedKeepingPointer(_ ops: [BFOp]) -> [BFOp] {
        OffsetFolding().fold(ops, isBody: true)
    }

    private func fold(_ ops: [BFOp], isBody: Bool) -> [BFOp] {
        var out: [BFOp] = []
        out.reserveCapacity(ops.count)
        var pending = 0
        var pendingLoc = SourceLoc.unknown
        func flush() {
            if pending != 0 { out.append(.move(pending, loc: pendingLoc)) }
            pending = 0
        }
        for op in ops {
            switch op {
            case .add(let o, let d, let loc): out.append(.add(offset: o + pending, delta: d, loc: loc))
            case .set(let o, let v, let loc): out.append(.set(offset: o + pending, value: v, loc: loc))
            case .output(let o, let loc): out.append(.output(offset: o + pending, loc: loc))
            case .input(let o, let loc): out.append(.input(offset: o + pending, loc: loc))
            case .multiply(var m):
                m.offset += pending
                out.append(.multiply(m))
            case .move(let n, let loc):
                if pending == 0 { pendingLoc = loc }
                pending += n
            case .loop(let body, let open, let close):
                flush()
                out.append(.loop(body: fold(body, isBody: true), open: open, close: close))
            case .write:
                out.append(op)
            case .scan, .divmod:
                flush()
                out.append(op)
            }
        }
        if isBody { flush() }
        return out
    }
}
