/// Reads the IR text form (docs/IR.md, "Text form") into a `Module`.
///
/// The parser checks syntax and what it needs to build the value: declared
/// register types, block labels, `!line:col` ranges. Everything else —
/// operand types, call targets, register ranges — is the verifier's job, so
/// that invalid modules can be written as text too. Errors carry the
/// line:col of the offending token in the text.
struct IRParser {
    let file: String
    private let tokens: [IRToken]
    private var position = 0
    /// The register types of the function being parsed, once its declarations are read.
    var registerTypes: [IntType] = []
    /// Whether a function, instruction or terminator without `!line:col` gets its own position
    /// in the text. Turned off by a `source` line: positions then refer to that other file.
    var positionsFromText: Bool

    init(tokens: [IRToken], file: String, positionsFromText: Bool = false) {
        self.tokens = tokens
        self.file = file
        self.positionsFromText = positionsFromText
    }

    static func parse(_ text: String, file: String, positionsFromText: Bool = false) throws(SourceError) -> Module {
        var p = IRParser(tokens: try IRLexer.tokenize(text, file: file), file: file,
                         positionsFromText: positionsFromText)
        return try p.module()
    }

    // MARK: Module

    private mutating func module() throws(SourceError) -> Module {
        var sourceFile: String?
        var memorySize: Int?
        var guardBytes: Int?
        var functions: [Function] = []
        skipNewlines()
        while peek.kind != .endOfFile {
            let t = peek
            switch t.kind {
            case .identifier("source"):
                advance()
                guard sourceFile == nil else { throw error(t.loc, "'source' is given twice") }
                guard case .string(let s) = peek.kind else { throw unexpected("a quoted file name after 'source'") }
                advance()
                sourceFile = s
                positionsFromText = false
                try endOfLine(after: "the source file name")
            case .identifier("memory"):
                advance()
                guard memorySize == nil else { throw error(t.loc, "'memory' is given twice") }
                memorySize = Int(try integer("the memory size in bytes after 'memory'"))
                try endOfLine(after: "the memory size")
            case .identifier("guard"):
                advance()
                guard guardBytes == nil else { throw error(t.loc, "'guard' is given twice") }
                guardBytes = Int(try integer("the guard size in bytes after 'guard'"))
                try endOfLine(after: "the guard size")
            case .identifier("func"):
                functions.append(try function())
            default:
                throw unexpected("'source', 'memory', 'guard' or 'func'")
            }
            skipNewlines()
        }
        return Module(sourceFile: sourceFile ?? file, memorySize: memorySize ?? 0, guardBytes: guardBytes ?? 0,
                      functions: functions)
    }

    // MARK: Tokens

    var peek: IRToken { tokens[position] }

    func peek(_ ahead: Int) -> IRToken { tokens[min(position + ahead, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> IRToken {
        let t = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    func error(_ loc: SourceLoc, _ message: String) -> SourceError {
        SourceError(file: file, loc: loc, message: message)
    }

    /// "expected `what`, found <the next token>" at the next token.
    func unexpected(_ what: String) -> SourceError {
        error(peek.loc, "expected \(what), found \(peek.description)")
    }

    func isSymbol(_ s: String) -> Bool { peek.kind == .symbol(s) }

    func isIdentifier(_ s: String) -> Bool { peek.kind == .identifier(s) }

    var atEndOfLine: Bool { peek.kind == .newline || peek.kind == .endOfFile }

    mutating func expect(_ symbol: String, _ context: String) throws(SourceError) {
        guard isSymbol(symbol) else { throw unexpected("'\(symbol)' \(context)") }
        advance()
    }

    mutating func endOfLine(after what: String) throws(SourceError) {
        guard atEndOfLine else { throw unexpected("end of line after \(what)") }
        advance()
    }

    mutating func skipNewlines() {
        while peek.kind == .newline { advance() }
    }

    // MARK: Small pieces

    /// An integer literal that fits in 64 bits.
    mutating func integer(_ what: String) throws(SourceError) -> Int64 {
        guard case .integer(let negative, let magnitude) = peek.kind else { throw unexpected(what) }
        let t = advance()
        guard let v = Self.signed(negative: negative, magnitude: magnitude) else {
            throw error(t.loc, "\(t.description) does not fit in 64 bits")
        }
        return v
    }

    static func signed(negative: Bool, magnitude: UInt64) -> Int64? {
        if !negative { return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil }
        if magnitude == UInt64(Int64.max) + 1 { return .min }
        return magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil
    }

    mutating func type(_ what: String) throws(SourceError) -> IntType {
        guard case .identifier(let s) = peek.kind, let t = IntType(rawValue: s) else {
            throw unexpected("a type (i1, i8, i16, i32 or i64) \(what)")
        }
        advance()
        return t
    }

    /// A type if the next token is one.
    mutating func optionalType() -> (IntType, SourceLoc)? {
        guard case .identifier(let s) = peek.kind, let t = IntType(rawValue: s) else { return nil }
        return (t, advance().loc)
    }

    mutating func operand() throws(SourceError) -> Operand {
        switch peek.kind {
        case .register(let r):
            advance()
            return .reg(Var(r))
        case .integer:
            return .imm(try integer("an operand"))
        default:
            throw unexpected("an operand (a register like '%0' or an integer)")
        }
    }

    /// `!line:col` if present, else `SourceLoc.unknown`.
    /// The `!line:col` that follows, or else `textLoc` when positions come from the text.
    mutating func optionalLoc(textLoc: SourceLoc) throws(SourceError) -> SourceLoc {
        guard isSymbol("!") else { return positionsFromText ? textLoc : .unknown }
        return try optionalLoc()
    }

    mutating func optionalLoc() throws(SourceError) -> SourceLoc {
        guard isSymbol("!") else { return .unknown }
        advance()
        let line = try locComponent("a line number after '!'")
        try expect(":", "between line and column in '!line:col'")
        let column = try locComponent("a column number after '!line:'")
        return SourceLoc(line: line, column: column)
    }

    private mutating func locComponent(_ what: String) throws(SourceError) -> Int {
        let at = peek.loc
        let v = try integer(what)
        guard let n = Int32(exactly: v) else { throw error(at, "\(v) does not fit in a 32-bit source position") }
        return Int(n)
    }

    mutating func trapKind(_ context: String) throws(SourceError) -> TrapKind {
        guard case .identifier(let s) = peek.kind, let k = TrapKind(rawValue: s) else {
            let kinds = TrapKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw unexpected("a trap kind \(context) (one of \(kinds))")
        }
        advance()
        return k
    }
}
