import JitIR

/// Translates the exported CPython bytecode of a function, and of every
/// function it calls, into our opcode set (docs/bytecode.md, "Python import").
///
/// Each CPython instruction is translated once, along the paths from the
/// function's start, while a symbolic copy of CPython's stack (`CPythonEntry`)
/// tells what each entry is: ints become slots of our stack, callables and
/// NULLs vanish, `range(...)` becomes three slots that `FOR_RANGE` steps.
/// Jump targets come from `dis` (byte offsets), so the versions' different
/// jump encodings never matter.
struct CPythonTranslator {
    let export: CPythonExport
    let file: String
    let minor: Int
    let functions: [String: CPythonExport.Function]

    init(export: CPythonExport, file: String) {
        self.export = export
        self.file = file
        minor = export.version.count > 1 ? export.version[1] : 0
        var byName: [String: CPythonExport.Function] = [:]
        for f in export.functions { byName[f.name] = f }
        functions = byName
    }

    /// The module holding `entry` first, then the functions it calls, transitively.
    func translate(entry: String) throws -> BytecodeModule {
        guard functions[entry] != nil else {
            let known = export.functions.map(\.name).sorted().joined(separator: ", ")
            let message = export.bindings[entry] != nil
                ? "'\(entry)' is not a function defined by a plain `def` at the top level of the file"
                : "no function '\(entry)' in the file" + (known.isEmpty ? "" : " (functions: \(known))")
            throw SourceError(file: file, loc: .unknown, message: message)
        }
        var module = BytecodeModule(sourceFile: file)
        var queue = [entry]
        var seen: Set<String> = [entry]
        while !queue.isEmpty {
            let name = queue.removeFirst()
            var t = FunctionTranslation(function: functions[name]!, translator: self)
            module.functions.append(try t.run())
            for callee in t.callees where seen.insert(callee).inserted { queue.append(callee) }
        }
        return module
    }

    /// Whether `name` called at module level means a function of the file.
    func isModuleFunction(_ name: String) -> Bool {
        export.bindings[name] == "function" && functions[name] != nil
    }

    /// Whether `name` means one of the supported builtins (nothing in the file rebinds it).
    func isBuiltin(_ name: String) -> Bool {
        ["range", "abs", "min", "max"].contains(name) && export.bindings[name] == nil && export.bindings["*"] == nil
    }
}

/// The translation of one function.
private struct FunctionTranslation {
    let function: CPythonExport.Function
    let translator: CPythonTranslator
    var callees: [String] = []

    private var code: [CPythonExport.Instruction] { function.code }
    private var locs: [SourceLoc] = []
    private var indexOfOffset: [Int: Int] = [:]
    /// CPython's stack before each instruction; nil until a path reaches it.
    private var states: [[CPythonEntry]?] = []
    /// Our instructions for each CPython instruction; jump targets are CPython instruction indices.
    private var emitted: [[BytecodeInstruction]] = []

    init(function: CPythonExport.Function, translator: CPythonTranslator) {
        self.function = function
        self.translator = translator
        var line = function.line
        for (k, i) in function.code.enumerated() {
            if let l = i.line { line = l }
            locs.append(SourceLoc(line: line, column: i.col.map { $0 + 1 } ?? 0))
            indexOfOffset[i.off] = k
        }
        states = Array(repeating: nil, count: function.code.count)
        emitted = Array(repeating: [], count: function.code.count)
    }

    private var file: String { translator.file }

    mutating func run() throws -> BytecodeFunction {
        let defLoc = SourceLoc(line: function.line, column: 0)
        if let problem = function.problem {
            throw SourceError(file: file, loc: defLoc, message: "unsupported \(problem) in '\(function.name)'")
        }
        guard !code.isEmpty else { throw SourceError(file: file, loc: defLoc, message: "'\(function.name)' has no bytecode") }
        states[0] = []
        var work = [0]
        while let i = work.popLast() {
            var step = Step(translation: self, index: i, stack: states[i]!)
            try step.translate()
            emitted[i] = step.out
            callees += step.callees
            for (target, state) in step.successors {
                guard let j = target else {
                    throw SourceError(file: file, loc: locs[i], message: "execution runs past the end of '\(function.name)'")
                }
                if let old = states[j] {
                    if old != state {
                        throw SourceError(file: file, loc: locs[j], message:
                            "unsupported control flow: the stack holds [\(old.map(\.description).joined(separator: ", "))] on one path and [\(state.map(\.description).joined(separator: ", "))] on another")
                    }
                } else {
                    states[j] = state
                    work.append(j)
                }
            }
        }
        // Lay the translations out in CPython's order; a jump to an instruction
        // that produced nothing lands on the next one that did.
        var start = Array(repeating: 0, count: code.count + 1)
        var count = 0
        for k in code.indices {
            start[k] = count
            count += emitted[k].count
        }
        start[code.count] = count
        var out = BytecodeFunction(name: function.name, parameters: function.args, loc: defLoc)
        for k in code.indices {
            for var i in emitted[k] {
                if let t = i.op.jumpTarget { i.op = i.op.retargeted(start[t]) }
                out.instructions.append(i)
            }
        }
        return out
    }

