import JitIR

/// Parses Brainfuck source straight into ops: with a context, run-length folded,
/// exactly `RunLengthFolding().run(BFOp.literal(BFParser.parse(source)))`;
/// without, the literal ops, exactly `BFOp.literal(BFParser.parse(source))`.
///
/// Start-up time matters on short programs (hanoi is 54 KB of source): going
/// through the `BFNode` tree and the literal op list first built and freed two
/// arrays per loop and one enum per command, about a tenth of its whole run.
/// Parsing straight into ops makes one array per loop, and folding while parsing
/// merges most ops as they come.
package enum BFFoldingParser {
    /// The folded ops of `source`, or the error `BFParser.parse` reports. Errors
    /// are rare, so for them the tree parser runs again: it alone decides their
    /// message and position.
    package static func parse(_ source: [UInt8], file: String, _ context: BFPassContext?) throws(SourceError) -> [BFOp] {
        guard let ops = fold(source, context) else {
            _ = try BFParser.parse(source, file: file)
            // Unreachable: `fold` fails only where the tree parser throws.
            throw SourceError(file: file, loc: .unknown, message: "unmatched bracket")
        }
        return ops
    }

    /// nil for unmatched brackets or loops nested too deep.
    private static func fold(_ source: [UInt8], _ context: BFPassContext?) -> [BFOp]? {
        // Literal lists get exactly the room they need: growing them one append at a
        // time reallocated each small loop body several times, and the copies of the
        // long top-level list faulted in fresh pages.
        let sizes = context == nil ? literalSizes(source) : nil
        var loops = 0
        var stack: [(open: SourceLoc, ops: [BFOp])] = []
        var ops: [BFOp] = []
        if let sizes { ops.reserveCapacity(sizes.top) }
        var line = 1, column = 1
        var i = 0
        let end = source.count
        while i < end {
            let byte = source[i]
            let loc = SourceLoc(line: line, column: column)
            i += 1
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
                continue
            }
            column += 1
            switch byte {
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ">"), UInt8(ascii: "<"):
                let up = byte == UInt8(ascii: "+") || byte == UInt8(ascii: ">")
                let isAdd = byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                guard let context else {
                    ops.append(isAdd ? .add(offset: 0, delta: up ? 1 : -1, loc: loc) : .move(up ? 1 : -1, loc: loc))
                    break
                }
                if isAdd {
                    let run = Run(source, from: i - 1, up: UInt8(ascii: "+"), down: UInt8(ascii: "-"))
                    add(run, loc, &ops, context)
                    column += run.end - i
                    i = run.end
                } else {
                    var carried: (cells: Int, loc: SourceLoc)?
                    if case .move(let n, let at)? = ops.last {
                        ops.removeLast()
                        carried = (n, at)
                    }
                    let run = Run(source, from: i - 1, up: UInt8(ascii: ">"), down: UInt8(ascii: "<"), startingAt: carried?.cells ?? 0)
                    move(run, carried?.loc ?? loc, loc, &ops)
                    column += run.end - i
                    i = run.end
                }
            case UInt8(ascii: "."): ops.append(.output(offset: 0, loc: loc))
            case UInt8(ascii: ","): ops.append(.input(offset: 0, loc: loc))
            case UInt8(ascii: "["):
                if stack.count >= BFParser.maximumNesting { return nil }
                stack.append((loc, ops))
                ops = []
                if let sizes, loops < sizes.bodies.count { ops.reserveCapacity(sizes.bodies[loops]) }
                loops += 1
            case UInt8(ascii: "]"):
                guard let (open, outer) = stack.popLast() else { return nil }
                let loop = BFOp.loop(body: ops, open: open, close: loc)
                ops = outer
                ops.append(loop)
            default:
                break
            }
        }
        return stack.isEmpty ? ops : nil
    }

    /// The number of ops in each list of the literal program: the top level's, and
    /// each loop body's, in the order of their `[`. Only a hint: unmatched brackets
    /// give some wrong numbers, and `fold` fails on those anyway.
    private static func literalSizes(_ source: [UInt8]) -> (top: Int, bodies: [Int]) {
        var top = 0
        var bodies: [Int] = []
        var open: [Int] = []  // indices into `bodies` of the loops not yet closed
        for byte in source {
            switch byte {
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ">"), UInt8(ascii: "<"),
                 UInt8(ascii: "."), UInt8(ascii: ","):
                if let k = open.last { bodies[k] += 1 } else { top += 1 }
            case UInt8(ascii: "["):
                if let k = open.last { bodies[k] += 1 } else { top += 1 }
                open.append(bodies.count)
                bodies.append(0)
            case UInt8(ascii: "]"):
                _ = open.popLast()
            default:
                break
            }
        }
        return (top, bodies)
    }

    // The same merges as `RunLengthFolding`, one run of `+-` or `<>` at a time: looking at
    // and replacing the list's last op for every command cost lostkingdom (2 MB of source)
    // about a hundred instructions a byte.

    /// A run of the bytes `up` and `down` (`+-` or `<>`) on one line: the sum it reaches from
    /// `startingAt`, and the index of the last byte that brought that sum to 0.
    private struct Run {
        let start: Int
        /// The index after the run.
        let end: Int
        let sum: Int
        let lastZero: Int?

        init(_ source: [UInt8], from start: Int, up: UInt8, down: UInt8, startingAt initial: Int = 0) {
            self.start = start
            let (k, sum, lastZero) = source.withUnsafeBufferPointer { bytes in
                var k = start, sum = initial, lastZero = -1
                while k < bytes.count {
                    if bytes[k] == up { sum += 1 } else if bytes[k] == down { sum -= 1 } else { break }
                    if sum == 0 { lastZero = k }
                    k += 1
                }
                return (k, sum, lastZero)
            }
            (end, self.sum, self.lastZero) = (k, sum, lastZero < 0 ? nil : lastZero)
        }

        var length: Int { end - start }
    }

    /// A run of `+-` as its commands one by one would leave it: merged into an `add` at
    /// offset 0 that ends the list, else a new op (a lone command's delta unwrapped).
    private static func add(_ run: Run, _ loc: SourceLoc, _ ops: inout [BFOp], _ context: BFPassContext) {
        if case .add(0, let d, let first)? = ops.last {
            ops[ops.count - 1] = .add(offset: 0, delta: context.wrap(d + run.sum), loc: first)
        } else {
            ops.append(.add(offset: 0, delta: run.length == 1 ? run.sum : context.wrap(run.sum), loc: loc))
        }
    }

    /// A run of `<>`, begun at `loc` and continuing a move that began at `carriedLoc`, as its
    /// commands one by one would leave it: a move that reaches 0 disappears, and the next
    /// command starts a new one at its own position.
    private static func move(_ run: Run, _ carriedLoc: SourceLoc, _ loc: SourceLoc, _ ops: inout [BFOp]) {
        guard run.sum != 0 else { return }
        let start = run.lastZero.map { SourceLoc(line: Int(loc.line), column: Int(loc.column) + $0 + 1 - run.start) } ?? carriedLoc
        ops.append(.move(run.sum, loc: start))
    }
}
