/// A token of the IR text form, with the line:col (in the text) where it starts.
struct IRToken: Sendable {
    enum Kind: Sendable, Equatable {
        case newline
        case endOfFile
        /// `[A-Za-z_.][A-Za-z0-9_.]*`: keywords, mnemonics, types, labels.
        case identifier(String)
        /// An integer literal, kept as sign and magnitude so that every
        /// context can check its own range (`-9223372036854775808` included).
        case integer(negative: Bool, magnitude: UInt64)
        case string(String)
        /// `%N`
        case register(Int)
        /// `@name` or `@"name"`
        case global(String)
        /// `#N`, a block by index.
        case blockIndex(Int)
        /// `( ) { } [ ] , : = + - ! ->`
        case symbol(String)
    }

    var kind: Kind
    var loc: SourceLoc

    /// How the token is named in "expected …, found …" messages.
    var description: String {
        switch kind {
        case .newline: "end of line"
        case .endOfFile: "end of file"
        case .identifier(let s): "'\(s)'"
        case .integer(let n, let m): "integer \(n ? "-" : "")\(m)"
        case .string(let s): "string \(IRSyntax.quoted(s))"
        case .register(let r): "'%\(r)'"
        case .global(let g): "'@\(IRSyntax.name(g))'"
        case .blockIndex(let b): "'#\(b)'"
        case .symbol(let s): "'\(s)'"
        }
    }
}

/// Splits IR text into tokens. Comments run from `;` to the end of the line.
/// Columns count Unicode scalars, starting at 1.
struct IRLexer {
    private let text: [Unicode.Scalar]
    private let file: String
    private var position = 0
    private var line = 1
    private var lineStart = 0

    init(_ text: String, file: String) {
        self.text = Array(text.unicodeScalars)
        self.file = file
    }

    static func tokenize(_ text: String, file: String) throws(SourceError) -> [IRToken] {
        var lexer = IRLexer(text, file: file)
        var tokens: [IRToken] = []
        while true {
            let t = try lexer.next()
            tokens.append(t)
            if t.kind == .endOfFile { return tokens }
        }
    }

    private var here: SourceLoc { SourceLoc(line: line, column: position - lineStart + 1) }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        position + ahead < text.count ? text[position + ahead] : nil
    }

    private func error(_ loc: SourceLoc, _ message: String) -> SourceError {
        SourceError(file: file, loc: loc, message: message)
    }

    private mutating func next() throws(SourceError) -> IRToken {
        // Skip blanks and comments, but not newlines: the grammar is line-based.
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" {
                position += 1
            } else if c == ";" {
                while let d = peek(), d != "\n" { position += 1 }
            } else {
                break
            }
        }
        let start = here
        guard let c = peek() else { return IRToken(kind: .endOfFile, loc: start) }
        position += 1

        switch c {
        case "\n":
            line += 1
            lineStart = position
            return IRToken(kind: .newline, loc: start)
        case "%":
            return IRToken(kind: .register(try index(after: "%", at: start)), loc: start)
        case "#":
            return IRToken(kind: .blockIndex(try index(after: "#", at: start)), loc: start)
        case "@":
            if peek() == "\"" {
                position += 1
                return IRToken(kind: .global(try string(at: start)), loc: start)
            }
            guard let d = peek(), IRSyntax.isIdentifierStart(d) else {
                throw error(start, "expected a function name after '@'")
            }
            return IRToken(kind: .global(identifier()), loc: start)
        case "\"":
            return IRToken(kind: .string(try string(at: start)), loc: start)
        case "-":
            if peek() == ">" {
                position += 1
                return IRToken(kind: .symbol("->"), loc: start)
            }
            if let d = peek(), IRSyntax.isDigit(d) {
                return IRToken(kind: .integer(negative: true, magnitude: try digits(at: start)), loc: start)
            }
            return IRToken(kind: .symbol("-"), loc: start)
        case "(", ")", "{", "}", "[", "]", ",", ":", "=", "+", "!":
            return IRToken(kind: .symbol(String(c)), loc: start)
        default:
            if IRSyntax.isDigit(c) {
                position -= 1
                return IRToken(kind: .integer(negative: false, magnitude: try digits(at: start)), loc: start)
            }
            if IRSyntax.isIdentifierStart(c) {
                position -= 1
                return IRToken(kind: .identifier(identifier()), loc: start)
            }
            throw error(start, "unexpected character '\(c.escaped(asASCII: true))'")
        }
    }

    private mutating func identifier() -> String {
        var s = String.UnicodeScalarView()
        while let c = peek(), IRSyntax.isIdentifierContinue(c) {
            s.append(c)
            position += 1
        }
        return String(s)
    }

    /// Decimal digits as an unsigned magnitude.
    private mutating func digits(at start: SourceLoc) throws(SourceError) -> UInt64 {
        var value: UInt64 = 0
        while let c = peek(), IRSyntax.isDigit(c) {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(c.value - 48))
            if o1 || o2 { throw error(start, "integer literal is too large") }
            value = sum
            position += 1
        }
        if let c = peek(), IRSyntax.isIdentifierStart(c) {
            throw error(here, "unexpected character '\(c)' in a number")
        }
        return value
    }

    /// The number after `%` or `#`.
    private mutating func index(after sigil: String, at start: SourceLoc) throws(SourceError) -> Int {
        guard let c = peek(), IRSyntax.isDigit(c) else {
            throw error(start, sigil == "%" ? "expected a register number after '%'" : "expected a block number after '#'")
        }
        let v = try digits(at: start)
        guard v <= UInt64(Int32.max) else { throw error(start, "\(sigil)\(v) is too large") }
        return Int(v)
    }

    /// The body of a string literal; the opening quote is already consumed.
    private mutating func string(at start: SourceLoc) throws(SourceError) -> String {
        var s = String.UnicodeScalarView()
        while true {
            guard let c = peek(), c != "\n" else { throw error(start, "unterminated string literal") }
            position += 1
            if c == "\"" { return String(s) }
            guard c == "\\" else {
                s.append(c)
                continue
            }
            let escapeLoc = SourceLoc(line: line, column: position - lineStart)
            guard let e = peek() else { throw error(start, "unterminated string literal") }
            position += 1
            switch e {
            case "\"": s.append("\"")
            case "\\": s.append("\\")
            case "n": s.append("\n")
            case "t": s.append("\t")
            case "r": s.append("\r")
            case "u":
                guard peek() == "{" else { throw error(escapeLoc, "expected '{' after '\\u'") }
                position += 1
                var hex = ""
                while let h = peek(), h != "}", h != "\"", h != "\n" {
                    hex.unicodeScalars.append(h)
                    position += 1
                }
                guard peek() == "}" else { throw error(escapeLoc, "expected '}' to close '\\u{'") }
                position += 1
                guard (1...8).contains(hex.count), hex.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit),
                      let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                    throw error(escapeLoc, "'\\u{\(hex)}' is not a Unicode scalar value")
                }
                s.append(scalar)
            default:
                throw error(escapeLoc, "unknown escape '\\\(e)' (use \\\\, \\\", \\n, \\t, \\r or \\u{X})")
            }
        }
    }
}
