import JitIR
import Testing

@Suite("Interpreter: input and output")
struct InterpreterIOTests {
    /// `putbyte` writes the low 8 bits of its operand, whatever its type.
    @Test func putByteWritesTheLowByte() throws {
        var b = FunctionBuilder(name: "main")
        b.hostCall(.putByte, [.imm(0x141)])
        b.hostCall(.putByte, [.imm(-1)])
        let small = b.copy(.i8, .imm(-56))
        b.hostCall(.putByte, [.reg(small)])
        let wide = b.copy(.i64, .imm(0x7FFF_FFFF_FFFF_FF0A))
        b.hostCall(.putByte, [.reg(wide)])
        b.ret(nil)
        let (_, out) = try InterpreterHarness.run(Module(functions: [try b.finish()]))
        #expect(out == [0x41, 0xFF, 200, 0x0A])
    }

    /// `getbyte` returns each input byte as 0...255, then -1 at end of input, repeatedly.
    @Test func getByteReturnsMinusOneAtEndOfInput() throws {
        var b = FunctionBuilder(name: "main")
        let p = b.copy(.i64, .imm(0))
        for i in 0..<5 {
            let c = b.hostCall(.getByte, [])!
            b.store(.i32, .reg(c), base: p, offset: Int64(4 * i))
        }
        b.hostCall(.getByte, [])  // result discarded
        b.ret(nil)
        let (r, _) = try InterpreterHarness.run(Module(memorySize: 20, functions: [try b.finish()]),
                                                input: [1, 255, 0], captureMemory: true)
        let words = stride(from: 0, to: 20, by: 4).map { i in
            Int32(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(r.memory![i + $1]) << (8 * $1) })
        }
        #expect(words == [1, 255, 0, -1, -1])
    }

    /// `cat`: copies input to output until end of input.
    @Test(arguments: [[UInt8](), Array("hello\n".utf8), [0, 255, 10, 13, 0]])
    func cat(_ input: [UInt8]) throws {
        var b = FunctionBuilder(name: "main", result: .i64)
        let count = b.copy(.i64, .imm(0))
        let loop = b.newBlock(), body = b.newBlock(), done = b.newBlock()
        b.jump(loop)
        b.position(at: loop)
        let c = b.hostCall(.getByte, [])!
        let end = b.compare(.eq, .i32, .reg(c), .imm(-1))
        b.branch(.reg(end), done, body)
        b.position(at: body)
        b.hostCall(.putByte, [.reg(c)])
        b.append(.binary(.add, dst: count, lhs: .reg(count), rhs: .imm(1), checked: true))
        b.jump(loop)
        b.position(at: done)
        b.ret(.reg(count))
        let (r, out) = try InterpreterHarness.run(Module(functions: [try b.finish()]), input: input)
        #expect(out == input)
        #expect(r.value == Int64(input.count))
    }

    /// Output is flushed when the run returns, without the caller flushing.
    @Test func outputIsFlushedAtTheEnd() throws {
        var b = FunctionBuilder(name: "main")
        for byte in "flushed".utf8 { b.hostCall(.putByte, [.imm(Int64(byte))]) }
        b.ret(nil)
        let program = try Interpreter().compile(Module(functions: [try b.finish()]))
        let io = ProgramIO(output: .capture)
        _ = try program.run("main", io: io)
        #expect(io.captured == Array("flushed".utf8))
    }
}
