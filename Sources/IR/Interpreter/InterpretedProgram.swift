#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A module decoded by the `Interpreter`, ready to run any number of times
/// (one run at a time).
public final class InterpretedProgram: CompiledProgram {
    private let module: Module
    private let engine: Interpreter
    private let functionIndex: [String: Int]
    private let locations: [SourceLoc]
    private let owners: [Int32]
    private let code: UnsafeMutableBufferPointer<DecodedInstruction>
    private let functions: UnsafeMutableBufferPointer<DecodedFunction>
    private let parameters: UnsafeMutableBufferPointer<DecodedParameter>
    private let arguments: UnsafeMutableBufferPointer<Int32>
    private let constants: UnsafeMutableBufferPointer<Int64>

    init(module: Module, engine: Interpreter) throws {
        let decoded = try ProgramDecoder.decode(module, specialize: engine.specializes)
        self.module = module
        self.engine = engine
        var index: [String: Int] = [:]
        for (i, f) in module.functions.enumerated() where index[f.name] == nil { index[f.name] = i }
        functionIndex = index
        locations = decoded.locations
        owners = decoded.owners
        code = Self.copy(decoded.code)
        functions = Self.copy(decoded.functions)
        parameters = Self.copy(decoded.parameters)
        arguments = Self.copy(decoded.arguments)
        constants = Self.copy(decoded.constants)
    }

    deinit {
        code.deallocate()
        functions.deallocate()
        parameters.deallocate()
        arguments.deallocate()
        constants.deallocate()
    }

    /// Number of decoded instructions (fused pairs count once).
    public var decodedInstructionCount: Int { code.count }

    /// Runs `function` with zeroed memory. A trap is returned in `RunResult.trap`
    /// (output written before it is kept); `io` is flushed either way.
    /// Throws `RunError` when there is no such function or the argument count is wrong.
    public func run(_ function: String, arguments args: [Int64], io: ProgramIO, options: RunOptions) throws -> RunResult {
        guard let entry = functionIndex[function] else { throw RunError.noFunction(function) }
        let f = module.functions[entry]
        guard args.count == f.parameters.count else {
            throw RunError.argumentCount(function, takes: f.parameters.count, given: args.count)
        }
        guard module.memorySize >= 0, let raw = calloc(max(1, module.memorySize), 1) else {
            throw RunError("cannot allocate \(module.memorySize) bytes of memory")
        }
        let memory = raw.bindMemory(to: UInt8.self, capacity: max(1, module.memorySize))
        defer { free(raw) }

        let machine = InterpreterMachine(
            code: UnsafePointer(code.baseAddress!), functions: UnsafePointer(functions.baseAddress!),
            parameters: UnsafePointer(parameters.baseAddress!), arguments: UnsafePointer(arguments.baseAddress!),
            constants: UnsafePointer(constants.baseAddress!), memory: memory, memorySize: module.memorySize,
            maxCallDepth: engine.maxCallDepth, maxRegisters: engine.maxFrameMemory / MemoryLayout<Int64>.stride)
        let stop = machine.run(entry: entry, arguments: args, io: io)
        io.flush()

        var result = RunResult()
        switch stop {
        case .returned(let value):
            result.value = f.resultType?.normalize(value)
        case .trapped(let kind, let pc):
            result.trap = Trap(kind: kind, loc: locations[pc], function: module.functions[Int(owners[pc])].name)
        }
        if options.captureMemory {
            result.memory = Array(UnsafeBufferPointer(start: memory, count: module.memorySize))
        }
        return result
    }

    /// A heap copy that stays put while the program lives (never empty, so it has an address).
    private static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
        _ = buffer.initialize(from: array)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
    }
}
