import Foundation
import JitIR
import Testing
import TestSupport

/// The programs in Tests/IRPrograms: they load, verify, round-trip, and
/// their directives are read the way the docs say.
struct IRCorpusTests {
    static let files: [IRProgramFile] = (try? IRProgramCorpus.files()) ?? []
    static let names = files.map(\.name)

    @Test func corpusLoads() throws {
        let files = try IRProgramCorpus.files()
        #expect(files.count >= 15)
        #expect(try IRProgramCorpus.all().count == files.reduce(0) { $0 + $1.cases.count })
    }

    @Test(arguments: names)
    func programVerifies(_ name: String) throws {
        let file = try #require(Self.files.first { $0.name == name })
        #expect(IRVerifier.diagnostics(file.module).isEmpty, "\(IRVerifier.diagnostics(file.module))")
        #expect(!file.cases.isEmpty)
    }

    @Test(arguments: names)
    func programRoundTrips(_ name: String) throws {
        let file = try #require(Self.files.first { $0.name == name })
        let printed = IRText.print(file.module)
        let reparsed = try IRText.parse(printed, file: name)
        #expect(reparsed == file.module)
        #expect(IRText.print(reparsed) == printed)
    }

    @Test func directivesAreRead() throws {
        let text = """
            ; run: @f(3) -> 4
            ; input: "a\\x00\\n"
            ; output: "\\"\\\\ok"
            ; run: @f(-1) -> trap overflow 2:5 @g
            ; run: @g()
            ; trap: unreachable 0:0
            func @f(%0: i8) -> i8 {
              regs %1: i8
            entry:
              %1 = add i8 %0, 1
              ret %1
            }
            func @g() {
            entry:
              trap unreachable
            }
            """
        let file = try IRProgramCorpus.load(name: "d.ir", text: text)
        #expect(file.cases.map(\.name) == ["d.ir:1", "d.ir:4", "d.ir:5"])
        let (a, b, c) = (file.cases[0], file.cases[1], file.cases[2])
        #expect(a.function == "f" && a.arguments == [3] && a.expectedValue == 4 && a.expectedTrap == nil)
        #expect(a.input == [97, 0, 10])
        #expect(a.expectedOutput == Array("\"\\ok".utf8))
        #expect(b.arguments == [-1] && b.expectedValue == nil && b.input.isEmpty)
        #expect(b.expectedTrap == Trap(kind: .overflow, loc: SourceLoc(line: 2, column: 5), function: "g"))
        #expect(c.expectedTrap == Trap(kind: .unreachable, loc: .unknown, function: "g"))
    }

    @Test(arguments: [
        ("; run: @nope()\nfunc @f() {\nentry:\n  ret\n}\n", "no function @nope", 1),
        ("; run: @f(1)\nfunc @f() {\nentry:\n  ret\n}\n", "takes 0 argument(s), the run passes 1", 1),
        ("; run: @f(300)\nfunc @f(%0: i8) {\nentry:\n  ret\n}\n", "300 does not fit in i8", 1),
        ("; run: @f() -> 1\nfunc @f() {\nentry:\n  ret\n}\n", "returns nothing", 0),
        ("; run: @f()\nfunc @f() -> i64 {\nentry:\n  ret 1\n}\n", "returns a value", 0),
        ("; output: \"x\"\nfunc @f() {\nentry:\n  ret\n}\n", "must follow a 'run:' line", 1),
        ("; run: @f() -> trap bogus 1:1\nfunc @f() {\nentry:\n  ret\n}\n", "expected a trap kind", 1),
        ("func @f() {\nentry:\n  ret\n}\n", "no '; run:' directive", 0),
    ])
    func badDirectivesAreRejected(_ text: String, _ message: String, _ line: Int) {
        do {
            _ = try IRProgramCorpus.load(name: "bad.ir", text: text)
            Issue.record("accepted: \(text)")
        } catch let e as SourceError {
            #expect(e.message.contains(message), "\(e)")
            #expect(Int(e.loc.line) == line)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func mismatchesDescribeEveryDifference() throws {
        let c = try #require(try IRProgramCorpus.all().first { $0.expectedValue != nil })
        #expect(c.mismatches(RunResult(value: c.expectedValue), output: c.expectedOutput).isEmpty)
        let wrong = c.mismatches(RunResult(value: c.expectedValue! &+ 1, trap: Trap(kind: .overflow, loc: .unknown, function: "x")),
                                 output: c.expectedOutput + [1])
        #expect(wrong.count == 3)
    }
}
