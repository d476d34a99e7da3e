import Foundation
import Testing
import TestSupport

@Suite("jitctl run")
struct RunCommandTests {
    static let backends = ["interp", "x86", "llvm"]

    @Test("our hello example prints its expected output", arguments: backends)
    func helloExample(backend: String) throws {
        let expected = try #require(FileManager.default.contents(atPath: CLI.example("hello-jitctl.out")))
        let r = try CLI.run(["run", "--backend=\(backend)", CLI.example("hello-jitctl.bf")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == [UInt8](expected))
    }

    @Test("unbalanced brackets give file:line:col and exit 1")
    func unbalanced() throws {
        let open = try CLI.temporaryFile("open.bf", "+\n ++[->\n")
        var r = try CLI.run(["run", open])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(open):2:4: error: unmatched '['"), "\(r.stderr)")
        let close = try CLI.temporaryFile("close.bf", "+]")
        r = try CLI.run(["run", close])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(close):1:2: error:"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("a missing file or a directory is a clear error with exit 1")
    func missingAndDirectory() throws {
        var r = try CLI.run(["run", "/nonexistent/prog.bf"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent/prog.bf: error: no such file"))
        let dir = FileManager.default.temporaryDirectory.path
        r = try CLI.run(["run", dir])
        #expect(r.status == 1)
        #expect(r.stderr.contains("is a directory"))
    }

    @Test("empty and binary files are valid programs", arguments: backends)
    func emptyAndBinary(backend: String) throws {
        let empty = try CLI.temporaryFile("empty.bf", [UInt8]())
        var r = try CLI.run(["run", "--backend", backend, empty])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        // Binary bytes are comments; the only commands here print 'A' (65 = 13*5).
        var bytes: [UInt8] = [0, 0xFF, 0x80, 0x7F]
        bytes += Array("+++++++++++++[>+++++<-]>".utf8) + [0xC3, 0x00, 0x0A] + Array(".".utf8)
        let binary = try CLI.temporaryFile("binary.bin", bytes)
        r = try CLI.run(["run", "--backend", backend, binary])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == [65])
    }

    @Test("touching a cell off either end traps with status 3 and a position", arguments: backends)
    func tapeEdges(backend: String) throws {
        let left = try CLI.temporaryFile("left.bf", "+.\n<>.<.")
        var r = try CLI.run(["run", "--backend", backend, left])
        #expect(r.status == 3)
        #expect(r.stdout == [1, 1], "output before the trap is flushed")
        #expect(r.stderr.contains("\(left):2:5: trap: cell access outside the tape"), "\(r.stderr)")
        let right = try CLI.temporaryFile("right.bf", ">>>+")
        r = try CLI.run(["run", "--backend", backend, "--tape-size", "3", right])
        #expect(r.status == 3)
        #expect(r.stderr.contains("\(right):1:4: trap:"), "\(r.stderr)")
    }

    @Test("dialect options change cell width and EOF", arguments: backends)
    func dialect(backend: String) throws {
        // 256 increments: 0 in 8-bit cells, non-zero in 16-bit cells.
        let prog = try CLI.temporaryFile("width.bf", String(repeating: "+", count: 256) + "[>+++++++++++++++++++++++++++++++++++++++++++++++++.<[-]]")
        var r = try CLI.run(["run", "--backend", backend, prog])
        #expect(r.status == 0 && r.stdout.isEmpty)
        r = try CLI.run(["run", "--backend", backend, "--cell-bits", "16", prog])
        #expect(r.status == 0 && r.stdout == [49], "\(r.stderr)")
        let eof = try CLI.temporaryFile("eof.bf", "+,.")
        for (mode, byte) in [("unchanged", UInt8(1)), ("zero", 0), ("minus-one", 255)] {
            r = try CLI.run(["run", "--backend", backend, "--eof", mode, eof])
            #expect(r.stdout == [byte], "--eof \(mode)")
        }
    }

    @Test("input comes from stdin", arguments: backends)
    func stdinInput(backend: String) throws {
        let cat = try CLI.temporaryFile("cat.bf", ",[.,]")
        let r = try CLI.run(["run", "--backend", backend, "--eof", "zero", cat], stdin: Array("hello\n".utf8))
        #expect(r.stdoutText == "hello\n")
    }

    @Test("bad options exit 1 with a message")
    func badOptions() throws {
        for args in [["run", "--cell-bits", "12", "x.bf"], ["run", "--eof", "sometimes", "x.bf"],
                     ["run", "--backend", "gpu", "x.bf"], ["run", "--tape-size", "0", "x.bf"], ["run", "-O", "7", "x.bf"]] {
            let r = try CLI.run(args)
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr.contains("rror"), "\(args): \(r.stderr)")
        }
    }

    @Test("--help explains every option")
    func help() throws {
        let r = try CLI.run(["run", "--help"])
        #expect(r.status == 0)
        for option in ["--backend", "--cell-bits", "--eof", "--tape-size", "--call", "--python", "-O", "--llvm-engine", "--no-bf-opt"] {
            #expect(r.stdoutText.contains(option), "\(option) missing from help")
        }
    }

    @Test("bytecode: --call prints the result; traps exit with their status",
          .enabled(if: CLI.hasSupportedPython3, CLI.noPython3), arguments: backends)
    func bytecodeCall(backend: String) throws {
        let py = try CLI.temporaryFile("prog.py", """
            def fib(n):
                if n < 2:
                    return n
                return fib(n - 1) + fib(n - 2)

            def div(a, b):
                return a // b

            def big(a):
                return a * a
            """)
        var r = try CLI.run(["run", "--backend", backend, py, "--call", "fib(15)"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText == "610\n")
        r = try CLI.run(["run", "--backend", backend, py, "--call", "div(-7, 2)"])
        #expect(r.stdoutText == "-4\n")
        r = try CLI.run(["run", "--backend", backend, py, "--call", "div(1, 0)"])
        #expect(r.status == 4)
        #expect(r.stderr.contains("\(py):7:"), "\(r.stderr)")
        #expect(r.stderr.contains("ZeroDivisionError"))
        r = try CLI.run(["run", "--backend", backend, py, "--call", "big(4000000000)"])
        #expect(r.status == 5)
        #expect(r.stderr.contains("OverflowError"))
    }

    @Test("a Python program needs --call, and an unknown function is an error", .enabled(if: CLI.hasSupportedPython3, CLI.noPython3))
    func pythonNeedsCall() throws {
        let py = try CLI.temporaryFile("f.py", "def f(a):\n    return a\n")
        var r = try CLI.run(["run", py])
        #expect(r.status == 1)
        #expect(r.stderr.contains("--call"))
        r = try CLI.run(["run", py, "--call", "g(1)"])
        #expect(r.status == 1)
        r = try CLI.run(["run", py, "--call", "f(1, 2)"])
        #expect(r.status == 1)
    }
}
