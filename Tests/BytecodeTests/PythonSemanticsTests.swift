import BytecodeFrontend
import Foundation
import JitIR
import Testing

/// One `a op b` with the result Python gives, or the trap standing for Python's exception.
struct BinaryCase: Sendable, CustomStringConvertible {
    var op: BinaryOperator
    var a: Int64
    var b: Int64
    var expected: Outcome

    init(_ op: String, _ a: Int64, _ b: Int64, _ expected: Outcome) {
        self.op = BinaryOperator(rawValue: op)!
        self.a = a
        self.b = b
        self.expected = expected
    }

    var description: String { "\(a) \(op.rawValue) \(b)" }
}

/// The edges of Python's integer semantics on int64, run through the lowering
/// and the reference interpreter. The table is Python's behaviour: the results
/// where they fit in int64; overflow where Python's exact result does not fit;
/// ZeroDivisionError, the ValueError of a negative shift, and the float of a
/// negative power as traps. `tableAgreesWithCPython` checks it against CPython.
struct PythonSemanticsTests {
    static let binaryCases: [BinaryCase] = [
        BinaryCase("//", 7, 2, .value(3)),
        BinaryCase("//", -7, 2, .value(-4)),
        BinaryCase("//", 7, -2, .value(-4)),
        BinaryCase("//", -7, -2, .value(3)),
        BinaryCase("//", 6, 3, .value(2)),
        BinaryCase("//", -6, 3, .value(-2)),
        BinaryCase("//", 0, 5, .value(0)),
        BinaryCase("//", 5, 0, .trap(.divisionByZero)),
        BinaryCase("//", .min, -1, .trap(.overflow)),
        BinaryCase("//", .min, 1, .value(.min)),
        BinaryCase("//", .min, 2, .value(-4611686018427387904)),
        BinaryCase("//", -1, 8, .value(-1)),
        BinaryCase("//", -9, 8, .value(-2)),
        BinaryCase("//", 9, -8, .value(-2)),
        BinaryCase("//", .max, -1, .value(-9223372036854775807)),
        BinaryCase("//", -7, 1, .value(-7)),
        BinaryCase("//", -7, -1, .value(7)),
        BinaryCase("//", 1, .min, .value(-1)),
        BinaryCase("//", -1, .min, .value(0)),
        BinaryCase("//", .min, .min, .value(1)),
        BinaryCase("//", -9, 7, .value(-2)),
        BinaryCase("//", 9, -7, .value(-2)),
        BinaryCase("//", 100, -7, .value(-15)),
        BinaryCase("%", 7, 2, .value(1)),
        BinaryCase("%", -7, 2, .value(1)),
        BinaryCase("%", 7, -2, .value(-1)),
        BinaryCase("%", -7, -2, .value(-1)),
        BinaryCase("%", 5, 0, .trap(.divisionByZero)),
        BinaryCase("%", .min, -1, .value(0)),
        BinaryCase("%", -1, 8, .value(7)),
        BinaryCase("%", -9, 8, .value(7)),
        BinaryCase("%", 9, -8, .value(-7)),
        BinaryCase("%", .min, 3, .value(1)),
        BinaryCase("%", 1, .min, .value(-9223372036854775807)),
        BinaryCase("%", -1, .max, .value(9223372036854775806)),
        BinaryCase("%", -9, 7, .value(5)),
        BinaryCase("%", 9, -7, .value(-5)),
        BinaryCase("%", 7, 1, .value(0)),
        BinaryCase("%", -7, -1, .value(0)),
        BinaryCase("%", .min, 2, .value(0)),
        BinaryCase("+", .max, 1, .trap(.overflow)),
        BinaryCase("+", .min, -1, .trap(.overflow)),
        BinaryCase("+", .max, .min, .value(-1)),
        BinaryCase("+", 5, -7, .value(-2)),
        BinaryCase("-", .min, 1, .trap(.overflow)),
        BinaryCase("-", 0, .min, .trap(.overflow)),
        BinaryCase("-", -1, .min, .value(.max)),
        BinaryCase("-", .max, -1, .trap(.overflow)),
        BinaryCase("-", 3, 10, .value(-7)),
        BinaryCase("*", .max, 2, .trap(.overflow)),
        BinaryCase("*", 4294967296, 2147483648, .trap(.overflow)),
        BinaryCase("*", -4294967296, 2147483648, .value(.min)),
        BinaryCase("*", .min, -1, .trap(.overflow)),
        BinaryCase("*", .min, 1, .value(.min)),
        BinaryCase("*", -1, .min, .trap(.overflow)),
        BinaryCase("*", 3037000499, 3037000499, .value(9223372030926249001)),
        BinaryCase("*", 3037000500, 3037000500, .trap(.overflow)),
        BinaryCase("*", -6, 7, .value(-42)),
        BinaryCase("**", 2, 62, .value(4611686018427387904)),
        BinaryCase("**", 2, 63, .trap(.overflow)),
        BinaryCase("**", -2, 63, .value(.min)),
        BinaryCase("**", -2, 64, .trap(.overflow)),
        BinaryCase("**", 3, 39, .value(4052555153018976267)),
        BinaryCase("**", 3, 40, .trap(.overflow)),
        BinaryCase("**", 0, 0, .value(1)),
        BinaryCase("**", 7, 0, .value(1)),
        BinaryCase("**", 0, 5, .value(0)),
        BinaryCase("**", 2, -1, .trap(.negativePower)),
        BinaryCase("**", 0, -1, .trap(.divisionByZero)),
        BinaryCase("**", -1, .max, .value(-1)),
        BinaryCase("**", 1, .max, .value(1)),
        BinaryCase("**", -1, 4611686018427387904, .value(1)),
        BinaryCase("**", 10, 18, .value(1000000000000000000)),
        BinaryCase("**", 10, 19, .trap(.overflow)),
        BinaryCase("**", -3, 3, .value(-27)),
        BinaryCase("**", 2, .min, .trap(.negativePower)),
        BinaryCase("**", .min, 1, .value(.min)),
        BinaryCase("**", .min, 2, .trap(.overflow)),
        BinaryCase("**", 1, -1, .trap(.negativePower)),
        BinaryCase("**", -1, -3, .trap(.negativePower)),
        BinaryCase("<<", 1, 62, .value(4611686018427387904)),
        BinaryCase("<<", 1, 63, .trap(.overflow)),
        BinaryCase("<<", -1, 63, .value(.min)),
        BinaryCase("<<", 3, 62, .trap(.overflow)),
        BinaryCase("<<", 0, 100, .value(0)),
        BinaryCase("<<", 1, 64, .trap(.overflow)),
        BinaryCase("<<", 1, -1, .trap(.negativeShift)),
        BinaryCase("<<", 0, -1, .trap(.negativeShift)),
        BinaryCase("<<", -5, 2, .value(-20)),
        BinaryCase("<<", 7, 0, .value(7)),
        BinaryCase("<<", .min, 0, .value(.min)),
        BinaryCase("<<", .min, 1, .trap(.overflow)),
        BinaryCase("<<", -1, 64, .trap(.overflow)),
        BinaryCase("<<", 0, .max, .value(0)),
        BinaryCase("<<", 1, 1000, .trap(.overflow)),
        BinaryCase("<<", 2147483648, 31, .value(4611686018427387904)),
        BinaryCase("<<", -2147483648, 32, .value(.min)),
        BinaryCase(">>", -1, 100, .value(-1)),
        BinaryCase(">>", 5, 100, .value(0)),
        BinaryCase(">>", -8, 1, .value(-4)),
        BinaryCase(">>", -7, 1, .value(-4)),
        BinaryCase(">>", 1, -1, .trap(.negativeShift)),
        BinaryCase(">>", .min, 63, .value(-1)),
        BinaryCase(">>", .max, 63, .value(0)),
        BinaryCase(">>", .min, 64, .value(-1)),
        BinaryCase(">>", 12, 2, .value(3)),
        BinaryCase(">>", 5, .max, .value(0)),
        BinaryCase(">>", -5, .max, .value(-1)),
        BinaryCase(">>", 7, 0, .value(7)),
        BinaryCase(">>", -1, .min, .trap(.negativeShift)),
        BinaryCase("&", -8, 5, .value(0)),
        BinaryCase("&", .min, -1, .value(.min)),
        BinaryCase("&", 12, 10, .value(8)),
        BinaryCase("|", -8, 5, .value(-3)),
        BinaryCase("|", .min, .max, .value(-1)),
        BinaryCase("|", 12, 10, .value(14)),
        BinaryCase("^", -8, 5, .value(-3)),
        BinaryCase("^", .min, -1, .value(.max)),
        BinaryCase("^", 12, 10, .value(6)),
    ]

