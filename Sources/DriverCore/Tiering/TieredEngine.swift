#if canImport(Glibc)
import Glibc
#endif
import JitIR
import NativeCode
import X86Backend

/// `--backend=auto`: runs on the x86 backend's code at once, and moves what runs long to LLVM's
/// code while it runs (docs/tiering.md). Without LLVM in the process, LLVM compiles in a server
/// process (`RemoteTierUpCompiler`); without that either, it is the x86 backend.
public struct TieredEngine: ExecutionEngine, Sendable {
    public var options: BackendOptions
    public var policy: TierUpPolicy
    /// What compiles the LLVM code; nil for LLVM in this process when it is linked in, otherwise
    /// the compile server next to this executable (`RemoteTierUpCompiler.companion`).
    public var compiler: (any TierUpCompiler)?

    public init(options: BackendOptions = BackendOptions(), policy: TierUpPolicy = TierUpPolicy(),
                compiler: (any TierUpCompiler)? = nil) {
        self.options = options
        self.policy = policy
        self.compiler = compiler
    }

    public var name: String { "auto" }

    /// Whether a tier-up compile, or a background compile of LLVM pieces (`BackgroundCompiles`),
    /// is running anywhere in the process.
    public static var isCompiling: Bool { TierUpController.anyCompiling || BackgroundCompiles.inFlight }

    /// Ends the process with `status`, after ending its compile servers. While a tier-up compile
    /// or a background compile of LLVM pieces (`BackgroundCompiles`) is still running on another
    /// thread, the process leaves without running exit handlers and static destructors (LLVM's
    /// among them) under it, after flushing the standard streams; the compile's result is not needed.
    public static func exitProcess(_ status: Int32) -> Never {
        RemoteTierUpCompiler.stopServers()
        BackgroundCompiles.stop()
        if isCompiling {
            fflush(nil)  // every stream
            _exit(status)
        }
        exit(status)
    }

    public func compile(_ module: Module) throws -> any CompiledProgram {
        var policy = policy
        if let text = getenv("JITCTL_AUTO_AT_POLL"), let n = Int(String(cString: text)), n > 0 {
            policy.compileAtPoll = n  // for experiments: move at that poll (docs/tiering.md)
        }
        if let text = getenv("JITCTL_AUTO_PAYBACK") {  // for experiments: "register,memory" (docs/tiering.md)
            let factors = String(cString: text).split(separator: ",").compactMap { Double($0) }
            if factors.count == 2 { (policy.payback, policy.memoryPayback) = (factors[0], factors[1]) }
        }
        guard let compiler = compiler ?? LLVMServicesRegistry.services ?? RemoteTierUpCompiler.companion,
              policy.maximumCompiles > 0 else {
            return try X86Backend().compileProgram(module)
        }
        var sites = X86Backend.tierUpSites(module)
        let controller = TierUpController(module: module, sites: sites, compiler: compiler, options: options, policy: policy)
        let slots = TierUpSlots(siteCount: sites.count) { [unowned controller] site in controller.decide(site) }
        controller.slots = slots
        let x86 = try X86Backend().compileProgram(module, tierUp: slots, sites: sites)
        for (k, live) in x86.tierUpParameters { sites[k].live = live }
        controller.sites = sites
        controller.context = x86.context
        controller.firstSite = x86.trapSites.count
        return TieredProgram(x86: x86, controller: controller, module: module)
    }
}

/// A program compiled by `TieredEngine`.
public final class TieredProgram: CompiledProgram {
    /// The baseline code every run starts in.
    public let x86: X86Program
    let controller: TierUpController
    let module: Module

    init(x86: X86Program, controller: TierUpController, module: Module) {
        self.x86 = x86
        self.controller = controller
        self.module = module
    }

    /// What tier-up did during the latest run.
    public var lastRunEvents: [TierUpEvent] { controller.lastRunEvents }

    /// Whether a compile started by a run is still going on.
    public var isCompiling: Bool { controller.isCompiling }

    public var codeSymbols: [CodeSymbol] { x86.codeSymbols }

    public func run(_ function: String, arguments: [Int64], io: ProgramIO, options: RunOptions) throws -> RunResult {
        // A fault in LLVM's code is found by replaying the run (docs/safety.md), which needs its input.
        var start = (input: 0, output: 0)
        if module.guardBytes > 0 {
            io.flush()
            io.recordsInput = true
            start = (io.consumedInput.count, io.flushedCount)
        }
        controller.begin()
        defer { controller.end() }
        return try x86.run(function, arguments: arguments, io: io, options: options,
                           otherSite: { controller.trapSite($0) }) { _, normalized in
            try GuardReplay.replay(module, function, arguments: normalized, on: X86Backend(), io: io, from: start,
                                   options: options)
        }
    }
}
