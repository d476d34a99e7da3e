import CLLVM
import JitIR
import NativeCode

/// A module compiled by `LLVMBackend`: its code (kept alive by the engine handle), the native
/// context the code is bound to, and the trap-site table.
public final class LLVMCompiledProgram: CompiledProgram {
    struct Entry {
        let address: UInt64
        let parameterTypes: [IntType]
        let resultType: IntType?
    }

    let context: NativeContext
    /// Frees the code when released: an `OrcModule` or an `MCJITModule`.
    private let code: AnyObject
    let entries: [String: Entry]
    let sites: TrapSiteTable
    /// The pieces compiled on their first call, when there are any.
    let lazy: LazyPieces?
    /// How many LLVM functions the IR functions became (`OutlinePlan`), wrappers not counted.
    public let pieceCount: Int
    /// How long each phase of this program's compilation took.
    public let timings: LLVMCompileTimings
    /// Each function's code, when the backend records it.
    public let codeSymbols: [CodeSymbol]

    /// For a module with guard regions: the module and the engine that replay a run that faulted.
    private let replay: (module: JitIR.Module, engine: any ExecutionEngine)?

    init(context: NativeContext, code: AnyObject, entries: [String: Entry], sites: TrapSiteTable,
         timings: LLVMCompileTimings, codeSymbols: [CodeSymbol] = [],
         replay: (module: JitIR.Module, engine: any ExecutionEngine)? = nil,
         lazy: LazyPieces? = nil, pieceCount: Int = 0) {
        self.replay = replay
        self.lazy = lazy
        self.pieceCount = pieceCount
        self.codeSymbols = codeSymbols
        self.context = context
        self.code = code
        self.entries = entries
        self.sites = sites
        self.timings = timings
    }

    public func run(_ function: String, arguments: [Int64], io: ProgramIO, options: RunOptions) throws -> RunResult {
        guard let entry = entries[function] else { throw RunError.noFunction(function) }
        // Where this run starts in `io`, which may have served earlier runs: a replay needs
        // only this run's input and output. Earlier output is sent on first, so that what this
        // run has flushed is counted from here.
        var start = (input: 0, output: 0)
        if replay != nil {
            io.flush()
            io.recordsInput = true
            start = (io.consumedInput.count, io.flushedCount)
        }
        // The wrapper reads wide argument lists from an array (ModuleLowering.defineWrapper).
        return try NativeRun.run(function, code: UnsafeRawPointer(bitPattern: UInt(entry.address))!,
                                 parameterTypes: entry.parameterTypes, resultType: entry.resultType,
                                 byPointer: entry.parameterTypes.count > NativeContext.maxArguments, arguments: arguments,
                                 in: context, io: io, options: options, site: sites.site,
                                 afterCall: { if let error = lazy?.takeError() { throw error } }) { _, normalized in
            try replayed(function, arguments: normalized, io: io, from: start, options: options)
        }
    }

    /// A run that faulted in a guard region, replayed on the replay engine (`GuardReplay`).
    private func replayed(_ function: String, arguments: [Int64], io: ProgramIO, from start: (input: Int, output: Int),
                          options: RunOptions) throws -> RunResult {
        guard let replay else { throw InternalError("LLVM: a guard fault in a module without guard regions") }
        return try GuardReplay.replay(replay.module, function, arguments: arguments, on: replay.engine, io: io, from: start,
                                      options: options, faultedIn: "LLVM")
    }
}

extension LLVMCompiledProgram {
    /// What lazy compilation has done for this program so far; nil when nothing is compiled lazily.
    public var lazyStatistics: LLVMLazyStatistics? { lazy?.statistics }

    /// The time lazily compiled pieces took, on the run's thread.
    public var compileTimeInRuns: Duration { lazy?.statistics.time ?? .zero }
}

