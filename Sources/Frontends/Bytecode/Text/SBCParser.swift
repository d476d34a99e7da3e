import JitIR

/// Reads the `.sbc` text format (docs/bytecode.md): an optional `.sbc 1`
/// header, then functions introduced by `def name(params):`, each a list of
/// labelled instructions, one per line, `#` starting a comment.
struct SBCParser {
    let file: String

    private struct Word {
        var text: Substring
        var column: Int
    }

    /// A function being read: jumps refer to labels by name until the end.
    private struct PendingFunction {
        var function: BytecodeFunction
        var labels: [String: (index: Int, loc: SourceLoc)] = [:]
        var jumps: [(instruction: Int, label: String, loc: SourceLoc)] = []
        var unplacedLabels: [(name: String, loc: SourceLoc)] = []
    }

    func parse(_ text: String) throws -> BytecodeModule {
        var module = BytecodeModule(sourceFile: file)
        var current: PendingFunction?
        var sawContent = false
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            if line.last == "\r" { line = line.dropLast() }
            var words = Self.words(line)
            guard let first = words.first else { continue }
            let loc = SourceLoc(line: lineNumber, column: first.column)

            if first.text.hasPrefix(".") {
                guard first.text == ".sbc" else { throw error(loc, "unknown directive '\(first.text)' (the only one is .sbc VERSION)") }
                if sawContent { throw error(loc, ".sbc must come before the first function") }
                try checkVersion(words, loc)
                sawContent = true
                continue
            }
            sawContent = true
            if first.text == "def" {
                if let f = current { module.functions.append(try finish(f)) }
                current = try header(line, lineNumber, module: module)
                continue
            }
            // `label:` at the start of a line, optionally followed by an instruction.
            if first.text.hasSuffix(":") {
                let name = first.text.dropLast()
                guard Self.isIdentifier(name) else { throw error(loc, "'\(first.text)' is not a valid label (labels are identifiers followed by ':')") }
                guard current != nil else { throw error(loc, "label '\(name)' outside a function (start one with `def name(params):`)") }
                if let previous = current!.labels[String(name)] {
                    throw error(loc, "label '\(name)' is defined twice (first at line \(previous.loc.line))")
                }
                current!.labels[String(name)] = (current!.function.instructions.count, loc)
                current!.unplacedLabels.append((String(name), loc))
                words.removeFirst()
                if words.isEmpty { continue }
            }
            guard current != nil else {
                throw error(loc, "instruction outside a function (start one with `def name(params):`)")
            }
            try instruction(words, lineNumber, into: &current!)
        }
        if let f = current { module.functions.append(try finish(f)) }
        return module
    }

    private func checkVersion(_ words: [Word], _ loc: SourceLoc) throws {
        guard words.count == 2 else { throw error(loc, "expected `.sbc \(BytecodeModule.formatVersion)`") }
        let v = words[1]
        guard v.text == String(BytecodeModule.formatVersion) else {
            throw error(SourceLoc(line: Int(loc.line), column: v.column),
                        "unsupported .sbc version '\(v.text)' (this jitctl reads version \(BytecodeModule.formatVersion))")
        }
    }

    // MARK: Function headers

    /// `def name(a, b):` (the colon is optional).
    private func header(_ line: Substring, _ lineNumber: Int, module: BytecodeModule) throws -> PendingFunction {
        var scanner = Scanner(text: line, line: lineNumber, file: file)
        scanner.skipSpaces()
        _ = scanner.identifier()  // "def"
        scanner.skipSpaces()
        let nameLoc = scanner.loc
        guard let name = scanner.identifier() else { throw scanner.error("expected a function name after 'def'") }
        if let previous = module.function(named: String(name)) {
            throw error(nameLoc, "function '\(name)' is defined twice (first at line \(previous.loc.line))")
        }
        scanner.skipSpaces()
        guard scanner.consume("(") else { throw scanner.error("expected '(' after the function name") }
        var parameters: [String] = []
        scanner.skipSpaces()
        if !scanner.consume(")") {
            while true {
                scanner.skipSpaces()
                let loc = scanner.loc
                guard let p = scanner.identifier() else { throw scanner.error("expected a parameter name") }
                if parameters.contains(String(p)) { throw error(loc, "parameter '\(p)' appears twice") }
                parameters.append(String(p))
                scanner.skipSpaces()
                if scanner.consume(")") { break }
                guard scanner.consume(",") else { throw scanner.error("expected ',' or ')' in the parameter list") }
            }
        }
        scanner.skipSpaces()
        _ = scanner.consume(":")
        scanner.skipSpaces()
        if !scanner.atEnd { throw scanner.error("unexpected text after the function header") }
        return PendingFunction(function: BytecodeFunction(name: String(name), parameters: parameters, loc: nameLoc))
    }

    // MARK: Instructions

    private func instruction(_ words: [Word], _ lineNumber: Int, into f: inout PendingFunction) throws {
        let head = words[0]
        let loc = SourceLoc(line: lineNumber, column: head.column)
        guard let opcode = Opcode(rawValue: String(head.text)) else {
            throw error(loc, "unknown opcode '\(head.text)'")
        }
        let operands = Array(words.dropFirst())
        func operandLoc(_ k: Int) -> SourceLoc { SourceLoc(line: lineNumber, column: operands[k].column) }
        func expectCount(_ n: Int, _ what: String) throws {
            if operands.count < n { throw error(loc, "\(opcode) expects \(what)") }
            if operands.count > n {
                throw error(operandLoc(n), "unexpected '\(operands[n].text)' after \(opcode)")
            }
        }
        func name(_ k: Int, _ what: String) throws -> String {
            guard Self.isIdentifier(operands[k].text) else { throw error(operandLoc(k), "expected \(what), found '\(operands[k].text)'") }
            return String(operands[k].text)
        }
        func count(_ k: Int, minimum: Int) throws -> Int {
            guard case .value(let v) = IntegerLiteral.parse(operands[k].text), v >= Int64(minimum), v <= 1 << 20 else {
                throw error(operandLoc(k), "\(opcode) expects a count of at least \(minimum), found '\(operands[k].text)'")
            }
            return Int(v)
        }

        let op: BytecodeOp
        switch opcode {
        case .NOP, .POP_TOP, .UNARY_NEGATIVE, .UNARY_INVERT, .UNARY_NOT, .TO_BOOL, .RETURN_VALUE:
            try expectCount(0, "no operand")
            op = switch opcode {
            case .NOP: .nop
            case .POP_TOP: .popTop
            case .UNARY_NEGATIVE: .unaryNegative
            case .UNARY_INVERT: .unaryInvert
            case .UNARY_NOT: .unaryNot
            case .TO_BOOL: .toBool
            default: .returnValue
            }
        case .LOAD_FAST, .STORE_FAST:
            try expectCount(1, "a local variable name")
            let n = try name(0, "a local variable name")
            op = opcode == .LOAD_FAST ? .loadFast(n) : .storeFast(n)
        case .LOAD_CONST:
            try expectCount(1, "an integer")
            switch IntegerLiteral.parse(operands[0].text) {
            case .value(let v): op = .loadConst(v)
            case .outOfRange: throw error(operandLoc(0), "integer constant \(operands[0].text) does not fit in 64 bits")
            case .invalid: throw error(operandLoc(0), "expected an integer, found '\(operands[0].text)'")
            }
        case .COPY:
            try expectCount(1, "a count")
            op = .copy(try count(0, minimum: 1))
        case .SWAP:
            try expectCount(1, "a count")
            op = .swap(try count(0, minimum: 2))
        case .BINARY_OP:
            try expectCount(1, "an operator (one of \(BinaryOperator.allCases.map(\.rawValue).joined(separator: " ")))")
            guard let o = BinaryOperator(rawValue: String(operands[0].text)) else {
                throw error(operandLoc(0), "unknown binary operator '\(operands[0].text)' (expected one of \(BinaryOperator.allCases.map(\.rawValue).joined(separator: " ")))")
            }
            op = .binaryOp(o)
        case .COMPARE_OP:
            try expectCount(1, "a comparison (one of \(ComparisonOperator.allCases.map(\.rawValue).joined(separator: " ")))")
            guard let o = ComparisonOperator(rawValue: String(operands[0].text)) else {
                throw error(operandLoc(0), "unknown comparison '\(operands[0].text)' (expected one of \(ComparisonOperator.allCases.map(\.rawValue).joined(separator: " ")))")
            }
            op = .compareOp(o)
        case .JUMP, .POP_JUMP_IF_FALSE, .POP_JUMP_IF_TRUE, .JUMP_IF_FALSE_OR_POP, .JUMP_IF_TRUE_OR_POP, .FOR_RANGE:
            try expectCount(1, "a label")
            let label = try name(0, "a label")
            f.jumps.append((f.function.instructions.count, label, operandLoc(0)))
            op = switch opcode {
            case .JUMP: .jump(0)
            case .POP_JUMP_IF_FALSE: .popJumpIfFalse(0)
            case .POP_JUMP_IF_TRUE: .popJumpIfTrue(0)
            case .JUMP_IF_FALSE_OR_POP: .jumpIfFalseOrPop(0)
            case .JUMP_IF_TRUE_OR_POP: .jumpIfTrueOrPop(0)
            default: .forRange(0)
            }
        case .CALL:
            try expectCount(2, "a function name and an argument count")
            op = .call(try name(0, "a function name"), argc: try count(1, minimum: 0))
        }
        f.function.instructions.append(BytecodeInstruction(op, loc: loc))
        f.unplacedLabels.removeAll()
    }

    private func finish(_ pending: PendingFunction) throws -> BytecodeFunction {
        var f = pending.function
        if let label = pending.unplacedLabels.first {
            throw error(label.loc, "label '\(label.name)' is not followed by an instruction")
        }
        for (name, place) in pending.labels.sorted(by: { $0.value.loc < $1.value.loc }) where f.labelNames[place.index] == nil {
            f.labelNames[place.index] = name
        }
        for jump in pending.jumps {
            guard let target = pending.labels[jump.label] else {
                throw error(jump.loc, "unknown label '\(jump.label)' in function '\(f.name)'")
            }
            f.instructions[jump.instruction].op = f.instructions[jump.instruction].op.retargeted(target.index)
        }
        return f
    }

    // MARK: Lexical helpers

    private func error(_ loc: SourceLoc, _ message: String) -> SourceError {
        SourceError(file: file, loc: loc, message: message)
    }

    /// The whitespace-separated words of a line with their 1-based columns.
    private static func words(_ line: Substring) -> [Word] {
        var out: [Word] = []
        var column = 1
        var start: Substring.Index?
        var startColumn = 0
        for i in line.indices {
            let c = line[i]
            if c == " " || c == "\t" {
                if let s = start { out.append(Word(text: line[s..<i], column: startColumn)); start = nil }
            } else if start == nil {
                start = i
                startColumn = column
            }
            column += 1
        }
        if let s = start { out.append(Word(text: line[s...], column: startColumn)) }
        return out
    }

    static func isIdentifier<S: StringProtocol>(_ s: S) -> Bool {
        guard let f = s.unicodeScalars.first, isIdentifierStart(f) else { return false }
        return s.unicodeScalars.allSatisfy { isIdentifierStart($0) || ("0"..."9").contains($0) }
    }

    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_"
    }

    /// A cursor over one line, for the punctuation of function headers.
    private struct Scanner {
        let text: Substring
        let line: Int
        let file: String
        var index: Substring.Index
        var column = 1

        init(text: Substring, line: Int, file: String) {
            self.text = text
            self.line = line
            self.file = file
            index = text.startIndex
        }

        var atEnd: Bool { index == text.endIndex }
        var loc: SourceLoc { SourceLoc(line: line, column: column) }

        mutating func skipSpaces() {
            while !atEnd, text[index] == " " || text[index] == "\t" { advance() }
        }

        mutating func advance() {
            index = text.index(after: index)
            column += 1
        }

        mutating func consume(_ c: Character) -> Bool {
            guard !atEnd, text[index] == c else { return false }
            advance()
            return true
        }

        mutating func identifier() -> Substring? {
            let start = index
            while !atEnd, let s = text[index].unicodeScalars.first, text[index].unicodeScalars.count == 1,
                  SBCParser.isIdentifierStart(s) || (index != start && ("0"..."9").contains(s)) {
                advance()
            }
            return start == index ? nil : text[start..<index]
        }

        func error(_ message: String) -> SourceError {
            let found = atEnd ? "end of line" : "'\(text[index])'"
            return SourceError(file: file, loc: loc, message: "\(message), found \(found)")
        }
    }
}
