import Foundation
import Testing

/// Our own example programs, run as the README shows, on every backend.
@Suite("examples")
struct ExampleTests {
    static func fib(_ n: Int64) -> Int64 { n < 2 ? n : fib(n - 1) + fib(n - 2) }

    @Test("examples/fib.sbc", arguments: ["interp", "x86", "llvm"])
    func fibSBC(backend: String) throws {
        var r = try CLI.run(["run", "--backend", backend, CLI.example("fib.sbc"), "--call", "fib(22)"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText == "\(Self.fib(22))\n")
        r = try CLI.run(["run", "--backend", backend, CLI.example("fib.sbc"), "--call", "fib_sum(15)"])
        #expect(r.stdoutText == "\((0..<15).map { Self.fib($0) }.reduce(0, +))\n")
    }

    @Test("examples/numbers.py agrees with CPython",
          .enabled(if: CLI.hasSupportedPython3, CLI.noPython3), arguments: ["interp", "x86", "llvm"])
    func numbersPy(backend: String) throws {
        let calls = ["collatz_steps(27)", "gcd(1071, 462)", "gcd(-48, 18)", "digit_sum(-9876543210)"]
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Import by path: the module name 'numbers' clashes with the standard library.
        let loader = """
            import importlib.util, sys
            spec = importlib.util.spec_from_file_location("jitctl_example_numbers", sys.argv[1])
            m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
            for c in sys.argv[2:]: print(eval(c, vars(m)))
            """
        python.arguments = ["python3", "-c", loader, CLI.example("numbers.py")] + calls
        let out = Pipe()
        python.standardOutput = out
        try python.run()
        let expected = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        python.waitUntilExit()
        try #require(python.terminationStatus == 0)
        #expect(expected.count == calls.count)
        for (call, want) in zip(calls, expected) {
            let r = try CLI.run(["run", "--backend", backend, CLI.example("numbers.py"), "--call", call])
            #expect(r.status == 0, "\(call): \(r.stderr)")
            #expect(r.stdoutText == want + "\n", "\(call)")
        }
    }
}