extension LLVMBackend {
    func compileProgram(_ module: JitIR.Module) throws -> LLVMCompiledProgram {
        let outlining = outlining.fromEnvironment()
        var timings = LLVMCompileTimings()
        let pipeline = try LLVMPipeline(optLevel: optLevel)
        let native = try NativeContext(memorySize: module.memorySize, guardBytes: module.guardBytes)
        let bindings = RuntimeAddresses(native)
        let hooks = bindings.hooks
        let callable = module.functions
        let layout = OutlineLayout(module, options: outlining, lazyAllowed: engine == .orc)
        let sites = TrapSiteTable()
        var lazy: LazyPieces?

        let code: AnyObject
        var addresses: [String: UInt64] = [:]
        var codeSymbols: [CodeSymbol] = []
        let lowered: LoweredModule
        switch engine {
        case .orc:
            let jit = try OrcJIT.shared(optLevel: optLevel, hooks: hooks)
            if layout.isLazy {
                lazy = LazyPieces(layout: layout, bindings: bindings, pipeline: pipeline, jit: jit, sites: sites,
                                  outlining: outlining)
            }
            // The code is generated here, outside the JIT's lock, while lazy pieces may be
            // compiling on another thread (`LazyPieces`).
            let context = LLVMContextCreate()!
            defer { LLVMContextDispose(context) }
            lowered = try measure(&timings.lowering) {
                try pipeline.lower(layout, in: context, bindings: bindings, entryPrefix: jit.newSymbolPrefix(),
                                   sites: sites, lazy: lazy?.linkage)
            }
            defer { LLVMDisposeModule(lowered.module) }
            try measure(&timings.passes) { try pipeline.optimize(lowered) }
            let symbols = callable.compactMap { lowered.entrySymbols[$0.name] }
            let (handle, found, linked) = try measure(&timings.codegen) {
                let object = try ObjectEmission.emit(lowered.module, with: pipeline.targetMachine)
                return try jit.add(object: object, symbols: symbols, recordingCode: recordsCodeSymbols)
            }
            code = handle
            addresses = found
            // Wrappers are named `<prefix><function>`; say which function they enter.
            let prefix = lowered.entrySymbols.first.map { $0.value.dropLast($0.key.count) } ?? ""
            codeSymbols = linked.map { s in
                var named = s
                named.name = s.name.hasPrefix(prefix) ? "@\(s.name.dropFirst(prefix.count)) (entry)" : "@\(s.name)"
                return named
            }

        case .mcjit:
            let context = LLVMContextCreate()!
            do {
                lowered = try measure(&timings.lowering) {
                    try pipeline.lower(layout, in: context, bindings: bindings, entryPrefix: LLVMBackend.dumpEntryPrefix,
                                       sites: sites)
                }
            } catch {
                LLVMContextDispose(context)
                throw error
            }
            do {
                try measure(&timings.passes) { try pipeline.optimize(lowered) }
            } catch {
                LLVMDisposeModule(lowered.module)
                LLVMContextDispose(context)
                throw error
            }
            let engine = try measure(&timings.codegen) {
                let engine = try MCJITModule(module: lowered.module, context: context, optLevel: optLevel, hooks: hooks)
                for f in callable {
                    if let symbol = lowered.entrySymbols[f.name] { addresses[symbol] = try engine.address(of: symbol) }
                }
                return engine
            }
            code = engine
        }

        var entries: [String: LLVMCompiledProgram.Entry] = [:]
        for f in callable {
            guard let symbol = lowered.entrySymbols[f.name], let address = addresses[symbol] else {
                throw InternalError("LLVM: no code generated for @\(f.name)")
            }
            entries[f.name] = .init(address: address, parameterTypes: f.parameters.map { f.type(of: $0) },
                                    resultType: f.resultType)
        }
        timingsBox.value.withLock { $0 = timings }
        var replay: (module: JitIR.Module, engine: any ExecutionEngine)?
        if module.guardBytes > 0 { replay = (module, replayEngine) }
        return LLVMCompiledProgram(context: native, code: code, entries: entries, sites: sites,
                                   timings: timings, codeSymbols: codeSymbols, replay: replay, lazy: lazy,
                                   pieceCount: layout.pieceCount)
    }
}
