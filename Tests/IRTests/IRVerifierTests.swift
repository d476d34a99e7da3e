@testable import JitIR
import Testing

/// One case per verifier invariant (docs/IR.md, "Verifier invariants"): a
/// module that breaks exactly that invariant gets exactly the documented
/// diagnostic, at the source position of the offending instruction.
struct IRVerifierTests {
    struct Case: Sendable, CustomStringConvertible {
        var invariant: String
        var text: String
        var message: String
        var loc: SourceLoc
        var description: String { invariant }
    }

    /// `@f` with parameters %0: i64, %1: i64, %2: i1, %3: i8, %4: i32, the local
    /// register %5: i64 and `lines` in `entry`; beside it `@g(i64) -> i64` and `@v()`.
    static func f(_ lines: String, result: String = " -> i64", memory: Int = 16) -> String {
        """
        source "v.bf"
        memory \(memory)
        func @f(%0: i64, %1: i64, %2: i1, %3: i8, %4: i32)\(result) !1:1 {
          regs %5: i64
        entry:
        \(lines)
        }
        func @g(%0: i64) -> i64 {
        entry:
          ret %0
        }
        func @v() {
        entry:
          ret
        }
        """
    }

    static func at(_ l: Int, _ c: Int) -> SourceLoc { SourceLoc(line: l, column: c) }
    static let site = "in @f, block 'entry' (#0), "

