@testable import BytecodeFrontend
import Testing

/// The importer reads the exporter's JSON with its own small parser (no Foundation).
@Suite struct ExportJSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let text = #" {"a":[1,-2.5e3,true,false,null],"s":"q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","o":{}, "e":[]} "#
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(value == .object([
            "a": .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]),
            "s": .string("q\"\\/\u{8}\u{C}\n\r\té😀"),
            "o": .object([:]), "e": .array([]),
        ]))
    }

    @Test(arguments: ["", "{", "[1,]", "[1 2]", "{\"a\" 1}", "\"abc", "\"\\x\"", "tru", "1 2", "{\"a\":1,}", "\"\\u12\""])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.parse(Array(deep.utf8)) }
    }

    @Test func readsAnExport() throws {
        let text = #"""
        {"version":[3,11],"error":null,"bindings":{"f":"function","x":"other"},
         "functions":[{"name":"f","args":["n"],"line":1,"problem":null,"protected":[[2,8]],
           "code":[{"op":"LOAD_CONST","arg":0,"val":{"type":"int","int":"123456789012345678901234567890"},"off":0,"line":2,"col":4},
                   {"op":"LOAD_FAST_LOAD_FAST","val":{"type":"tuple","names":["a","b"]},"off":2,"jump":10}]}]}
        """#
        let export = try CPythonExport(json: Array(text.utf8))
        #expect(export.version == [3, 11])
        #expect(export.error == nil)
        #expect(export.bindings == ["f": "function", "x": "other"])
        let f = try #require(export.functions.first)
        #expect(f.name == "f" && f.args == ["n"] && f.line == 1 && f.problem == nil && f.protected == [[2, 8]])
        #expect(f.code.count == 2)
        #expect(f.code[0].op == "LOAD_CONST" && f.code[0].arg == 0 && f.code[0].val?.int == "123456789012345678901234567890")
        #expect(f.code[0].line == 2 && f.code[0].col == 4 && f.code[0].jump == nil)
        #expect(f.code[1].val?.names == ["a", "b"] && f.code[1].arg == nil && f.code[1].jump == 10)
    }

    @Test func reportsWhatIsMissing() {
        #expect(throws: ExportFormatError.self) { try CPythonExport(json: Array(#"{"version":[3,11]}"#.utf8)) }
        #expect(throws: ExportFormatError.self) {
            try CPythonExport(json: Array(#"{"version":[3.5],"bindings":{},"functions":[]}"#.utf8))
        }
    }
}
