import JitIR

/// One program compiled and run on one backend, with the time each step took.
public struct Execution: Sendable {
    public var backend: BackendKind
    public var result: RunResult
    /// Time in `ExecutionEngine.compile` (code generation, LLVM passes, JIT linking).
    public var compileTime: Duration
    /// Time in the run itself.
    public var runTime: Duration
    /// What `auto` did while the program ran (empty on the other backends).
    public var tierUpEvents: [TierUpEvent] = []
}

public enum Runner {
    /// Compiles `program` with `backend` and runs its entry with `io`. With `perfMap`, the
    /// compiled code's symbols are written where `perf` looks for them first (`PerfMap`).
    public static func execute(_ program: LoweredProgram, on backend: BackendKind,
                               options: BackendOptions = BackendOptions(), io: ProgramIO,
                               runOptions: RunOptions = RunOptions(), perfMap: Bool = false) throws -> Execution {
        let clock = ContinuousClock()
        var options = options
        options.recordsCodeSymbols = options.recordsCodeSymbols || perfMap
        let engine = backend.makeEngine(options)
        let start = clock.now
        let compiled = try engine.compile(program.module)
        let compiledAt = clock.now
        if perfMap { try PerfMap.write(compiled.codeSymbols, program: program.path) }
        let result = try compiled.run(program.entry, arguments: program.arguments, io: io, options: runOptions)
        let end = clock.now
        io.flush()
        return Execution(backend: backend, result: result, compileTime: compiledAt - start, runTime: end - compiledAt,
                         tierUpEvents: (compiled as? TieredProgram)?.lastRunEvents ?? [])
    }
}
