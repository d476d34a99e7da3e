import JitIR
import Testing

@Suite("MemoryGuards")
struct MemoryGuardsTests {
    /// `@poke(addr)`: stores 7 as an i32 at `addr`, then loads it back.
    static func poke() throws -> Module {
        var b = FunctionBuilder(name: "poke", parameters: [.i64], result: .i32)
        b.loc = SourceLoc(line: 2, column: 3)
        b.store(.i32, .imm(7), base: b.parameter(0), offset: 1)
        b.loc = SourceLoc(line: 3, column: 3)
        let v = b.load(.i32, base: b.parameter(0), offset: 1)
        b.ret(.reg(v))
        return Module(sourceFile: "poke.ir", memorySize: 16, functions: [try b.finish()])
    }

    @Test("guarded accesses trap exactly where the interpreter says they are out of range",
          arguments: [Int64(-1), -5, 0, 11, 12, 15, 1 << 40, Int64.max, Int64.min])
    func sameAsInterpreter(address: Int64) throws {
        let plain = try Self.poke()
        let guarded = MemoryGuards.run(plain)
        try IRVerifier.verify(guarded)
        let a = try Interpreter().compile(plain).run("poke", arguments: [address], io: ProgramIO())
        let b = try Interpreter().compile(guarded).run("poke", arguments: [address], io: ProgramIO())
        #expect(a == b)
        let inRange = address >= -1 && address <= 11  // the i32 at address+1 must end by byte 16
        #expect((a.trap == nil) == inRange)
        if let trap = b.trap {
            #expect(trap.kind == .outOfBounds)
            #expect(trap.loc == SourceLoc(line: 2, column: 3))
        }
    }

    @Test("every access gets a check; other instructions are untouched")
    func shape() throws {
        let guarded = MemoryGuards.run(try Self.poke())
        let ops = guarded.functions[0].blocks[0].instructions.map(\.op)
        #expect(ops.filter { if case .trapIf = $0 { true } else { false } }.count == 2)
        #expect(ops.count == 2 + 2 * 3)
    }
}
