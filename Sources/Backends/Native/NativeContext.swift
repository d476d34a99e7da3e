#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JitIR

/// Everything native code needs at run time, one per compiled program: the
/// program memory, the hooks, and the machinery to enter native code and to
/// escape from it on a trap.
///
/// Native code gets `contextAddress` as the first argument of every hook:
///
///     putbyte(ctx, byte)         // NativeContext.putByteAddress
///     putbytes(ctx, word, count) // NativeContext.putBytesAddress
///     byte = getbyte(ctx)        // NativeContext.getByteAddress, -1 at end of input
///     trap(ctx, siteIndex)       // NativeContext.trapAddress, does not return
///
/// The I/O hooks are ordinary C functions: caller-saved registers are clobbered
/// and rsp must be 16-byte aligned at the `call`. The trap hook is our own stub
/// and needs neither.
///
/// A trap restores the stack pointer and callee-saved registers that the entry
/// trampoline saved, and `call` returns `.trapped(site:)`: no signal, no unwinding
/// through Swift frames (there are none between the trampoline and the hooks' callers).
///
/// Runs of one context must not overlap in time.
public final class NativeContext: @unchecked Sendable {
    // @unchecked: mutable state (`io`) is only touched by the single run in progress.

    /// Stack size of the thread `call` runs native code on. Frames may use about
    /// `stackSize / CallDepth.limit` (5 KiB) on average before the stack check, the backstop
    /// behind the call budget, could fire ahead of the IR's recursion rule.
    public static let stackSize = 512 << 20
    /// Stack kept free below `ContextLayout.stackLimit` for hooks and the trap path.
    public static let stackSafetyMargin = 1 << 20
    /// How many arguments `call` passes (in rdi, rsi, rdx, rcx, r8, r9).
    public static let maxArguments = 6

    /// The program memory: stable for the life of the context, zeroed before each call.
    public let memoryBase: UnsafeMutableRawPointer
    /// Bytes of program memory the module asked for.
    public let memorySize: Int
    /// Unmapped bytes on each side of the memory (0: none).
    public let guardBytes: Int
    private let mappedSize: Int
    /// The whole mapping: the guard regions and the memory between them.
    private let reservation: UnsafeMutableRawPointer
    private let reservedSize: Int
    /// Whether a run may have written the memory since it was mapped or last cleared.
    private var memoryUsed = false
    /// The C-layout block described by `ContextLayout`.
    private let block: UnsafeMutableRawPointer
    /// The I/O of the run in progress.
    var io: ProgramIO?

