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
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard let context else { ops.append(.add(offset: 0, delta: byte == UInt8(ascii: "+") ? 1 : -1, loc: loc)); break }
                let run = foldedRun(source, from: &i, first: byte, plus: UInt8(ascii: "+"), minus: UInt8(ascii: "-"))
                column += run.length - 1
                addRun(run.delta, run.length, loc, &ops, context)
            case UInt8(ascii: ">"), UInt8(ascii: "<"):
                guard context != nil else { ops.append(.move(byte == UInt8(ascii: ">") ? 1 : -1, loc: loc)); break }
                moveRun(source, from: &i, first: byte, loc, &ops, column: &column)
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

    /// The net delta and the length of the run of `plus`/`minus` bytes that starts with
    /// `first`, the byte before `i`; `i` ends after the run.
    private static func foldedRun(_ source: [UInt8], from i: inout Int, first: UInt8,
                                  plus: UInt8, minus: UInt8) -> (delta: Int, length: Int) {
        var delta = first == plus ? 1 : -1
        var length = 1
        while i < source.count {
            let byte = source[i]
            if byte == plus { delta += 1 } else if byte == minus { delta -= 1 } else { break }
            length += 1
            i += 1
        }
        return (delta, length)
    }

    /// A run of `+-` as its commands one by one would leave it: merged into an `add` at
    /// offset 0 that ends the list, else a new op (a lone command's delta unwrapped).
    private static func addRun(_ delta: Int, _ length: Int, _ loc: SourceLoc, _ ops: inout [BFOp], _ context: BFPassContext) {
        if case .add(0, let d, let first)? = ops.last {
            ops[ops.count - 1] = .add(offset: 0, delta: context.wrap(d + delta), loc: first)
        } else {
            ops.append(.add(offset: 0, delta: length == 1 ? delta : context.wrap(delta), loc: loc))
        }
    }

    /// Folds the run of `<>` that starts with `first`, the byte before `i`, as its commands
    /// one by one would: a move that reaches 0 disappears, and the next command starts a
    /// new one at its own position.
    private static func moveRun(_ source: [UInt8], from i: inout Int, first: UInt8, _ loc: SourceLoc,
                                _ ops: inout [BFOp], column: inout Int) {
        var start = loc
        var cells = 0
        if case .move(let n, let at)? = ops.last {
            ops.removeLast()
            (cells, start) = (n, at)
        }
        let firstIndex = i - 1
        var lastZero = -1  // the index of the last command that brought the move to 0
        var k = firstIndex
        source.withUnsafeBufferPointer { bytes in
            while k < bytes.count {
                let byte = bytes[k]
                if byte == UInt8(ascii: ">") { cells += 1 } else if byte == UInt8(ascii: "<") { cells -= 1 } else { break }
                if cells == 0 { lastZero = k }
                k += 1
            }
        }
        column += k - i
        i = k
        guard cells != 0 else { return }
        if lastZero >= 0 { start = SourceLoc(line: Int(loc.line), column: Int(loc.column) + lastZero + 1 - firstIndex) }
        ops.append(.move(cells, loc: start))
    }
}
