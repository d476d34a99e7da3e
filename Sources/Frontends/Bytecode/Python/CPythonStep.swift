import JitIR

/// The translation of one CPython instruction given the stack before it.
struct CPythonStep {
    let translation: FunctionTranslation
    let index: Int
    var stack: [CPythonEntry]
    var out: [BytecodeInstruction] = []
    /// Where execution may continue (nil: past the end) and CPython's stack there.
    var successors: [(Int?, [CPythonEntry])] = []
    var callees: [String] = []

    init(translation: FunctionTranslation, index: Int, stack: [CPythonEntry]) {
        self.translation = translation
        self.index = index
        self.stack = stack
    }

    private var translator: CPythonTranslator { translation.translator }
    private var minor: Int { translator.minor }
    private var ins: CPythonExport.Instruction { translation.instruction(index) }
    private var loc: SourceLoc { translation.loc(index) }

    private func unsupported(_ what: String) -> SourceError {
        SourceError(file: translator.file, loc: loc, message: "unsupported \(what)")
    }

    private func error(_ message: String) -> SourceError {
        SourceError(file: translator.file, loc: loc, message: message)
    }

    private mutating func emit(_ op: BytecodeOp) { out.append(BytecodeInstruction(op, loc: loc)) }

    private mutating func next() {
        let j = index + 1
        successors.append((j < translation.instructionCount ? j : nil, stack))
    }

    private func jumpTarget() throws -> Int {
        guard let t = translation.index(ofOffset: ins.jump) else {
            throw error("\(ins.op) jumps to offset \(ins.jump.map(String.init) ?? "?"), which is not an instruction")
        }
        return t
    }

    // MARK: Stack entries

    private mutating func popEntry() throws -> CPythonEntry {
        guard let e = stack.popLast() else { throw error("\(ins.op) pops from an empty stack") }
        return e
    }

    /// Pops an entry that must be an int.
    private mutating func popValue(_ purpose: String) throws {
        let e = try popEntry()
        guard e == .value else { throw unsupported("\(purpose) of a \(e) (\(ins.op))") }
    }

    private func requireTopValue(_ purpose: String) throws {
        guard let e = stack.last else { throw error("\(ins.op) needs a value, but the stack is empty") }
        guard e == .value else { throw unsupported("\(purpose) of a \(e) (\(ins.op))") }
    }

    /// Pops an entry and the slots it occupies.
    private mutating func discard() throws {
        let e = try popEntry()
        for _ in 0..<e.slots { emit(.popTop) }
    }

    /// Rearranges the top `order.count` entries: the new k-th entry from the
    /// bottom of that window is the old `order[k]`-th. Emits the slot swaps.
    private mutating func rearrange(_ order: [Int]) throws {
        let n = order.count
        guard stack.count >= n else { throw error("\(ins.op) needs \(n) stack entries, but the stack holds \(stack.count)") }
        let window = Array(stack.suffix(n))
        func slotIDs(_ entries: [Int]) -> [Int] {
            entries.flatMap { e in (0..<window[e].slots).map { e * 4096 + $0 } }
        }
        let before = slotIDs(Array(0..<n)), after = slotIDs(order)
        for op in SlotPermutation.swaps(from: before, to: after) { emit(op) }
        stack.removeLast(n)
        stack += order.map { window[$0] }
    }

    /// CPython's `COPY n`.
    private mutating func copyEntry(_ n: Int) throws {
        guard n >= 1, stack.count >= n else { throw error("\(ins.op) \(n) reaches below the stack") }
        let e = stack[stack.count - n]
        switch e.slots {
        case 0: break
        case 1 where e == .value: emit(.copy(stack.suffix(n).dropFirst().reduce(0) { $0 + $1.slots } + 1))
        default: throw unsupported("copy of a \(e) (\(ins.op))")
        }
        stack.append(e)
    }

    // MARK: Instructions

