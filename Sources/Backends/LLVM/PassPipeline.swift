import CLLVM
import JitIR

/// Verification and the new-pass-manager optimisation pipeline.
enum PassPipeline {
    /// Checks the module; a failure is our bug, reported with LLVM's own message.
    static func verify(_ module: LLVMModuleRef) throws {
        var message: UnsafeMutablePointer<CChar>?
        let failed = LLVMVerifyModule(module, LLVMReturnStatusAction, &message) != 0
        let text = LLVMSupport.take(message)
        if failed { throw InternalError("LLVM verifier rejected the generated module: \(text)") }
    }

    /// Runs `default<O<level>>` with the target machine's cost model (so the vectorisers know
    /// the host's vector width).
    static func optimize(_ module: LLVMModuleRef, level: Int, targetMachine: TargetMachine) throws {
        let options = LLVMCreatePassBuilderOptions()
        defer { LLVMDisposePassBuilderOptions(options) }
        let clamped = max(0, min(3, level))
        try LLVMSupport.check(LLVMRunPasses(module, "default<O\(clamped)>", targetMachine.ref, options),
                              "pass pipeline default<O\(clamped)>")
    }
}
