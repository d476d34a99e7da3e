import BFFrontend
import JitIR
import LLVMBackend
import Testing

/// Shapes of the LLVM IR the lowering emits that compile time depends on (docs/llvm.md,
/// "Lowering"); what the code does is checked by the corpus and differential tests.
struct LoweredShapeTests {
    static func bf(_ source: String) throws -> Module {
        try BFFrontend.compile(source: Array(source.utf8), file: "s.bf", options: BFOptions())
    }

    /// The I/O hooks are called through their addresses, with their attributes on the call: LLVM's
    /// fast instruction selector gives up on a direct call of an external function in the large
    /// code model. The trap hook keeps its declaration.
    @Test func ioHooksAreCalledThroughTheirAddresses() throws {
        let text = try LLVMBackend.llvmIR(for: Self.bf(",[.,]"), optLevel: 2, stage: .beforePasses)
        #expect(!text.contains("@jitctl.putbyte"))
        #expect(!text.contains("@jitctl.getbyte"))
        #expect(text.contains("call void inttoptr (i64"))
        #expect(text.contains("inaccessiblememonly") || text.contains("memory(inaccessiblemem: readwrite)"))
    }

    /// A probe right before a store of the same cell is that store, volatile.
    @Test func aProbedStoreIsVolatile() throws {
        // Cell 1's first access is checked; cell 4, near it, is known to be zero, so its first
        // access is a store, left to the guard region.
        let module = try Self.bf(">++>>>+++.")
        let probes = module.functions[0].blocks.flatMap(\.instructions).filter {
            if case .probe = $0.op { true } else { false }
        }
        #expect(!probes.isEmpty)
        let text = try LLVMBackend.llvmIR(for: module, optLevel: 2, stage: .beforePasses)
        #expect(text.contains("store volatile i8"))
    }
}
