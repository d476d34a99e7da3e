import CLLVM
import JitIR

/// How long each compile phase took.
public struct LLVMCompileTimings: Sendable, Hashable {
    /// IR to LLVM IR, verification included.
    public var lowering: Duration
    /// The optimisation pipeline.
    public var passes: Duration
    /// Machine-code generation and linking in the JIT.
    public var codegen: Duration

    public init(lowering: Duration = .zero, passes: Duration = .zero, codegen: Duration = .zero) {
        self.lowering = lowering
        self.passes = passes
        self.codegen = codegen
    }

    public var total: Duration { lowering + passes + codegen }
}

/// The steps every use of the backend shares: lower, verify, optimise.
struct LLVMPipeline {
    let optLevel: Int
    let host: HostTarget
    let targetMachine: TargetMachine

    init(optLevel: Int) throws {
        try LLVMSupport.ensureInitialized()
        self.optLevel = max(0, min(3, optLevel))
        host = try HostTarget.get()
        targetMachine = try TargetMachine(optLevel: self.optLevel)
    }

    /// Lowers `source` into a new module of `context`, with the host's data layout and triple,
    /// and verifies it. The caller owns the returned module.
    func lower(_ source: JitIR.Module, in context: LLVMContextRef, bindings: RuntimeBindings,
               entryPrefix: String) throws -> LoweredModule {
        let lowering = ModuleLowering(context: context, source: RecursiveInlining.run(source), bindings: bindings, host: host,
                                      moduleName: source.sourceFile)
        let lowered = try lowering.lower(entryPrefix: entryPrefix)
        targetMachine.configure(lowered.module)
        do {
            try PassPipeline.verify(lowered.module)
        } catch {
            LLVMDisposeModule(lowered.module)
            throw error
        }
        return lowered
    }

    func optimize(_ lowered: LoweredModule) throws {
        try PassPipeline.optimize(lowered.module, level: optLevel, usesMemory: lowered.usesMemory,
                                  targetMachine: targetMachine)
    }
}

/// Measures `body` with the monotonic clock.
func measure<T>(_ elapsed: inout Duration, _ body: () throws -> T) rethrows -> T {
    let clock = ContinuousClock()
    let start = clock.now
    defer { elapsed = clock.now - start }
    return try body()
}
