import Foundation
import JitCtl
import JitIR
import Testing

/// An engine that runs the interpreter and then writes one extra byte: a
/// deliberately faulty backend, only for proving that `compare` notices.
struct FaultyEngine: ExecutionEngine {
    var name: String { "faulty" }
    func compile(_ module: Module) throws -> any CompiledProgram { Faulty(inner: try Interpreter().compile(module)) }

    final class Faulty: CompiledProgram {
        let inner: any CompiledProgram
        init(inner: any CompiledProgram) { self.inner = inner }
        func run(_ function: String, arguments: [Int64], io: ProgramIO, options: RunOptions) throws -> RunResult {
            let r = try inner.run(function, arguments: arguments, io: io, options: options)
            io.write(UInt8(ascii: "!"))
            return r
        }
    }
}

@Suite("jitctl compare")
struct CompareTests {
    static let program = "++++++++[>++++++++<-]>+.+.+.[-]++++++++++."  // "ABC\n"

    @Test("the library reports the first differing byte of a faulty backend")
    func mismatchThroughLibrary() throws {
        let path = try CLI.temporaryFile("abc.bf", Self.program)
        let comparison = try Comparer.compare(
            path: path, program: ProgramOptions(),
            contenders: [Comparer.Contender(.interp), Comparer.Contender(name: "faulty") { FaultyEngine() }],
            options: Comparer.Options(runs: 2, warmup: 0))
        let mismatch = try #require(comparison.mismatch)
        #expect(mismatch.aspect == "stdout")
        #expect(mismatch.offset == 4)
        #expect(mismatch.otherContext.contains("⟦!⟧"))
        #expect(comparison.backends[1].matchesReference == false)
        #expect(comparison.backends[0].outcome.stdout == Array("ABC\n".utf8))
        #expect(comparison.backends[1].timings[.run]?.runs.count == 2)
    }

    @Test("outcomes of all three backends match, with a table, JSON and Markdown")
    func matchingBackends() throws {
        let path = try CLI.temporaryFile("abc.bf", Self.program)
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("cmp-\(UUID()).json").path
        let md = FileManager.default.temporaryDirectory.appendingPathComponent("cmp-\(UUID()).md").path
        let r = try CLI.run(["compare", path, "--backends", "x86,llvm,interp", "--runs", "3", "--warmup", "1",
                             "-O", "1", "--export-json", json, "--export-markdown", md])
        #expect(r.status == 0, "\(r.stderr)")
        for phase in ["frontend+lowering", "IR optimisation", "backend compile", "run"] {
            #expect(r.stdoutText.contains(phase))
        }
        #expect(r.stdoutText.contains(" faster than "))
        #expect(r.stdoutText.contains("outcomes match on all 3 backends"))
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        #expect(doc["allMatch"] as? Bool == true)
        #expect(doc["runs"] as? Int == 3)
        let backends = try #require(doc["backends"] as? [[String: Any]])
        #expect(backends.map { $0["name"] as? String } == ["x86", "llvm", "interp"])
        for b in backends {
            #expect(b["exitStatus"] as? Int == 0)
            #expect(b["matchesReference"] as? Bool == true)
            #expect((b["stdoutSHA256"] as? String)?.count == 64)
            let phases = try #require(b["phases"] as? [String: [String: Any]])
            #expect(Set(phases.keys) == ["frontend", "optimize", "compile", "run"])
            #expect((phases["run"]?["runs"] as? [Double])?.count == 3)
            #expect(phases["compile"]?["mean"] is Double)
        }
        let markdown = try String(contentsOfFile: md, encoding: .utf8)
        #expect(markdown.contains("| x86 | run |"))
    }

    @Test("--input feeds every backend, and a trap is an outcome to compare")
    func inputAndTrap() throws {
        let path = try CLI.temporaryFile("echo.bf", ",.,.<.")
        let input = try CLI.temporaryFile("in.txt", "xy")
        let r = try CLI.run(["compare", path, "--input", input, "--runs", "1", "--warmup", "0", "--backends", "interp,x86,llvm"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText.contains("trap out_of_bounds at 1:6"))
    }

    @Test("bytecode programs compare their returned value", .enabled(if: CLI.hasSupportedPython3, CLI.noPython3))
    func bytecode() throws {
        let py = try CLI.temporaryFile("sq.py", "def sq(a, b):\n    return a * a - b * b\n")
        let r = try CLI.run(["compare", py, "--call", "sq(12, 5)", "--runs", "2", "--backends", "x86,llvm,interp"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText.contains("returned 119"))
    }

    @Test("bad --backends lists are user errors")
    func badBackends() throws {
        let path = try CLI.temporaryFile("a.bf", "+")
        for list in ["x86,gpu", "x86,x86", ""] {
            let r = try CLI.run(["compare", path, "--backends", list])
            #expect(r.status == 1, "\(list)")
        }
    }

    @Test("SHA-256 matches known digests")
    func digest() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1000)).hasPrefix("41edece42d63e8d9"))
    }

    @Test("timing summaries")
    func summaries() {
        let s = TimingSummary([1, 2, 3, 4])
        #expect(s.mean == 2.5)
        #expect(abs(s.stddev - 1.2909944) < 1e-6)
        #expect(s.min == 1 && s.max == 4 && s.count == 4)
        #expect(TimingSummary([5]).stddev == 0)
        #expect(formatSeconds(0.0123) == "12.30 ms")
        #expect(formatSeconds(2.5e-6) == "2.500 µs")
    }
}
