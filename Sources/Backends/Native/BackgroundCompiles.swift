import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Compiles running on threads of their own (the LLVM backend's ahead-of-need piece compiles),
/// counted for the whole process so that it can end without waiting for them.
///
/// A process that exits runs static destructors, LLVM's among them, under any thread still
/// inside LLVM. A background thread counts as in flight for its whole life, from before it is
/// created until its last use of LLVM. `jitctl` leaves with `_exit` after flushing its streams
/// when one is `inFlight` (`TieredEngine.exitProcess`), and `stop()` keeps new ones from
/// starting. Any other process that calls `exit` (a library's host) waits for those under way
/// (`waitForThemAtExit`) before the destructors of the globals LLVM had made by then; globals
/// LLVM makes later are destroyed earlier, so a host should release its programs, and let their
/// compiles end, before it exits.
public enum BackgroundCompiles {
    private static let running = Atomic<Int>(0)
    private static let stopped = Atomic<Bool>(false)

    /// Whether a background compile is running now.
    public static var inFlight: Bool { running.load(ordering: .sequentiallyConsistent) > 0 }

    /// Whether `stop()` was called: no background compile starts any more.
    public static var isStopped: Bool { stopped.load(ordering: .sequentiallyConsistent) }

    /// Counts a compile as started, unless the process is stopping them (then false).
    public static func begin() -> Bool {
        running.add(1, ordering: .sequentiallyConsistent)
        if stopped.load(ordering: .sequentiallyConsistent) {
            running.subtract(1, ordering: .sequentiallyConsistent)
            return false
        }
        return true
    }

    /// Counts a compile `begin()` started as finished.
    public static func end() {
        running.subtract(1, ordering: .sequentiallyConsistent)
    }

    /// No background compile starts after this; those running finish.
    public static func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
    }

    /// Has `exit` stop background compiles and wait for those under way (one compile at most
    /// each) before static destructors run. Call it after LLVM is loaded, before the first
    /// background compile starts: exit handlers run in the reverse order of their registration.
    public static func waitForThemAtExit() { _ = registered }

    private static let registered: Void = {
        atexit {
            BackgroundCompiles.stop()
            while BackgroundCompiles.inFlight { usleep(100) }
        }
    }()
}
