import JitIR
import X86Backend

/// The execution engines a program can run on.
public enum BackendKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The reference interpreter of the IR: the meaning of every program.
    case interp
    /// The hand-written x86-64 baseline compiler.
    case x86
    /// LLVM through its C API (ORC LLJIT or MCJIT).
    case llvm

    public var description: String { rawValue }
}

/// Settings that only some backends read.
public struct BackendOptions: Sendable, Hashable {
    /// LLVM optimisation level, 0...3.
    public var llvmOptLevel: Int
    public var llvmEngine: LLVMEngineKind
    /// Whether compiled programs must list their code for profilers (`CompiledProgram.codeSymbols`).
    public var recordsCodeSymbols: Bool

    public init(llvmOptLevel: Int = 2, llvmEngine: LLVMEngineKind = .orc, recordsCodeSymbols: Bool = false) {
        self.llvmOptLevel = llvmOptLevel
        self.llvmEngine = llvmEngine
        self.recordsCodeSymbols = recordsCodeSymbols
    }
}

extension BackendKind {
    /// A fresh engine of this kind.
    public func makeEngine(_ options: BackendOptions = BackendOptions()) -> any ExecutionEngine {
        switch self {
        case .interp: Interpreter()
        case .x86: X86Backend()
        case .llvm: LLVMServicesRegistry.services?.makeEngine(options) ?? UnavailableLLVMEngine()
        }
    }
}
