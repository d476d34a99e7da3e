import JitIR

/// A `; keyword: rest` comment line of a corpus program.
struct Directive {
    var keyword: String
    var file: String
    var line: Int
    /// The column (1-based) where the text after `keyword:` starts.
    var column: Int
    var scanner: DirectiveScanner

    func error(_ message: String) -> SourceError {
        SourceError(file: file, loc: SourceLoc(line: line, column: column + scanner.offset), message: message)
    }
}

/// Finds directives in comment lines. Only `run`, `input`, `output` and `trap`
/// are directives; any other comment is prose.
struct DirectiveReader {
    let file: String
    static let keywords: Set<String> = ["run", "input", "output", "trap"]

    init(file: String) { self.file = file }

    func read(_ line: String, line number: Int) throws -> Directive? {
        let chars = Array(line.unicodeScalars)
        var i = 0
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        guard i < chars.count, chars[i] == ";" else { return nil }
        i += 1
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        var keyword = ""
        while i < chars.count, chars[i].properties.isAlphabetic { keyword.unicodeScalars.append(chars[i]); i += 1 }
        guard Self.keywords.contains(keyword), i < chars.count, chars[i] == ":" else { return nil }
        i += 1
        return Directive(keyword: keyword, file: file, line: number, column: i + 1,
                         scanner: DirectiveScanner(Array(chars[i...])))
    }
}

/// A cursor over the text of one directive; blanks between items are skipped.
struct DirectiveScanner {
    private let chars: [Unicode.Scalar]
    private(set) var offset = 0

    init(_ chars: [Unicode.Scalar]) { self.chars = chars }

    private mutating func blanks() {
        while offset < chars.count, chars[offset] == " " || chars[offset] == "\t" { offset += 1 }
    }

    var atEnd: Bool {
        mutating get {
            blanks()
            return offset == chars.count
        }
    }

    /// Consumes `token` if it comes next.
    mutating func skip(_ token: String) -> Bool {
        blanks()
        let t = Array(token.unicodeScalars)
        guard offset + t.count <= chars.count, Array(chars[offset..<offset + t.count]) == t else { return false }
        offset += t.count
        return true
    }

    mutating func identifier() -> String? {
        blanks()
        var s = ""
        while offset < chars.count, chars[offset] == "_" || chars[offset] == "." || chars[offset].properties.isAlphabetic
                || (s.count > 0 && ("0"..."9").contains(chars[offset])) {
            s.unicodeScalars.append(chars[offset])
            offset += 1
        }
        return s.isEmpty ? nil : s
    }

    /// A word that is not followed by more identifier characters.
    mutating func keyword(_ word: String) -> Bool {
        let start = offset
        if identifier() == word { return true }
        offset = start
        return false
    }

    /// A signed decimal integer that fits in 64 bits.
    mutating func integer() -> Int64? {
        blanks()
        var s = ""
        if offset < chars.count, chars[offset] == "-" { s = "-"; offset += 1 }
        while offset < chars.count, ("0"..."9").contains(chars[offset]) {
            s.unicodeScalars.append(chars[offset])
            offset += 1
        }
        return Int64(s)
    }

    /// `"…"` with `\n`, `\t`, `\r`, `\\`, `\"` and `\xNN`; other characters as their UTF-8 bytes.
    mutating func byteString() -> [UInt8]? {
        guard skip("\"") else { return nil }
        var bytes: [UInt8] = []
        while offset < chars.count {
            let c = chars[offset]
            offset += 1
            if c == "\"" { return bytes }
            guard c == "\\" else {
                bytes += Array(String(c).utf8)
                continue
            }
            guard offset < chars.count else { return nil }
            let e = chars[offset]
            offset += 1
            switch e {
            case "n": bytes.append(10)
            case "t": bytes.append(9)
            case "r": bytes.append(13)
            case "\\": bytes.append(92)
            case "\"": bytes.append(34)
            case "x":
                guard offset + 2 <= chars.count,
                      let b = UInt8(String(String.UnicodeScalarView(chars[offset..<offset + 2])), radix: 16)
                else { return nil }
                bytes.append(b)
                offset += 2
            default:
                return nil
            }
        }
        return nil
    }
}
