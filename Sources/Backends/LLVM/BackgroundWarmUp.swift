import JitIR
import NativeCode
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension LLVMBackend {
    /// Starts creating, on a thread of its own, what every compile at this level needs and only
    /// the first one pays for: LLVM's targets, the host's description and the shared ORC JIT.
    ///
    /// A one-shot `jitctl run` calls this before its frontend, so that the two overlap: on a
    /// small program the JIT's creation is a third of the whole process. A later `compile`
    /// waits for the JIT if it is still being made (`OrcJIT.shared` holds its lock meanwhile);
    /// an error is not reported here but by that `compile`, which tries again. Call
    /// `finishWarmUp()` before the process exits, so that the thread is not inside LLVM while
    /// the exit destroys LLVM's globals.
    public func warmUpInBackground() {
        guard engine == .orc else { return }
        WarmUpThread.running.withLock { running in
            guard running == nil else { return }
            let level = optLevel
            running = try? NativeThread.start { _ = try? OrcJIT.shared(optLevel: level, hooks: .native) }
        }
    }

    /// Waits for the thread `warmUpInBackground` started, if any.
    public static func finishWarmUp() {
        guard let thread = WarmUpThread.running.withLock({ running in defer { running = nil }; return running }) else { return }
        pthread_join(thread, nil)
    }
}

/// The warm-up thread, until it is joined.
private enum WarmUpThread {
    static let running = Mutex<pthread_t?>(nil)
}