    /// Each case with both operands in registers, with a constant right operand
    /// (the lowering specialises those), and with both constant.
    @Test(arguments: binaryCases)
    func binaryOperator(_ c: BinaryCase) throws {
        let op = c.op.rawValue
        let p = try compileSBC("""
        def registers(a, b):
            LOAD_FAST a
            LOAD_FAST b
            BINARY_OP \(op)
            RETURN_VALUE
        def constant_right(a):
            LOAD_FAST a
            LOAD_CONST \(c.b)
            BINARY_OP \(op)
            RETURN_VALUE
        def constants():
            LOAD_CONST \(c.a)
            LOAD_CONST \(c.b)
            BINARY_OP \(op)
            RETURN_VALUE
        """)
        #expect(try run(p, "registers", [c.a, c.b]) == c.expected, "registers: \(c)")
        #expect(try run(p, "constant_right", [c.a]) == c.expected, "constant right operand: \(c)")
        #expect(try run(p, "constants", []) == c.expected, "constants: \(c)")
    }

    /// The table above is what CPython computes (where a python3 is available).
    @Test(.enabled(if: PythonInterpreters.any != nil, PythonInterpreters.absent))
    func tableAgreesWithCPython() throws {
        let python = try #require(PythonInterpreters.any)
        let script = """
        import sys, json
        out = []
        for op, a, b in json.loads(sys.argv[1]):
            try:
                r = eval("a %s b" % op)
                if isinstance(r, float):
                    r = "negative_power"
                elif not (-2**63 <= r < 2**63):
                    r = "overflow"
            except ZeroDivisionError:
                r = "division_by_zero"
            except ValueError:
                r = "negative_shift"
            except (OverflowError, MemoryError):
                r = "overflow"
            out.append(str(r))
        print(json.dumps(out))
        """
        let request = "[" + Self.binaryCases.map { "[\"\($0.op.rawValue)\", \($0.a), \($0.b)]" }.joined(separator: ",") + "]"
        let out = try PythonInterpreters.run(python, ["-c", script, request])
        try #require(out.status == 0, "python failed: \(out.stderr)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String])
        for (c, r) in zip(Self.binaryCases, results) {
            #expect(c.expected.description == r, "\(c): CPython gives \(r)")
        }
        #expect(results.count == Self.binaryCases.count)
    }

