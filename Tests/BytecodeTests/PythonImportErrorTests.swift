import BytecodeFrontend
import Foundation
import JitIR
import Testing

/// Constructs outside the supported subset are rejected with the line (and,
/// from 3.11 on, the column) of the construct, with every CPython 3.10–3.13.
struct PythonImportErrorTests {
    static let program = """
    def ok(a, b):
        return a // b

    def uses_list(n):
        xs = [1, 2]
        return n

    def uses_float(n):
        return n * 1.5

    def true_div(a, b):
        return a / b

    def uses_attr(n):
        return n.bit_length()

    def uses_global(n):
        return n + LIMIT

    def big_const(n):
        return n + 99999999999999999999

    def uses_try(n):
        try:
            return n // 0
        except ZeroDivisionError:
            return 0

    def returns_none(n):
        if n:
            return 1

    def iterates_tuple(n):
        for x in (1, 2, 3):
            n += x
        return n

    def calls_unsupported(n):
        return uses_list(n)

    def keyword_call(n):
        return ok(a=n, b=2)

    def star_args(*args):
        return 0

    def closure(n):
        def g():
            return n
        return g()

    def generator(n):
        yield n

    def maybe_unbound(n):
        if n:
            x = 1
        return x

    def is_test(n):
        return n is None

    def wrong_arity(n):
        return ok(n)

    def uses_print(n):
        print(n)
        return n

    def uses_string(n):
        s = "abc"
        return n

    LIMIT = 10
    """

    /// Entry, the line, the column with 3.11+ (nil: not checked), and what the message says.
    static let cases: [(entry: String, line: Int, column: Int?, message: String)] = [
        ("uses_list", 5, 10, "unsupported list"),
        ("uses_float", 9, 16, "unsupported float constant 1.5"),
        ("true_div", 12, 12, "unsupported operator /"),
        ("uses_attr", 15, 12, "unsupported attribute access"),
        ("uses_global", 18, 16, "unsupported global name 'LIMIT'"),
        ("big_const", 21, 16, "integer constant 99999999999999999999 does not fit in 64 bits"),
        ("uses_try", 24, nil, "unsupported try/except or with statement"),
        ("returns_none", 30, nil, "unsupported None value"),
        ("iterates_tuple", 34, 14, "unsupported tuple constant (1, 2, 3)"),
        ("calls_unsupported", 5, 10, "unsupported list"),
        ("keyword_call", 42, 12, "unsupported keyword arguments"),
        ("star_args", 44, nil, "unsupported *args or **kwargs parameters in 'star_args'"),
        ("closure", 47, nil, "unsupported nested function or closure in 'closure'"),
        ("generator", 52, nil, "unsupported generator or coroutine function"),
        ("maybe_unbound", 58, 12, "local 'x' may be used before it is assigned"),
        ("is_test", 61, 12, "unsupported 'is' comparison"),
        ("wrong_arity", 64, 12, "'ok' takes 2 positional argument(s), but 1 were given"),
        ("uses_print", 67, 5, "unsupported global name 'print'"),
        ("uses_string", 71, 9, "unsupported str constant 'abc'"),
    ]

    /// Once per CPython 3.10-3.13 found on this machine.
    @Test(.enabled(if: PythonInterpreters.any != nil, PythonInterpreters.absent), arguments: PythonInterpreters.minors)
    func unsupportedConstructs(minor: Int) throws {
        let python = try #require(PythonInterpreters.byMinor[minor])
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("prog.py", Self.program)
        let source = try PythonSource.load(file: file, python: python)
        for c in Self.cases {
            let e = sourceError { _ = try source.module(entry: c.entry) }
            #expect(e?.file == file)
            #expect(e?.loc.line == Int32(c.line), "\(c.entry) with 3.\(minor): \(e?.description ?? "no error")")
            if minor >= 11, let column = c.column {
                #expect(e?.loc.column == Int32(column), "\(c.entry) with 3.\(minor): \(e?.description ?? "no error")")
            }
            #expect(e?.message.hasPrefix(c.message) == true, "\(c.entry) with 3.\(minor): \(e?.message ?? "no error")")
            #expect(e?.description.hasPrefix("\(file):\(c.line):") == true)
        }
        // The supported function of the same file imports and runs.
        #expect(try run(try compile(source.module(entry: "ok")), "ok", [-7, 2]) == .value(-4))
    }

    @Test(.enabled(if: PythonInterpreters.any != nil, PythonInterpreters.absent))
    func fileLevelErrors() throws {
        let python = try #require(PythonInterpreters.any)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let broken = try dir.write("broken.py", "def f(n):\n    return n +\n")
        let syntax = sourceError { _ = try BytecodeFrontend.importPython(file: broken, python: python, entry: "f") }
        #expect(syntax?.loc.line == 2)
        #expect(syntax?.message.hasPrefix("SyntaxError:") == true)

        let good = try dir.write("good.py", "def f(n):\n    return n\nX = 1\n")
        let missing = sourceError { _ = try BytecodeFrontend.importPython(file: good, python: python, entry: "g") }
        #expect(missing?.message == "no function 'g' in the file (functions: f)")
        let notFunction = sourceError { _ = try BytecodeFrontend.importPython(file: good, python: python, entry: "X") }
        #expect(notFunction?.message.contains("not a function defined by a plain `def`") == true)

        let noFile = sourceError { _ = try BytecodeFrontend.importPython(file: dir.path + "/absent.py", python: python, entry: "f") }
        #expect(noFile?.message.hasPrefix("cannot read the file") == true)

        let noPython = sourceError {
            _ = try BytecodeFrontend.importPython(file: good, python: dir.path + "/no-such-python", entry: "f")
        }
        #expect(noPython?.message.hasPrefix("cannot run") == true)
    }

    /// Imported instructions carry Python's positions, and so do traps.
    @Test(.enabled(if: PythonInterpreters.any != nil, PythonInterpreters.absent))
    func positionsReachTheIR() throws {
        let python = try #require(PythonInterpreters.byMinor[12] ?? PythonInterpreters.any)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("pos.py", "def f(a, b):\n    x = a + 1\n    return x // b\n")
        let ir = try BytecodeFrontend.lower(try BytecodeFrontend.importPython(file: file, python: python, entry: "f"))
        let f = try #require(ir.function(named: "f"))
        let all = f.blocks.flatMap(\.instructions)
        #expect(all.allSatisfy { $0.loc.isKnown })
        let division = try #require(all.first { if case .binary(.sdiv, _, _, _, _) = $0.op { true } else { false } })
        #expect(division.loc == SourceLoc(line: 3, column: 12))
        let addition = try #require(all.first { if case .binary(.add, _, _, _, true) = $0.op { true } else { false } })
        #expect(addition.loc == SourceLoc(line: 2, column: 9))
        let r = try Interpreter().compile(ir).run("f", arguments: [5, 0], io: ProgramIO())
        #expect(r.trap == Trap(kind: .divisionByZero, loc: SourceLoc(line: 3, column: 12), function: "f"))
    }
}
