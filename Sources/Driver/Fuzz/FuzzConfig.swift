import JitIR

/// One engine configuration a fuzzed program runs on.
public struct FuzzConfig: Hashable, Sendable, CustomStringConvertible {
    public var backend: BackendKind
    public var options: BackendOptions

    public init(_ backend: BackendKind, options: BackendOptions = BackendOptions()) {
        self.backend = backend
        self.options = options
    }

    /// `interp`, `x86`, `llvm-O2-orc`, `llvm-O2-orc-tiny` (`llvmTinyPieces`), `auto@17`
    /// (tier-up at the 17th poll).
    public var description: String {
        switch backend {
        case .llvm: "llvm-O\(options.llvmOptLevel)-\(options.llvmEngine.rawValue)" + (options.llvmTinyPieces ? "-tiny" : "")
        case .auto: "auto@\(options.tierUp.compileAtPoll.map(String.init) ?? "sampled")"
        default: backend.rawValue
        }
    }

    /// The configurations program `index` runs on. The interpreter comes first:
    /// it defines the meaning of every program, so it is the reference. By
    /// default LLVM runs at -O0 and -O2 with one engine, alternating between
    /// ORC and MCJIT from program to program so that a campaign covers both at
    /// half the compile cost; `all` runs both levels on both engines. `auto` moves each run from
    /// x86 to LLVM at a poll chosen by the program's index (the first to the 61st), so that a
    /// campaign moves programs at many different points: before and after output, near traps.
    /// Programs on MCJIT (and all with `all`) also run on `llvm-O2-orc-tiny`, whose tiny lazy
    /// pieces, tiering and loop entries real programs only reach when they are large.
    public static func configs(forProgram index: Int, all: Bool) -> [FuzzConfig] {
        let tierUp = TierUpPolicy(maximumCompiles: 1, compileAtPoll: 1 + (index * 7) % 61)
        var out = [FuzzConfig(.interp), FuzzConfig(.x86), FuzzConfig(.auto, options: BackendOptions(tierUp: tierUp))]
        let engines: [LLVMEngineKind] = all ? [.orc, .mcjit] : [index % 2 == 0 ? .orc : .mcjit]
        for engine in engines {
            for level in [0, 2] {
                out.append(FuzzConfig(.llvm, options: BackendOptions(llvmOptLevel: level, llvmEngine: engine)))
            }
        }
        if engines.contains(.mcjit) {
            out.append(FuzzConfig(.llvm, options: BackendOptions(llvmOptLevel: 2, llvmEngine: .orc, llvmTinyPieces: true)))
        }
        return out
    }

    func makeEngine() -> any ExecutionEngine { backend.makeEngine(options) }
}