    func loc(_ i: Int) -> SourceLoc { locs[i] }
    func instruction(_ i: Int) -> CPythonExport.Instruction { code[i] }
    func index(ofOffset o: Int?) -> Int? { o.flatMap { indexOfOffset[$0] } }
    /// Where the `try` (or `with`) statement protecting instruction `i` is, if one does:
    /// the NOP CPython 3.11+ places for the statement just before the protected range.
    func protectingStatement(_ i: Int) -> SourceLoc? {
        guard let range = function.protected.first(where: { $0.count == 2 && ($0[0]..<$0[1]).contains(code[i].off) })
        else { return nil }
        if let start = indexOfOffset[range[0]], start > 0, code[start - 1].op == "NOP" { return locs[start - 1] }
        return locs[i]
    }
    var instructionCount: Int { code.count }
}

/// The translation of one CPython instruction given the stack before it.
private struct Step {
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
        if let o = Self.binaryOperators[op] {
            try binary(o.op, symbol: o.symbol)
            return next()
        }
        if let what = Self.unsupportedOpcodes[op] { throw unsupported("\(what) (\(op))") }
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
            guard ins.rep == "INTRINSIC_UNARY_POSITIVE" else { throw unsupported("intrinsic \(ins.rep) (CALL_INTRINSIC_1)") }
            try requireTopValue("unary +")
            next()
        case "UNARY_NEGATIVE", "UNARY_INVERT", "UNARY_NOT", "TO_BOOL":
            try requireTopValue(op == "UNARY_NOT" ? "not" : op == "TO_BOOL" ? "truth test" : "unary operator")
            emit(op == "UNARY_NEGATIVE" ? .unaryNegative : op == "UNARY_INVERT" ? .unaryInvert : op == "UNARY_NOT" ? .unaryNot : .toBool)
            next()
        case "BINARY_OP":
            // The argrepr names the operator; augmented assignments add '=' (`+=`).
            let symbol = ins.rep.hasSuffix("=") ? String(ins.rep.dropLast()) : ins.rep
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
        if v.type != "int" && v.type != "bool", index + 1 < translation.instructionCount {
            let following = translation.instruction(index + 1).op
            if let what = Self.unsupportedOpcodes[following] {
                throw SourceError(file: translator.file, loc: translation.loc(index + 1), message: "unsupported \(what) (\(following))")
            }
        }
        switch v.type {
        case "int", "bool":
            switch IntegerLiteral.parse(v.int ?? "") {
            case .value(let k):
                emit(.loadConst(k))
                stack.append(.value)
            default:
                throw error("integer constant \(v.int ?? "?") does not fit in 64 bits")
            }
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
        var text = ins.val?.str ?? ins.rep
        if text.hasPrefix("bool("), text.hasSuffix(")") { text = String(text.dropFirst(5).dropLast()) }
        guard let o = ComparisonOperator(rawValue: text) else { throw unsupported("comparison \(text) (COMPARE_OP)") }
        try popValue("comparison")
        try popValue("comparison")
        stack.append(.value)
        emit(.compareOp(o))
    }

    /// 3.10's named binary and in-place opcodes: the operator, or nil with its symbol when it is outside the subset.
    private static let binaryOperators: [String: (op: BinaryOperator?, symbol: String)] = {
        var table: [String: (op: BinaryOperator?, symbol: String)] = [:]
        let named: [(String, BinaryOperator?, String)] = [
            ("ADD", .add, "+"), ("SUBTRACT", .subtract, "-"), ("MULTIPLY", .multiply, "*"),
            ("FLOOR_DIVIDE", .floorDivide, "//"), ("MODULO", .remainder, "%"), ("POWER", .power, "**"),
            ("LSHIFT", .leftShift, "<<"), ("RSHIFT", .rightShift, ">>"), ("AND", .and, "&"), ("OR", .or, "|"),
            ("XOR", .xor, "^"), ("TRUE_DIVIDE", nil, "/"), ("MATRIX_MULTIPLY", nil, "@"),
        ]
        for (n, o, symbol) in named {
            table["BINARY_" + n] = (o, symbol)
            table["INPLACE_" + n] = (o, symbol)
        }
        return table
    }()

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

