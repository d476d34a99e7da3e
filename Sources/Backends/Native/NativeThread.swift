#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Threads of the runtime's own (tier-up's sampler and compiles, LLVM's warm-up and background
/// compiles, deep recursion): pthreads, since `jitctl` loads neither Foundation nor Dispatch.
public enum NativeThread {
    private final class Job {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a new thread with `stackSize` bytes of stack, and returns the thread, which
    /// the caller joins or detaches.
    /// - Throws: `NativeRuntimeError.threadUnavailable`, without running `body`, when no such
    ///   thread can be made.
    public static func start(stackSize: Int = 8 << 20, _ body: @escaping () -> Void) throws(NativeRuntimeError) -> pthread_t {
        var attributes = pthread_attr_t()
        var status = pthread_attr_init(&attributes)
        guard status == 0 else { throw .threadUnavailable(stackSize: stackSize, errno: status) }
        defer { pthread_attr_destroy(&attributes) }
        status = pthread_attr_setstacksize(&attributes, stackSize)
        guard status == 0 else { throw .threadUnavailable(stackSize: stackSize, errno: status) }
        let job = Unmanaged.passRetained(Job(body))
        var thread = pthread_t()
        status = pthread_create(&thread, &attributes, { raw in
            Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, job.toOpaque())
        guard status == 0 else {
            job.release()
            throw .threadUnavailable(stackSize: stackSize, errno: status)
        }
        return thread
    }
}