    static let cases: [Case] = [
        Case(invariant: "M1 memory size is not negative", text: "memory -3\n", message: "the memory size -3 is negative", loc: .unknown),
        Case(invariant: "M3 guard regions are whole pages", text: "memory 4096\nguard 100\n",
             message: "the guard size 100 must be a positive multiple of 4096", loc: .unknown),
        Case(invariant: "M3 a guarded memory is whole pages", text: "memory 30000\nguard 4096\n",
             message: "a guarded memory must be a positive multiple of 4096 bytes, not 30000", loc: .unknown),
        Case(invariant: "M2 function names are unique",
             text: "func @g() {\nentry:\n  ret\n}\nfunc @g() !7:1 {\nentry:\n  ret\n}\n",
             message: "@g is defined twice (functions #0 and #1)", loc: at(7, 1)),
        Case(invariant: "F1 a function has a block", text: "func @g() !2:2 {\n}\n",
             message: "in @g: the function has no blocks; it needs at least an entry block", loc: at(2, 2)),
        Case(invariant: "F2 parameters are declared registers", text: "func @g(%0: i8, %5) {\nentry:\n  ret\n}\n",
             message: "in @g: parameter 1 is %5, which is not declared (@g has registers %0...%0)", loc: .unknown),
        Case(invariant: "F3 parameters are distinct", text: "func @g(%0: i8, %0: i8) {\nentry:\n  ret\n}\n",
             message: "in @g: parameter 1 repeats %0 (already parameter 0)", loc: .unknown),
        Case(invariant: "F4 block labels are unique", text: "func @g() {\nx:\n  jump #1\nx:\n  ret\n}\n",
             message: "in @g: blocks #0 and #1 are both labelled 'x'", loc: .unknown),
        Case(invariant: "I1 registers are declared", text: f("  %1 = add i64 %0, %9   !3:1\n  ret %1"),
             message: site + "instruction 0 `%1 = add i64 %0, %9`: %9 is not a register of the function (@f has registers %0...%5)",
             loc: at(3, 1)),
        Case(invariant: "I1 each undeclared register is reported once", text: f("  %1 = mul i64 %8, %8   !3:1\n  ret %1"),
             message: site + "instruction 0 `%1 = mul i64 %8, %8`: %8 is not a register of the function (@f has registers %0...%5)",
             loc: at(3, 1)),
        Case(invariant: "I1 destinations are declared", text: f("  %7 = copy %0   !3:2\n  ret %0"),
             message: site + "instruction 0 `%7 = copy %0`: %7 is not a register of the function (@f has registers %0...%5)",
             loc: at(3, 2)),
        Case(invariant: "I2 operand registers have the operation's type", text: f("  %1 = sub i64 %0, %4   !3:3\n  ret %1"),
             message: site + "instruction 0 `%1 = sub i64 %0, %4`: the right operand %4 has type i32, expected i64", loc: at(3, 3)),
        Case(invariant: "I2 copy source type", text: f("  %3 = copy i8 %0   !3:4\n  ret %0"),
             message: site + "instruction 0 `%3 = copy i8 %0`: the source %0 has type i64, expected i8", loc: at(3, 4)),
        Case(invariant: "I2 unary operand type", text: f("  %3 = neg i8 %4   !3:4\n  ret %0"),
             message: site + "instruction 0 `%3 = neg i8 %4`: the operand %4 has type i32, expected i8", loc: at(3, 4)),
        Case(invariant: "I2 compare operands have the compared type", text: f("  %2 = cmp ult i8 %3, %4   !3:5\n  ret %0"),
             message: site + "instruction 0 `%2 = cmp ult i8 %3, %4`: the right operand %4 has type i32, expected i8", loc: at(3, 5)),
        Case(invariant: "I2 select condition is i1", text: f("  %1 = select i64 %3, %0, 1   !3:6\n  ret %1"),
             message: site + "instruction 0 `%1 = select i64 %3, %0, 1`: the condition %3 has type i8, expected i1", loc: at(3, 6)),
        Case(invariant: "I2 select values have the result type", text: f("  %1 = select i64 %2, %0, %4   !3:6\n  ret %1"),
             message: site + "instruction 0 `%1 = select i64 %2, %0, %4`: the value if false %4 has type i32, expected i64", loc: at(3, 6)),
        Case(invariant: "I2 convert source has the from type", text: f("  %1 = zext i8 %4 to i64   !3:7\n  ret %1"),
             message: site + "instruction 0 `%1 = zext i8 %4 to i64`: the source %4 has type i32, expected i8", loc: at(3, 7)),
        Case(invariant: "I2 load base is i64", text: f("  %3 = load i8 [%4 + 1]   !3:8\n  ret %0"),
             message: site + "instruction 0 `%3 = load i8 [%4 + 1]`: the base address %4 has type i32, expected i64", loc: at(3, 8)),
        Case(invariant: "I2 stored value has the store type", text: f("  store i8 %0, [%1]   !3:9\n  ret %0"),
             message: site + "instruction 0 `store i8 %0, [%1]`: the stored value %0 has type i64, expected i8", loc: at(3, 9)),
        Case(invariant: "I2 store base is i64", text: f("  store i8 1, [%3]   !3:9\n  ret %0"),
             message: site + "instruction 0 `store i8 1, [%3]`: the base address %3 has type i8, expected i64", loc: at(3, 9)),
        Case(invariant: "I2 trapif condition is i1", text: f("  trapif %0, overflow   !3:10\n  ret %0"),
             message: site + "instruction 0 `trapif %0, overflow`: the condition %0 has type i64, expected i1", loc: at(3, 10)),
        Case(invariant: "I3 immediates fit the type", text: f("  %3 = add i8 %3, 128   !3:11\n  ret %0"),
             message: site + "instruction 0 `%3 = add i8 %3, 128`: the right operand 128 does not fit in i8 (-128...127)", loc: at(3, 11)),
        Case(invariant: "I3 i1 immediates are 0 or 1", text: f("  %2 = copy i1 -1   !3:12\n  ret %0"),
             message: site + "instruction 0 `%2 = copy i1 -1`: the source -1 does not fit in i1 (0 or 1)", loc: at(3, 12)),
        Case(invariant: "I4 comparisons produce i1", text: f("  %3 = cmp eq i64 %0, 0   !3:13\n  ret %0"),
             message: site + "instruction 0 `%3 = cmp eq i64 %0, 0`: the result %3 of a comparison has type i8, expected i1", loc: at(3, 13)),
        Case(invariant: "I5 only add, sub, mul and neg are checked", text: f("  %1 = sdiv.ovf i64 %0, 3   !3:14\n  ret %1"),
             message: site + "instruction 0 `%1 = sdiv.ovf i64 %0, 3`: 'sdiv' cannot be checked (.ovf); only add, sub, mul and neg can",
             loc: at(3, 14)),
        Case(invariant: "I5 not is never checked", text: f("  %1 = not.ovf i64 %0   !3:14\n  ret %1"),
             message: site + "instruction 0 `%1 = not.ovf i64 %0`: 'not' cannot be checked (.ovf); only add, sub, mul and neg can",
             loc: at(3, 14)),
        Case(invariant: "I6 zext widens", text: f("  %3 = zext i8 %3 to i8   !3:15\n  ret %0"),
             message: site + "instruction 0 `%3 = zext i8 %3 to i8`: zext must widen, but converts i8 to i8", loc: at(3, 15)),
        Case(invariant: "I6 sext widens", text: f("  %3 = sext i64 %0 to i8   !3:15\n  ret %0"),
             message: site + "instruction 0 `%3 = sext i64 %0 to i8`: sext must widen, but converts i64 to i8", loc: at(3, 15)),
        Case(invariant: "I6 trunc narrows", text: f("  %1 = trunc i8 %3 to i64   !3:15\n  ret %0"),
             message: site + "instruction 0 `%1 = trunc i8 %3 to i64`: trunc must narrow, but converts i8 to i64", loc: at(3, 15)),
        Case(invariant: "I7 memory accesses need memory", text: f("  %3 = load i8 [%0]   !3:16\n  store i8 %3, [%0]\n  ret %0", memory: 0),
             message: site + "instruction 0 `%3 = load i8 [%0]`: the function accesses memory, but the module has none (memory 0)",
             loc: at(3, 16)),
        Case(invariant: "I8 callees exist", text: f("  %1 = call i64 @nope(%0)   !3:17\n  ret %1"),
             message: site + "instruction 0 `%1 = call i64 @nope(%0)`: call to @nope, which is not defined in the module", loc: at(3, 17)),
        Case(invariant: "I8 argument count", text: f("  %1 = call i64 @g(%0, 1)   !3:18\n  ret %1"),
             message: site + "instruction 0 `%1 = call i64 @g(%0, 1)`: @g takes 1 argument(s), but 2 are passed", loc: at(3, 18)),
        Case(invariant: "I8 argument types", text: f("  %1 = call i64 @g(%4)   !3:18\n  ret %1"),
             message: site + "instruction 0 `%1 = call i64 @g(%4)`: argument 0 %4 has type i32, expected i64", loc: at(3, 18)),
        Case(invariant: "I8 result is received", text: f("  call @g(%0)   !3:19\n  ret %0"),
             message: site + "instruction 0 `call @g(%0)`: @g returns i64, but the call has no destination", loc: at(3, 19)),
        Case(invariant: "I8 result type", text: f("  %4 = call i32 @g(%0)   !3:19\n  ret %0"),
             message: site + "instruction 0 `%4 = call i32 @g(%0)`: @g returns i64, but %4 has type i32", loc: at(3, 19)),
        Case(invariant: "I8 no result from a void function", text: f("  %1 = call i64 @v()   !3:19\n  ret %0"),
             message: site + "instruction 0 `%1 = call i64 @v()`: @v returns nothing, but the call assigns %1", loc: at(3, 19)),
        Case(invariant: "I9 hostcall argument count", text: f("  hostcall putbyte(%0, %0)   !3:20\n  ret %0"),
             message: site + "instruction 0 `hostcall putbyte(%0, %0)`: hostcall putbyte takes 1 argument(s), but 2 are passed",
             loc: at(3, 20)),
        Case(invariant: "I9 putbytes takes i64 values", text: f("  hostcall putbytes(%0, %3)   !3:23\n  ret %0"),
             message: site + "instruction 0 `hostcall putbytes(%0, %3)`: a putbytes argument %3 has type i8, expected i64",
             loc: at(3, 23)),
        Case(invariant: "I9 getbyte result is received", text: f("  hostcall getbyte()   !3:21\n  ret %0"),
             message: site + "instruction 0 `hostcall getbyte()`: hostcall getbyte returns i32, but the instruction has no destination",
             loc: at(3, 21)),
        Case(invariant: "I9 getbyte result is i32", text: f("  %3 = hostcall i8 getbyte()   !3:21\n  ret %0"),
             message: site + "instruction 0 `%3 = hostcall i8 getbyte()`: hostcall getbyte returns i32, but %3 has type i8",
             loc: at(3, 21)),
        Case(invariant: "I9 putbyte has no result", text: f("  %4 = hostcall i32 putbyte(1)   !3:22\n  ret %0"),
             message: site + "instruction 0 `%4 = hostcall i32 putbyte(1)`: hostcall putbyte returns nothing, but the instruction assigns %4",
             loc: at(3, 22)),
        Case(invariant: "I10 scan stays in memory", text: f("  %5 = scan i32 [%0], step 4, limit 13   !3:24\n  ret %0"),
             message: site + "instruction 0 `%5 = scan i32 [%0], step 4, limit 13`: scan's limit 13 must lie in 0...12, so that every i32 it reads is in memory",
             loc: at(3, 24)),
        Case(invariant: "I10 scan moves", text: f("  %5 = scan i8 [%0], step 0, limit 15   !3:25\n  ret %0"),
             message: site + "instruction 0 `%5 = scan i8 [%0], step 0, limit 15`: scan needs a step other than 0",
             loc: at(3, 25)),
        Case(invariant: "I10 scan looks for a whole value", text: f("  %5 = scan i1 [%0], step 1, limit 15   !3:26\n  ret %0"),
             message: site + "instruction 0 `%5 = scan i1 [%0], step 1, limit 15`: scan looks for a zero i8, i16, i32 or i64, not an i1",
             loc: at(3, 26)),
        Case(invariant: "I2 scan addresses are i64", text: f("  %5 = scan i8 [%4], step 1, limit 15   !3:27\n  ret %0"),
             message: site + "instruction 0 `%5 = scan i8 [%4], step 1, limit 15`: the start address %4 has type i32, expected i64",
             loc: at(3, 27)),
        Case(invariant: "I11 leave needs an open enter", text: f("  leave   !3:31\n  ret %0"),
             message: site + "instruction 0 `leave`: leave without an open enter", loc: at(3, 31)),
        Case(invariant: "I11 ret leaves every enter", text: f("  enter   !3:32\n  ret %0   !3:33"),
             message: site + "terminator `ret %0`: ret with 1 enter(s) not left", loc: at(3, 33)),
        Case(invariant: "I11 paths agree on open enters", text: f("""
              br %2, open, join
            open:
              enter
              jump join   !3:34
            join:
              ret %0
            """),
             message: "in @f, block 'open' (#1), terminator `jump join`: reaches block 'join' with 1 enter(s) open, another path with 0",
             loc: at(3, 34)),
        Case(invariant: "T1 branch targets exist", text: f("  jump #4   !3:23"),
             message: site + "terminator `jump #4`: the target #4 is not a block (@f has 1)", loc: at(3, 23)),
        Case(invariant: "T2 branch condition is i1", text: f("  br %0, entry, entry   !3:24"),
             message: site + "terminator `br %0, entry, entry`: the condition %0 has type i64, expected i1", loc: at(3, 24)),
        Case(invariant: "T2 branch condition is declared", text: f("  br %8, entry, entry   !3:24"),
             message: site + "terminator `br %8, entry, entry`: %8 is not a register of the function (@f has registers %0...%5)",
             loc: at(3, 24)),
        Case(invariant: "T3 returned value type", text: f("  ret %4   !3:25"),
             message: site + "terminator `ret %4`: the returned value %4 has type i32, expected i64", loc: at(3, 25)),
        Case(invariant: "T3 returned immediate fits", text: f("  ret 200   !3:25", result: " -> i8"),
             message: site + "terminator `ret 200`: the returned value 200 does not fit in i8 (-128...127)", loc: at(3, 25)),
        Case(invariant: "T3 value functions return a value", text: f("  ret   !3:26"),
             message: site + "terminator `ret`: the function returns i64, but ret gives no value", loc: at(3, 26)),
        Case(invariant: "T3 void functions return nothing", text: f("  ret %0   !3:27", result: ""),
             message: site + "terminator `ret %0`: the function returns nothing, but ret gives %0", loc: at(3, 27)),
        Case(invariant: "T3 returned register is declared", text: f("  ret %9   !3:28"),
             message: site + "terminator `ret %9`: %9 is not a register of the function (@f has registers %0...%5)", loc: at(3, 28)),
        Case(invariant: "D1 registers are assigned before use", text: f("  %5 = add i64 %5, 1   !3:29\n  ret %5"),
             message: site + "instruction 0 `%5 = add i64 %5, 1`: %5 is read before it is assigned on some path from the entry",
             loc: at(3, 29)),
        Case(invariant: "D1 assignment on every path", text: f("""
              %2 = cmp eq i64 %0, 0
              br %2, set, join
            set:
              %5 = copy i64 5
              jump join
            join:
              ret %5   !3:30
            """),
             message: "in @f, block 'join' (#2), terminator `ret %5`: %5 is read before it is assigned on some path from the entry",
             loc: at(3, 30)),
    ]

