#if canImport(Glibc)
import Glibc
#endif
import JitCtl
import JitIR

/// `jitctl` is built without LLVM, so that runs on the interpreter and the x86 backend do not
/// pay for loading it. A command that needs LLVM calls `ensureLLVM()` before doing any work; in
/// `jitctl` that replaces the process with `jitctl-llvm` from the same directory, with the same
/// arguments, standard streams and environment. `jitctl-llvm` has the LLVM backend linked in, so
/// there it returns at once.
enum LLVMHandOver {
    /// The executable that has LLVM linked in.
    static let companionName = "jitctl-llvm"

    /// Returns when this process can use LLVM; otherwise becomes `jitctl-llvm`, or throws a
    /// `RunError` when that cannot be found or started.
    static func ensureLLVM() throws {
        if LLVMServicesRegistry.services != nil { return }
        let path = companionPath()
        guard let path, access(path, X_OK) == 0 else {
            throw RunError("this command needs LLVM, which lives in \(companionName) next to jitctl, and \(path ?? companionName) is missing "
                           + "(`swift build` builds both; install both in one directory)")
        }
        let arguments = [path] + CommandLine.arguments.dropFirst()
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv(path, &argv)
        let reason = String(cString: strerror(errno))
        throw RunError("cannot start \(path): \(reason)")
    }

    /// `jitctl-llvm` in the directory of this executable (symbolic links resolved, so that a link
    /// to an installed jitctl works).
    static func companionPath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, Int(PATH_MAX))
        guard count > 0 else { return nil }
        let executable = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = executable.lastIndex(of: "/") else { return nil }
        return executable[...slash] + companionName
    }
}
