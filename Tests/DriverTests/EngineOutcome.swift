import JitIR

/// What a run of a BF module's `@main` left: output, trap and final memory. Engines that
/// agree on a program agree on all three.
struct EngineOutcome: Equatable {
    var output: [UInt8]
    var trap: Trap?
    var memory: [UInt8]?

    static func run(_ module: Module, on engine: any ExecutionEngine, input: [UInt8]) throws -> EngineOutcome {
        let io = ProgramIO(input: .bytes(input))
        let result = try engine.compile(module).run("main", arguments: [], io: io, options: RunOptions(captureMemory: true))
        io.flush()
        return EngineOutcome(output: io.allOutput, trap: result.trap, memory: result.memory)
    }
}
