import BFFrontend
import JitIR
import TestSupport
import Testing

/// `BFFoldingParser` stands in for parsing, the literal translation and
/// `RunLengthFolding` together: it must give exactly their ops and errors.
@Suite struct FoldingParserTests {
    static func expected(_ source: [UInt8], _ options: BFOptions) throws -> [BFOp] {
        RunLengthFolding().run(BFOp.literal(try BFParser.parse(source, file: "t.bf")), BFPassContext(options: options))
    }

    @Test(arguments: [8, 16, 32])
    func generatedProgramsFoldAsThePass(cellBits: Int) throws {
        var options = BFOptions()
        options.cellBits = cellBits
        for seed in 0..<300 as Range<UInt64> {
            var g = ProgramGenerator(seed: seed)
            let source = g.program()
            #expect(try BFFoldingParser.parse(source, file: "t.bf", BFPassContext(options: options))
                    == Self.expected(source, options), "seed \(seed)")
        }
    }

    @Test func literalParseIsTheTreesTranslation() throws {
        for seed in 0..<300 as Range<UInt64> {
            var g = ProgramGenerator(seed: seed)
            let source = g.program() + Array("<>+-".utf8)
            #expect(try BFFoldingParser.parse(source, file: "t.bf", nil) == BFOp.literal(BFParser.parse(source, file: "t.bf")))
        }
    }

    @Test(arguments: ["", "+<>+", "><<>+", String(repeating: "+", count: 300), "+[-]-\n[>+<-<>]>>.<<,",
                      "+++[>+<-]<>>>--[]", "-", "<", "+-+-", "+-+", "<><>>", "+>>\n<<+", "+><+", "><\n<>-",
                      "+>x<+<>>.", String(repeating: "-", count: 129) + "[" + String(repeating: "<>", count: 9) + "]"])
    func foldsAsThePass(source: String) throws {
        let bytes = Array(source.utf8)
        #expect(try BFFoldingParser.parse(bytes, file: "t.bf", BFPassContext(options: BFOptions()))
                == Self.expected(bytes, BFOptions()))
    }

    @Test(arguments: ["+]", "[]\n\n  ]", "[[]", "[+[", String(repeating: "[", count: BFParser.maximumNesting + 1)])
    func reportsTheTreeParsersErrors(source: String) {
        let bytes = Array(source.utf8)
        var expected: SourceError?
        do { _ = try BFParser.parse(bytes, file: "bad.bf") } catch { expected = error }
        var actual: SourceError?
        do { _ = try BFFoldingParser.parse(bytes, file: "bad.bf", BFPassContext(options: BFOptions())) } catch { actual = error }
        var literal: SourceError?
        do { _ = try BFFoldingParser.parse(bytes, file: "bad.bf", nil) } catch { literal = error }
        #expect(expected != nil)
        #expect(actual?.loc == expected?.loc && actual?.message == expected?.message)
        #expect(literal?.loc == expected?.loc && literal?.message == expected?.message)
    }

    @Test func pipelineStartsWithTheFoldingItReplaces() {
        #expect(BFPipeline.passes.first is RunLengthFolding)
    }

    /// The frontend's optimised ops are the pipeline's on the literal program.
    @Test(.enabled(if: SharedData.bfCorpus != nil, "../shared/corpus/bf is absent"), arguments: CorpusProgram.allNames)
    func corpusOpsMatchThePipeline(name: String) throws {
        let dir = try #require(SharedData.bfCorpus)
        let program = try #require(CorpusProgram.load(name, from: dir))
        var options = BFOptions()
        if program.arguments.contains("16") { options.cellBits = 16 }
        guard let literal = try? BFOp.literal(BFParser.parse(program.source, file: "t.bf")) else {
            // A program with unmatched brackets: the frontend rejects it as the tree parser does.
            #expect(throws: SourceError.self) { try BFFrontend.ops(source: program.source, file: "t.bf", options: options) }
            return
        }
        #expect(try BFFrontend.ops(source: program.source, file: "t.bf", options: options)
                == BFPipeline.run(literal, options: options))
    }
}
