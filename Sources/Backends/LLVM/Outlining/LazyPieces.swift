import CLLVM
import JitIR
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
final class LazyPieces: @unchecked Sendable {
    // @unchecked: the table is written only under `state`'s lock, and read by compiled code
    // (a slot only ever changes from 0 to its final address).
    private let layout: OutlineLayout
    private let bindings: RuntimeBindings
    private let pipeline: LLVMPipeline
    private let jit: OrcJIT
    private let sites: TrapSiteTable
    private let table: UnsafeMutablePointer<UInt64>

    private struct State {
        var handles: [OrcModule] = []
        var error: (any Error)?
        var statistics: LLVMLazyStatistics
    }
    private let state: Mutex<State>

    init(layout: OutlineLayout, bindings: RuntimeBindings, pipeline: LLVMPipeline, jit: OrcJIT, sites: TrapSiteTable) {
        self.layout = layout
        self.bindings = bindings
        self.pipeline = pipeline
        self.jit = jit
        self.sites = sites
        table = .allocate(capacity: max(1, layout.lazySlots.count))
        table.initialize(repeating: 0, count: max(1, layout.lazySlots.count))
        state = Mutex(State(statistics: LLVMLazyStatistics(lazyPieces: layout.lazySlots.count, compiled: 0,
                                                           compiledInstructions: 0, time: .zero)))
    }

    deinit {
        table.deallocate()
    }

    /// What compiled code needs to call the pieces.
    var linkage: LazyLinkage {
        LazyLinkage(tableAddress: UInt64(UInt(bitPattern: table)),
                    compiler: UInt64(UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque())))
    }

    var statistics: LLVMLazyStatistics { state.withLock { $0.statistics } }

    /// The error of a compile that failed during the last run, cleared by reading it.
    func takeError() -> (any Error)? {
        state.withLock { s in
            defer { s.error = nil }
            return s.error
        }
    }

    /// Compiles the piece of `slot` unless it already is. Failures are kept for `takeError`:
    /// this runs inside compiled code, which cannot take a Swift error.
    func compile(_ slot: Int) {
        state.withLock { s in
            guard slot >= 0 && slot < layout.lazySlots.count, table[slot] == 0, s.error == nil else { return }
            let clock = ContinuousClock()
            let start = clock.now
            do {
                let (f, p) = layout.lazySlots[slot]
                let name = jit.newSymbolPrefix() + "piece"
                let threadSafeContext = LLVMOrcCreateNewThreadSafeContext()!
                let module: LLVMModuleRef
                do {
                    let context = LLVMOrcThreadSafeContextGetContext(threadSafeContext)!
                    module = try pipeline.lowerPiece(layout, function: f, piece: p, in: context, bindings: bindings,
                                                     sites: sites, lazy: linkage, named: name)
                    do {
                        try pipeline.optimize(module, usesMemory: layout.module.memorySize > 0)
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
                s.handles.append(handle)
                table[slot] = address
                s.statistics.compiled += 1
                s.statistics.compiledInstructions += layout.plans[f].pieces[p].size
            } catch {
                s.error = error
            }
            s.statistics.time += clock.now - start
        }
    }

    /// The C-ABI hook compiled code calls with this object's address and a slot.
    static let hook: @convention(c) (UInt64, Int64) -> Void = { compiler, slot in
        guard let raw = UnsafeRawPointer(bitPattern: UInt(compiler)) else { return }
        Unmanaged<LazyPieces>.fromOpaque(raw).takeUnretainedValue().compile(Int(slot))
    }

    static let hookAddress = UInt64(UInt(bitPattern: unsafeBitCast(hook, to: UnsafeRawPointer.self)))
}
