import CLLVM
import JitIR
import NativeCode
import Synchronization

/// What lazy compilation did for one compiled program so far.
public struct LLVMLazyStatistics: Sendable, Hashable {
    /// Pieces that are compiled only when first called.
    public var lazyPieces: Int
    /// How many of them have been compiled.
    public var compiled: Int
    /// IR instructions of their own in the compiled ones.
    public var compiledInstructions: Int
    /// Time spent compiling them (it happens during runs).
    public var time: Duration
}

/// The pieces of one program that are compiled on their first call (ORC only).
///
/// Compiled code calls such a piece through its slot in a table of code addresses. A slot
/// holds 0 until the piece is compiled; the caller then calls the compile hook, which lowers
/// the piece alone into a module of its own, optimises it, adds it to the JIT and fills the
/// slot. Code that never runs is never compiled (docs/llvm.md, "Lazy compilation").
///
/// With tiering, a piece's first compile is a quick one (mem2reg only, and LLVM's fast
/// instruction selector and register allocator), and the call that makes it `tierUpCalls`
/// calls compiles it again at the program's level and puts that code in the slot. Code that
/// runs once or twice, which is most of a large program, costs a third as much to compile.
final class LazyPieces: @unchecked Sendable {
    // @unchecked: the tables are written only under `state`'s lock (counts also by compiled
    // code, which a program runs one run at a time), and a slot is only ever replaced whole.
    private let layout: OutlineLayout
    private let bindings: RuntimeAddresses
    private let pipeline: LLVMPipeline
    private let jit: OrcJIT
    private let sites: TrapSiteTable
    private let table: UnsafeMutablePointer<UInt64>
    private let counts: UnsafeMutablePointer<UInt64>
    /// The call that compiles a piece at the full level (0: its first).
    let tierUpCalls: Int
    /// The hook's slot argument has this bit set to ask for the full level.
    static let tierUpFlag: Int64 = 1 << 40

    private struct State {
        var handles: [OrcModule] = []
        var error: (any Error)?
        var statistics: LLVMLazyStatistics
        /// Whether each slot holds code of the full level.
        var final: [Bool]
    }
    private let state: Mutex<State>

    init(layout: OutlineLayout, bindings: RuntimeAddresses, pipeline: LLVMPipeline, jit: OrcJIT,
         sites: TrapSiteTable, outlining: LLVMOutlining) {
        self.layout = layout
        self.bindings = bindings
        self.pipeline = pipeline
        self.jit = jit
        self.sites = sites
        // At -O0 there is nothing quicker; a small program compiles at the full level quickly enough.
        let size = layout.module.functions.reduce(0) { $0 + $1.instructionCount }
        tierUpCalls = pipeline.optLevel == 0 || size < outlining.tieringInstructions ? 0 : outlining.tierUpCalls
        let n = max(1, layout.lazySlots.count)
        table = .allocate(capacity: n)
        table.initialize(repeating: 0, count: n)
        counts = .allocate(capacity: n)
        counts.initialize(repeating: 0, count: n)
        state = Mutex(State(statistics: LLVMLazyStatistics(lazyPieces: layout.lazySlots.count, compiled: 0,
                                                           compiledInstructions: 0, time: .zero),
                            final: Array(repeating: false, count: n)))
    }

    deinit {
        table.deallocate()
        counts.deallocate()
    }

    /// What compiled code needs to call the pieces.
    var linkage: LazyLinkage {
        LazyLinkage(tableAddress: UInt64(UInt(bitPattern: table)),
                    countsAddress: UInt64(UInt(bitPattern: counts)),
                    compiler: UInt64(UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque())),
                    tierUpCalls: tierUpCalls)
    }

    var statistics: LLVMLazyStatistics { state.withLock { $0.statistics } }

    /// The error of a compile that failed during the last run, cleared by reading it.
    func takeError() -> (any Error)? {
        state.withLock { s in
            defer { s.error = nil }
            return s.error
        }
    }

    /// Compiles the piece of `slot` unless it already is: quickly when tiering and not asked
    /// for `fullLevel`. Failures are kept for `takeError`: this runs inside compiled code,
    /// which cannot take a Swift error.
    func compile(_ slot: Int, fullLevel: Bool) {
        state.withLock { s in
            guard slot >= 0 && slot < layout.lazySlots.count, s.error == nil else { return }
            let (f, p) = layout.lazySlots[slot]
            let quick = tierUpCalls > 0 && !fullLevel
            guard quick ? table[slot] == 0 : !s.final[slot] else { return }
            let clock = ContinuousClock()
            let start = clock.now
            do {
                let jit = quick ? try OrcJIT.shared(optLevel: 0, hooks: bindings.hooks) : self.jit
                let name = jit.newSymbolPrefix() + "piece"
                let threadSafeContext = LLVMOrcCreateNewThreadSafeContext()!
                let module: LLVMModuleRef
                do {
                    let context = LLVMOrcThreadSafeContextGetContext(threadSafeContext)!
                    module = try pipeline.lowerPiece(layout, function: f, piece: p, in: context, bindings: bindings,
                                                     sites: sites, lazy: linkage, named: name, quickTier: quick)
                    do {
                        try pipeline.optimize(module, usesMemory: layout.module.memorySize > 0, quick: quick)
                    } catch {
                        LLVMDisposeModule(module)
                        throw error
                    }
                } catch {
                    LLVMOrcDisposeThreadSafeContext(threadSafeContext)
                    throw error
                }
                let (handle, addresses, _) = try jit.add(module: module, context: threadSafeContext, symbols: [name])
                guard let address = addresses[name], address != 0 else {
                    throw InternalError("LLVM: no code generated for a piece of @\(layout.module.functions[f].name)")
                }
                // The quick code stays: an activation of it may still be running.
                s.handles.append(handle)
                table[slot] = address
                s.final[slot] = !quick
                s.statistics.compiled += 1
                s.statistics.compiledInstructions += layout.plans[f].pieces[p].size
            } catch {
                s.error = error
            }
            s.statistics.time += clock.now - start
        }
    }

    /// The C-ABI hook compiled code calls with this object's address and a slot, which has
    /// `tierUpFlag` set to ask for the full level.
    static let hook: @convention(c) (UInt64, Int64) -> Void = { compiler, argument in
        guard let raw = UnsafeRawPointer(bitPattern: UInt(compiler)) else { return }
        Unmanaged<LazyPieces>.fromOpaque(raw).takeUnretainedValue()
            .compile(Int(argument & (tierUpFlag - 1)), fullLevel: argument & tierUpFlag != 0)
    }

    static let hookAddress = UInt64(UInt(bitPattern: unsafeBitCast(hook, to: UnsafeRawPointer.self)))
}
