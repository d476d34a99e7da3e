import CLLVM
import JitIR

/// Machine code for a module, generated with a target machine of the caller's rather than
/// inside the JIT. The JIT then only links it, under its lock, so that two threads with a target
/// machine each generate code at the same time (`LazyPieces`' background compiles).
enum ObjectEmission {
    /// `module`'s object file; the caller owns the buffer, or hands it to `OrcJIT.add(object:)`.
    /// A target machine is not thread-safe: one thread at a time may use `targetMachine`.
    static func emit(_ module: LLVMModuleRef, with targetMachine: TargetMachine) throws -> LLVMMemoryBufferRef {
        var error: UnsafeMutablePointer<CChar>?
        var buffer: LLVMMemoryBufferRef?
        var length = 0
        let name = String(cString: LLVMGetModuleIdentifier(module, &length))
        let failed = LLVMFatalErrors.during("generating machine code for \(name)") {
            LLVMTargetMachineEmitToMemoryBuffer(targetMachine.ref, module, LLVMObjectFile, &error, &buffer) != 0
        }
        if failed {
            throw InternalError("LLVM: cannot emit an object file: \(LLVMSupport.take(error))")
        }
        guard let buffer else { throw InternalError("LLVM: emitting an object file gave no bytes") }
        return buffer
    }
}
