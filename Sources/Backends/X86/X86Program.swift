import JitIR
import NativeCode

/// A module compiled to x86-64 machine code: owns the code pages and the
/// native context (memory, hooks) it runs with.
public final class X86Program: CompiledProgram {
    /// The generated machine code (for `jitctl dump --asm`).
    public let machineCode: [UInt8]
    /// Offset of each function's first instruction in `machineCode`.
    public let functionOffsets: [String: Int]
    /// Where the code was mapped (disassemblers show absolute addresses).
    public var codeAddress: UInt64 { memory.baseAddress }
    /// Time spent turning IR into machine code: analysis, register allocation, emission and assembly.
    public let codegenTime: Duration
    /// What each trap-site index means.
    public let trapSites: [Trap]
    /// Each function, each loop and each function's trap stubs, by address.
    public var codeSymbols: [CodeSymbol] {
        let base = memory.baseAddress
        return regions.enumerated().map { k, r in
            let end = k + 1 < regions.count ? regions[k + 1].offset : machineCode.count
            return CodeSymbol(address: base + UInt64(r.offset), size: end - r.offset, name: r.region.name)
        }
    }
    private let regions: [(offset: Int, region: CodeRegion)]
    private let faultSites: [Int: Int]

    let functions: [String: Function]
    let adapterOffsets: [String: Int]
    let largestUncheckedFrame: Int
    let memory: ExecutableMemory
    let context: NativeContext

    init(module: Module, code: MachineCode, memory: ExecutableMemory, context: NativeContext, codegenTime: Duration) {
        machineCode = code.bytes
        functionOffsets = code.functionOffsets
        adapterOffsets = code.adapterOffsets
        largestUncheckedFrame = code.largestUncheckedFrame
        trapSites = code.sites
        regions = code.regions
        faultSites = code.faultSites
        self.memory = memory
        self.context = context
        self.codegenTime = codegenTime
        var functions: [String: Function] = [:]
        for f in module.functions where functions[f.name] == nil { functions[f.name] = f }
        self.functions = functions
    }

    public func run(_ name: String, arguments: [Int64], io: ProgramIO, options: RunOptions) throws -> RunResult {
        guard let function = functions[name], let offset = functionOffsets[name] else {
            throw RunError("no function @\(name) in the module")
        }
        guard arguments.count == function.parameters.count else {
            throw RunError("@\(name) takes \(function.parameters.count) argument(s), got \(arguments.count)")
        }
        let args = zip(arguments, function.parameters).map { function.type(of: $1).normalize($0) }
        let outcome: NativeOutcome
        if let adapter = adapterOffsets[name] {
            outcome = try args.withUnsafeBufferPointer { buffer in
                let pointer = Int64(Int(bitPattern: buffer.baseAddress))
                return try context.call(memory.address(at: adapter), arguments: [pointer], io: io)
            }
        } else {
            outcome = try context.call(memory.address(at: offset), arguments: args, io: io)
        }
        io.flush()
        let snapshot = options.captureMemory ? context.memorySnapshot() : nil
        switch outcome {
        case .returned(let value):
            return RunResult(value: function.resultType == nil ? nil : value, trap: nil, memory: snapshot)
        case .trapped(let site):
            guard trapSites.indices.contains(site) else {
                throw InternalError("x86: native code trapped at unknown site \(site)")
            }
            return RunResult(value: nil, trap: trapSites[site], memory: snapshot)
        case .faulted(let pc):
            // The access that faulted did nothing: the memory is as the IR leaves it at the trap.
            guard pc >= memory.baseAddress, let site = faultSites[Int(pc - memory.baseAddress)] else {
                throw InternalError("x86: a guard region was hit at \(pc), which is not a memory access of the code")
            }
            return RunResult(value: nil, trap: trapSites[site], memory: snapshot)
        }
    }
}