    /// Maps `memorySize` bytes of zeroed program memory (at least one page, so `memoryBase` is always valid).
    /// With `guardBytes` (see `Module.guardBytes`), the memory lies between two unmapped regions of
    /// that size, and a fault there during `call` becomes `.faulted(pc:)`; the memory then ends
    /// exactly at a page boundary when `memorySize` is a multiple of the page.
    public init(memorySize: Int, guardBytes: Int = 0) throws {
        if case .failure(let e) = RuntimeStubs.shared { throw e }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let size = max(page, (max(0, memorySize) + page - 1) / page * page)
        let guardSize = (max(0, guardBytes) + page - 1) / page * page
        if guardSize > 0 && !GuardFaults.installed {
            throw NativeRuntimeError.guardsUnavailable("cannot install the SIGSEGV handler")
        }
        let reserved = size + 2 * guardSize
        let raw = Self.mapLow(reserved, protection: guardSize > 0 ? PROT_NONE : PROT_READ | PROT_WRITE)
        guard let raw else {
            throw NativeRuntimeError.memoryMapFailed(size: size, errno: errno)  // the guards are address space only
        }
        if guardSize > 0 && mprotect(raw + guardSize, size, PROT_READ | PROT_WRITE) != 0 {
            let e = errno
            munmap(raw, reserved)
            throw NativeRuntimeError.memoryMapFailed(size: size, errno: e)
        }
        reservation = raw
        reservedSize = reserved
        memoryBase = raw + guardSize
        self.memorySize = max(0, memorySize)
        self.guardBytes = guardSize
        mappedSize = size
        block = UnsafeMutableRawPointer.allocate(byteCount: ContextLayout.size, alignment: 64)
        block.initializeMemory(as: UInt8.self, repeating: 0, count: ContextLayout.size)
        block.storeBytes(of: UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque()),
                         toByteOffset: Int(ContextLayout.owner), as: UnsafeRawPointer.self)
        block.storeBytes(of: UInt64(UInt(bitPattern: memoryBase)), toByteOffset: Int(ContextLayout.memoryBase), as: UInt64.self)
    }

    /// Maps `size` bytes, in the low 2 GiB of the address space when there is room: the x86
    /// backend then puts the memory's address in each access's 32-bit displacement
    /// (`FunctionEmitter.memoryOperand`). Nil when no mapping could be made.
    private static func mapLow(_ size: Int, protection: Int32) -> UnsafeMutableRawPointer? {
        let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
        let failed = UnsafeMutableRawPointer(bitPattern: -1)
        #if os(Linux) && arch(x86_64)
        if let low = mmap(nil, size, protection, flags | MAP_32BIT, -1, 0), low != failed {
            if UInt(bitPattern: low) + UInt(size) <= 1 << 31 { return low }
            munmap(low, size)
        }
        #endif
        guard let raw = mmap(nil, size, protection, flags, -1, 0), raw != failed else { return nil }
        return raw
    }

    deinit {
        munmap(reservation, reservedSize)
        block.deallocate()
    }

    /// The address to pass as the first argument (rdi) to every hook.
    public var contextAddress: UInt64 { UInt64(UInt(bitPattern: block)) }

    /// `memoryBase` as an integer, for immediates.
    public var memoryAddress: UInt64 { UInt64(UInt(bitPattern: memoryBase)) }

    /// C ABI: `void putbyte(ctx, int64 byte)`: writes the low 8 bits.
    public static var putByteAddress: UInt64 { NativeHooks.address(of: NativeHooks.putByte) }
    /// C ABI: `void putbytes(ctx, int64 word, int64 count)`: writes the low `count` (0...8) bytes.
    public static var putBytesAddress: UInt64 { NativeHooks.address(of: NativeHooks.putBytes) }
    /// C ABI: `int64 getbyte(ctx)`: the next input byte, or -1 at end of input.
    public static var getByteAddress: UInt64 { NativeHooks.address(of: NativeHooks.getByte) }
    /// The C library's `memchr` and `memrchr`, which compiled scans may call (0 if absent).
    public static let memchrAddress = libraryFunction("memchr")
    public static let memrchrAddress = libraryFunction("memrchr")

    private static func libraryFunction(_ name: String) -> UInt64 {
        UInt64(UInt(bitPattern: dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)))
    }

    /// C ABI: `noreturn void trap(ctx, int64 siteIndex)`. 0 only if the runtime
    /// stubs could not be built, in which case no `NativeContext` can be created either.
    public static var trapAddress: UInt64 {
        guard case .success(let stubs) = RuntimeStubs.shared else { return 0 }
        return stubs.trapAddress
    }

    /// The raw entry trampoline, C ABI `int64 enter(ctx, code, const int64 args[6])`: saves the
    /// callee-saved registers, records rsp in the context block and calls `code` with the six
    /// arguments. `call` goes through it; it is public for code that must enter native code itself
    /// (tests that check the register state around it). 0 if the stubs could not be built.
    public static var entryTrampolineAddress: UInt64 {
        guard case .success(let stubs) = RuntimeStubs.shared else { return 0 }
        return stubs.memory.baseAddress + UInt64(stubs.entryOffset)
    }

    /// Runs `entry` (C ABI, up to 6 int64 arguments, int64 result) on a thread with
    /// a `stackSize` stack, with `io` connected to the hooks, after zeroing the memory.
    /// Arguments beyond `maxArguments` are not passed: backends reject such signatures.
    /// Output stays buffered in `io`; the caller flushes it.
    /// - Throws: `NativeRuntimeError` when the runtime stubs or the thread are unavailable.
    public func call(_ entry: UnsafeRawPointer, arguments: [Int64], io: ProgramIO) throws(NativeRuntimeError) -> NativeOutcome {
        try call(entry, arguments: arguments, io: io, stackSize: Self.stackSize)
    }

    /// `call` on a thread with `stackSize` bytes of stack (tests use sizes that cannot work).
    func call(_ entry: UnsafeRawPointer, arguments: [Int64], io: ProgramIO,
              stackSize: Int) throws(NativeRuntimeError) -> NativeOutcome {
        let stubs: RuntimeStubs
        switch RuntimeStubs.shared {
        case .success(let built): stubs = built
        case .failure(let error): throw error
        }
        clearMemory()
        var args = [Int64](repeating: 0, count: Self.maxArguments)
        for (i, v) in arguments.prefix(Self.maxArguments).enumerated() { args[i] = v }
        self.io = io
        defer { self.io = nil }
        block.storeBytes(of: UInt64(CallDepth.limit - 1), toByteOffset: Int(ContextLayout.callBudget), as: UInt64.self)

        let trampoline = stubs.entry
        let block = self.block
        let code = UInt(bitPattern: entry)
        var result: Int64 = 0
        let run = { (limitBelowHere: Int) in
            var marker: UInt8 = 0
            let sp = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
            let limit = sp > UInt(limitBelowHere) ? sp - UInt(limitBelowHere) : 0
            block.storeBytes(of: UInt64(limit), toByteOffset: Int(ContextLayout.stackLimit), as: UInt64.self)
            result = args.withUnsafeBufferPointer {
                trampoline(block, UnsafeRawPointer(bitPattern: code)!, $0.baseAddress!)
            }
        }
        var noSlot = false
        if guardBytes == 0 {
            try LargeStackThread.run(stackSize: stackSize) {
                run(stackSize - Self.stackSafetyMargin)
            }
        } else {
            let low = UInt(bitPattern: reservation), high = low + UInt(reservedSize)
            let trapStub = UInt(stubs.trapAddress)
            try LargeStackThread.run(stackSize: stackSize) {
                guard let slot = GuardFaults.claim(context: UInt(bitPattern: block), low: low, high: high,
                                                   trapStub: trapStub) else {
                    noSlot = true
                    return
                }
                defer { GuardFaults.release(slot) }
                GuardFaults.withAlternateStack { run(stackSize - Self.stackSafetyMargin) }
            }
        }
        if noSlot { throw .guardsUnavailable("more than \(GuardFaults.capacity) guarded runs at once") }

        if block.load(fromByteOffset: Int(ContextLayout.trapped), as: UInt64.self) != 0 {
            let site = block.load(fromByteOffset: Int(ContextLayout.trapSite), as: Int64.self)
            if site == ContextLayout.guardFaultSite {
                return .faulted(pc: block.load(fromByteOffset: Int(ContextLayout.faultAddress), as: UInt64.self))
            }
            return .trapped(site: Int(site))
        }
        return .returned(result)
    }

    /// Zeroes the program memory for the next run. Fresh anonymous pages are zero already, so the
    /// first run costs nothing; after that, large memories are handed back to the kernel, which
    /// maps zero pages again on first touch, instead of being written over page by page.
    private func clearMemory() {
        defer { memoryUsed = true }
        guard memoryUsed else { return }
        if mappedSize >= Self.discardThreshold, madvise(memoryBase, mappedSize, MADV_DONTNEED) == 0 { return }
        memset(memoryBase, 0, mappedSize)
    }

    /// From this size on, clearing memory discards its pages rather than writing zeros.
    static let discardThreshold = 256 << 10

    /// A copy of the program memory (its first `memorySize` bytes).
    public func memorySnapshot() -> [UInt8] {
        [UInt8](UnsafeRawBufferPointer(start: memoryBase, count: memorySize))
    }
}
