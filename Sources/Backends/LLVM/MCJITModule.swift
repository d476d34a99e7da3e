import CLLVM
import JitIR
import NativeCode

/// One module compiled by its own MCJIT execution engine, which owns the module; the engine,
/// its code and the LLVM context are freed together when this is released.
final class MCJITModule {
    private let engine: LLVMExecutionEngineRef
    private let context: LLVMContextRef

    /// Takes over `module` and `context` (disposing them on failure too) and generates code.
    init(module: LLVMModuleRef, context: LLVMContextRef, optLevel: Int, hooks: HookAddresses) throws {
        var options = LLVMMCJITCompilerOptions()
        LLVMInitializeMCJITCompilerOptions(&options, MemoryLayout<LLVMMCJITCompilerOptions>.size)
        options.OptLevel = HostTarget.codeGenLevel(optLevel).rawValue
        options.CodeModel = LLVMCodeModelJITDefault
        var made: LLVMExecutionEngineRef?
        var error: UnsafeMutablePointer<CChar>?
        if LLVMCreateMCJITCompilerForModule(&made, module, &options, MemoryLayout<LLVMMCJITCompilerOptions>.size,
                                            &error) != 0 || made == nil {
            LLVMDisposeModule(module)
            LLVMContextDispose(context)
            throw InternalError("LLVM: cannot create an MCJIT engine: \(LLVMSupport.take(error))")
        }
        engine = made!
        self.context = context
        // Hooks are bound explicitly; nothing is resolved from the process's symbol table.
        for hook in hooks.bySymbol {
            if let declaration = LLVMGetNamedFunction(module, hook.name) {
                LLVMAddGlobalMapping(engine, declaration, UnsafeMutableRawPointer(bitPattern: UInt(hook.address)))
            }
        }
    }

    deinit {
        LLVMDisposeExecutionEngine(engine)  // disposes the module as well
        LLVMContextDispose(context)
    }

    /// Generates code (on the first call) and returns the address of `symbol`.
    func address(of symbol: String) throws -> UInt64 {
        let address = LLVMGetFunctionAddress(engine, symbol)
        guard address != 0 else { throw InternalError("LLVM: MCJIT has no code for \(symbol)") }
        return address
    }
}
