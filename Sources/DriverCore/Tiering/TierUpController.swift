#if canImport(Glibc)
import Glibc
#endif
import JitIR
import NativeCode
import X86Backend

/// When tier-up looks for hot code and how much it compiles (docs/tiering.md).
public struct TierUpPolicy: Sendable, Hashable {
    /// How long a run goes on before its first sample: a program that finishes sooner never
    /// compiles anything, and never starts LLVM.
    public var firstSample: Duration
    /// Time between later samples, while there is something left to compile.
    public var samplePeriod: Duration
    /// The most compiles one program makes (each a site where an activation moves to LLVM's code).
    public var maximumCompiles: Int
    /// A site is compiled only once the run has lasted this many times what its compile is
    /// expected to take (`compileCostPerInstruction`). The compile runs beside the program (in
    /// another thread, or in the compile server), so a move costs the run no time on a second
    /// core, only CPU; and LLVM's code may be much faster (1.6× on prime) or a little slower (8% on
    /// collatz), so moving early loses little and waiting long can lose much (docs/tiering.md).
    public var payback: Double = 3
    /// `payback` for code over memory (Brainfuck).
    public var memoryPayback: Double = 3
    /// The compile time expected per IR instruction of the code compiled: what LLVM took at -O2,
    /// all at once, for factor (2,204 instructions) and mandelbrot (7,355) here.
    public var compileCostPerInstruction: Duration = .microseconds(25)
    /// For tests and fuzzing: when set, tier-up does not sample. Every site polls from the start
    /// of each run, and the run's `compileAtPoll`-th poll compiles its site on the run's own thread
    /// and moves there at once, so that where a run moves depends only on the program.
    public var compileAtPoll: Int?

    public init(firstSample: Duration = .milliseconds(20), samplePeriod: Duration = .milliseconds(5), maximumCompiles: Int = 4,
                compileAtPoll: Int? = nil) {
        self.firstSample = firstSample
        self.samplePeriod = samplePeriod
        self.maximumCompiles = max(0, maximumCompiles)
        self.compileAtPoll = compileAtPoll.map { max(1, $0) }
    }
}

/// Something tier-up did, at `time` after the start of the run it happened in.
public struct TierUpEvent: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A sample found the run at this site, and its compile started.
        case compileStarted
        /// The compile finished after `Duration`.
        case compiled(Duration)
        /// The run moved to the compiled code here.
        case entered
        /// The compile failed; the run stays on x86.
        case failed(String)
        /// The x86 code does not keep every register the site needs; it is never compiled.
        case skipped
    }

    public var kind: Kind
    public var site: LoopEntry.Site
    /// Where the site is in the source.
    public var loc: SourceLoc
    public var time: Duration

    public var description: String {
        let at = "@\(site.function) \(site.block == 0 ? "entry" : "loop") at \(loc)"
        let ms = String(Double(Int((Double(time.components.attoseconds) / 1e15 + Double(time.components.seconds) * 1e3) * 10)) / 10)
        switch kind {
        case .compileStarted: return "\(ms) ms: \(at) is hot; compiling it with LLVM"
        case .compiled(let d):
            let took = Double(Int((Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1e3) * 10)) / 10
            return "\(ms) ms: \(at) compiled in \(took) ms"
        case .entered: return "\(ms) ms: \(at) now runs LLVM's code"
        case .failed(let why): return "\(ms) ms: \(at) could not be compiled (\(why)); staying on x86"
        case .skipped: return "\(ms) ms: \(at) cannot move (the x86 code there keeps too few registers); skipped"
        }
    }
}

/// Decides what to compile and when, compiles it on a background thread, and hands the code to
/// the x86 code's sites (`TierUpSlots`). All its state is under one lock.
final class TierUpController: @unchecked Sendable {
    // @unchecked: every mutable field is touched with `monitor` held, but those set once, right
    // after the x86 compile and before any run (`sites`, `slots`, `context`, `firstSite`).
    let module: Module
    /// Each names the registers the x86 code passes there (`X86Program.tierUpParameters`): set
    /// once, right after that compile.
    var sites: [LoopEntry.Site]
    let compiler: any TierUpCompiler
    let options: BackendOptions
    let policy: TierUpPolicy
    /// Set once, right after the x86 code that polls the slots is compiled.
    var slots: TierUpSlots?
    var context: NativeContext?
    var firstSite = 0

    private let monitor = Monitor()
    private var compiling = false
    private var compileCount = 0
    private var ready: [Int: UInt64] = [:]
    private var code: [any TierUpCode] = []
    private var runStart = ContinuousClock.now
    private var running = false
    private var sampler: pthread_t?
    private(set) var events: [TierUpEvent] = []
    private var runEvents = 0
    private var polls = 0
    /// The function each compiled entry continues, by the entry's name.
    private var continued: [String: String] = [:]
    /// Sites whose x86 code does not pass every register the IR reads from there (`checkParameters`).
    private var unusable: Set<Int> = []
    /// `LoopEntry.liveIn` of each function with a site compiled so far.
    private var liveInOfFunction: [String: [[Var]]] = [:]

