#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a call into native code ended.
public enum NativeOutcome: Sendable, Hashable {
    /// The entry function returned this value (rax).
    case returned(Int64)
    /// The code called the trap hook with this site index; the backend maps it to a `Trap`.
    case trapped(site: Int)
    /// An access faulted in a guard region of the memory; `pc` is the faulting instruction.
    /// The backend maps it to the access's trap.
    case faulted(pc: UInt64)
}

/// Why the native runtime could not be set up.
public enum NativeRuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The program memory could not be mapped.
    case memoryMapFailed(size: Int, errno: Int32)
    /// The runtime stubs (entry trampoline, trap hook) could not be built.
    case stubsUnavailable(String)
    /// No thread with a stack of `stackSize` bytes could be started to run native code on.
    case threadUnavailable(stackSize: Int, errno: Int32)
    /// The fault handler for guard regions could not be installed, or has no slot free.
    case guardsUnavailable(String)

    public var description: String {
        switch self {
        case .memoryMapFailed(let size, let e):
            "native runtime: cannot map \(size) bytes of program memory: \(String(cString: strerror(e)))"
        case .stubsUnavailable(let why): "native runtime: \(why)"
        case .guardsUnavailable(let why): "native runtime: guard regions: \(why)"
        case .threadUnavailable(let size, let e):
            "native runtime: cannot start a thread with a \(size >> 20) MiB stack: \(String(cString: strerror(e)))"
        }
    }
}
