#if canImport(Glibc)
import Glibc
#endif
import NativeCode

/// A pthread mutex with a condition variable, and threads (`NativeThread`): what tier-up's
/// background work needs, without Foundation or the Synchronization library, which `jitctl`
/// does not load.
final class Monitor: @unchecked Sendable {
    // @unchecked: the mutex and condition are only used through pthread calls.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// With the lock held: waits until `signal` or until `seconds` have passed.
    func wait(seconds: Double) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nanoseconds = Int(now.tv_nsec) + Int(seconds * 1e9)
        var deadline = timespec(tv_sec: now.tv_sec + nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
        pthread_cond_timedwait(condition, mutex, &deadline)
    }

    /// With the lock held: wakes every waiter.
    func signal() { pthread_cond_broadcast(condition) }

    /// Runs `body` on a new thread of `stackSize` bytes; returns the thread, or nil when none can
    /// be made.
    static func start(stackSize: Int = 8 << 20, _ body: @escaping @Sendable () -> Void) -> pthread_t? {
        try? NativeThread.start(stackSize: stackSize, body)
    }
}