    /// IR instructions LLVM compiles for a site of each function: the function's and those of
    /// every function it may call. Counted when a site is first found hot.
    private var compileSize: [String: Int] = [:]

    init(module: Module, sites: [LoopEntry.Site], compiler: any TierUpCompiler, options: BackendOptions, policy: TierUpPolicy) {
        self.module = module
        self.sites = sites
        self.compiler = compiler
        self.options = options
        self.policy = policy
    }

    /// Whether a compile is still running (the process must then leave without running static
    /// destructors under it: see `TierUp.exit`).
    var isCompiling: Bool { monitor.withLock { compiling } }

    /// The events of the latest run.
    var lastRunEvents: [TierUpEvent] { monitor.withLock { Array(events[runEvents...]) } }

    // MARK: The process

    private static let processMonitor = Monitor()
    nonisolated(unsafe) private static var compilesInFlight = 0

    /// Whether any compile for tier-up is running in this process.
    static var anyCompiling: Bool { processMonitor.withLock { compilesInFlight > 0 } }

    private static func count(_ change: Int) { processMonitor.withLock { compilesInFlight += change } }

    // MARK: A run

    func begin() {
        monitor.withLock {
            runStart = .now
            running = true
            runEvents = events.count
            polls = 0
            if policy.compileAtPoll != nil { slots?.armAll() }
        }
        guard policy.compileAtPoll == nil else { return }
        let period = policy.samplePeriod, first = policy.firstSample
        sampler = Monitor.start(stackSize: 256 << 10) { [self] in
            monitor.withLock {
                var delay = first
                // `end` may have run before this thread took the lock: then there is nothing to
                // wait for (waiting would hold `end` up for the whole first delay).
                while running {
                    monitor.wait(seconds: seconds(delay))
                    guard running else { return }
                    if .now - runStart < first { continue }
                    if !compiling && compileCount < policy.maximumCompiles { slots?.armAll() }
                    delay = period
                }
            }
        }
    }

    func end() {
        monitor.withLock {
            running = false
            monitor.signal()
        }
        if let sampler { pthread_join(sampler, nil) }
        sampler = nil
    }

    // MARK: The hook (on the run's thread)

    /// What the site's slow path asks: the code to move to, or 0 to stay.
    func decide(_ site: Int) -> UInt64 {
        if policy.compileAtPoll != nil { return decideAtPoll(site) }
        return monitor.withLock {
            guard let slots else { return 0 }
            if let address = ready.removeValue(forKey: site) {
                slots.install(address, at: site)
                record(.entered, site)
                return address
            }
            slots.disarmWaiting()
            for s in ready.keys { slots.arm(s) }
            if unusable.contains(site) { return 0 }
            let expected = policy.compileCostPerInstruction * expectedCompileSize(sites[site].function)
            let payback = module.memorySize > 0 ? max(policy.payback, policy.memoryPayback) : policy.payback
            if !compiling && compileCount < policy.maximumCompiles && ContinuousClock.now - runStart >= expected * payback {
                compiling = true
                compileCount += 1
                Self.count(1)
                record(.compileStarted, site)
                let started = Monitor.start(stackSize: 64 << 20) { [self] in compile(site) }
                if started == nil {
                    Self.count(-1)
                    compiling = false
                    record(.failed("no thread"), site)
                }
            }
            return 0
        }
    }

    /// `decide` when tier-up is deterministic (`TierUpPolicy.compileAtPoll`).
    private func decideAtPoll(_ site: Int) -> UInt64 {
        let compileNow: Bool = monitor.withLock {
            if unusable.contains(site) { return false }
            polls += 1
            guard polls == policy.compileAtPoll, compileCount < policy.maximumCompiles else { return false }
            compileCount += 1
            record(.compileStarted, site)
            return true
        }
        guard compileNow else { return 0 }
        let clock = ContinuousClock()
        let start = clock.now
        let result = Result { try compileEntry(site) }
        return monitor.withLock {
            if case .failure(let error) = result, error is UnusableSite {
                // The next poll of another site compiles instead (every site stays armed), so
                // that the move still happens.
                skip(site)
                polls -= 1
                return 0
            }
            slots?.disarmWaiting()
            switch result {
            case .success(let (compiled, address)):
                code.append(compiled)
                publish(compiled)
                record(.compiled(clock.now - start), site)
                slots?.install(address, at: site)
                record(.entered, site)
                return address
            case .failure(let error):
                compileCount = policy.maximumCompiles
                record(.failed("\(error)"), site)
                return 0
            }
        }
    }

