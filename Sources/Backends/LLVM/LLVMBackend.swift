import CLLVM
import JitIR
@_exported import enum NativeCode.LLVMEngineKind
import Synchronization

/// Compiles the jitctl IR with LLVM: lowering through the LLVM-C builder, the new pass manager's
/// pass pipeline of the level (docs/llvm.md) for the host CPU, and an ORC or MCJIT engine.
public struct LLVMBackend: ExecutionEngine, Sendable {
    /// The optimisation level, 0...3 (docs/llvm.md says what each runs).
    public let optLevel: Int
    public let engine: LLVMEngineKind
    /// Whether compiled programs list their functions' code (`CompiledProgram.codeSymbols`, for
    /// `--perf-map`); with ORC only, and it costs a read of each generated object file.
    public var recordsCodeSymbols = false
    /// The engine that replays a run whose access faulted in a guard region, to find which access
    /// it was (LLVM's code has no map from instructions back to IR). Any engine gives the same
    /// answer; a faster one answers sooner. See docs/safety.md.
    public var replayEngine: any ExecutionEngine & Sendable = Interpreter()
    /// How large functions are cut into pieces, and whether pieces are compiled when first
    /// called (docs/llvm.md). `JITCTL_LLVM_OUTLINE` and `JITCTL_LLVM_LAZY` in the environment
    /// override it, for experiments.
    public var outlining = LLVMOutlining()
    let timingsBox = TimingsBox()

    public init(optLevel: Int = 2, engine: LLVMEngineKind = .orc) {
        self.optLevel = max(0, min(3, optLevel))
        self.engine = engine
    }

    public var name: String { "llvm" }

    /// The phase timings of the last `compile` through this backend value (or a copy of it).
    public var lastTimings: LLVMCompileTimings? { timingsBox.value.withLock { $0 } }

    public func compile(_ module: JitIR.Module) throws -> any CompiledProgram {
        try compileProgram(module)
    }
}

/// Shared by copies of one `LLVMBackend`, so the non-mutating `compile` can record timings.
final class TimingsBox: Sendable {
    let value = Mutex<LLVMCompileTimings?>(nil)
}
