#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a closure on a fresh thread with a large stack and waits for it, so deep
/// recursion in native code does not depend on the caller's (often small) stack.
enum LargeStackThread {
    /// Runs `body` on a thread with `stackSize` bytes of stack and returns when it is done.
    /// - Throws: `NativeRuntimeError.threadUnavailable`, without running `body`, when no such
    ///   thread can be created. Running on the caller's stack instead would make the recursion
    ///   rule depend on where the caller happens to be.
    static func run(stackSize: Int, _ body: @escaping () -> Void) throws(NativeRuntimeError) {
        pthread_join(try NativeThread.start(stackSize: stackSize, body), nil)
    }
}
