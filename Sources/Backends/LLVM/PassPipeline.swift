import CLLVM
import Foundation
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

    /// Above this many LLVM instructions in one function, `default<O1..3>` takes seconds to
    /// minutes (it grows faster than linearly), so such functions get `largeFunctionPipeline`.
    static let largeFunctionInstructions = 40_000

    /// The cleanup that matters most for lowered jitctl IR (registers to SSA values, then
    /// local simplification), linear enough for huge functions.
    static let largeFunctionPipeline = "function(sroa,early-cse,\(instcombine),simplifycfg)"

    /// From LLVM 18 on, a bare `instcombine` checks that one iteration reached a fixpoint and
    /// aborts the process when it did not; the default pipelines ask it not to.
    static let instcombine = JITCTL_INSTCOMBINE

    /// The pipeline text for `level`: `default<O<level>>`, the large-function pipeline, or
    /// `JITCTL_LLVM_PASSES` from the environment when set (for experiments).
    static func pipeline(for module: LLVMModuleRef, level: Int) -> String {
        if let custom = ProcessInfo.processInfo.environment["JITCTL_LLVM_PASSES"], !custom.isEmpty { return custom }
        let clamped = max(0, min(3, level))
        if clamped > 0 && largestFunctionSize(module) > largeFunctionInstructions { return largeFunctionPipeline }
        return "default<O\(clamped)>"
    }

    /// Runs the pipeline for `level` with the target machine's cost model (so the vectorisers
    /// know the host's vector width).
    static func optimize(_ module: LLVMModuleRef, level: Int, targetMachine: TargetMachine) throws {
        let options = LLVMCreatePassBuilderOptions()
        defer { LLVMDisposePassBuilderOptions(options) }
        let text = pipeline(for: module, level: level)
        var length = 0
        let name = String(cString: LLVMGetModuleIdentifier(module, &length))
        try LLVMFatalErrors.during("running the pass pipeline \(text) on \(name)") {
            try LLVMSupport.check(LLVMRunPasses(module, text, targetMachine.ref, options), "pass pipeline \(text)")
        }
    }

    /// The instruction count of the module's largest function.
    static func largestFunctionSize(_ module: LLVMModuleRef) -> Int {
        var largest = 0
        var function = LLVMGetFirstFunction(module)
        while let f = function {
            var count = 0
            var block = LLVMGetFirstBasicBlock(f)
            while let b = block {
                var instruction = LLVMGetFirstInstruction(b)
                while let i = instruction {
                    count += 1
                    instruction = LLVMGetNextInstruction(i)
                }
                block = LLVMGetNextBasicBlock(b)
            }
            largest = max(largest, count)
            function = LLVMGetNextFunction(f)
        }
        return largest
    }
}
