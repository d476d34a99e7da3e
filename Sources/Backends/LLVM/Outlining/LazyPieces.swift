import CLLVM
import JitIR
import NativeCode
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What lazy compilation has done for one compiled program so far.
public struct LLVMLazyStatistics: Sendable, Hashable {
    /// Pieces that are compiled only when first called.
    public var lazyPieces: Int
    /// How many compiles of them have been done, ahead of need included.
    public var compiled: Int
    /// IR instructions of their own in the compiled ones.
    public var compiledInstructions: Int
    /// Time the run's thread spent compiling them, or waiting for a compile ahead to finish.
    public var time: Duration
    /// How many of the compiles nobody waited for were done: full levels that tiering asked for
    /// and pieces compiled ahead of need, on the background thread (or on the run's thread,
    /// instead of waiting for it).
    public var compiledAhead: Int = 0
    /// The time those compiles took, failed ones included; what the run's thread did of them is
    /// in `time` too.
    public var aheadTime: Duration = .zero
    /// How many of the compiles were of code that starts at the head of a loop that got hot in
    /// quick code, other than one back to its piece's root (a loop entry).
    public var loopEntries: Int = 0
}

/// The pieces of one program that are compiled on their first call (ORC only).
///
/// Compiled code calls such a piece through its slot in a table of code addresses. A slot
/// holds 0 until the piece is compiled; the caller then calls the compile hook, which lowers
/// the piece alone into a module of its own, optimises it, generates its code, links it into
/// the JIT and fills the slot. Code that never runs is never compiled (docs/llvm.md, "Lazy
/// compilation").
///
/// With tiering, a piece's first compile is a quick one (mem2reg only, and LLVM's fast
/// instruction selector and register allocator), and the call that makes it `tierUpCalls`
/// calls compiles it again at the program's level and puts that code in the slot. Code that
/// runs once or twice, which is most of a large program, costs a third as much to compile.
///
/// With a second processor, a thread of the program's own does the compiles nobody waits for
/// (docs/llvm.md, "Compiling on a second core"): the compiles at the full level that tiering
/// asks for, while the quick code goes on running, and pieces before they are called, in
/// program order, up to `LLVMOutlining.aheadInstructions`, at the level of a first call. A call
/// that finds its piece being compiled there compiles the next piece ahead itself rather than
/// wait idle, then looks again.
final class LazyPieces: @unchecked Sendable {
    // @unchecked: the tables are written only under `state`'s lock (counts also by compiled
    // code, which a program runs one run at a time), and a slot is only ever replaced whole.
    // `quickMachine` is touched only on the run's thread (the background thread has its own).
    private let layout: OutlineLayout
    private let bindings: RuntimeAddresses
    private let pipeline: LLVMPipeline
    private let jit: OrcJIT
    private let sites: TrapSiteTable
    private let table: UnsafeMutablePointer<UInt64>
    private let counts: UnsafeMutablePointer<UInt64>
    private var quickMachine: TargetMachine?
    /// The call that compiles a piece at the full level (0: its first).
    let tierUpCalls: Int
    /// The iterations after which quick code asks for a loop entry (0: it never does).
    let loopEntryIterations: Int
    /// The hook's slot argument has this bit set to ask for the full level.
    static let tierUpFlag: Int64 = 1 << 40

