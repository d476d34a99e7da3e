/// A position in the program's source file: 1-based line and column.
/// `SourceLoc.unknown` (0:0) marks code that no source character produced.
public struct SourceLoc: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int32
    public var column: Int32

    public init(line: Int, column: Int) {
        self.line = Int32(clamping: line)
        self.column = Int32(clamping: column)
    }

    public static let unknown = SourceLoc(line: 0, column: 0)

    public var isKnown: Bool { line > 0 }

    public var description: String { "\(line):\(column)" }

    public static func < (a: SourceLoc, b: SourceLoc) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A diagnostic that belongs to a place in a file: the one error shape every
/// stage (IR parser, verifier, frontends) reports. Prints as `file:line:col: error: message`.
public struct SourceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var loc: SourceLoc
    public var message: String

    public init(file: String, loc: SourceLoc, message: String) {
        self.file = file
        self.loc = loc
        self.message = message
    }

    public var description: String {
        if loc.isKnown { return "\(file):\(loc.line):\(loc.column): error: \(message)" }
        return "\(file): error: \(message)"
    }
}