    private func record(_ kind: TierUpEvent.Kind, _ site: Int) {
        let s = sites[site]
        let block = module.function(named: s.function)?.blocks[s.block]
        let loc = block?.instructions.first(where: { $0.loc.isKnown })?.loc ?? block?.terminatorLoc ?? .unknown
        events.append(TierUpEvent(kind: kind, site: s, loc: loc, time: .now - runStart))
    }

    // MARK: The compile (on its own thread)

    private func compile(_ site: Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = Result { try compileEntry(site) }
        let took = clock.now - start
        defer { Self.count(-1) }
        monitor.withLock {
            compiling = false
            if case .failure(let error) = result, error is UnusableSite {
                skip(site)
                return
            }
            switch result {
            case .success(let (compiled, address)):
                code.append(compiled)
                publish(compiled)
                ready[site] = address
                slots?.arm(site)
                record(.compiled(took), site)
            case .failure(let error):
                compileCount = policy.maximumCompiles  // one failure ends tiering for this program
                record(.failed("\(error)"), site)
            }
        }
    }

    /// LLVM's code for `site`, and the address to call.
    private func compileEntry(_ site: Int) throws -> (any TierUpCode, UInt64) {
        let (entry, name) = try entryModule(for: sites[site])
        guard let context else { throw InternalError("tier-up: no context") }
        let compiled = try compiler.compileForTierUp(entry, options: options, context: context,
                                                     firstSite: firstSite + (monitor.withLock { compileCount } << 24))
        guard let address = compiled.entryAddress(name) else { throw InternalError("tier-up: no code for @\(name)") }
        return (compiled, address)
    }

    /// The module LLVM compiles for `site`: the function that continues there, and every function
    /// it may call.
    private func entryModule(for site: LoopEntry.Site) throws -> (Module, String) {
        guard let f = module.function(named: site.function) else { throw InternalError("tier-up: no @\(site.function)") }
        try checkParameters(of: site, in: f)
        var name = site.entryName
        while module.function(named: name) != nil { name += "_" }
        let entry = LoopEntry.function(of: f, enteringAt: site.block, parameters: site.live, named: name)
        monitor.withLock { continued[name] = site.function }
        let functions = withCallees(entry)
        let result = Module(sourceFile: module.sourceFile, memorySize: module.memorySize, guardBytes: module.guardBytes,
                            functions: functions)
        try IRVerifier.verify(result)
        return (result, name)
    }

    /// Names the new code in the profiler's symbol map, when the run writes one.
    private func publish(_ compiled: any TierUpCode) {
        if options.recordsCodeSymbols { try? PerfMap.write(compiled.codeSymbols, program: module.sourceFile) }
    }

    /// Never compiles `site` again, and gives back the compile it took (with `monitor` held).
    private func skip(_ site: Int) {
        unusable.insert(site)
        compileCount -= 1
        record(.skipped, site)
    }

    /// A site the x86 code reaches without some register the IR reads from there: it had folded
    /// that register's reads away. Never compiled.
    private struct UnusableSite: Error {}

    /// Throws `UnusableSite` unless `site` passes every register live at its block in `f`, and
    /// only registers of `f`.
    private func checkParameters(of site: LoopEntry.Site, in f: Function) throws {
        let live: [[Var]]
        if let known = monitor.withLock({ liveInOfFunction[f.name] }) {
            live = known
        } else {
            live = LoopEntry.liveIn(f)
            monitor.withLock { liveInOfFunction[f.name] = live }
        }
        guard site.live.allSatisfy({ $0.index < f.registerTypes.count }),
              f.blocks.indices.contains(site.block),
              Set(live[site.block]).isSubset(of: site.live) else { throw UnusableSite() }
    }

    /// `f`, then every function it may call.
    private func withCallees(_ f: Function) -> [Function] {
        var functions = [f]
        var included: Set<String> = [f.name]
        var queue = [f]
        while let g = queue.popLast() {
            for block in g.blocks {
                for inst in block.instructions {
                    if case .call(_, let callee, _) = inst.op, included.insert(callee).inserted,
                       let h = module.function(named: callee) {
                        functions.append(h)
                        queue.append(h)
                    }
                }
            }
        }
        return functions
    }

    /// `compileSize` of function `name` (with `monitor` held).
    private func expectedCompileSize(_ name: String) -> Int {
        if let known = compileSize[name] { return known }
        let size = module.function(named: name).map { withCallees($0).reduce(0) { $0 + $1.instructionCount } } ?? 0
        compileSize[name] = size
        return size
    }

    // MARK: What the run reports

    /// The trap site `index` of the compiled code, if it is one.
    /// A trap in a function that continues another (`LoopEntry`) is the other function's.
    func trapSite(_ index: Int) -> Trap? {
        monitor.withLock {
            for c in code {
                guard var trap = c.trapSite(index) else { continue }
                if let original = continued[trap.function] { trap.function = original }
                return trap
            }
            return nil
        }
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