    @Test(arguments: cases)
    func invariant(_ c: Case) throws {
        let m = try IRText.parse(c.text, file: "v.ir")
        let d = IRVerifier.diagnostics(m)
        #expect(d.count == 1, "\(d)")
        let first = try #require(d.first)
        #expect(first.message == c.message)
        #expect(first.loc == c.loc)
        #expect(first.file == m.sourceFile)
        #expect(throws: VerificationError.self) { try IRVerifier.verify(m) }
    }

    @Test func validModuleVerifies() throws {
        let m = try IRText.parse(Self.f("  %1 = add.ovf i64 %0, -1\n  %2 = cmp slt i64 %1, 0\n  br %2, entry, out\nout:\n  ret %1"),
                                 file: "v.ir")
        try IRVerifier.verify(m)
    }

    @Test func allViolationsAreReported() throws {
        let m = try IRText.parse(Self.f("  %3 = add i8 %0, 300\n  %9 = copy 1\n  ret"), file: "v.ir")
        let error = #expect(throws: VerificationError.self) { try IRVerifier.verify(m) }
        #expect(error?.diagnostics.count == 4)
        #expect(error?.description.split(separator: "\n").count == 4)
        #expect(error?.description.hasPrefix("v.bf: error: in @f, block 'entry' (#0), instruction 0") == true)
    }

