import JitIR
import LLVMBackend
import Testing

/// What the backend does with modules it cannot or must not run directly.
@Suite struct LoweringErrorTests {
    /// The JitIR verifier would reject this module (an i8 function returns an i64 register); when
    /// one slips through, LLVM's verifier stops it and the message reaches the caller as an `InternalError`.
    @Test(arguments: LLVMEngineKind.allCases)
    func llvmVerifierFailureIsAnInternalError(engine: LLVMEngineKind) throws {
        var b = FunctionBuilder(name: "bad", parameters: [.i64], result: .i8)
        b.ret(.reg(b.parameter(0)))
        let module = Module(sourceFile: "bad.ir", memorySize: 8, functions: [try b.finish()])
        #expect(!IRVerifier.diagnostics(module).isEmpty)
        let error = try #require(throws: InternalError.self) { try LLVMBackend(engine: engine).compile(module) }
        #expect(error.message.contains("verifier"))
        #expect(throws: InternalError.self) { try LLVMBackend.llvmIR(for: module, stage: .beforePasses) }
    }

    /// A function with more parameters than the runtime passes in registers is entered through an
    /// argument array, on both engines, and narrow parameters are still truncated on the way in.
    @Test(arguments: LLVMEngineKind.allCases)
    func functionsWithManyParametersCanBeEnteredDirectly(engine: LLVMEngineKind) throws {
        let types: [IntType] = [.i64, .i8, .i64, .i64, .i16, .i32, .i64, .i64]
        var wide = FunctionBuilder(name: "wide", parameters: types, result: .i64)
        var sum = wide.parameter(0)
        for i in 1..<8 {
            let t = types[i]
            let widened = t == .i64 ? wide.parameter(i) : wide.convert(.sext, .reg(wide.parameter(i)), from: t, to: .i64)
            let weighted = wide.binary(.mul, .i64, .reg(widened), .imm(Int64(i + 1)))
            sum = wide.binary(.add, .i64, .reg(sum), .reg(weighted))
        }
        wide.ret(.reg(sum))
        var caller = FunctionBuilder(name: "caller", parameters: [.i64], result: .i64)
        let x = caller.parameter(0)
        let args: [Operand] = (0..<8).map { $0 == 3 ? .reg(x) : .imm(Int64($0)) }
        caller.ret(.reg(caller.call("wide", args, result: .i64)!))
        let module = Module(functions: [try wide.finish(), try caller.finish()])
        try IRVerifier.verify(module)
        let program = try LLVMBackend(engine: engine).compile(module)
        let reference = try Interpreter().compile(module)
        let viaCall: Int64 = 556  // 0 + 1*2 + 2*3 + 100*4 + 4*5 + 5*6 + 6*7 + 7*8
        #expect(try program.run("caller", arguments: [100], io: ProgramIO()).value == viaCall)
        // 0x1FF truncates to i8 -1; 0x12345 to i16 0x2345.
        let direct: [Int64] = [1, 0x1FF, 3, 4, 0x12345, -6, 7, -8]
        let expected = try reference.run("wide", arguments: direct, io: ProgramIO()).value
        let weighted: Int64 = 45_118  // 1 - 1*2 + 3*3 + 4*4 + 0x2345*5 - 6*6 + 7*7 - 8*8
        #expect(expected == weighted)
        #expect(try program.run("wide", arguments: direct, io: ProgramIO()).value == expected)
    }
}
