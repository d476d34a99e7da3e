import BFFrontend
import Foundation
import JitIR
import LLVMBackend
import TestSupport
import Testing

/// Small programs of the shared BF corpus, compiled by the BF frontend and run by LLVM code:
/// stdout must be exactly `.out`, and a program marked `trap` must trap after printing it.
@Suite struct BFCorpusTests {
    /// Quick programs (at most a few million steps) covering I/O, EOF modes, cell widths and the tape edge.
    static let programs = ["hello", "squares", "rot13", "cat", "cat-eof0", "bottles", "cell-type", "cellsize",
                           "cristofd-misctest", "endtest", "cristofd-leftmargin", "cristofd-rightmargin", "yapi"]

    /// The options a corpus `.args` file names (`--eof`, `--tape-size`, `--cell-bits`).
    static func options(_ args: String?) throws -> BFOptions {
        var options = BFOptions()
        let words = (args ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
        var i = 0
        while i + 1 < words.count {
            switch words[i] {
            case "--eof": options.eof = try #require(BFOptions.EOFMode(rawValue: words[i + 1]))
            case "--tape-size": options.tapeSize = try #require(Int(words[i + 1]))
            case "--cell-bits": options.cellBits = try #require(Int(words[i + 1]))
            default: Issue.record("unknown corpus option \(words[i])")
            }
            i += 2
        }
        return options
    }

    @Test(.enabled(if: SharedData.bfCorpus != nil, "../shared/corpus/bf is absent"), arguments: LLVMEngineKind.allCases)
    func smallCorpusProgramsPrintTheirExpectedOutput(engine: LLVMEngineKind) throws {
        let corpus = try #require(SharedData.bfCorpus)
        func read(_ name: String) -> Data? { try? Data(contentsOf: corpus.appendingPathComponent(name)) }
        let backend = LLVMBackend(optLevel: 2, engine: engine)
        for name in Self.programs {
            guard let source = read("\(name).bf"), let expected = read("\(name).out") else {
                Issue.record("\(name) is missing from the corpus")
                continue
            }
            let options = try Self.options(read("\(name).args").map { String(decoding: $0, as: UTF8.self) })
            let expectsTrap = read("\(name).expect").map { String(decoding: $0, as: UTF8.self).hasPrefix("trap") } ?? false
            let module = try BFFrontend.compile(source: Array(source), file: "\(name).bf", options: options)
            let program = try backend.compile(module)
            let io = ProgramIO(input: .bytes(Array(read("\(name).in") ?? Data())), output: .capture)
            let result = try program.run("main", io: io)
            #expect(io.allOutput == Array(expected), "\(name) with \(engine): output differs")
            if expectsTrap {
                #expect(result.trap?.kind == .outOfBounds, "\(name) with \(engine) should trap out_of_bounds")
            } else {
                #expect(result.trap == nil, "\(name) with \(engine) trapped: \(result.trap.map(String.init(describing:)) ?? "")")
            }
        }
    }

    /// `prime` (primes up to the 1030 on its stdin) needs 16-bit cells and spends its time in
    /// countdown loops of up to 65,535 iterations, which LLVM's optimiser folds: the whole
    /// compile and run takes about 0.3 s here even in a debug build, while x86 needs over a
    /// minute (see X86Tests/BFCorpusTests), so prime runs on LLVM only.
    @Test(.enabled(if: SharedData.bfCorpus != nil, "../shared/corpus/bf is absent"), arguments: LLVMEngineKind.allCases)
    func primeWithSixteenBitCells(engine: LLVMEngineKind) throws {
        let corpus = try #require(SharedData.bfCorpus)
        func read(_ ext: String) throws -> Data { try Data(contentsOf: corpus.appendingPathComponent("prime.\(ext)")) }
        let options = try Self.options(String(decoding: try read("args"), as: UTF8.self))
        #expect(options.cellBits == 16, "prime.args should ask for 16-bit cells")
        let module = try BFFrontend.compile(source: Array(try read("bf")), file: "prime.bf", options: options)
        let io = ProgramIO(input: .bytes(Array(try read("in"))), output: .capture)
        let result = try LLVMBackend(optLevel: 2, engine: engine).compile(module).run("main", io: io)
        #expect(result.trap == nil)
        let expected = Array(try read("out"))
        #expect(io.allOutput == expected, "prime with \(engine): \(String(decoding: io.allOutput, as: UTF8.self))")
        #expect(expected.count > 600, "prime.out lists the primes up to 1030")
    }
}
