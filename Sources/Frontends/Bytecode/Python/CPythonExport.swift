/// The JSON `ExporterScript` prints, read (`init(json:)`).
struct CPythonExport {
    struct Failure {
        var message: String
        var line: Int?
        var col: Int?
    }

    /// An instruction argument's value: its Python type and a JSON-safe rendering.
    struct Value {
        var type: String
        /// Decimal digits of an int or bool (ints may exceed 64 bits).
        var int: String?
        var str: String?
        /// The names of a tuple of strings (3.13's LOAD_FAST_LOAD_FAST and friends).
        var names: [String]?
        /// The items of a tuple of ints, in decimal (`a, b = 1, 2` loads one).
        var ints: [String]?
        var repr: String?
    }

    struct Instruction {
        var op: String
        var arg: Int?
        var val: Value?
        /// dis's `argrepr` (exported only where the translation reads it).
        var rep: String?
        var off: Int
        var line: Int?
        var col: Int?
        /// The byte offset a jump goes to.
        var jump: Int?
    }

    struct Function {
        var name: String
        var args: [String]
        var line: Int
        /// Why the function cannot be translated at all, if it cannot.
        var problem: String?
        /// Byte offset ranges covered by exception handlers (3.11+).
        var protected: [[Int]]
        var code: [Instruction]
    }

    var version: [Int]
    var error: Failure?
    /// Module-level names: "function" for a plain `def`, "other" for anything else.
    var bindings: [String: String]
    var functions: [Function]
}
