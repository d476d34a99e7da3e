import BFFrontend
import Foundation
import JitIR
import Testing
import TestSupport
@testable import X86Backend

/// The shared BF corpus: every program gives byte-identical output on x86.
@Suite struct BFCorpusTests {
    /// Programs left out to keep this target quick in debug builds (they pass; see the
    /// measuring notes): long runs, or sources so large that the debug-built frontend
    /// and compiler take many seconds.
    static let skipped: Set<String> = [
        "prime",  // ~65535-step countdown loops over 16-bit cells: tens of seconds
        "zozotez", "mandelbrot-huge", "dbfi", "pidigits", "collatz", "counter",  // > 1 s native
        "lostkingdom", "optimtease", "awib",  // 0.2-4 MB of BF: slow to translate in a debug build
    ]

    static let programs: [String] = {
        guard let dir = SharedData.bfCorpus,
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { $0.hasSuffix(".bf") }.map { String($0.dropLast(3)) }
            .filter { !skipped.contains($0) }.sorted()
    }()

    struct Program {
        var source: [UInt8]
        var options: BFOptions
        var input: [UInt8]
        var output: [UInt8]
        var expect: String?

        init(_ name: String, in dir: URL) throws {
            func data(_ ext: String) -> Data? { try? Data(contentsOf: dir.appendingPathComponent("\(name).\(ext)")) }
            source = [UInt8](data("bf") ?? Data())
            options = try BFOptions(argumentsText: data("args").map { String(decoding: $0, as: UTF8.self) } ?? "")
            input = [UInt8](data("in") ?? Data())
            output = [UInt8](data("out") ?? Data())
            expect = data("expect").map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }

    @Test(.enabled(if: SharedData.bfCorpus != nil), arguments: programs)
    func programOutput(_ name: String) throws {
        let p = try Program(name, in: SharedData.bfCorpus!)
        if p.expect == "error" {
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
