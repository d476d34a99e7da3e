import BFFrontend
import JitIR
import Testing

@Suite struct ParserTests {
    @Test func commandsGetLineAndByteColumn() throws {
        let nodes = try BFParser.parse(Array("a+\n é>[.]".utf8), file: "p.bf")
        // 'é' is two bytes, so '>' is at byte column 4 of line 2.
        #expect(nodes == [
            .command(.increment, SourceLoc(line: 1, column: 2)),
            .command(.right, SourceLoc(line: 2, column: 4)),
            .loop(body: [.command(.output, SourceLoc(line: 2, column: 6))],
                  open: SourceLoc(line: 2, column: 5), close: SourceLoc(line: 2, column: 7)),
        ])
    }

    @Test func emptyAndBinaryFilesAreValid() throws {
        #expect(try BFParser.parse([], file: "e.bf").isEmpty)
        let binary: [UInt8] = [0, 255, 0x80, 10, 13, 9, 0x2A]
        #expect(try BFParser.parse(binary, file: "b.bf").isEmpty)
    }

    @Test func commentsMayContainAnyByte() throws {
        let nodes = try BFParser.parse(Array("!#x\u{0}+".utf8), file: "c.bf")
        #expect(nodes == [.command(.increment, SourceLoc(line: 1, column: 5))])
    }

    @Test(arguments: [
        ("+]", 1, 2, "unmatched ']'"),
        ("[]\n\n  ]", 3, 3, "unmatched ']'"),
        ("[", 1, 1, "unmatched '['"),
        ("+\n [[]", 2, 2, "unmatched '['"),
        ("[[", 1, 1, "unmatched '['"),
        ("[]]]", 1, 3, "unmatched ']'"),
    ])
    func unmatchedBracketsReportTheirPosition(source: String, line: Int, column: Int, message: String) {
        #expect(throws: SourceError(file: "bad.bf", loc: SourceLoc(line: line, column: column), message: message)) {
            try BFParser.parse(Array(source.utf8), file: "bad.bf")
        }
    }

    @Test func errorPrintsAsFileLineColumn() {
        do {
            _ = try BFFrontend.compile(source: Array("+\n+]".utf8), file: "x.bf", options: BFOptions())
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "x.bf:2:2: error: unmatched ']'")
        }
    }

    @Test func deepNestingWithinTheLimitCompiles() throws {
        // Programs as deep as the limit go through every pass and the lowering
        // (recursive) without exhausting the test thread's stack.
        let depth = BFParser.maximumNesting
        let source = Array((String(repeating: "[>+", count: depth) + String(repeating: "-]", count: depth)).utf8)
        let module = try BFFrontend.compile(source: source, file: "deep.bf", options: BFOptions())
        #expect(module.functions.count == 1)
        let tooDeep = Array(String(repeating: "[", count: BFParser.maximumNesting + 1).utf8)
        #expect(throws: SourceError.self) { try BFParser.parse(tooDeep, file: "deep.bf") }
    }
}
