import JitCtlCore
import JitIR
import LLVMBackend
import NativeCode
import X86Backend

/// The driver's `LLVMServices`, implemented by the LLVM backend. Linking this module is enough:
/// the driver finds this type by name the first time it needs LLVM.
public struct LinkedLLVMServices: LLVMServices {
    public init() {}

    /// Makes these the driver's LLVM services without the lookup by name.
    public static func install() {
        LLVMServicesRegistry.install(LinkedLLVMServices())
    }

    public func makeEngine(_ options: BackendOptions) -> any ExecutionEngine {
        var llvm = LLVMBackend(optLevel: options.llvmOptLevel, engine: options.llvmEngine)
        llvm.recordsCodeSymbols = options.recordsCodeSymbols
        if options.llvmTinyPieces {
            llvm.outlining = LLVMOutlining(pieceInstructions: 12, tierUpCalls: 5, tieringInstructions: 0,
                                           loopEntryIterations: 3, loopEntryInstructions: 1_000)
        }
        llvm.replayEngine = X86Backend()  // finds a faulting access far sooner than the interpreter
        return llvm
    }

    public func warmUp(_ options: BackendOptions) {
        LLVMBackend(optLevel: options.llvmOptLevel, engine: options.llvmEngine).warmUpInBackground()
    }

    public func finishWarmUp() {
        LLVMBackend.finishWarmUp()
    }

    public func compileForTierUp(_ module: Module, options: BackendOptions, context: NativeContext,
                                 firstSite: Int) throws -> any TierUpCode {
        // The same object file and loader as the compile server's (`RemoteTierUpCompiler`).
        try LoadedTierUpCode(LLVMBackend(optLevel: options.llvmOptLevel)
            .compileObject(module, bindings: RuntimeAddresses(context), firstSite: firstSite))
    }

    public func llvmIR(for module: Module, optLevel: Int, stage: DumpStage) throws -> String {
        try LLVMBackend.llvmIR(for: module, optLevel: optLevel, stage: stage == .before ? .beforePasses : .afterPasses)
    }

    public func machineCode(for module: Module, optLevel: Int) throws -> [(function: String, bytes: [UInt8])] {
        try LLVMBackend.machineCode(for: module, optLevel: optLevel)
    }

    public func makeDisassembler() throws -> any MachineCodeDisassembler {
        LLVMDisassembler(disassembler: try Disassembler())
    }
}

/// LLVM's MC disassembler as the driver's `MachineCodeDisassembler`.
struct LLVMDisassembler: MachineCodeDisassembler {
    let disassembler: Disassembler

    func disassemble(_ bytes: [UInt8], address: UInt64) -> [AssemblyLine] {
        disassembler.disassemble(bytes, address: address).map {
            AssemblyLine(address: address + UInt64($0.offset), bytes: $0.bytes, text: $0.text)
        }
    }
}

