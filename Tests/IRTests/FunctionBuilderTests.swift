import JitIR
import Testing

/// `FunctionBuilder` is public API: misusing it throws from `finish()` and never stops the process.
@Suite struct FunctionBuilderTests {
    @Test func aWellUsedBuilderFinishes() throws {
        var b = FunctionBuilder(name: "inc", parameters: [.i64], result: .i64)
        b.ret(.reg(b.binary(.add, .i64, .reg(b.parameter(0)), .imm(1))))
        let f = try b.finish()
        try IRVerifier.verify(Module(functions: [f]))
        #expect(try Interpreter().compile(Module(functions: [f])).run("inc", arguments: [41], io: ProgramIO()).value == 42)
    }

    @Test func appendingAfterTheTerminatorThrows() {
        var b = FunctionBuilder(name: "f")
        b.ret(nil)
        b.loc = SourceLoc(line: 3, column: 4)
        b.hostCall(.putByte, [.imm(65)])
        b.ret(nil)  // a second terminator: the first mistake is the one reported
        #expect(throws: FunctionBuilderError(function: "f", loc: SourceLoc(line: 3, column: 4),
                                             message: "an instruction was appended to block 'entry' after its terminator")) {
            try b.finish()
        }
        // The ignored instruction never made it into the function.
        #expect(b.function.blocks[0].instructions.isEmpty)
    }

    @Test func terminatingTwiceThrows() {
        var b = FunctionBuilder(name: "g")
        b.trap(.unreachable)
        b.jump(BlockRef(0))
        let error = #expect(throws: FunctionBuilderError.self) { try b.finish() }
        #expect(error?.message == "block 'entry' was terminated twice")
        #expect(b.function.blocks[0].terminator == .trap(.unreachable))
    }

    @Test func positioningAtAMissingBlockThrows() {
        var b = FunctionBuilder(name: "h")
        b.position(at: BlockRef(7))
        b.ret(nil)
        let error = #expect(throws: FunctionBuilderError.self) { try b.finish() }
        #expect(error?.message.contains("no block #7") == true)
    }

    /// A parameter that does not exist is an undeclared register, which the verifier reports.
    @Test func aMissingParameterIsCaughtByTheVerifier() throws {
        var b = FunctionBuilder(name: "p", parameters: [.i64], result: .i64)
        b.ret(.reg(b.parameter(3)))
        let module = Module(functions: [try b.finish()])
        #expect(throws: VerificationError.self) { try IRVerifier.verify(module) }
    }
}
