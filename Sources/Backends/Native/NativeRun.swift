import JitIR

/// What a native backend's `run` does once it has found the function's code: the steps every
/// native backend shares, so that they cannot drift apart.
public enum NativeRun {
    /// Checks the argument count, normalises the arguments to the parameter types, calls `code`
    /// in `context` (through an array when there are more arguments than registers: `byPointer`),
    /// flushes `io`, runs `afterCall` (which may throw what the backend learnt during the call),
    /// and makes the result: the value normalised to `resultType`, or the trap of the site the
    /// code reported (`site` maps its index), or what `fault` makes of a guard-region fault. The
    /// memory is snapshot when `options` ask for it.
    public static func run(_ name: String, code: UnsafeRawPointer, parameterTypes: [IntType], resultType: IntType?,
                           byPointer: Bool, arguments: [Int64], in context: NativeContext, io: ProgramIO,
                           options: RunOptions, site: (Int) -> Trap?, afterCall: () throws -> Void = {},
                           fault: (_ pc: UInt64, _ normalized: [Int64]) throws -> RunResult) throws -> RunResult {
        guard arguments.count == parameterTypes.count else {
            throw RunError.argumentCount(name, takes: parameterTypes.count, given: arguments.count)
        }
        let normalized = zip(arguments, parameterTypes).map { $1.normalize($0) }
        let outcome: NativeOutcome
        if byPointer {
            // The entry wrapper reads a wide argument list from an array.
            outcome = try normalized.withUnsafeBufferPointer { buffer in
                try context.call(code, arguments: [Int64(Int(bitPattern: buffer.baseAddress))], io: io)
            }
        } else {
            outcome = try context.call(code, arguments: normalized, io: io)
        }
        io.flush()
        try afterCall()
        switch outcome {
        case .returned(let value):
            return RunResult(value: resultType.map { $0.normalize(value) }, trap: nil, memory: snapshot(context, options))
        case .trapped(let index):
            guard let trap = site(index) else {
                throw InternalError("native code trapped at unknown site \(index) in @\(name)")
            }
            return RunResult(value: nil, trap: trap, memory: snapshot(context, options))
        case .faulted(let pc):
            return try fault(pc, normalized)
        }
    }

    /// The memory after a run, when `options` ask for it.
    public static func snapshot(_ context: NativeContext, _ options: RunOptions) -> [UInt8]? {
        options.captureMemory ? context.memorySnapshot() : nil
    }
}
