#if canImport(Glibc)
import Glibc
#endif
import JitIR
import NativeCode
@_exported import enum NativeCode.LLVMEngineKind

/// Everything the driver asks of LLVM: its backend, its IR and its disassembler.
///
/// The driver does not link LLVM. Loading libLLVM costs tens of milliseconds of dynamic
/// relocation, which a run on the interpreter or the x86 backend should not pay. A program that
/// links the `JitCtlLLVM` module gets these services automatically (`LLVMServicesRegistry`).
public protocol LLVMServices: TierUpCompiler {
    init()
    /// A fresh LLVM engine with `options`.
    func makeEngine(_ options: BackendOptions) -> any ExecutionEngine
    /// LLVM's IR for `module`, before or after the pass pipeline at `optLevel`.
    func llvmIR(for module: Module, optLevel: Int, stage: DumpStage) throws -> String
    /// The machine code LLVM generates for each function of `module`.
    func machineCode(for module: Module, optLevel: Int) throws -> [(function: String, bytes: [UInt8])]
    /// A disassembler for x86-64 machine code.
    func makeDisassembler() throws -> any MachineCodeDisassembler
    /// Starts preparing, in the background, what the first compile with `options` needs, so
    /// that it overlaps the caller's own work (the frontend). Optional; a caller that warms up
    /// calls `finishWarmUp()` before it exits.
    func warmUp(_ options: BackendOptions)
    /// Waits until the work `warmUp` started is done.
    func finishWarmUp()
}

/// What compiles the code tier-up moves to: LLVM in this process (`LLVMServices`), or in a
/// compile server of its own (`RemoteTierUpCompiler`).
public protocol TierUpCompiler: Sendable {
    /// Compiles `module` at `options`' level into code that runs in `context`, another program's,
    /// numbering its trap sites from `firstSite` on: the code tier-up moves activations to.
    func compileForTierUp(_ module: Module, options: BackendOptions, context: NativeContext,
                          firstSite: Int) throws -> any TierUpCode
}

/// Code compiled for tier-up (`TierUpCompiler.compileForTierUp`). It stays valid while the object lives.
public protocol TierUpCode: AnyObject {
    /// The address of function `name`'s C-ABI entry (int64 arguments, or the address of an array
    /// of them beyond `NativeContext.maxArguments`; int64 result).
    func entryAddress(_ name: String) -> UInt64?
    /// What trap-site index `index` of this code means.
    func trapSite(_ index: Int) -> Trap?
    /// Its functions, for a profiler's symbol map (`PerfMap`).
    var codeSymbols: [CodeSymbol] { get }
}

extension TierUpCode {
    public var codeSymbols: [CodeSymbol] { [] }
}

extension LLVMServices {
    public func warmUp(_ options: BackendOptions) {}
    public func finishWarmUp() {}
}

/// Turns x86-64 machine code into listing lines.
public protocol MachineCodeDisassembler: Sendable {
    /// The instructions of `bytes`, which start at `address`.
    func disassemble(_ bytes: [UInt8], address: UInt64) -> [AssemblyLine]
}

/// Where the driver finds `LLVMServices`.
public enum LLVMServicesRegistry {
    /// The mangled name of `JitCtlLLVM.LinkedLLVMServices` (`_typeByName` reads mangled names only).
    static let providerTypeName = "10JitCtlLLVM18LinkedLLVMServicesV"

    private static let state = LockedState()

    /// Makes `services` the ones the driver uses from now on.
    public static func install(_ services: any LLVMServices) {
        state.withLock { $0 = (true, services) }
    }

    /// The registry's state under a pthread mutex. Not `Synchronization.Mutex`: that library is
    /// one more for `jitctl` to load at every start.
    private final class LockedState: @unchecked Sendable {
        // @unchecked: `value` is only touched while holding `mutex`.
        private var value: (looked: Bool, services: (any LLVMServices)?) = (false, nil)
        private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
            let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
            pthread_mutex_init(m, nil)
            return m
        }()

        func withLock<R>(_ body: (inout (looked: Bool, services: (any LLVMServices)?)) -> R) -> R {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return body(&value)
        }
    }

    /// The installed services; otherwise those of the `JitCtlLLVM` module when it is linked into
    /// this program (found once, by type name, so that linking the module is all a client does);
    /// nil when LLVM is not part of this program.
    public static var services: (any LLVMServices)? {
        state.withLock { state in
            if !state.looked {
                state.looked = true
                state.services = (_typeByName(providerTypeName) as? any LLVMServices.Type)?.init()
            }
            return state.services
        }
    }

    /// The services, or a `RunError` saying that this program was built without LLVM.
    public static func required() throws -> any LLVMServices {
        guard let services else {
            throw RunError("the LLVM backend is not part of this program: link the JitCtlLLVM module (jitctl runs it through jitctl-llvm)")
        }
        return services
    }
}

/// Stands in for the LLVM backend when LLVM is not linked: compiling reports why.
struct UnavailableLLVMEngine: ExecutionEngine {
    var name: String { "llvm" }

    func compile(_ module: Module) throws -> any CompiledProgram {
        try LLVMServicesRegistry.required().makeEngine(BackendOptions()).compile(module)
    }
}
