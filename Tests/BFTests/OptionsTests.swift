import BFFrontend
import JitIR
import Testing

@Suite struct OptionsTests {
    @Test func defaults() {
        let o = BFOptions()
        #expect(o.cellBits == 8 && o.eof == .unchanged && o.tapeSize == 1_048_576 && o.optimize)
        #expect(o.cellType == .i8 && o.problem == nil)
    }

    @Test func parsesCorpusArgumentFiles() throws {
        #expect(try BFOptions(argumentsText: "--cell-bits 16\n").cellBits == 16)
        #expect(try BFOptions(argumentsText: "--eof minus-one").eof == .minusOne)
        #expect(try BFOptions(argumentsText: "--eof zero").eof == .zero)
        let o = try BFOptions(arguments: ["--tape-size=30000", "--cell-bits=32", "--eof", "unchanged"])
        #expect(o.tapeSize == 30000 && o.cellBits == 32 && o.eof == .unchanged)
        #expect(try BFOptions(argumentsText: "").tapeSize == BFOptions.defaultTapeSize)
    }

    @Test(arguments: ["--cell-bits 12", "--eof maybe", "--tape-size 0", "--tape-size", "--fast", "--cell-bits x"])
    func rejectsBadArguments(text: String) {
        #expect(throws: BFOptionError.self) { try BFOptions(argumentsText: text) }
    }

    @Test func compileRejectsInvalidOptions() {
        #expect(throws: SourceError.self) {
            try BFFrontend.compile(source: [], file: "o.bf", options: BFOptions(cellBits: 7))
        }
        #expect(throws: SourceError.self) {
            try BFFrontend.compile(source: [], file: "o.bf", options: BFOptions(tapeSize: 0))
        }
        #expect(throws: SourceError.self) {
            try BFFrontend.compile(source: [], file: "o.bf", options: BFOptions(cellBits: 32, tapeSize: 1 << 29))
        }
    }

    @Test(arguments: [(8, 1), (16, 2), (32, 4)])
    func memoryIsTapeTimesCellBytes(bits: Int, bytes: Int) throws {
        let options = BFOptions(cellBits: bits, tapeSize: 70_000)
        let module = try BFFrontend.compile(source: Array("+.".utf8), file: "m.bf", options: options)
        #expect(module.memorySize == 70_000 * bytes)
        #expect(module.sourceFile == "m.bf")
        #expect(module.functions.map(\.name) == ["main"])
        #expect(module.functions[0].parameters.isEmpty && module.functions[0].resultType == nil)
    }
}