    mutating func translate() throws {
        if let statement = translation.protectingStatement(index) {
            throw SourceError(file: translator.file, loc: statement, message: "unsupported try/except or with statement")
        }
        let op = ins.op
        if let o = CPythonOpcodes.binaryOperators[op] {
            try binary(o.op, symbol: o.symbol)
            return next()
        }
        if let what = CPythonOpcodes.unsupported[op] { throw unsupported("\(what) (\(op))") }
        switch op {
        case "NOP", "RESUME", "EXTENDED_ARG", "PRECALL", "CACHE":
            next()
        case "LOAD_FAST", "LOAD_FAST_CHECK":
            try loadFast(name())
            next()
        case "LOAD_FAST_LOAD_FAST":
            let (a, b) = try names()
            try loadFast(a)
            try loadFast(b)
            next()
        case "STORE_FAST":
            try storeFast(name())
            next()
        case "STORE_FAST_LOAD_FAST":
            let (a, b) = try names()
            try storeFast(a)
            try loadFast(b)
            next()
        case "STORE_FAST_STORE_FAST":
            let (a, b) = try names()
            try storeFast(a)
            try storeFast(b)
            next()
        case "LOAD_CONST":
            try loadConst()
            next()
        case "RETURN_CONST":
            try loadConst()
            emit(.returnValue)
        case "RETURN_VALUE":
            try popValue("return")
            emit(.returnValue)
        case "POP_TOP":
            try discard()
            next()
        case "END_FOR":
            try discard()
            if minor == 12 { try discard() }
            next()
        case "COPY":
            try copyEntry(ins.arg ?? 1)
            next()
        case "DUP_TOP":
            try copyEntry(1)
            next()
        case "DUP_TOP_TWO":
            try copyEntry(2)
            try copyEntry(2)
            next()
        case "SWAP":
            let n = ins.arg ?? 2
            guard n >= 2 else { throw error("SWAP \(n)") }
            try rearrange([n - 1] + Array(1..<(n - 1)) + [0])
            next()
        case "ROT_TWO", "ROT_THREE", "ROT_FOUR", "ROT_N":
            let n = op == "ROT_TWO" ? 2 : op == "ROT_THREE" ? 3 : op == "ROT_FOUR" ? 4 : (ins.arg ?? 2)
            guard n >= 2 else { return next() }
            try rearrange([n - 1] + Array(0..<(n - 1)))  // the top moves down to the n-th place
            next()
        case "UNARY_POSITIVE":
            try requireTopValue("unary +")
            next()
        case "CALL_INTRINSIC_1":
            guard ins.rep == "INTRINSIC_UNARY_POSITIVE" else { throw unsupported("intrinsic \(ins.rep ?? "?") (CALL_INTRINSIC_1)") }
            try requireTopValue("unary +")
            next()
        case "UNARY_NEGATIVE", "UNARY_INVERT", "UNARY_NOT", "TO_BOOL":
            try requireTopValue(op == "UNARY_NOT" ? "not" : op == "TO_BOOL" ? "truth test" : "unary operator")
            emit(op == "UNARY_NEGATIVE" ? .unaryNegative : op == "UNARY_INVERT" ? .unaryInvert : op == "UNARY_NOT" ? .unaryNot : .toBool)
            next()
        case "BINARY_OP":
            // The argrepr names the operator; augmented assignments add '=' (`+=`).
            let symbol = (ins.rep ?? "").hasSuffix("=") ? String(ins.rep!.dropLast()) : (ins.rep ?? "")
            try binary(BinaryOperator(rawValue: symbol), symbol: symbol)
            next()
        case "COMPARE_OP":
            try compare()
            next()
        case "POP_JUMP_IF_FALSE", "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_BACKWARD_IF_FALSE",
             "POP_JUMP_IF_TRUE", "POP_JUMP_FORWARD_IF_TRUE", "POP_JUMP_BACKWARD_IF_TRUE":
            try popValue("truth test")
            let t = try jumpTarget()
            emit(op.hasSuffix("FALSE") ? .popJumpIfFalse(t) : .popJumpIfTrue(t))
            successors.append((t, stack))
            next()
        case "JUMP_IF_FALSE_OR_POP", "JUMP_IF_TRUE_OR_POP":
            try requireTopValue("truth test")
            let t = try jumpTarget()
            emit(op == "JUMP_IF_FALSE_OR_POP" ? .jumpIfFalseOrPop(t) : .jumpIfTrueOrPop(t))
            successors.append((t, stack))
            stack.removeLast()
            next()
        case "JUMP_FORWARD", "JUMP_BACKWARD", "JUMP_ABSOLUTE", "JUMP_BACKWARD_NO_INTERRUPT", "JUMP", "JUMP_NO_INTERRUPT":
            let t = try jumpTarget()
            emit(.jump(t))
            successors.append((t, stack))
        case "LOAD_GLOBAL":
            try loadGlobal()
            next()
        case "PUSH_NULL":
            stack.append(.null)
            next()
        case "CALL", "CALL_FUNCTION":
            try call(argc: ins.arg ?? 0)
            next()
        case "GET_ITER":
            guard stack.last == .range else {
                throw unsupported("for loop over something other than range() (GET_ITER)")
            }
            stack[stack.count - 1] = .iterator
            next()
        case "FOR_ITER":
            guard stack.last == .iterator else { throw unsupported("iteration over a \(stack.last.map(\.description) ?? "nothing") (FOR_ITER)") }
            let t = try jumpTarget()
            emit(.forRange(t))
            // When the range ends, 3.10 and 3.11 drop the iterator and jump; 3.12+ jump to END_FOR,
            // which (with 3.13's POP_TOP after it) pops the iterator and an absent value.
            var ended = stack
            if minor >= 12 {
                ended[ended.count - 1] = .spent
                ended.append(.spent)
            } else {
                ended.removeLast()
            }
            successors.append((t, ended))
            stack.append(.value)
            next()
        case "BUILD_TUPLE":
            let n = ins.arg ?? 0
            guard stack.count >= n, stack.suffix(n).allSatisfy({ $0 == .value }) else {
                throw unsupported("tuple of anything but ints (BUILD_TUPLE)")
            }
            stack.removeLast(n)
            stack.append(.tuple(n))
            next()
        case "UNPACK_SEQUENCE":
            let n = ins.arg ?? 0
            guard stack.last == .tuple(n) else { throw unsupported("unpacking of anything but a tuple of ints (UNPACK_SEQUENCE)") }
            stack[stack.count - 1] = .value
            stack += Array(repeating: .value, count: n - 1)
            // The first item ends on top: reverse the n slots.
            for op in SlotPermutation.swaps(from: Array(0..<n), to: Array((0..<n).reversed())) { emit(op) }
            next()
        default:
            throw unsupported("bytecode instruction \(op)")
        }
    }

