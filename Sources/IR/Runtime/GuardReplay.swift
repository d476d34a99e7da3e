/// How a run whose access faulted in a guard region, in code that cannot say which access it was,
/// is reported: it is replayed on another engine from the same input (docs/safety.md).
public enum GuardReplay {
    /// Replays `function` of `module` on `engine` with the input this run consumed from `io` since
    /// `start`. Every engine writes the same output before the same trap, and the output this run
    /// already flushed is a prefix of it (native code keeps accesses on their side of each host
    /// call), so the replay's output from there on replaces what the run still had buffered.
    public static func replay(_ module: Module, _ function: String, arguments: [Int64], on engine: any ExecutionEngine,
                              io: ProgramIO, from start: (input: Int, output: Int), options: RunOptions,
                              faultedIn who: String = "native code") throws -> RunResult {
        let replayIO = ProgramIO(input: .bytes(Array(io.consumedInput[start.input...])), output: .capture)
        let result = try engine.compile(module).run(function, arguments: arguments, io: replayIO, options: options)
        guard result.trap?.kind == .outOfBounds else {
            throw InternalError("\(who): an access faulted in a guard region, but the run replayed on \(engine.name) does not trap there")
        }
        io.discardUnflushed()
        for byte in replayIO.allOutput.dropFirst(io.flushedCount - start.output) { io.write(byte) }
        io.flush()
        return result
    }
}
