import JitIR

/// One of the six Brainfuck commands that are not brackets.
public enum BFCommand: UInt8, Sendable, Hashable, CaseIterable {
    case increment = 0x2B  // +
    case decrement = 0x2D  // -
    case left = 0x3C       // <
    case right = 0x3E      // >
    case output = 0x2E     // .
    case input = 0x2C      // ,

    public var character: Character { Character(Unicode.Scalar(rawValue)) }
}

/// The parse tree of a Brainfuck program: commands and bracketed loops, each
/// with the position of its source character(s). Comments are gone.
public enum BFNode: Sendable, Hashable {
    case command(BFCommand, SourceLoc)
    /// `[ body ]`; `open` is the `[`, `close` the matching `]`.
    case loop(body: [BFNode], open: SourceLoc, close: SourceLoc)
}
