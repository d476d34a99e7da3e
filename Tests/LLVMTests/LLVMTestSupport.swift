import JitIR
import LLVMBackend

/// One way of configuring the backend under test.
struct LLVMConfiguration: Sendable, CustomStringConvertible {
    var optLevel: Int
    var engine: LLVMEngineKind

    var backend: LLVMBackend { LLVMBackend(optLevel: optLevel, engine: engine) }
    var description: String { "O\(optLevel) \(engine)" }

    /// Unoptimised and optimised code, on both engines.
    static let all: [LLVMConfiguration] = [
        .init(optLevel: 0, engine: .orc), .init(optLevel: 2, engine: .orc),
        .init(optLevel: 0, engine: .mcjit), .init(optLevel: 2, engine: .mcjit),
    ]
}

/// A call to make on a module, with its input.
struct ProgramRun: Sendable, CustomStringConvertible {
    var function: String
    var arguments: [Int64]
    var input: [UInt8] = []

    var description: String { "@\(function)(\(arguments.map(String.init).joined(separator: ", ")))" }
}

/// Runs every call on the interpreter and on `backend` and describes each difference in
/// value, trap, output or final memory. Empty when they agree.
func differences(_ module: Module, _ runs: [ProgramRun], backend: any ExecutionEngine) throws -> [String] {
    let reference = try Interpreter().compile(module)
    let compiled = try backend.compile(module)
    var problems: [String] = []
    for run in runs {
        let (expected, expectedOutput) = try execute(reference, run)
        let (actual, actualOutput) = try execute(compiled, run)
        if actual.value != expected.value {
            problems.append("\(run): value \(actual.value.map(String.init) ?? "none"), interpreter \(expected.value.map(String.init) ?? "none")")
        }
        if actual.trap != expected.trap {
            problems.append("\(run): trap \(actual.trap.map(String.init(describing:)) ?? "none") in @\(actual.trap?.function ?? ""), interpreter \(expected.trap.map(String.init(describing:)) ?? "none") in @\(expected.trap?.function ?? "")")
        }
        if actualOutput != expectedOutput {
            problems.append("\(run): output \(actualOutput), interpreter \(expectedOutput)")
        }
        if actual.memory != expected.memory {
            problems.append("\(run): final memory differs")
        }
    }
    return problems
}

private func execute(_ program: any CompiledProgram, _ run: ProgramRun) throws -> (RunResult, [UInt8]) {
    let io = ProgramIO(input: .bytes(run.input), output: .capture)
    let result = try program.run(run.function, arguments: run.arguments, io: io, options: RunOptions(captureMemory: true))
    return (result, io.allOutput)
}
