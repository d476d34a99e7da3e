/// The result of running one function of a compiled module.
public struct RunResult: Sendable, Hashable {
    /// The returned value, sign-extended to 64 bits; nil for a function without result or after a trap.
    public var value: Int64?
    /// The trap that stopped the run, if any.
    public var trap: Trap?
    /// The module memory after the run, when `RunOptions.captureMemory` asked for it.
    public var memory: [UInt8]?

    public init(value: Int64? = nil, trap: Trap? = nil, memory: [UInt8]? = nil) {
        self.value = value
        self.trap = trap
        self.memory = memory
    }
}

public struct RunOptions: Sendable, Hashable {
    /// Copy the module memory into `RunResult.memory` (tests compare final tapes).
    public var captureMemory: Bool
    public init(captureMemory: Bool = false) { self.captureMemory = captureMemory }
}

/// A named stretch of generated machine code, for profilers (`jitctl run --perf-map`).
public struct CodeSymbol: Sendable, Hashable {
    public var address: UInt64
    public var size: Int
    public var name: String

    public init(address: UInt64, size: Int, name: String) {
        self.address = address
        self.size = size
        self.name = name
    }
}

/// A module made ready to run by one engine. Each run starts with zeroed memory.
/// Runs of one program must not overlap in time.
public protocol CompiledProgram: AnyObject {
    /// Runs `function` with `arguments` (one per parameter, normalised to the parameter types).
    func run(_ function: String, arguments: [Int64], io: ProgramIO, options: RunOptions) throws -> RunResult
    /// The machine code, by function and loop, in address order; empty for an interpreter.
    var codeSymbols: [CodeSymbol] { get }
    /// Time spent compiling while runs were in progress, on the run's thread (code compiled on its
    /// first call), since the program was compiled.
    var compileTimeInRuns: Duration { get }
}

extension CompiledProgram {
    public var codeSymbols: [CodeSymbol] { [] }
    public var compileTimeInRuns: Duration { .zero }

    public func run(_ function: String, arguments: [Int64] = [], io: ProgramIO) throws -> RunResult {
        try run(function, arguments: arguments, io: io, options: RunOptions())
    }
}

/// Something that turns a verified module into a runnable program: the
/// reference interpreter, the x86-64 backend or the LLVM backend.
public protocol ExecutionEngine {
    /// A short name: `interp`, `x86`, `llvm`.
    var name: String { get }
    func compile(_ module: Module) throws -> any CompiledProgram
}

/// A failure that is jitctl's fault, not the user's: a bug to report.
public struct InternalError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "internal error: \(message)" }
}

/// Asked to run something that does not exist or does not fit.
public struct RunError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// Every engine's error for a run of a function the module does not have.
    public static func noFunction(_ name: String) -> RunError { RunError("no function named @\(name)") }

    /// Every engine's error for a run with the wrong number of arguments.
    public static func argumentCount(_ name: String, takes parameters: Int, given: Int) -> RunError {
        RunError("@\(name) takes \(parameters) argument\(parameters == 1 ? "" : "s"), not \(given)")
    }
}
