import BytecodeFrontend
import JitCtl
import Foundation
import JitIR
import TestSupport
import Testing

/// The benchmark functions of ../shared/bench/py/bench.py, imported with each
/// CPython 3.10–3.13, give what that same CPython computes (small arguments).
struct BenchImportTests {
    static let calls: [(name: String, args: [Int64])] = [
        ("foo", [7, 3]), ("arith", [200]), ("fib", [15]), ("tak", [12, 8, 4]), ("sum_sq_mod", [300, 1009]),
        ("collatz_total", [60]), ("gcd", [1071, 462]), ("gcd_sum", [25]), ("isqrt", [1_000_001]),
        ("isqrt_sum", [150]), ("count_primes", [300]), ("mandel", [16, 20]), ("pythag", [25]),
        ("floordiv_mix", [300]),
    ]

    /// What `python` computes for `calls` by importing bench.py itself.
    static func expected(python: String, directory: String) throws -> [Int64] {
        let script = """
        import sys, json
        sys.path.insert(0, sys.argv[1])
        import bench
        print(json.dumps([int(getattr(bench, n)(*a)) for n, a in json.loads(sys.argv[2])]))
        """
        let request = "[" + calls.map { c in "[\"\(c.name)\", [\(c.args.map(String.init).joined(separator: ","))]]" }
            .joined(separator: ",") + "]"
        let out = try PythonInterpreters.run(python, ["-B", "-c", script, directory, request])
        try #require(out.status == 0, "python failed: \(out.stderr)")
        let numbers = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [NSNumber])
        return numbers.map(\.int64Value)
    }

    static let benchAbsent: Comment = "../shared/bench/py is absent"

    /// Once per CPython 3.10-3.13 found on this machine.
    @Test(.enabled(if: SharedData.pythonBench != nil, benchAbsent),
          .enabled(if: PythonInterpreters.any != nil, PythonInterpreters.absent),
          arguments: PythonInterpreters.minors)
    func benchmarksMatchCPython(minor: Int) throws {
        let python = try #require(PythonInterpreters.byMinor[minor])
        let dir = try #require(SharedData.pythonBench)
        let file = dir.appendingPathComponent("bench.py").path
        let expected = try Self.expected(python: python, directory: dir.path)
        let source = try PythonSource.load(file: file, python: python)
        #expect(source.pythonVersion.prefix(2) == [3, minor])
        for (call, want) in zip(Self.calls, expected) {
            let m = try source.module(entry: call.name)
            #expect(m.functions.first?.name == call.name)
            let ir = try BytecodeFrontend.lower(m)
            try IRVerifier.verify(ir)
            for backend in BackendKind.allCases {
                let p = try backend.makeEngine().compile(ir)
                #expect(try run(p, call.name, call.args) == .value(want), "\(call.name)\(call.args) with 3.\(minor) on \(backend)")
            }
        }
    }

    /// Only the entry and what it calls are imported: `main` (which uses
    /// globals(), print, tuples) stays out of tak's module.
    @Test(.enabled(if: SharedData.pythonBench != nil, benchAbsent),
          .enabled(if: PythonInterpreters.any != nil, PythonInterpreters.absent))
    func importsOnlyTheCallGraph() throws {
        let python = try #require(PythonInterpreters.any)
        let dir = try #require(SharedData.pythonBench)
        let source = try PythonSource.load(file: dir.appendingPathComponent("bench.py").path, python: python)
        #expect(source.functionNames.contains("main"))
        #expect(try source.module(entry: "gcd_sum").functions.map(\.name) == ["gcd_sum", "gcd"])
        #expect(try source.module(entry: "arith").functions.map(\.name) == ["arith", "foo"])
        let e = sourceError { _ = try source.module(entry: "main") }
        #expect(e?.message.hasPrefix("unsupported") == true)
    }
}
