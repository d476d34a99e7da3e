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
    /// Returns false, without running `body`, when no such thread can be created.
    static func run(stackSize: Int, _ body: @escaping () -> Void) -> Bool {
        var attr = pthread_attr_t()
        guard pthread_attr_init(&attr) == 0 else { return false }
        defer { pthread_attr_destroy(&attr) }
        guard pthread_attr_setstacksize(&attr, stackSize) == 0 else { return false }

        let job = Unmanaged.passRetained(Job(body))
        var thread = pthread_t()
        let status = pthread_create(&thread, &attr, { arg in
            let job = Unmanaged<Job>.fromOpaque(arg!).takeRetainedValue()
            job.body()
            return nil
        }, job.toOpaque())
        guard status == 0 else {
            job.release()
            return false
        }
        pthread_join(thread, nil)
        return true
    }
}
