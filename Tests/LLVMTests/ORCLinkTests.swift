import CLLVM
import JitIR
@testable import LLVMBackend
import NativeCode
import Testing

/// The smallest proofs that LLVM is linked and generates runnable code.
@Suite struct ORCLinkTests {
    private func squareModule() throws -> Module {
        var b = FunctionBuilder(name: "square", parameters: [.i64], result: .i64)
        let x = b.parameter(0)
        b.ret(.reg(b.binary(.mul, .i64, .reg(x), .reg(x))))
        return Module(sourceFile: "square.ir", functions: [try b.finish()])
    }

    /// Bypasses the native runtime: the wrapper is called directly as a C function.
    @Test func tinyFunctionIsCompiledAndLinkedByLLJITAndCalledDirectly() throws {
        let pipeline = try LLVMPipeline(optLevel: 2)
        let hooks = HookAddresses.native
        let jit = try OrcJIT.shared(optLevel: 2, hooks: hooks)
        let context = LLVMContextCreate()!
        defer { LLVMContextDispose(context) }
        let layout = OutlineLayout(try squareModule(), options: LLVMOutlining(), lazyAllowed: false)
        let lowered = try pipeline.lower(layout, in: context, bindings: .placeholder, entryPrefix: jit.newSymbolPrefix())
        defer { LLVMDisposeModule(lowered.module) }
        try pipeline.optimize(lowered)
        let symbol = try #require(lowered.entrySymbols["square"])
        let object = try ObjectEmission.emit(lowered.module, with: pipeline.targetMachine)
        let (code, addresses, _) = try jit.add(object: object, symbols: [symbol])
        let address = try #require(addresses[symbol])
        typealias Square = @convention(c) (Int64) -> Int64
        let square = unsafeBitCast(UnsafeRawPointer(bitPattern: UInt(address))!, to: Square.self)
        #expect(square(12) == 144)
        #expect(square(-3_000_000_000) == 9_000_000_000_000_000_000)
        withExtendedLifetime(code) {}
    }

    @Test(arguments: LLVMEngineKind.allCases)
    func tinyFunctionRunsThroughTheNativeRuntime(engine: LLVMEngineKind) throws {
        let program = try LLVMBackend(optLevel: 2, engine: engine).compile(squareModule())
        #expect(try program.run("square", arguments: [12], io: ProgramIO()).value == 144)
        #expect(try program.run("square", arguments: [-7], io: ProgramIO()).value == 49)
    }

    @Test func unknownFunctionAndWrongArgumentCountAreRunErrors() throws {
        let program = try LLVMBackend().compile(squareModule())
        #expect(throws: RunError.self) { try program.run("cube", arguments: [1], io: ProgramIO()) }
        #expect(throws: RunError.self) { try program.run("square", arguments: [], io: ProgramIO()) }
    }

    @Test func backendNameIsLLVM() {
        #expect(LLVMBackend().name == "llvm")
        #expect(LLVMBackend(optLevel: 9).optLevel == 3)
    }
}
