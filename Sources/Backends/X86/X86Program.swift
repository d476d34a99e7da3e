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
    private let faultSites: [(offset: Int, site: Int)]

    let functions: [String: Function]
    let adapterOffsets: [String: Int]
    let largestUncheckedFrame: Int
    let memory: ExecutableMemory
    /// The context the code runs in (tier-up compiles other code against it).
    public let context: NativeContext
    /// The slots a program compiled for tier-up polls; kept alive with the code.
    var tierUpSlots: TierUpSlots?
    /// For a program compiled for tier-up: the registers each polling site passes, in order, by
    /// site index (the registers live at its block). A site not here never polls.
    public internal(set) var tierUpParameters: [Int: [Var]] = [:]

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

    /// The trap site of the memory access at `offset` in the code, if there is one there.
    func faultSite(at offset: Int) -> Int? {
        var low = 0, high = faultSites.count
        while low < high {
            let mid = (low + high) / 2
            if faultSites[mid].offset < offset { low = mid + 1 } else { high = mid }
        }
        return low < faultSites.count && faultSites[low].offset == offset ? faultSites[low].site : nil
    }

    public func run(_ name: String, arguments: [Int64], io: ProgramIO, options: RunOptions) throws -> RunResult {
        try run(name, arguments: arguments, io: io, options: options, otherSite: { _ in nil }) { pc, _ in
            throw InternalError("x86: a guard region was hit at \(pc), which is not a memory access of the code")
        }
    }

    /// `run`, for a program whose activations may have moved to other code (tier-up): a trap-site
    /// index beyond this program's is `otherSite`'s, and a guard-region fault outside this code is
    /// `otherFault`'s to report (given the pc and the normalised arguments).
    public func run(_ name: String, arguments: [Int64], io: ProgramIO, options: RunOptions,
                    otherSite: (Int) -> Trap?,
                    otherFault: (_ pc: UInt64, _ normalized: [Int64]) throws -> RunResult) throws -> RunResult {
        guard let function = functions[name], let offset = functionOffsets[name] else { throw RunError.noFunction(name) }
        let adapter = adapterOffsets[name]
        return try NativeRun.run(name, code: memory.address(at: adapter ?? offset),
                                 parameterTypes: function.parameters.map(function.type(of:)), resultType: function.resultType,
                                 byPointer: adapter != nil, arguments: arguments, in: context, io: io, options: options,
                                 site: { trapSites.indices.contains($0) ? trapSites[$0] : otherSite($0) }) { pc, normalized in
            // The access that faulted did nothing: the memory is as the IR leaves it at the trap.
            guard pc >= memory.baseAddress, pc < memory.baseAddress + UInt64(machineCode.count) else {
                return try otherFault(pc, normalized)
            }
            guard let site = faultSite(at: Int(pc - memory.baseAddress)) else {
                throw InternalError("x86: a guard region was hit at \(pc), which is not a memory access of the code")
            }
            return RunResult(value: nil, trap: trapSites[site], memory: NativeRun.snapshot(context, options))
        }
    }
}
