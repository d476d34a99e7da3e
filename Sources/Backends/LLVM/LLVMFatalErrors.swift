#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLLVM
import Synchronization

/// What to say when LLVM hits a fatal error (`report_fatal_error`, such as a pass that
/// checks its own fixpoint). LLVM's state is then unusable and it would `exit(1)` with a
/// bare message; instead jitctl reports an internal error (status 70) naming the program
/// and the pass pipeline, so the user can tell a bug in jitctl from one in their program.
enum LLVMFatalErrors {
    /// What each thread is doing in LLVM (compiles run on two threads at once, `LazyPieces`).
    private static let work = Mutex<[UInt: String]>([:])
    private static var thread: UInt { UInt(pthread_self()) }
    private static let installed: Void = {
        LLVMInstallFatalErrorHandler { reason in
            // The handler runs on the thread that failed.
            let what = LLVMFatalErrors.work.withLock { $0[LLVMFatalErrors.thread] } ?? ""
            let text = "jitctl: internal error (a bug in jitctl): LLVM: \(reason.map { String(cString: $0) } ?? "fatal error")"
                + (what.isEmpty ? "" : " while \(what)") + "\n"
            _ = text.withCString { write(2, $0, strlen($0)) }
            _exit(70)
        }
    }()

    /// Installs the handler (once per process).
    static func install() { _ = installed }

    /// Runs `body` with `description` as the work a fatal error would be reported in.
    static func during<T>(_ description: String, _ body: () throws -> T) rethrows -> T {
        install()
        let me = thread
        work.withLock { $0[me] = description }
        defer { work.withLock { $0[me] = nil } }
        return try body()
    }
}