    /// Reads in blocks no path reaches are not checked; loops carry assignments around.
    @Test func definiteAssignmentFollowsControlFlow() throws {
        let m = try IRText.parse(Self.f("""
              %1 = copy i64 0
              jump loop
            loop:
              %1 = add i64 %1, 1
              %2 = cmp slt i64 %1, 10
              br %2, loop, exit
            exit:
              ret %1
            dead:
              %4 = add i32 %4, 1
              jump dead
            """), file: "v.ir")
        #expect(IRVerifier.diagnostics(m).isEmpty)
        // A register first assigned inside the loop is not assigned on the path that skips it.
        let skip = try IRText.parse(Self.f("""
              jump test
            test:
              %2 = cmp slt i64 %0, 10
              br %2, body, exit
            body:
              %5 = copy i64 %0
              jump test
            exit:
              ret %5
            """), file: "v.ir")
        #expect(IRVerifier.diagnostics(skip).map(\.message) == [
            "in @f, block 'exit' (#3), terminator `ret %5`: %5 is read before it is assigned on some path from the entry",
        ])
        // Back edges into the entry block do not make parameters unassigned.
        let entryLoop = try IRText.parse(Self.f("  %0 = add i64 %0, 1\n  %2 = cmp slt i64 %0, 5\n  br %2, entry, done\ndone:\n  ret %0"),
                                         file: "v.ir")
        #expect(IRVerifier.diagnostics(entryLoop).isEmpty)
    }

    /// The verifier copes with any module value without crashing.
    @Test func randomModulesDoNotCrashTheVerifier() {
        var rng = IRRandom(seed: 42)
        var invalid = 0
        for _ in 0..<500 where !IRVerifier.diagnostics(IRRandomModule.make(&rng)).isEmpty { invalid += 1 }
        #expect(invalid > 0)
    }

    /// The verifier's allocation-free walk of an instruction's reads agrees with `used`.
    @Test func forEachReadMatchesUsed() {
        let a = Var(1), b = Var(2), c = Var(3)
        let ops: [Op] = [
            .copy(dst: a, src: .reg(b)), .copy(dst: a, src: .imm(1)),
            .binary(.add, dst: a, lhs: .reg(b), rhs: .reg(c), checked: false),
            .binary(.sub, dst: a, lhs: .imm(1), rhs: .reg(c), checked: true),
            .unary(.neg, dst: a, src: .reg(b), checked: false),
            .compare(.slt, type: .i64, dst: a, lhs: .reg(c), rhs: .reg(b)),
            .select(dst: a, cond: .reg(c), ifTrue: .reg(b), ifFalse: .reg(a)),
            .select(dst: a, cond: .imm(0), ifTrue: .imm(1), ifFalse: .reg(b)),
            .convert(.zext, dst: a, src: .reg(b), from: .i8),
            .load(dst: a, base: b, offset: 4),
            .store(type: .i8, value: .reg(c), base: b, offset: 0),
            .store(type: .i8, value: .imm(3), base: b, offset: 0),
            .call(dst: a, callee: "g", args: [.reg(b), .imm(2), .reg(c), .reg(b)]),
            .hostCall(.putByte, dst: nil, args: [.reg(c)]),
            .trapIf(cond: .reg(c), kind: .outOfBounds),
            .scan(dst: a, start: b, type: .i8, step: 1, limit: 10),
            .probe(type: .i8, base: c, offset: 1),
            .enter, .leave,
        ]
        var instructions = ops.map { Instruction($0) }
        var rng = IRRandom(seed: 7)
        for _ in 0..<50 {
            for f in IRRandomModule.make(&rng).functions { for block in f.blocks { instructions += block.instructions } }
        }
        let mismatched = instructions.filter { i in
            var reads: [Var] = []
            i.forEachRead { reads.append($0) }
            return reads != i.used
        }
        #expect(mismatched.isEmpty)
    }
}
