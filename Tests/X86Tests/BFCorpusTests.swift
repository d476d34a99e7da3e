import BFFrontend
import Foundation
import JitIR
import Testing
import TestSupport
@testable import X86Backend

/// The shared BF corpus: every program gives byte-identical output on x86.
@Suite struct BFCorpusTests {
    /// Programs left out because one compile and run on x86 takes more than 1 s in a debug
    /// build. Measured with `jitctl compare --backends x86 --runs 1 --warmup 0` (debug build,
    /// the corpus's .args and .in) on the 2-core development machine while other builds ran;
    /// every other program took under 0.8 s (mandelbrot 0.74 s, counter 0.48 s, the rest < 0.3 s).
    /// All of these printed their `.out` when measured.
    static let skipped: [String: String] = [
        "prime": "run 81 s: countdown loops of up to 65,535 steps over 16-bit cells (LLVMTests runs it, in 0.3 s)",
        "zozotez": "run 11 s (LISP interpreter in BF, 16-bit cells)",
        "mandelbrot-huge": "run 3.3 s",
        "dbfi": "run 2.5 s (BF self-interpreter running itself)",
        "pidigits": "run 1.5 s",
        "collatz": "run 1.1 s",
        "awib": "1.3 s: run 0.8 s, frontend and compile 0.4 s",
        "lostkingdom": "5.5 s to translate 2.1 MB of BF: frontend 3.8 s, passes 0.5 s, x86 compile 1.1 s (run 2 ms)",
        "optimtease": "2.5 s to translate 200 KB of BF: frontend 1.1 s, x86 compile 1.1 s (run 1 ms)",
    ]

    static let programs: [String] = {
        guard let dir = SharedData.bfCorpus,
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { $0.hasSuffix(".bf") }.map { String($0.dropLast(3)) }
            .filter { skipped[$0] == nil }.sorted()
    }()

    /// Every name on the skip list is a program of the corpus (no stale entries).
    @Test(.enabled(if: SharedData.bfCorpus != nil, "../shared/corpus/bf is absent"))
    func skippedProgramsExist() throws {
        let dir = try #require(SharedData.bfCorpus)
        for name in Self.skipped.keys.sorted() {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("\(name).bf").path), "\(name).bf")
        }
    }

    struct Program {
        var source: [UInt8]
        var options: BFOptions
        var input: [UInt8]
        var output: [UInt8]
        var expect: String?

        /// `.bf` must be there, and `.out` unless the program is expected to be rejected;
        /// `.args`, `.in` and `.expect` are optional.
        init(_ name: String, in dir: URL) throws {
            func data(_ ext: String) -> Data? { try? Data(contentsOf: dir.appendingPathComponent("\(name).\(ext)")) }
            source = [UInt8](try #require(data("bf"), "\(name).bf is unreadable"))
            options = try BFOptions(argumentsText: data("args").map { String(decoding: $0, as: UTF8.self) } ?? "")
            input = [UInt8](data("in") ?? Data())
            expect = data("expect").map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            output = expect == "error" ? [] : [UInt8](try #require(data("out"), "\(name).out is missing"))
        }
    }

    /// A program marked `error` must be rejected by the frontend; every other one must print
    /// its `.out` on x86 (and trap as the interpreter does when marked `trap`).
    @Test(.enabled(if: SharedData.bfCorpus != nil, "../shared/corpus/bf is absent"), arguments: programs)
    func programOutput(_ name: String) throws {
        let p = try Program(name, in: try #require(SharedData.bfCorpus))
        guard p.expect != "error" else {
            #expect(throws: SourceError.self) { try BFFrontend.compile(source: p.source, file: "\(name).bf", options: p.options) }
            return
        }
        let module = try BFFrontend.compile(source: p.source, file: "\(name).bf", options: p.options)
        let io = ProgramIO(input: .bytes(p.input), output: .capture)
        let result = try X86Backend().compile(module).run("main", arguments: [], io: io)
        let output = io.allOutput
        #expect(output == p.output, "output differs (\(output.count) bytes, expected \(p.output.count))")
        if p.expect == "trap" {
            // Runs off the tape: the same trap, at the same place, as the interpreter reports.
            let reference = try Interpreter().compile(module).run("main", arguments: [], io: ProgramIO(input: .bytes(p.input)))
            #expect(result.trap != nil)
            #expect(result.trap == reference.trap)
        } else {
            #expect(result.trap == nil)
        }
    }

    /// Running off either end of a small tape traps `out_of_bounds` at the same
    /// command as in the interpreter, with and without the frontend's optimisations.
    @Test(arguments: ["<+", "+[>+]", "+[<+]", ">>>>>>>>>>>>>>>>.", "+[>>>+<<<[->>+<<]>>]", ",[>,]", "+>+>+[<]", ">+>+>+>+>+>+>+>+>+>+>+>+>+>+[>]<[<<]"])
    func tapeRunOffTraps(_ source: String) throws {
        for optimize in [true, false] {
            let options = BFOptions(tapeSize: 12, optimize: optimize)
            let module = try BFFrontend.compile(source: Array(source.utf8), file: "edge.bf", options: options)
            let input = Array("abcdefghijklmnopqrstuvwxyz".utf8)
            try expectSameAsInterpreter(module, input: input, variants: [x86Variants[0]])
            let result = try X86Backend().compile(module).run("main", arguments: [], io: ProgramIO(input: .bytes(input)))
            #expect(result.trap?.kind == .outOfBounds)
            #expect(result.trap?.loc.isKnown == true)
        }
    }
}
