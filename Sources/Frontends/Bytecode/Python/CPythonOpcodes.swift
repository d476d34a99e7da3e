/// Tables of CPython opcode names the translation looks up.
enum CPythonOpcodes {
    /// 3.10's named binary and in-place opcodes: the operator, or nil with its symbol when it is outside the subset.
    static let binaryOperators: [String: (op: BinaryOperator?, symbol: String)] = {
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

    /// Opcodes outside the subset, with what they stand for in the source.
    static let unsupported: [String: String] = {
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
