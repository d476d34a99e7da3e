import CLLVM
import JitIR
import NativeCode

extension LLVMBackend {
    /// Compiles `module` at the full level, all at once, into an object file whose code runs with
    /// `bindings` (another process's context, memory and hooks), numbering its trap sites from
    /// `firstSite` on.
    public func compileObject(_ module: JitIR.Module, bindings: RuntimeAddresses, firstSite: Int) throws -> RelocatableObject {
        var options = outlining.fromEnvironment()
        options.lazy = false
        let pipeline = try LLVMPipeline(optLevel: optLevel)
        let layout = OutlineLayout(module, options: options, lazyAllowed: false)
        let sites = TrapSiteTable(base: firstSite)
        let context = LLVMContextCreate()!
        defer { LLVMContextDispose(context) }
        let lowered = try pipeline.lower(layout, in: context, bindings: bindings, entryPrefix: Self.dumpEntryPrefix, sites: sites)
        defer { LLVMDisposeModule(lowered.module) }
        try pipeline.optimize(lowered)
        let buffer = try ObjectEmission.emit(lowered.module, with: pipeline.targetMachine)
        defer { LLVMDisposeMemoryBuffer(buffer) }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: LLVMGetBufferStart(buffer), count: LLVMGetBufferSize(buffer)))
        var externals: [String: UInt64] = [:]
        for hook in bindings.hooks.bySymbol where hook.name != HookSymbol.compilePiece { externals[hook.name] = hook.address }
        return RelocatableObject(bytes: bytes, entrySymbols: lowered.entrySymbols, externalSymbols: externals, sites: sites.sites,
                                 firstSite: firstSite)
    }
}
