#if canImport(Glibc)
import Glibc
#endif
import JitCtlCore
import JitIR

/// `jitctl` is built without LLVM and without Foundation, so that runs on the interpreter and the
/// x86 backend start in a few milliseconds. Everything else is done by `jitctl-llvm`, the whole
/// CLI with LLVM linked in, installed next to it: `jitctl` replaces its own process with it (same
/// process id, arguments, standard streams and environment).
package enum LLVMHandOver {
    /// The executable that has LLVM linked in.
    package static let companionName = Companion.name

    /// Returns when this process can use LLVM; otherwise becomes `jitctl-llvm`, or throws a
    /// `RunError` when that cannot be found or started.
    package static func ensureLLVM() throws {
        if LLVMServicesRegistry.services != nil { return }
        try becomeCompanion()
    }

    /// Replaces this process with `jitctl-llvm`; returns only by throwing.
    package static func becomeCompanion() throws -> Never {
        guard let path = Companion.path(), access(path, X_OK) == 0 else {
            throw RunError("this needs \(companionName), the part of jitctl with LLVM, compare, dump and fuzz, but "
                           + "\(Companion.path() ?? companionName) is missing (`swift build` builds both, `swift run jitctl` only "
                           + "jitctl; install them side by side)")
        }
        let arguments = [path] + CommandLine.arguments.dropFirst()
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv(path, &argv)
        throw RunError("cannot start \(path): \(String(cString: strerror(errno)))")
    }
}
