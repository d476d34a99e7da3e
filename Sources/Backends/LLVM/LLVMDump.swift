import CLLVM
import JitIR
import NativeCode

/// Which LLVM IR `LLVMBackend.llvmIR` shows.
public enum LLVMIRStage: String, Sendable, CaseIterable {
    /// As lowered from the jitctl IR (registers still in allocas).
    case beforePasses
    /// After the pass pipeline of the level.
    case afterPasses
}

extension LLVMBackend {
    /// Entry wrappers in dumps are named `jitctl.entry.<function>`.
    static let dumpEntryPrefix = "jitctl.entry."

    /// The LLVM IR of `module`, as text. The memory base and hook context appear as fixed
    /// placeholder constants (0x100000000000, 0x200000000000): real runs bind real addresses.
    public static func llvmIR(for module: JitIR.Module, optLevel: Int = 2, stage: LLVMIRStage,
                              outlining: LLVMOutlining = .init()) throws -> String {
        try withOptimizedModule(module, optLevel: optLevel, optimize: stage == .afterPasses, outlining: outlining) { _, m in
            LLVMSupport.take(LLVMPrintModuleToString(m))
        }
    }

    /// The machine code generated for each function of `module` (the internal functions that
    /// survived optimisation and the exported `jitctl.entry.*` wrappers), read from an object
    /// file. Bytes are unrelocated.
    public static func machineCode(for module: JitIR.Module, optLevel: Int = 2,
                                   outlining: LLVMOutlining = .init()) throws -> [(function: String, bytes: [UInt8])] {
        try withOptimizedModule(module, optLevel: optLevel, optimize: true, outlining: outlining) { pipeline, m in
            var error: UnsafeMutablePointer<CChar>?
            var buffer: LLVMMemoryBufferRef?
            if LLVMTargetMachineEmitToMemoryBuffer(pipeline.targetMachine.ref, m, LLVMObjectFile, &error, &buffer) != 0
                || buffer == nil {
                throw InternalError("LLVM: cannot emit an object file: \(LLVMSupport.take(error))")
            }
            defer { LLVMDisposeMemoryBuffer(buffer) }
            return try ObjectFileSymbols.functions(in: buffer!)
        }
    }

    /// Dumps show every piece of an outlined function in the one module (nothing is lazy there).
    private static func withOptimizedModule<T>(_ module: JitIR.Module, optLevel: Int, optimize: Bool, outlining: LLVMOutlining,
                                               _ body: (LLVMPipeline, LLVMModuleRef) throws -> T) throws -> T {
        let pipeline = try LLVMPipeline(optLevel: optLevel)
        let context = LLVMContextCreate()!
        defer { LLVMContextDispose(context) }
        let layout = OutlineLayout(module, options: outlining, lazyAllowed: false)
        let lowered = try pipeline.lower(layout, in: context, bindings: .placeholder, entryPrefix: dumpEntryPrefix)
        defer { LLVMDisposeModule(lowered.module) }
        if optimize { try pipeline.optimize(lowered) }
        return try body(pipeline, lowered.module)
    }
}
