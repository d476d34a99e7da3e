import JitIR

extension BytecodeFrontend {
    /// Parses a call such as `f(1, -2)` or `main()`: a function name and
    /// integer arguments (Python literal syntax, `True`/`False` included).
    /// - Throws: `SourceError` in file `<call>` at the 1-based column of the problem.
    public static func parseCall(_ s: String) throws -> (name: String, args: [Int64]) {
        let chars = Array(s)
        var i = 0
        func error(_ message: String) -> SourceError {
            SourceError(file: "<call>", loc: SourceLoc(line: 1, column: i + 1), message: message)
        }
        func skipSpaces() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }
        func isNameCharacter(_ c: Character, first: Bool) -> Bool {
            guard let u = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return false }
            return SBCParser.isIdentifierStart(u) || (!first && ("0"..."9").contains(u))
        }
        skipSpaces()
        let nameStart = i
        while i < chars.count, isNameCharacter(chars[i], first: i == nameStart) { i += 1 }
        guard i > nameStart else { throw error("expected a function name, as in f(1, -2)") }
        let name = String(chars[nameStart..<i])
        skipSpaces()
        guard i < chars.count, chars[i] == "(" else { throw error("expected '(' after '\(name)'") }
        i += 1
        var args: [Int64] = []
        skipSpaces()
        if i < chars.count, chars[i] == ")" {
            i += 1
        } else {
            while true {
                skipSpaces()
                let start = i
                while i < chars.count, !" \t,)".contains(chars[i]) { i += 1 }
                let text = String(chars[start..<i])
                switch IntegerLiteral.parse(text) {
                case .value(let v):
                    args.append(v)
                case .outOfRange:
                    i = start
                    throw error("argument \(text) does not fit in 64 bits")
                case .invalid:
                    i = start
                    throw error(text.isEmpty ? "expected an integer argument" : "expected an integer argument, found '\(text)'")
                }
                skipSpaces()
                guard i < chars.count else { throw error("expected ',' or ')'") }
                i += 1
                if chars[i - 1] == ")" { break }
                guard chars[i - 1] == "," else { i -= 1; throw error("expected ',' or ')'") }
            }
        }
        skipSpaces()
        guard i == chars.count else { throw error("unexpected text after the call") }
        return (name, args)
    }
}