    /// A trap reports the position of the instruction that raised it.
    @Test func trapPosition() throws {
        let p = try compileSBC("""
        def f(a, b):
            LOAD_FAST a
            LOAD_FAST b
              BINARY_OP //
            RETURN_VALUE
        """)
        let r = try p.run("f", arguments: [1, 0], io: ProgramIO())
        #expect(r.trap == Trap(kind: .divisionByZero, loc: SourceLoc(line: 4, column: 7), function: "f"))
    }

    static let unaryCases: [(op: String, x: Int64, expected: Outcome)] = [
        ("UNARY_NEGATIVE", .min, .trap(.overflow)), ("UNARY_NEGATIVE", 5, .value(-5)), ("UNARY_NEGATIVE", .max, .value(-.max)),
        ("UNARY_INVERT", 0, .value(-1)), ("UNARY_INVERT", .min, .value(.max)), ("UNARY_INVERT", 5, .value(-6)),
        ("UNARY_NOT", 0, .value(1)), ("UNARY_NOT", 5, .value(0)), ("UNARY_NOT", .min, .value(0)),
        ("TO_BOOL", 0, .value(0)), ("TO_BOOL", -3, .value(1)),
        ("CALL abs 1", .min, .trap(.overflow)), ("CALL abs 1", -5, .value(5)), ("CALL abs 1", .max, .value(.max)),
        ("CALL abs 1", 0, .value(0)), ("CALL abs 1", .min + 1, .value(.max)),
    ]

    @Test func unaryOperators() throws {
        for c in Self.unaryCases {
            let p = try compileSBC("""
            def register(x):
                LOAD_FAST x
                \(c.op)
                RETURN_VALUE
            def constant():
                LOAD_CONST \(c.x)
                \(c.op)
                RETURN_VALUE
            """)
            #expect(try run(p, "register", [c.x]) == c.expected, "\(c.op) \(c.x)")
            #expect(try run(p, "constant", []) == c.expected, "\(c.op) constant \(c.x)")
        }
    }