    // MARK: Locals and constants

    private func name() throws -> String {
        guard let n = ins.val?.str else { throw error("\(ins.op) without a variable name") }
        return n
    }

    private func names() throws -> (String, String) {
        guard let n = ins.val?.names, n.count == 2 else { throw error("\(ins.op) without two variable names") }
        return (n[0], n[1])
    }

    private mutating func loadFast(_ n: String) throws {
        emit(.loadFast(n))
        stack.append(.value)
    }

    private mutating func storeFast(_ n: String) throws {
        let e = try popEntry()
        guard e == .value else { throw unsupported("assignment of a \(e) to '\(n)' (\(ins.op))") }
        emit(.storeFast(n))
    }

    private mutating func loadConst() throws {
        guard let v = ins.val else { throw error("\(ins.op) without a value") }
        // A constant outside the subset is usually an operand of something unsupported: name that.
        let next = index + 1 < translation.instructionCount ? translation.instruction(index + 1).op : ""
        if v.type != "int" && v.type != "bool", next != "UNPACK_SEQUENCE", index + 1 < translation.instructionCount {
            let following = translation.instruction(index + 1).op
            if let what = CPythonOpcodes.unsupported[following] {
                throw SourceError(file: translator.file, loc: translation.loc(index + 1), message: "unsupported \(what) (\(following))")
            }
        }
        func load(_ digits: String?) throws {
            guard case .value(let k) = IntegerLiteral.parse(digits ?? "") else {
                throw error("integer constant \(digits ?? "?") does not fit in 64 bits")
            }
            emit(.loadConst(k))
        }
        switch v.type {
        case "int", "bool":
            try load(v.int)
            stack.append(.value)
        case "tuple" where v.ints != nil && next == "UNPACK_SEQUENCE":
            // `a, b = 1, 2`: CPython folds the right side into one constant tuple.
            for item in v.ints! { try load(item) }
            stack.append(.tuple(v.ints!.count))
        case "NoneType":
            throw unsupported("None value (every path of a function must return an int)")
        case "code":
            throw unsupported("nested function or lambda")
        default:
            throw unsupported("\(v.type) constant \(v.repr ?? v.str.map { "'\($0)'" } ?? "")")
        }
    }