    private struct State {
        var handles: [OrcModule] = []
        var error: (any Error)?
        var statistics: LLVMLazyStatistics
        /// Whether each slot holds code of the full level.
        var final: [Bool]
        /// Whether a compile of each slot is under way, on any thread.
        var busy: [Bool]
        /// Slots whose full level was asked for of the background thread, oldest first.
        var tierUps: [Int] = []
        /// The next slot the compiles ahead consider, and the instructions they may still take.
        var nextAhead = 0
        var aheadBudget: Int
        /// Whether compiles nobody waits for go to a background thread (not once one could not
        /// start or work), and whether it is running (it ends when it runs out of work).
        var backgroundUsable: Bool
        var backgroundRunning = false
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
        tierUpCalls = pipeline.optLevel == 0 || !layout.tiers ? 0 : outlining.tierUpCalls
        loopEntryIterations = tierUpCalls == 0 ? 0 : outlining.loopEntryIterations
        let n = max(1, layout.slotCount)
        table = .allocate(capacity: n)
        table.initialize(repeating: 0, count: n)
        counts = .allocate(capacity: n)
        counts.initialize(repeating: 0, count: n)
        state = Mutex(State(statistics: LLVMLazyStatistics(lazyPieces: layout.lazySlots.count, compiled: 0,
                                                           compiledInstructions: 0, time: .zero),
                            final: Array(repeating: false, count: n), busy: Array(repeating: false, count: n),
                            aheadBudget: outlining.aheadInstructions,
                            backgroundUsable: outlining.aheadInstructions > 0 && Self.canCompileInBackground))
        if !layout.lazySlots.isEmpty {
            state.withLock { s in startBackgroundThread(&s) }
        }
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
                    tierUpCalls: tierUpCalls, loopEntryIterations: loopEntryIterations)
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
    /// for `fullLevel`. Waits while another thread compiles it. With a background thread, the
    /// full level is only asked of it. Returns whether the slot holds code of the full level.
    /// Failures are kept for `takeError`: this runs inside compiled code, which cannot take a
    /// Swift error.
    func compile(_ slot: Int, fullLevel: Bool) -> Bool {
        guard slot >= 0 && slot < layout.slotCount else { return false }
        // A loop entry has no quick code: its loop is already running in quick code.
        let quick = tierUpCalls > 0 && !fullLevel && slot < layout.lazySlots.count
        if fullLevel {
            let asked: Bool? = state.withLock { s in
                if s.final[slot] || s.error != nil { return nil }
                guard s.backgroundUsable else { return false }
                if !s.tierUps.contains(slot) { s.tierUps.append(slot) }
                startBackgroundThread(&s)
                return s.backgroundRunning
            }
            guard let asked else { return state.withLock { $0.final[slot] } }
            if asked { return false }
            // No background thread: compile it here.
        }
        let clock = ContinuousClock()
        let start = clock.now
        defer { state.withLock { $0.statistics.time += clock.now - start } }
        while true {
            let claimed: Bool? = state.withLock { s in
                if s.error != nil || (quick ? table[slot] != 0 : s.final[slot]) { return nil }
                if s.busy[slot] { return false }
                s.busy[slot] = true
                return true
            }
            guard let claimed else { return state.withLock { $0.final[slot] } }
            guard claimed else {
                // The background thread has it. Rather than wait, take the piece that thread
                // would take ahead next, if any: the two then finish sooner than one alone.
                let quickMachine = tierUpCalls > 0 ? try? runQuickMachine() : nil
                if compileInBackground(with: pipeline, machines: (full: pipeline.targetMachine, quick: quickMachine),
                                       onlyAhead: true) != .compiled {
                    usleep(50)
                }
                continue
            }
            let result = Result {
                try compileUnclaimed(slot, quick: quick, with: pipeline,
                                     on: quick ? try runQuickMachine() : pipeline.targetMachine)
            }
            return state.withLock { s in
                s.busy[slot] = false
                switch result {
                case .success(let code): publish(code, in: slot, final: !quick, &s)
                case .failure(let error): s.error = error
                }
                return s.final[slot]
            }
        }
    }

    /// What one call of `compileInBackground` did.
    fileprivate enum BackgroundStep {
        /// It compiled a piece (or failed to).
        case compiled
        /// A full level asked for waits for a compile of the same piece elsewhere to end.
        case waiting
        /// Nothing is left to do; on the background thread, that ends it.
        case done
    }

