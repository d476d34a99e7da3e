/// A block whose branch targets are still names: labels may be used before they are defined.
private struct PendingBlock {
    var label: String
    var labelLoc: SourceLoc
    var instructions: [Instruction] = []
    var terminator: PendingTerminator?
    var terminatorLoc: SourceLoc = .unknown
}

enum BlockTarget {
    case label(String, SourceLoc)
    case index(Int)
}

enum PendingTerminator {
    case jump(BlockTarget)
    case branch(Operand, BlockTarget, BlockTarget)
    case ret(Operand?)
    case trap(TrapKind)
}

/// The register types a function declares in its parameter list and `regs` lines.
private struct RegisterDeclarations {
    private var types: [Int: (type: IntType, loc: SourceLoc, parameter: Bool)] = [:]

    mutating func declare(_ r: Int, _ t: IntType, at loc: SourceLoc, parameter: Bool,
                          file: String) throws(SourceError) {
        if let old = types[r] {
            // A parameter list may name a register twice (the verifier rejects that);
            // a `regs` line may not repeat a declaration.
            if parameter && old.parameter && old.type == t { return }
            throw SourceError(file: file, loc: loc,
                              message: "%\(r) is already declared as \(old.type) at \(old.loc)")
        }
        types[r] = (t, loc, parameter)
    }

    /// The types of `%0 ..< %n`; every one must be declared.
    func dense(file: String) throws(SourceError) -> [IntType] {
        let n = types.count
        if let (highest, decl) = types.max(by: { $0.key < $1.key }), highest >= n {
            let missing = (0..<n).first { types[$0] == nil } ?? n
            throw SourceError(file: file, loc: decl.loc,
                              message: "%\(highest) is declared but %\(missing) is not: registers are numbered from %0 without gaps")
        }
        return (0..<n).map { types[$0]!.type }
    }
}

extension IRParser {
    /// `func @name(params) [-> T] [!l:c] { regs… blocks… }`
    mutating func function() throws(SourceError) -> Function {
        let header = advance().loc  // 'func'
        guard case .global(let name) = peek.kind else { throw unexpected("a function name like '@main' after 'func'") }
        advance()
        try expect("(", "after the function name")
        var declarations = RegisterDeclarations()
        var parameters: [Var] = []
        if !isSymbol(")") {
            while true {
                guard case .register(let r) = peek.kind else { throw unexpected("a parameter register like '%0'") }
                let at = advance().loc
                parameters.append(Var(r))
                if isSymbol(":") {
                    advance()
                    let t = try type("after '%\(r):'")
                    try declarations.declare(r, t, at: at, parameter: true, file: file)
                }
                guard isSymbol(",") else { break }
                advance()
            }
        }
        try expect(")", "after the parameters")
        var result: IntType?
        if isSymbol("->") {
            advance()
            result = try type("after '->'")
        }
        let loc = try optionalLoc(textLoc: header)
        try expect("{", "to open the body of @\(IRSyntax.name(name))")
        try endOfLine(after: "'{'")

        skipNewlines()
        while isIdentifier("regs") && peek(1).kind != .symbol(":") {
            advance()
            while true {
                guard case .register(let r) = peek.kind else { throw unexpected("a register declaration like '%3: i64'") }
                let at = advance().loc
                try expect(":", "after '%\(r)' in a 'regs' line")
                let t = try type("after '%\(r):'")
                try declarations.declare(r, t, at: at, parameter: false, file: file)
                guard isSymbol(",") else { break }
                advance()
            }
            try endOfLine(after: "the register declarations")
            skipNewlines()
        }
        registerTypes = try declarations.dense(file: file)

        let blocks = try resolve(try blockList(of: name), in: name)
        return Function(name: name, registerTypes: registerTypes, parameters: parameters, resultType: result,
                        blocks: blocks, loc: loc)
    }

    /// Blocks up to and including the closing `}`.
    private mutating func blockList(of name: String) throws(SourceError) -> [PendingBlock] {
        var blocks: [PendingBlock] = []
        func unterminated(_ before: String, at loc: SourceLoc) -> SourceError? {
            guard let last = blocks.last, last.terminator == nil else { return nil }
            return error(loc, "block '\(last.label)' has no terminator (jump, br, ret or trap) before \(before)")
        }
        while true {
            skipNewlines()
            let t = peek
            switch t.kind {
            case .symbol("}"):
                if let e = unterminated("'}'", at: t.loc) { throw e }
                advance()
                try endOfLine(after: "'}'")
                return blocks
            case .endOfFile:
                throw error(t.loc, "missing '}' to close function @\(IRSyntax.name(name))")
            case .identifier(let l) where peek(1).kind == .symbol(":"),
                 .string(let l) where peek(1).kind == .symbol(":"):
                if let e = unterminated("label '\(l)'", at: t.loc) { throw e }
                advance()
                advance()
                try endOfLine(after: "the label '\(l):'")
                blocks.append(PendingBlock(label: l, labelLoc: t.loc))
            case .identifier("func"):
                throw error(t.loc, "missing '}' to close function @\(IRSyntax.name(name)) before the next 'func'")
            default:
                guard let current = blocks.last else {
                    throw error(t.loc, "expected a block label like 'entry:' before the first instruction")
                }
                if current.terminator != nil {
                    throw error(t.loc, "instruction after the terminator of block '\(current.label)'; start a new block with a label")
                }
                if isIdentifier("regs") {
                    throw error(t.loc, "'regs' lines must come before the first block")
                }
                if let term = try terminatorIfAny() {
                    let loc = try optionalLoc(textLoc: t.loc)
                    blocks[blocks.count - 1].terminator = term
                    blocks[blocks.count - 1].terminatorLoc = loc
                } else {
                    let op = try instruction()
                    blocks[blocks.count - 1].instructions.append(Instruction(op, loc: try optionalLoc(textLoc: t.loc)))
                }
                try endOfLine(after: "the instruction")
            }
        }
    }

    /// Turns label references into block indices.
    private func resolve(_ pending: [PendingBlock], in name: String) throws(SourceError) -> [Block] {
        var indices: [String: [Int]] = [:]
        for (i, b) in pending.enumerated() { indices[b.label, default: []].append(i) }
        func ref(_ t: BlockTarget) throws(SourceError) -> BlockRef {
            switch t {
            case .index(let i):
                return BlockRef(i)
            case .label(let l, let loc):
                guard let found = indices[l] else {
                    throw error(loc, "no block is labelled '\(l)' in @\(IRSyntax.name(name))")
                }
                guard found.count == 1 else {
                    throw error(loc, "label '\(l)' names \(found.count) blocks in @\(IRSyntax.name(name)); refer to one as #\(found[0])")
                }
                return BlockRef(found[0])
            }
        }
        var blocks: [Block] = []
        blocks.reserveCapacity(pending.count)
        for p in pending {
            let t: Terminator
            switch p.terminator! {
            case .jump(let a): t = .jump(try ref(a))
            case .branch(let c, let a, let b): t = .branch(cond: c, ifTrue: try ref(a), ifFalse: try ref(b))
            case .ret(let v): t = .ret(v)
            case .trap(let k): t = .trap(k)
            }
            blocks.append(Block(label: p.label, instructions: p.instructions, terminator: t, terminatorLoc: p.terminatorLoc))
        }
        return blocks
    }
}