    // MARK: Operators

    private mutating func binary(_ o: BinaryOperator?, symbol: String) throws {
        guard let o else { throw unsupported("operator \(symbol) (\(ins.op))") }
        try popValue("operand")
        try popValue("operand")
        stack.append(.value)
        emit(.binaryOp(o))
    }

    private mutating func compare() throws {
        var text = ins.val?.str ?? ins.rep ?? ""
        if text.hasPrefix("bool("), text.hasSuffix(")") { text = String(text.dropFirst(5).dropLast()) }
        guard let o = ComparisonOperator(rawValue: text) else { throw unsupported("comparison \(text) (COMPARE_OP)") }
        try popValue("comparison")
        try popValue("comparison")
        stack.append(.value)
        emit(.compareOp(o))
    }

    // MARK: Calls

    private mutating func loadGlobal() throws {
        let n = try name()
        let pushesNull = minor >= 11 && (ins.arg ?? 0) & 1 == 1
        guard translator.isModuleFunction(n) || translator.isBuiltin(n) else {
            throw unsupported("global name '\(n)' (only functions defined in this file, range, abs, min and max can be used)")
        }
        // 3.11 and 3.12 push the NULL below the callable, 3.13 above it.
        if pushesNull && minor < 13 { stack.append(.null) }
        stack.append(.callable(n))
        if pushesNull && minor >= 13 { stack.append(.null) }
    }

    private mutating func call(argc: Int) throws {
        guard stack.count >= argc else { throw error("\(ins.op) \(argc) reaches below the stack") }
        let args = stack.suffix(argc)
        if let bad = args.first(where: { $0 != .value }) {
            throw unsupported("argument that is a \(bad) (\(ins.op))")
        }
        stack.removeLast(argc)
        // Below the arguments: the callable, and from 3.11 on a NULL beside it.
        var callee: String?
        for _ in 0..<(minor >= 11 ? 2 : 1) {
            switch stack.popLast() {
            case .callable(let f)? where callee == nil: callee = f
            case .null?: break
            default: throw unsupported("call of something other than a function of this file or range, abs, min, max (\(ins.op))")
            }
        }
        guard let f = callee else { throw unsupported("call of something other than a function (\(ins.op))") }
        if translator.isModuleFunction(f) {
            let params = translator.functions[f]!.args.count
            guard params == argc else {
                throw error("'\(f)' takes \(params) positional argument(s), but \(argc) were given")
            }
            emit(.call(f, argc: argc))
            callees.append(f)
            stack.append(.value)
            return
        }
        switch f {
        case "range":
            // Our ranges are three slots [start, stop, step].
            switch argc {
            case 1:
                emit(.loadConst(0))
                emit(.swap(2))
                emit(.loadConst(1))
            case 2:
                emit(.loadConst(1))
            case 3:
                break
            default:
                throw error("range expected 1 to 3 arguments, got \(argc)")
            }
            stack.append(.range)
        default:
            guard let builtin = BuiltinFunction(rawValue: f), builtin.accepts(argumentCount: argc) else {
                throw unsupported("\(f)() with \(argc) argument(s) (only abs(x), min(a, b, ...) and max(a, b, ...) of ints)")
            }
            emit(.call(f, argc: argc))
            stack.append(.value)
        }
    }
}
