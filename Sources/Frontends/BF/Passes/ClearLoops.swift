import JitIR

/// `[-]`, `[+]`, and any loop whose body only adds an odd amount to its own
/// cell, becomes `set 0`.
///
/// An odd step is invertible modulo 2^bits, so such a loop always reaches 0.
/// An even step (`[--]`) only terminates for some values and stays a loop.
/// The body touches only the loop cell, which the `[` test already touched,
/// so the set takes the `[` position.
public struct ClearLoops: BFPass {
    public init() {}
    public var name: String { "clear-loops" }

    public func run(_ ops: [BFOp], _ context: BFPassContext) -> [BFOp] {
        mapBottomUp(ops) { op in
            guard case .loop(let body, let open, _) = op, !body.isEmpty else { return nil }
            var sum = 0
            for inner in body {
                guard case .add(0, let d, _) = inner else { return nil }
                sum += d
            }
            return context.wrap(sum) & 1 == 1 ? .set(offset: 0, value: 0, loc: open) : nil
        }
    }
}
