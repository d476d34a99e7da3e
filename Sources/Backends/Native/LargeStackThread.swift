#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a closure on a fresh thread with a large stack and waits for it, so deep
/// recursion in native code does not depend on the caller's (often small) stack.
enum LargeStackThread {
    private final class Job {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a thread with `stackSize` bytes of stack and returns when it is done.
    /// - Throws: `NativeRuntimeError.threadUnavailable`, without running `body`, when no such
    ///   thread can be created. Running on the caller's stack instead would make the recursion
    ///   rule depend on where the caller happens to be.
    static func run(stackSize: Int, _ body: @escaping () -> Void) throws(NativeRuntimeError) {
        var attr = pthread_attr_t()
        var status = pthread_attr_init(&attr)
        guard status == 0 else { throw .threadUnavailable(stackSize: stackSize, errno: status) }
        defer { pthread_attr_destroy(&attr) }
        status = pthread_attr_setstacksize(&attr, stackSize)
        guard status == 0 else { throw .threadUnavailable(stackSize: stackSize, errno: status) }

        let job = Unmanaged.passRetained(Job(body))
        var thread = pthread_t()
        status = pthread_create(&thread, &attr, { arg in
            let job = Unmanaged<Job>.fromOpaque(arg!).takeRetainedValue()
            job.body()
            return nil
        }, job.toOpaque())
        guard status == 0 else {
            job.release()
            throw .threadUnavailable(stackSize: stackSize, errno: status)
        }
        pthread_join(thread, nil)
    }
}
