import CLLVM
import JitIR
import NativeCode

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

    /// Lowers the layout's module into a new module of `context`, with the host's data layout
    /// and triple, and verifies it. The caller owns the returned module.
    func lower(_ layout: OutlineLayout, in context: LLVMContextRef, bindings: RuntimeAddresses,
               entryPrefix: String, sites: TrapSiteTable = TrapSiteTable(), lazy: LazyLinkage? = nil) throws -> LoweredModule {
        let lowering = ModuleLowering(context: context, layout: layout, bindings: bindings, host: host,
                                      moduleName: layout.module.sourceFile, sites: sites, lazy: lazy)
        let lowered = try lowering.lower(entryPrefix: entryPrefix)
        try configureAndVerify(lowered.module)
        return lowered
    }

    /// Lowers one lazily compiled piece into a new module of `context`, as an exported function
    /// named `name`, and verifies it. The caller owns the returned module.
    func lowerPiece(_ layout: OutlineLayout, function: Int, piece: Int, loopEntry: Int? = nil, in context: LLVMContextRef,
                    bindings: RuntimeAddresses, sites: TrapSiteTable, lazy: LazyLinkage, named name: String,
                    quickTier: Bool = false) throws -> LLVMModuleRef {
        let lowering = ModuleLowering(context: context, layout: layout, bindings: bindings, host: host,
                                      moduleName: "\(layout.module.sourceFile) \(name)", sites: sites, lazy: lazy)
        lowering.quickTier = quickTier
        let module = try lowering.lowerPiece(function: function, piece: piece, loopEntry: loopEntry, named: name)
        try configureAndVerify(module)
        return module
    }

    /// On failure the module is disposed.
    private func configureAndVerify(_ module: LLVMModuleRef) throws {
        targetMachine.configure(module)
        do {
            try PassPipeline.verify(module)
        } catch {
            LLVMDisposeModule(module)
            throw error
        }
    }

    func optimize(_ lowered: LoweredModule) throws {
        try optimize(lowered.module, usesMemory: lowered.usesMemory)
    }

    /// Runs the pipeline of the level, or with `quick` the quick tier's.
    func optimize(_ module: LLVMModuleRef, usesMemory: Bool, quick: Bool = false) throws {
        try PassPipeline.optimize(module, level: optLevel, usesMemory: usesMemory, targetMachine: targetMachine, quick: quick)
    }
}

/// Measures `body` with the monotonic clock.
func measure<T>(_ elapsed: inout Duration, _ body: () throws -> T) rethrows -> T {
    let clock = ContinuousClock()
    let start = clock.now
    defer { elapsed = clock.now - start }
    return try body()
}