    /// Does one compile nobody waits for: the oldest full level asked for (unless `onlyAhead`),
    /// else the next piece ahead of need at the level of a first call. Uses the calling thread's
    /// own `pipeline` and target `machines`. A failed full level is the run's error, as when the
    /// run's thread compiles it; a failed piece ahead is left for the call that needs it, which
    /// compiles it again and reports the error.
    fileprivate func compileInBackground(with pipeline: LLVMPipeline, machines: (full: TargetMachine, quick: TargetMachine?),
                                         onlyAhead: Bool = false) -> BackgroundStep {
        let firstQuick = tierUpCalls > 0
        enum Next { case compile(slot: Int, quick: Bool), wait, done }
        let next: Next = state.withLock { s in
            func stop() -> Next {
                if !onlyAhead { s.backgroundRunning = false }
                return .done
            }
            guard s.error == nil else { return stop() }
            if !onlyAhead {
                s.tierUps.removeAll { s.final[$0] }
                // One compiling elsewhere stays asked for: that may be a compile of its quick code.
                if let k = s.tierUps.firstIndex(where: { !s.busy[$0] }) {
                    let slot = s.tierUps.remove(at: k)
                    s.busy[slot] = true
                    return .compile(slot: slot, quick: false)
                }
            }
            if !(firstQuick && machines.quick == nil) {
                while s.nextAhead < layout.lazySlots.count {
                    let slot = s.nextAhead
                    s.nextAhead += 1
                    if (firstQuick ? table[slot] != 0 : s.final[slot]) || s.busy[slot] { continue }
                    let size = layout.size(ofSlot: slot)
                    guard size <= s.aheadBudget else {
                        s.nextAhead = layout.lazySlots.count
                        break
                    }
                    s.aheadBudget -= size
                    s.busy[slot] = true
                    return .compile(slot: slot, quick: firstQuick)
                }
            }
            return !onlyAhead && !s.tierUps.isEmpty ? .wait : stop()
        }
        guard case .compile(let slot, let quick) = next else {
            if case .wait = next { return .waiting }
            return .done
        }
        let clock = ContinuousClock()
        let start = clock.now
        let result = Result {
            try compileUnclaimed(slot, quick: quick, with: pipeline, on: quick ? machines.quick ?? machines.full : machines.full)
        }
        state.withLock { s in
            s.busy[slot] = false
            switch result {
            case .success(let code):
                publish(code, in: slot, final: !quick, &s)
                s.statistics.compiledAhead += 1
            case .failure(let error):
                if !quick { s.error = error }
            }
            s.statistics.aheadTime += clock.now - start
        }
        return .compiled
    }

    /// The background thread ended before its work: it could not make its target machines, or
    /// the process is stopping compiles. From then on the run's thread compiles the full levels
    /// asked for (a quick loop asks again every 1,024 iterations).
    fileprivate func backgroundThreadEnded() {
        state.withLock { s in
            s.backgroundRunning = false
            s.backgroundUsable = false
            s.tierUps.removeAll()
        }
    }

    /// Starts the background thread if it may run and is not running; one that cannot start
    /// is not tried again.
    private func startBackgroundThread(_ s: inout State) {
        guard s.backgroundUsable && !s.backgroundRunning else { return }
        s.backgroundRunning = BackgroundThread.start(for: self, optLevel: pipeline.optLevel)
        s.backgroundUsable = s.backgroundRunning
    }

    /// Whether a background thread may start: not with one processor only, where it could only
    /// delay the program, nor once the process is stopping compiles.
    static var canCompileInBackground: Bool { BackgroundThread.processors > 1 && !BackgroundCompiles.isStopped }

    private func publish(_ code: (handle: OrcModule, address: UInt64), in slot: Int, final: Bool, _ s: inout State) {
        // Quick code that is replaced stays: an activation of it may still be running.
        s.handles.append(code.handle)
        table[slot] = code.address
        s.final[slot] = final
        s.statistics.compiled += 1
        s.statistics.compiledInstructions += layout.size(ofSlot: slot)
        if slot >= layout.lazySlots.count { s.statistics.loopEntries += 1 }
    }