    /// Opcodes outside the subset, with what they stand for in the source.
    private static let unsupportedOpcodes: [String: String] = {
        var t: [String: String] = [:]
        func add(_ what: String, _ ops: [String]) { for o in ops { t[o] = what } }
        add("attribute access", ["LOAD_ATTR", "LOAD_METHOD", "STORE_ATTR", "DELETE_ATTR", "LOAD_SUPER_ATTR"])
        add("subscript or slice", ["BINARY_SUBSCR", "STORE_SUBSCR", "DELETE_SUBSCR", "BINARY_SLICE", "STORE_SLICE", "BUILD_SLICE"])
        add("list", ["BUILD_LIST", "LIST_APPEND", "LIST_EXTEND", "LIST_TO_TUPLE"])
        add("dict", ["BUILD_MAP", "BUILD_CONST_KEY_MAP", "MAP_ADD", "DICT_UPDATE", "DICT_MERGE"])
        add("set", ["BUILD_SET", "SET_ADD", "SET_UPDATE"])
        add("string formatting", ["FORMAT_VALUE", "BUILD_STRING", "FORMAT_SIMPLE", "FORMAT_WITH_SPEC", "CONVERT_VALUE"])
        add("closure variable", ["LOAD_DEREF", "STORE_DEREF", "LOAD_CLOSURE", "DELETE_DEREF", "LOAD_CLASSDEREF", "LOAD_FROM_DICT_OR_DEREF", "MAKE_CELL", "COPY_FREE_VARS"])
        add("name lookup outside a function", ["LOAD_NAME", "STORE_NAME", "DELETE_NAME", "LOAD_FROM_DICT_OR_GLOBALS"])
        add("assignment to a global variable", ["STORE_GLOBAL", "DELETE_GLOBAL"])
        add("del statement", ["DELETE_FAST"])
        add("import", ["IMPORT_NAME", "IMPORT_FROM", "IMPORT_STAR"])
        add("raise statement", ["RAISE_VARARGS", "RERAISE"])
        add("try/except or with statement", ["SETUP_FINALLY", "SETUP_WITH", "BEFORE_WITH", "PUSH_EXC_INFO", "POP_EXCEPT", "SETUP_ASYNC_WITH", "CHECK_EXC_MATCH", "WITH_EXCEPT_START", "POP_BLOCK", "JUMP_IF_NOT_EXC_MATCH", "CLEANUP_THROW"])
        add("assert statement", ["LOAD_ASSERTION_ERROR"])
        add("nested function or lambda", ["MAKE_FUNCTION", "SET_FUNCTION_ATTRIBUTE"])
        add("generator or coroutine", ["YIELD_VALUE", "RETURN_GENERATOR", "GET_AWAITABLE", "SEND", "GET_YIELD_FROM_ITER", "GEN_START", "ASYNC_GEN_WRAP", "GET_AITER", "GET_ANEXT", "END_ASYNC_FOR", "BEFORE_ASYNC_WITH"])
        add("keyword arguments", ["KW_NAMES", "CALL_KW", "CALL_FUNCTION_KW"])
        add("argument unpacking (*args, **kwargs)", ["CALL_FUNCTION_EX"])
        add("starred unpacking", ["UNPACK_EX"])
        add("comprehension", ["LOAD_FAST_AND_CLEAR"])
        add("'is' comparison", ["IS_OP"])
        add("'in' test", ["CONTAINS_OP"])
        add("comparison with None", ["POP_JUMP_IF_NONE", "POP_JUMP_IF_NOT_NONE", "POP_JUMP_FORWARD_IF_NONE",
                                     "POP_JUMP_FORWARD_IF_NOT_NONE", "POP_JUMP_BACKWARD_IF_NONE", "POP_JUMP_BACKWARD_IF_NOT_NONE"])
        add("match statement", ["MATCH_CLASS", "MATCH_MAPPING", "MATCH_SEQUENCE", "MATCH_KEYS", "GET_LEN"])
        add("class definition", ["LOAD_BUILD_CLASS", "SETUP_ANNOTATIONS"])
        add("method call", ["CALL_METHOD"])
        return t
    }()
}
