import JitIR

/// Turns Brainfuck source bytes into a tree of `BFNode`s.
///
/// Every byte other than `+-<>[].,` is a comment, so any file (empty or binary)
/// parses as long as its brackets match. Lines are separated by `\n`; columns
/// count bytes from 1.
public enum BFParser {
    /// Loops nested deeper than this are rejected: the passes walk loops recursively.
    public static let maximumNesting = 4096

    /// Parses `source`; an unmatched bracket is a `SourceError` at that bracket.
    /// With several unmatched `[`, the first one in the file is reported.
    public static func parse(_ source: [UInt8], file: String) throws(SourceError) -> [BFNode] {
        // Open loops, innermost last: the `[` position and the nodes parsed so far.
        var stack: [(open: SourceLoc, nodes: [BFNode])] = []
        var nodes: [BFNode] = []
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
            case UInt8(ascii: "["):
                if stack.count >= maximumNesting {
                    throw SourceError(file: file, loc: loc,
                                      message: "loops nested more than \(maximumNesting) deep")
                }
                stack.append((loc, nodes))
                nodes = []
            case UInt8(ascii: "]"):
                guard let (open, outer) = stack.popLast() else {
                    throw SourceError(file: file, loc: loc, message: "unmatched ']'")
                }
                let loop = BFNode.loop(body: nodes, open: open, close: loc)
                nodes = outer
                nodes.append(loop)
            default:
                if let command = BFCommand(rawValue: byte) { nodes.append(.command(command, loc)) }
            }
        }
        if let first = stack.first {
            throw SourceError(file: file, loc: first.open, message: "unmatched '['")
        }
        return nodes
    }
}
