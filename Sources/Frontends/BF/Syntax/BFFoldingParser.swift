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
        for byte in source {
            let loc = SourceLoc(line: line, column: column)
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
                continue
            }
            column += 1
            switch byte {
            case UInt8(ascii: "+"): add(1, loc, &ops, context)
            case UInt8(ascii: "-"): add(-1, loc, &ops, context)
            case UInt8(ascii: ">"): move(1, loc, &ops, folding: context != nil)
            case UInt8(ascii: "<"): move(-1, loc, &ops, folding: context != nil)
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

    // The same merges as `RunLengthFolding`, applied as each command arrives.

    private static func add(_ delta: Int, _ loc: SourceLoc, _ ops: inout [BFOp], _ context: BFPassContext?) {
        if let context, case .add(0, let d, let first)? = ops.last {
            ops[ops.count - 1] = .add(offset: 0, delta: context.wrap(d + delta), loc: first)
        } else {
            ops.append(.add(offset: 0, delta: delta, loc: loc))
        }
    }

    private static func move(_ cells: Int, _ loc: SourceLoc, _ ops: inout [BFOp], folding: Bool) {
        if folding, case .move(let n, let first)? = ops.last {
            if n + cells == 0 { ops.removeLast() } else { ops[ops.count - 1] = .move(n + cells, loc: first) }
        } else {
            ops.append(.move(cells, loc: loc))
        }
    }
}
