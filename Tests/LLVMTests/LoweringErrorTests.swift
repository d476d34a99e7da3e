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
        let module = Module(sourceFile: "bad.ir", memorySize: 8, functions: [b.finish()])
        #expect(!IRVerifier.diagnostics(module).isEmpty)
        let error = try #require(throws: InternalError.self) { try LLVMBackend(engine: engine).compile(module) }
        #expect(error.message.contains("verifier"))
        #expect(throws: InternalError.self) { try LLVMBackend.llvmIR(for: module, stage: .beforePasses) }
    }

    /// A function with more parameters than native code can be entered with still compiles and is
    /// callable from other functions; running it directly is a `RunError`.
    @Test func functionsWithManyParametersAreCallableOnlyInside() throws {
        let types = [IntType](repeating: .i64, count: 8)
        var wide = FunctionBuilder(name: "wide", parameters: types, result: .i64)
        var sum = wide.parameter(0)
        for i in 1..<8 { sum = wide.binary(.add, .i64, .reg(sum), .reg(wide.parameter(i))) }
        wide.ret(.reg(sum))
        var caller = FunctionBuilder(name: "caller", parameters: [.i64], result: .i64)
        let x = caller.parameter(0)
        let args: [Operand] = (0..<8).map { $0 == 3 ? .reg(x) : .imm(Int64($0)) }
        caller.ret(.reg(caller.call("wide", args, result: .i64)!))
        let module = Module(functions: [wide.finish(), caller.finish()])
        try IRVerifier.verify(module)
        let program = try LLVMBackend().compile(module)
        #expect(try program.run("caller", arguments: [100], io: ProgramIO()).value == 125)
        #expect(throws: RunError.self) { try program.run("wide", arguments: Array(repeating: 1, count: 8), io: ProgramIO()) }
    }
}