    @Test func minMaxAndComparisons() throws {
        let p = try compileSBC("""
        def min3(a, b, c):
            LOAD_FAST a
            LOAD_FAST b
            LOAD_FAST c
            CALL min 3
            RETURN_VALUE
        def max2(a, b):
            LOAD_FAST a
            LOAD_FAST b
            CALL max 2
            RETURN_VALUE
        def cmp(a, b):   # (a < b) + 2 * (a <= b) + 4 * (a == b) + 8 * (a != b) + 16 * (a > b) + 32 * (a >= b)
            LOAD_CONST 0
            LOAD_FAST a
            LOAD_FAST b
            COMPARE_OP <
            BINARY_OP +
            LOAD_FAST a
            LOAD_FAST b
            COMPARE_OP <=
            LOAD_CONST 2
            BINARY_OP *
            BINARY_OP +
            LOAD_FAST a
            LOAD_FAST b
            COMPARE_OP ==
            LOAD_CONST 4
            BINARY_OP *
            BINARY_OP +
            LOAD_FAST a
            LOAD_FAST b
            COMPARE_OP !=
            LOAD_CONST 8
            BINARY_OP *
            BINARY_OP +
            LOAD_FAST a
            LOAD_FAST b
            COMPARE_OP >
            LOAD_CONST 16
            BINARY_OP *
            BINARY_OP +
            LOAD_FAST a
            LOAD_FAST b
            COMPARE_OP >=
            LOAD_CONST 32
            BINARY_OP *
            BINARY_OP +
            RETURN_VALUE
        """)
        #expect(try run(p, "min3", [3, -1, 2]) == .value(-1))
        #expect(try run(p, "min3", [.max, .min, 0]) == .value(.min))
        #expect(try run(p, "max2", [.min, .max]) == .value(.max))
        #expect(try run(p, "max2", [-4, -9]) == .value(-4))
        #expect(try run(p, "cmp", [.min, .max]) == .value(1 + 2 + 8))
        #expect(try run(p, "cmp", [.max, .min]) == .value(8 + 16 + 32))
        #expect(try run(p, "cmp", [-7, -7]) == .value(2 + 4 + 32))
    }

    static let countDown = """
    def down(n):    # down(n) = n, recursing n deep
        LOAD_FAST n
        POP_JUMP_IF_TRUE more
        LOAD_CONST 0
        RETURN_VALUE
    more:
        LOAD_FAST n
        LOAD_CONST 1
        BINARY_OP -
        CALL down 1
        LOAD_CONST 1
        BINARY_OP +
        RETURN_VALUE
    """

    /// 100,000 active calls are allowed, the next one traps, and a run after a trap starts afresh.
    @Test func recursionLimit() throws {
        let p = try compileSBC(Self.countDown)
        let ok = try p.run("down", arguments: [99_999], io: ProgramIO())
        #expect(ok.value == 99_999)
        let deep = try p.run("down", arguments: [100_000], io: ProgramIO())
        #expect(deep.trap?.kind == .recursionLimit)
        #expect(deep.trap?.function == "down")
        #expect(try p.run("down", arguments: [99_999], io: ProgramIO()).value == 99_999)
    }

    static let rangeCount = """
    def count(a, b, c):   # len(range(a, b, c)) by iterating
        LOAD_CONST 0
        STORE_FAST n
        LOAD_FAST a
        LOAD_FAST b
        LOAD_FAST c
    top:
        FOR_RANGE done
        POP_TOP
        LOAD_FAST n
        LOAD_CONST 1
        BINARY_OP +
        STORE_FAST n
        JUMP top
    done:
        LOAD_FAST n
        RETURN_VALUE
    """

    /// Ranges that end next to the int64 limits stop instead of wrapping, with a
    /// step in a register and with constant steps (the lowering specialises those).
    @Test(arguments: [
        (Int64.max - 5, Int64.max, Int64(2), Int64(3)), (.max - 5, .max, 1, 5), (.min + 5, .min, -2, 3), (.min + 5, .min, -1, 5),
        (0, 10, 3, 4), (10, 0, -3, 4), (0, 10, -1, 0), (10, 0, 1, 0), (.min, .max, .max, 3), (.max, .min, .min, 2),
        (-3, 3, 1, 6), (3, -3, -4, 2),
    ])
    func rangeLengths(a: Int64, b: Int64, step: Int64, expected: Int64) throws {
        let p = try compileSBC(Self.rangeCount)
        #expect(try run(p, "count", [a, b, step]) == .value(expected))
        let constantStep = Self.rangeCount.replacingOccurrences(of: "    LOAD_FAST c\n", with: "    LOAD_CONST \(step)\n")
        #expect(try run(try compileSBC(constantStep), "count", [a, b, 0]) == .value(expected))
    }

    @Test func zeroStepTraps() throws {
        let p = try compileSBC(Self.rangeCount)
        #expect(try run(p, "count", [0, 10, 0]) == .trap(.zeroRangeStep))
    }
}
