import CLLVM
import JitIR

/// The machine we run on, as LLVM names it. Code is generated for exactly this CPU
/// (its vector extensions included), never for a generic x86-64.
struct HostTarget: Sendable {
    let triple: String
    let cpu: String
    let features: String

    /// Detected once per process.
    static let current: Result<HostTarget, InternalError> = {
        guard LLVMSupport.initialized else { return .failure(InternalError("LLVM: the host target is not available")) }
        CodeGeneratorOptions.applied
        let triple = LLVMSupport.take(LLVMGetDefaultTargetTriple())
        return .success(HostTarget(triple: triple,
                                   cpu: LLVMSupport.take(LLVMGetHostCPUName()),
                                   features: LLVMSupport.take(LLVMGetHostCPUFeatures())))
    }()

    static func get() throws -> HostTarget { try current.get() }

    /// The code generator's optimisation level for a pass-pipeline level 0...3.
    static func codeGenLevel(_ optLevel: Int) -> LLVMCodeGenOptLevel {
        switch optLevel {
        case ...0: LLVMCodeGenLevelNone
        case 1: LLVMCodeGenLevelLess
        case 2: LLVMCodeGenLevelDefault
        default: LLVMCodeGenLevelAggressive
        }
    }

    /// A new target machine for the host. The caller owns it (see `TargetMachine`).
    /// `JITDefault` lets LLVM pick the code model a JIT needs (large on x86-64), so hook
    /// addresses anywhere in the address space are reachable.
    func makeTargetMachineRef(optLevel: Int) throws -> LLVMTargetMachineRef {
        var target: LLVMTargetRef?
        var error: UnsafeMutablePointer<CChar>?
        if LLVMGetTargetFromTriple(triple, &target, &error) != 0 || target == nil {
            throw InternalError("LLVM: no target for \(triple): \(LLVMSupport.take(error))")
        }
        guard let tm = LLVMCreateTargetMachine(target, triple, cpu, features, Self.codeGenLevel(optLevel),
                                               LLVMRelocDefault, LLVMCodeModelJITDefault) else {
            throw InternalError("LLVM: cannot create a target machine for \(triple) (\(cpu))")
        }
        return tm
    }
}

/// An owned `LLVMTargetMachineRef`.
final class TargetMachine {
    let ref: LLVMTargetMachineRef

    init(optLevel: Int) throws {
        ref = try HostTarget.get().makeTargetMachineRef(optLevel: optLevel)
    }

    deinit { LLVMDisposeTargetMachine(ref) }

    var triple: String { LLVMSupport.take(LLVMGetTargetMachineTriple(ref)) }

    /// Gives `module` this machine's data layout and triple, which both the optimiser
    /// (for cost models) and the JIT (which rejects mismatched layouts) rely on.
    func configure(_ module: LLVMModuleRef) {
        let layout = LLVMCreateTargetDataLayout(ref)
        LLVMSetModuleDataLayout(module, layout)
        LLVMDisposeTargetData(layout)
        LLVMSetTarget(module, triple)
    }
}
