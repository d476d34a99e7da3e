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
    /// x86 first, and LLVM for what runs long, while it runs (`TieredEngine`).
    case auto

    public var description: String { rawValue }
}

/// Settings that only some backends read.
public struct BackendOptions: Sendable, Hashable {
    /// LLVM optimisation level, 0...3.
    public var llvmOptLevel: Int
    public var llvmEngine: LLVMEngineKind
    /// Whether compiled programs must list their code for profilers (`CompiledProgram.codeSymbols`).
    public var recordsCodeSymbols: Bool
    /// When `auto` samples and how much it compiles.
    public var tierUp: TierUpPolicy
    /// For fuzzing: LLVM cuts every function into pieces of a dozen IR instructions, compiles
    /// each (with ORC) when first called, quickly first and at the full level after a few
    /// calls, and a loop inside one alone after a few iterations. No real program runs so; the
    /// fuzzer's small programs put outlining, tiering and loop entries to work this way.
    public var llvmTinyPieces: Bool

    public init(llvmOptLevel: Int = 2, llvmEngine: LLVMEngineKind = .orc, recordsCodeSymbols: Bool = false,
                tierUp: TierUpPolicy = TierUpPolicy(), llvmTinyPieces: Bool = false) {
        self.llvmOptLevel = llvmOptLevel
        self.llvmEngine = llvmEngine
        self.recordsCodeSymbols = recordsCodeSymbols
        self.tierUp = tierUp
        self.llvmTinyPieces = llvmTinyPieces
    }

    /// Whether the backend `kind` needs LLVM in the process.
    public static func needsLLVM(_ kind: BackendKind) -> Bool { kind == .llvm }
}

extension BackendKind {
    /// A fresh engine of this kind.
    public func makeEngine(_ options: BackendOptions = BackendOptions()) -> any ExecutionEngine {
        switch self {
        case .interp: Interpreter()
        case .x86: X86Backend()
        case .llvm: LLVMServicesRegistry.services?.makeEngine(options) ?? UnavailableLLVMEngine()
        case .auto: TieredEngine(options: options, policy: options.tierUp)
        }
    }
}
