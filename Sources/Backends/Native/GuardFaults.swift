#if canImport(Glibc)
import Glibc
#endif

/// Turns a fault in the guard region of a running program's memory into a trap.
///
/// While a guarded `NativeContext` runs, its thread holds a slot here: the context block, the
/// whole reservation (guards and memory) and the trap stub. A SIGSEGV on that thread whose
/// address lies in that reservation is ours: the handler records the faulting instruction's
/// address in the context block and resumes the thread in the trap stub with the site
/// `ContextLayout.guardFaultSite`, which unwinds to the entry trampoline exactly as an explicit
/// trap does. Every other fault goes to the handler that was installed before ours.
///
/// Installed once per process, on first use, with `SA_ONSTACK`: each run thread gets an
/// alternate signal stack, so the handler also runs when the fault is a stack overflow.
enum GuardFaults {
    /// Slots for runs in progress at once; a run that finds none refuses to start.
    static let capacity = 256
    private static let wordsPerSlot = 5
    private enum Word: Int { case thread = 0, context, low, high, trapStub }

    /// The slots, `wordsPerSlot` words each; a slot is free while its thread word is 0.
    /// Claimed and freed under `lock`. The handler reads only the slot whose thread word is its
    /// own thread, which that same thread filled in before it entered native code; the other
    /// slots' thread words it only compares (aligned word loads and stores are atomic on x86-64).
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UInt> = {
        let p = UnsafeMutablePointer<UInt>.allocate(capacity: capacity * wordsPerSlot)
        p.initialize(repeating: 0, count: capacity * wordsPerSlot)
        return p
    }()
    nonisolated(unsafe) private static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()
    /// The SIGSEGV action before ours, to chain to.
    nonisolated(unsafe) private static let previous: UnsafeMutablePointer<sigaction> = {
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
        p.initialize(to: sigaction())
        return p
    }()

    /// Installs the handler (once); false if `sigaction` refused.
    static let installed: Bool = {
        _ = slots
        _ = lock
        _ = previous
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = guardFaultHandler
        action.sa_flags = SA_SIGINFO | SA_ONSTACK
        sigemptyset(&action.sa_mask)
        return sigaction(SIGSEGV, &action, previous) == 0
    }()

    /// Claims a slot for the calling thread, running `context` over the reservation
    /// `low..<high`. Returns the slot, or nil when all are taken.
    static func claim(context: UInt, low: UInt, high: UInt, trapStub: UInt) -> Int? {
        let thread = UInt(pthread_self())
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        for s in 0..<capacity where slots[s * wordsPerSlot] == 0 {
            let slot = slots + s * wordsPerSlot
            slot[Word.context.rawValue] = context
            slot[Word.low.rawValue] = low
            slot[Word.high.rawValue] = high
            slot[Word.trapStub.rawValue] = trapStub
            slot[Word.thread.rawValue] = thread
            return s
        }
        return nil
    }

    static func release(_ s: Int) {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        (slots + s * wordsPerSlot).update(repeating: 0, count: wordsPerSlot)
    }

    // Register numbers in `mcontext_t.gregs` (glibc, x86-64).
    private static let registerRDI = 8, registerRSI = 9, registerRIP = 16

    /// If the fault is in the reservation of the run on this thread, redirects the thread to
    /// the trap stub and returns true. Async-signal-safe: no allocation, no locks.
    fileprivate static func redirect(_ info: UnsafeMutablePointer<siginfo_t>, _ context: UnsafeMutableRawPointer) -> Bool {
        let address = UInt(bitPattern: info.pointee._sifields._sigfault.si_addr)
        let thread = UInt(pthread_self())
        for s in 0..<capacity where slots[s * wordsPerSlot] == thread {
            let slot = slots + s * wordsPerSlot
            guard slot[Word.low.rawValue] <= address, address < slot[Word.high.rawValue] else { return false }
            let gregs = context.advanced(by: MemoryLayout<ucontext_t>.offset(of: \ucontext_t.uc_mcontext)!
                                         + MemoryLayout<mcontext_t>.offset(of: \mcontext_t.gregs)!)
                .assumingMemoryBound(to: Int64.self)
            let block = UnsafeMutableRawPointer(bitPattern: slot[Word.context.rawValue])!
            block.storeBytes(of: gregs[registerRIP], toByteOffset: Int(ContextLayout.faultAddress), as: Int64.self)
            gregs[registerRDI] = Int64(bitPattern: UInt64(slot[Word.context.rawValue]))
            gregs[registerRSI] = ContextLayout.guardFaultSite
            gregs[registerRIP] = Int64(bitPattern: UInt64(slot[Word.trapStub.rawValue]))
            return true
        }
        return false
    }

    /// Hands a fault that is not ours to the previous action. A default or ignored disposition
    /// is put back and the handler returns: the faulting instruction runs again and faults
    /// with the disposition the process had without us (a crash stays a crash).
    fileprivate static func chain(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
        let old = previous.pointee
        if old.sa_flags & SA_SIGINFO != 0, let handler = old.__sigaction_handler.sa_sigaction {
            handler(signal, info, context)
            return
        }
        let handler = old.__sigaction_handler.sa_handler
        let raw = unsafeBitCast(handler, to: Int.self)
        if raw == unsafeBitCast(SIG_DFL, to: Int.self) || raw == unsafeBitCast(SIG_IGN, to: Int.self) {
            sigaction(signal, previous, nil)
            return
        }
        handler?(signal)
    }

    /// Gives the calling thread an alternate signal stack for the duration of `body`.
    static func withAlternateStack<R>(_ body: () throws -> R) rethrows -> R {
        let size = 64 << 10
        let raw = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let raw, raw != UnsafeMutableRawPointer(bitPattern: -1) else { return try body() }
        var stack = stack_t(ss_sp: raw, ss_flags: 0, ss_size: size)
        var old = stack_t()
        let set = sigaltstack(&stack, &old) == 0
        defer {
            if set { sigaltstack(&old, nil) }
            munmap(raw, size)
        }
        return try body()
    }
}

private let guardFaultHandler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = {
    signal, info, context in
    if let info, let context, GuardFaults.redirect(info, context) { return }
    GuardFaults.chain(signal, info, context)
}
