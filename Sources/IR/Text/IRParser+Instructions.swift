extension IRParser {
    /// A terminator (`jump`, `br`, `ret`, `trap`) if the line starts with one.
    mutating func terminatorIfAny() throws(SourceError) -> PendingTerminator? {
        guard case .identifier(let m) = peek.kind else { return nil }
        switch m {
        case "jump":
            advance()
            return .jump(try target("after 'jump'"))
        case "br":
            advance()
            let c = try operand()
            try expect(",", "after the condition of 'br'")
            let a = try target("for the true side of 'br'")
            try expect(",", "after the first target of 'br'")
            return .branch(c, a, try target("for the false side of 'br'"))
        case "ret":
            advance()
            return .ret(atEndOfLine || isSymbol("!") ? nil : try operand())
        case "trap":
            advance()
            return .trap(try trapKind("after 'trap'"))
        default:
            return nil
        }
    }

    /// A block named by label (bare or quoted) or by `#index`.
    private mutating func target(_ context: String) throws(SourceError) -> BlockTarget {
        let t = peek
        switch t.kind {
        case .identifier(let l), .string(let l):
            advance()
            return .label(l, t.loc)
        case .blockIndex(let i):
            advance()
            return .index(i)
        default:
            throw unexpected("a block label \(context)")
        }
    }

    /// Any instruction that is not a terminator.
    mutating func instruction() throws(SourceError) -> Op {
        let t = peek
        switch t.kind {
        case .register(let r):
            advance()
            try expect("=", "after '%\(r)'")
            return try defining(Var(r))
        case .identifier("store"):
            advance()
            let type = try type("after 'store'")
            let v = try operand()
            try expect(",", "after the stored value")
            let (base, offset) = try address()
            return .store(type: type, value: v, base: base, offset: offset)
        case .identifier("trapif"):
            advance()
            let c = try operand()
            try expect(",", "after the condition of 'trapif'")
            return .trapIf(cond: c, kind: try trapKind("after 'trapif cond,'"))
        case .identifier("call"):
            advance()
            let (callee, args) = try callTail()
            return .call(dst: nil, callee: callee, args: args)
        case .identifier("hostcall"):
            advance()
            let (h, args) = try hostCallTail()
            return .hostCall(h, dst: nil, args: args)
        case .identifier("probe"):
            advance()
            let type = try type("after 'probe'")
            let (base, offset) = try address()
            return .probe(type: type, base: base, offset: offset)
        case .identifier("enter"):
            advance()
            return .enter
        case .identifier("leave"):
            advance()
            return .leave
        case .identifier(let m):
            throw error(t.loc, "unknown instruction '\(m)'")
        default:
            throw unexpected("an instruction, a label or '}'")
        }
    }

    /// The part of `%d = …` after the `=`.
    private mutating func defining(_ d: Var) throws(SourceError) -> Op {
        guard case .identifier(let mnemonic) = peek.kind else { throw unexpected("an operation after '\(d) ='") }
        let at = advance().loc
        let (base, checked) = IRSyntax.splitChecked(mnemonic)
        if let o = BinaryOp(rawValue: base) {
            try annotation(of: d)
            let a = try operand()
            try expect(",", "after the first operand of '\(mnemonic)'")
            return .binary(o, dst: d, lhs: a, rhs: try operand(), checked: checked)
        }
        if let o = UnaryOp(rawValue: base) {
            try annotation(of: d)
            return .unary(o, dst: d, src: try operand(), checked: checked)
        }
        if checked { throw error(at, "'\(IRSyntax.checkedSuffix)' is only written after a binary or unary operation") }
        switch mnemonic {
        case "copy":
            try annotation(of: d)
            return .copy(dst: d, src: try operand())
        case "cmp":
            guard case .identifier(let s) = peek.kind, let p = ComparePredicate(rawValue: s) else {
                let all = ComparePredicate.allCases.map(\.rawValue).joined(separator: ", ")
                throw unexpected("a predicate after 'cmp' (one of \(all))")
            }
            advance()
            let t = try type("of the compared operands after 'cmp \(p.rawValue)'")
            let a = try operand()
            try expect(",", "after the first operand of 'cmp'")
            return .compare(p, type: t, dst: d, lhs: a, rhs: try operand())
        case "select":
            try annotation(of: d)
            let c = try operand()
            try expect(",", "after the condition of 'select'")
            let a = try operand()
            try expect(",", "after the second operand of 'select'")
            return .select(dst: d, cond: c, ifTrue: a, ifFalse: try operand())
        case "load":
            try annotation(of: d)
            let (base, offset) = try address()
            return .load(dst: d, base: base, offset: offset)
        case "call":
            try annotation(of: d)
            let (callee, args) = try callTail()
            return .call(dst: d, callee: callee, args: args)
        case "hostcall":
            try annotation(of: d)
            let (h, args) = try hostCallTail()
            return .hostCall(h, dst: d, args: args)
        case "scan":
            let t = try type("of the value scanned for after 'scan'")
            let at = peek.loc
            let (start, offset) = try address()
            if offset != 0 { throw error(at, "scan starts at a register's address, without an offset") }
            try expect(",", "after the start address of 'scan'")
            try keyword("step", "after the start address of 'scan'")
            let step = try integer("the step in bytes after 'step'")
            try expect(",", "after the step of 'scan'")
            try keyword("limit", "after the step of 'scan'")
            return .scan(dst: d, start: start, type: t, step: step, limit: try integer("the highest address after 'limit'"))
        default:
            guard let o = ConvertOp(rawValue: mnemonic) else { throw error(at, "unknown operation '\(mnemonic)'") }
            let from = try type("of the source after '\(mnemonic)'")
            let src = try operand()
            if isIdentifier("to") {
                advance()
                try annotation(of: d, required: true)
            }
            return .convert(o, dst: d, src: src, from: from)
        }
    }

    /// The optional type written for the destination; it must be the declared one.
    private mutating func annotation(of d: Var, required: Bool = false) throws(SourceError) {
        guard let (t, at) = optionalType() else {
            if required { throw unexpected("the type of \(d) after 'to'") }
            return
        }
        guard registerTypes.indices.contains(d.index) else {
            throw error(at, "\(d) is not declared, so it cannot be given type \(t) (declare it in a 'regs' line)")
        }
        let declared = registerTypes[d.index]
        guard declared == t else { throw error(at, "\(d) is declared \(declared), but the instruction gives it type \(t)") }
    }

    /// The identifier `word`, as in `step 1`.
    private mutating func keyword(_ word: String, _ context: String) throws(SourceError) {
        guard isIdentifier(word) else { throw unexpected("'\(word)' \(context)") }
        advance()
    }

    /// `[%base]`, `[%base + N]` or `[%base - N]`.
    private mutating func address() throws(SourceError) -> (Var, Int64) {
        try expect("[", "to start a memory address")
        guard case .register(let r) = peek.kind else { throw unexpected("a base register like '%0' after '['") }
        advance()
        var offset: Int64 = 0
        if isSymbol("+") || isSymbol("-") {
            let minus = isSymbol("-")
            advance()
            guard case .integer(let negative, let magnitude) = peek.kind else {
                throw unexpected("an offset after '\(minus ? "-" : "+")'")
            }
            let at = advance().loc
            guard let v = Self.signed(negative: negative != minus, magnitude: magnitude) else {
                throw error(at, "the offset does not fit in 64 bits")
            }
            offset = v
        }
        try expect("]", "to end the memory address")
        return (Var(r), offset)
    }

    private mutating func arguments() throws(SourceError) -> [Operand] {
        try expect("(", "to start the arguments")
        var args: [Operand] = []
        if !isSymbol(")") {
            while true {
                args.append(try operand())
                guard isSymbol(",") else { break }
                advance()
            }
        }
        try expect(")", "after the arguments")
        return args
    }

    private mutating func callTail() throws(SourceError) -> (String, [Operand]) {
        guard case .global(let callee) = peek.kind else { throw unexpected("a function name like '@f' after 'call'") }
        advance()
        return (callee, try arguments())
    }

    private mutating func hostCallTail() throws(SourceError) -> (HostFunction, [Operand]) {
        guard case .identifier(let s) = peek.kind, let h = HostFunction(rawValue: s) else {
            let all = HostFunction.allCases.map(\.rawValue).joined(separator: ", ")
            throw unexpected("a host function after 'hostcall' (one of \(all))")
        }
        advance()
        return (h, try arguments())
    }
}