    /// Lowers, optimises and generates the piece of `slot`, which the caller has marked busy,
    /// with `machine`, and links it into the JIT.
    private func compileUnclaimed(_ slot: Int, quick: Bool, with pipeline: LLVMPipeline,
                                  on machine: TargetMachine) throws -> (handle: OrcModule, address: UInt64) {
        let (f, p, entry) = layout.contents(ofSlot: slot)
        let name = jit.newSymbolPrefix() + (entry == nil ? "piece" : "loop")
        let context = LLVMContextCreate()!
        defer { LLVMContextDispose(context) }
        let module = try pipeline.lowerPiece(layout, function: f, piece: p, loopEntry: entry, in: context, bindings: bindings,
                                             sites: sites, lazy: linkage, named: name, quickTier: quick)
        defer { LLVMDisposeModule(module) }
        try pipeline.optimize(module, usesMemory: layout.module.memorySize > 0, quick: quick)
        let object = try ObjectEmission.emit(module, with: machine)
        let (handle, addresses, _) = try jit.add(object: object, symbols: [name])
        guard let address = addresses[name], address != 0 else {
            throw InternalError("LLVM: no code generated for a piece of @\(layout.module.functions[f].name)")
        }
        return (handle, address)
    }

    /// The run's thread's target machine for quick code: -O0 code generation, with LLVM's fast
    /// instruction selector and register allocator.
    private func runQuickMachine() throws -> TargetMachine {
        let machine = try quickMachine ?? TargetMachine(optLevel: 0)
        quickMachine = machine
        return machine
    }

    /// The C-ABI hook compiled code calls with this object's address and a slot, which has
    /// `tierUpFlag` set to ask for the full level. Returns 1 when the slot holds code of the
    /// full level, else 0.
    static let hook: @convention(c) (UInt64, Int64) -> Int64 = { compiler, argument in
        guard let raw = UnsafeRawPointer(bitPattern: UInt(compiler)) else { return 0 }
        let done = Unmanaged<LazyPieces>.fromOpaque(raw).takeUnretainedValue()
            .compile(Int(argument & (tierUpFlag - 1)), fullLevel: argument & tierUpFlag != 0)
        return done ? 1 : 0
    }

    static let hookAddress = UInt64(UInt(bitPattern: unsafeBitCast(hook, to: UnsafeRawPointer.self)))
}

/// The thread that does one program's compiles nobody waits for (`LazyPieces`). It holds the
/// program's pieces weakly between compiles, so that releasing the program ends it after the
/// compile under way, and ends when there is nothing left to do.
private final class BackgroundThread: @unchecked Sendable {
    // @unchecked: `pieces` is a weak reference, which Swift reads and clears atomically.
    weak var pieces: LazyPieces?
    let optLevel: Int

    private init(pieces: LazyPieces, optLevel: Int) {
        self.pieces = pieces
        self.optLevel = optLevel
    }

    /// The processors online (an affinity mask or a container's CPU quota is not consulted).
    static let processors = sysconf(Int32(_SC_NPROCESSORS_ONLN))

    /// Starts the thread for `pieces`; false when it could not be. The thread counts as a
    /// background compile (`BackgroundCompiles`) from before it exists until it is done with LLVM.
    static func start(for pieces: LazyPieces, optLevel: Int) -> Bool {
        BackgroundCompiles.waitForThemAtExit()
        guard BackgroundCompiles.begin() else { return false }
        let thread = BackgroundThread(pieces: pieces, optLevel: optLevel)
        guard let started = try? NativeThread.start({
            thread.run()
            // Every target machine, module and program this thread held is released by now.
            BackgroundCompiles.end()
        }) else {
            BackgroundCompiles.end()
            return false
        }
        pthread_detach(started)
        return true
    }

    private func run() {
        // A target machine serves one thread at a time: this thread has its own.
        guard let pipeline = try? LLVMPipeline(optLevel: optLevel) else {
            pieces?.backgroundThreadEnded()
            return
        }
        let quick = try? TargetMachine(optLevel: 0)
        while true {
            guard !BackgroundCompiles.isStopped else {
                pieces?.backgroundThreadEnded()
                return
            }
            guard let pieces else { return }
            switch pieces.compileInBackground(with: pipeline, machines: (pipeline.targetMachine, quick)) {
            case .compiled: continue
            case .waiting: usleep(100)
            case .done: return
            }
        }
    }
}
