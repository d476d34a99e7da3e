import JitIR
import Testing

/// Every kind of text the parser rejects, with the exact line:col it blames.
struct IRParseErrorTests {
    struct Case: Sendable, CustomStringConvertible {
        var text: String
        var line: Int
        var column: Int
        var message: String
        var description: String { message }
    }

    /// Wraps `body` lines in a function whose `entry:` label is line 3.
    static func body(_ lines: String, regs: String = "%1: i64, %2: i1") -> String {
        "func @f(%0: i64) -> i64 {\n  regs \(regs)\nentry:\n" + lines + "\n}\n"
    }

    static let cases: [Case] = [
        // Lexical errors.
        Case(text: "memory 12x\n", line: 1, column: 10, message: "unexpected character 'x' in a number"),
        Case(text: "source \"abc\n", line: 1, column: 8, message: "unterminated string literal"),
        Case(text: "source \"a\\qb\"\n", line: 1, column: 10, message: "unknown escape '\\q'"),
        Case(text: "source \"\\u{110000}\"\n", line: 1, column: 9, message: "is not a Unicode scalar value"),
        Case(text: "memory 99999999999999999999\n", line: 1, column: 8, message: "integer literal is too large"),
        Case(text: "memory 9223372036854775808\n", line: 1, column: 8, message: "does not fit in 64 bits"),
        Case(text: "  $\n", line: 1, column: 3, message: "unexpected character '$'"),
        Case(text: body("  % = copy i64 1"), line: 4, column: 3, message: "expected a register number after '%'"),
        Case(text: body("  jump #"), line: 4, column: 8, message: "expected a block number after '#'"),
        Case(text: "func @ () {\n}\n", line: 1, column: 6, message: "expected a function name after '@'"),
        // Module level.
        Case(text: "source \"a\"\nsource \"b\"\n", line: 2, column: 1, message: "'source' is given twice"),
        Case(text: "memory 1\n\nmemory 2\n", line: 3, column: 1, message: "'memory' is given twice"),
        Case(text: "memory x\n", line: 1, column: 8, message: "expected the memory size in bytes after 'memory', found 'x'"),
        Case(text: "memory 1 2\n", line: 1, column: 10, message: "expected end of line after the memory size, found integer 2"),
        Case(text: "source 5\n", line: 1, column: 8, message: "expected a quoted file name after 'source'"),
        Case(text: "\n\n  %1 = copy i64 1\n", line: 3, column: 3, message: "expected 'source', 'memory', 'guard' or 'func', found '%1'"),
        // Function headers and declarations.
        Case(text: "func main() {\n}\n", line: 1, column: 6, message: "expected a function name like '@main' after 'func'"),
        Case(text: "func @f(x) {\n}\n", line: 1, column: 9, message: "expected a parameter register like '%0', found 'x'"),
        Case(text: "func @f(%0: i7) {\n}\n", line: 1, column: 13, message: "expected a type (i1, i8, i16, i32 or i64) after '%0:'"),
        Case(text: "func @f(%0: i8, %0: i16) {\n}\n", line: 1, column: 17, message: "%0 is already declared as i8 at 1:9"),
        Case(text: "func @f() -> {\n}\n", line: 1, column: 14, message: "expected a type (i1, i8, i16, i32 or i64) after '->'"),
        Case(text: "func @f() {}\n", line: 1, column: 12, message: "expected end of line after '{', found '}'"),
        Case(text: "func @f() !1 {\n}\n", line: 1, column: 14, message: "expected ':' between line and column"),
        Case(text: "func @f() !1:99999999999 {\n}\n", line: 1, column: 14, message: "does not fit in a 32-bit source position"),
        Case(text: "func @f() {\n  regs %0: i8, %0: i8\n}\n", line: 2, column: 16, message: "%0 is already declared as i8 at 2:8"),
        Case(text: "func @f() {\n  regs %0 i8\n}\n", line: 2, column: 11, message: "expected ':' after '%0' in a 'regs' line"),
        Case(text: "func @f() {\n  regs %0: i8, %2: i8\n}\n", line: 2, column: 16,
             message: "%2 is declared but %1 is not: registers are numbered from %0 without gaps"),
        Case(text: "func @f(%1: i8) {\n}\n", line: 1, column: 9, message: "%1 is declared but %0 is not"),
        // Blocks.
        Case(text: "func @f() {\n  ret\n}\n", line: 2, column: 3, message: "expected a block label like 'entry:' before the first instruction"),
        Case(text: "func @f() {\nentry:\n}\n", line: 3, column: 1, message: "block 'entry' has no terminator (jump, br, ret or trap) before '}'"),
        Case(text: body("next:\n  ret 0"), line: 4, column: 1, message: "block 'entry' has no terminator (jump, br, ret or trap) before label 'next'"),
        Case(text: body("  ret 0\n  ret 1"), line: 5, column: 3, message: "instruction after the terminator of block 'entry'"),
        Case(text: body("  regs %3: i8"), line: 4, column: 3, message: "'regs' lines must come before the first block"),
        Case(text: "func @f() {\nentry:\n  ret\n", line: 4, column: 1, message: "missing '}' to close function @f"),
        Case(text: "func @f() {\nentry:\n  ret\nfunc @g() {\n}\n", line: 4, column: 1, message: "before the next 'func'"),
        Case(text: "func @f() {\nentry: ret\n}\n", line: 2, column: 8, message: "expected end of line after the label 'entry:'"),
        Case(text: body("  jump nowhere"), line: 4, column: 8, message: "no block is labelled 'nowhere' in @f"),
        Case(text: "func @f() {\nx:\n  jump x\nx:\n  ret\n}\n", line: 3, column: 8, message: "label 'x' names 2 blocks in @f; refer to one as #0"),
        Case(text: "func @f() {\nentry:\n  ret\n} x\n", line: 4, column: 3, message: "expected end of line after '}'"),
        // Instructions.
        Case(text: body("  %1 = frobnicate i64 %0"), line: 4, column: 8, message: "unknown operation 'frobnicate'"),
        Case(text: body("  frobnicate"), line: 4, column: 3, message: "unknown instruction 'frobnicate'"),
        Case(text: body("  %1 copy i64 %0"), line: 4, column: 6, message: "expected '=' after '%1', found 'copy'"),
        Case(text: body("  %1 = 5"), line: 4, column: 8, message: "expected an operation after '%1 =', found integer 5"),
        Case(text: body("  %1 = copy.ovf i64 %0"), line: 4, column: 8, message: "'.ovf' is only written after a binary or unary operation"),
        Case(text: body("  %1 = add i64 %0 %0"), line: 4, column: 19, message: "expected ',' after the first operand of 'add', found '%0'"),
        Case(text: body("  %1 = add i64 %0, x"), line: 4, column: 20, message: "expected an operand (a register like '%0' or an integer), found 'x'"),
        Case(text: body("  %1 = add i32 %0, %0"), line: 4, column: 12, message: "%1 is declared i64, but the instruction gives it type i32"),
        Case(text: body("  %9 = add i64 %0, %0"), line: 4, column: 12, message: "%9 is not declared, so it cannot be given type i64"),
        Case(text: body("  %1 = add i64 %0, 9223372036854775808"), line: 4, column: 20, message: "integer 9223372036854775808 does not fit in 64 bits"),
        Case(text: body("  %2 = cmp lt i64 %0, 1"), line: 4, column: 12, message: "expected a predicate after 'cmp'"),
        Case(text: body("  %2 = cmp slt %0, 1"), line: 4, column: 16, message: "expected a type (i1, i8, i16, i32 or i64) of the compared operands"),
        Case(text: body("  %1 = zext %2 to i64"), line: 4, column: 13, message: "expected a type (i1, i8, i16, i32 or i64) of the source after 'zext'"),
        Case(text: body("  %1 = zext i1 %2 to"), line: 4, column: 21, message: "expected the type of %1 after 'to', found end of line"),
        Case(text: body("  %1 = load i64 %0"), line: 4, column: 17, message: "expected '[' to start a memory address"),
        Case(text: body("  %1 = load i64 [5]"), line: 4, column: 18, message: "expected a base register like '%0' after '['"),
        Case(text: body("  %1 = load i64 [%0 x]"), line: 4, column: 21, message: "expected ']' to end the memory address, found 'x'"),
        Case(text: body("  %1 = load i64 [%0 + x]"), line: 4, column: 23, message: "expected an offset after '+'"),
        Case(text: body("  %1 = load i64 [%0 - 9223372036854775809]"), line: 4, column: 23, message: "the offset does not fit in 64 bits"),
        Case(text: body("  store %1, [%0]"), line: 4, column: 9, message: "expected a type (i1, i8, i16, i32 or i64) after 'store'"),
        Case(text: body("  %1 = call i64 f()"), line: 4, column: 17, message: "expected a function name like '@f' after 'call'"),
        Case(text: body("  %1 = call i64 @g(%0 %0)"), line: 4, column: 23, message: "expected ')' after the arguments"),
        Case(text: body("  call @g"), line: 4, column: 10, message: "expected '(' to start the arguments, found end of line"),
        Case(text: body("  hostcall print(%0)"), line: 4, column: 12, message: "expected a host function after 'hostcall' (one of putbyte, putbytes, getbyte)"),
        Case(text: body("  trapif %2 overflow"), line: 4, column: 13, message: "expected ',' after the condition of 'trapif'"),
        Case(text: body("  trapif %2, oops"), line: 4, column: 14, message: "expected a trap kind after 'trapif cond,' (one of out_of_bounds"),
        Case(text: body("  %1 = copy i64 1 !3"), line: 4, column: 21, message: "expected ':' between line and column in '!line:col', found end of line"),
        Case(text: body("  %1 = copy i64 1 !x:1"), line: 4, column: 20, message: "expected a line number after '!'"),
        Case(text: body("  %1 = copy i64 1 2"), line: 4, column: 19, message: "expected end of line after the instruction, found integer 2"),
        // Terminators.
        Case(text: body("  jump 5"), line: 4, column: 8, message: "expected a block label after 'jump', found integer 5"),
        Case(text: body("  br %2, entry"), line: 4, column: 15, message: "expected ',' after the first target of 'br', found end of line"),
        Case(text: body("  br %2 entry, entry"), line: 4, column: 9, message: "expected ',' after the condition of 'br'"),
        Case(text: body("  ret ret"), line: 4, column: 7, message: "expected an operand (a register like '%0' or an integer), found 'ret'"),
        Case(text: body("  trap"), line: 4, column: 7, message: "expected a trap kind after 'trap'"),
    ]

    @Test(arguments: cases)
    func rejected(_ c: Case) {
        let error = #expect(throws: SourceError.self) { try IRText.parse(c.text, file: "bad.ir") }
        guard let error else { return }
        #expect(error.file == "bad.ir")
        #expect(error.message.contains(c.message), "\(error.message)")
        #expect(Int(error.loc.line) == c.line && Int(error.loc.column) == c.column,
                "at \(error.loc), expected \(c.line):\(c.column): \(error.message)")
    }

    @Test func errorPrintsWithFileLineAndColumn() {
        let error = #expect(throws: SourceError.self) { try IRText.parse("memory x\n", file: "m.ir") }
        #expect(error?.description == "m.ir:1:8: error: expected the memory size in bytes after 'memory', found 'x'")
    }

    /// Columns count characters, not UTF-8 bytes.
    @Test func columnsCountCharacters() {
        let error = #expect(throws: SourceError.self) { try IRText.parse("source \"äöü\" x\n", file: "u.ir") }
        #expect(error?.loc == SourceLoc(line: 1, column: 14))
    }
}
