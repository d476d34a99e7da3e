import CJitCtlStack
import JitIR

/// A call of one compiled function on the caller's own thread, at the cost of a C call: the C
/// ABI's `jitctl_call` and the Swift library's function handles both go through here.
///
/// `NativeContext.call` runs each call on a thread of its own, with a big stack (tens of
/// microseconds). Here the code is entered through the entry trampoline on the calling thread,
/// after the call budget and that thread's stack limit are written into the context block.
/// Everything the call reads is in one C-layout block, at fixed offsets, so a call costs a few
/// loads and stores, with no Swift object, dictionary or reference count touched.
public enum DirectCall {
    // Byte offsets of the block's 8-byte fields.
    static let code = 0
    static let context = 8
    static let trampoline = 16
    static let arity = 24
    static let argumentsByPointer = 32
    /// Per trap site, the status the call returns for it (never 0); then the count of sites.
    static let siteStatuses = 40
    static let siteCount = 48
    /// `ContextLayout`'s offsets, copied so that the call reads no other module's globals.
    static let budgetOffset = 56
    static let stackLimitOffset = 64
    static let trappedOffset = 72
    static let trapSiteOffset = 80
    /// log2 of a power of two at least `NativeEntry.uncheckedFrameBytes`, or 0: the call budget
    /// is capped at the stack available on the calling thread shifted right by this.
    static let frameShift = 88
    static let size = 96

    /// What `call` returns for a wrong number of arguments.
    public static let argumentStatus: Int32 = -1

    /// A new block for `entry`, to be freed with `free`. `siteStatuses` (one per trap site of
    /// the entry's program, none 0) must outlive it, and so must the program.
    public static func makeBlock(_ entry: NativeEntry, siteStatuses: UnsafePointer<Int32>) -> UnsafeMutableRawPointer {
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        block.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        func store(_ value: Int, at offset: Int) { block.storeBytes(of: value, toByteOffset: offset, as: Int.self) }
        store(Int(bitPattern: entry.code), at: code)
        store(Int(entry.context.contextAddress), at: context)
        store(Int(NativeContext.entryTrampolineAddress), at: trampoline)
        store(entry.arity, at: arity)
        store(entry.argumentsByPointer ? 1 : 0, at: argumentsByPointer)
        store(Int(bitPattern: siteStatuses), at: Self.siteStatuses)
        store(entry.sites.count, at: siteCount)
        store(Int(ContextLayout.callBudget), at: budgetOffset)
        store(Int(ContextLayout.stackLimit), at: stackLimitOffset)
        store(Int(ContextLayout.trapped), at: trappedOffset)
        store(Int(ContextLayout.trapSite), at: trapSiteOffset)
        var shift = 0
        while entry.uncheckedFrameBytes > 0 && 1 << shift < entry.uncheckedFrameBytes { shift += 1 }
        store(shift, at: frameShift)
        return block
    }

    public static func free(_ block: UnsafeMutableRawPointer) { block.deallocate() }

    /// The number of arguments the block's function takes.
    public static func arity(_ block: UnsafeRawPointer) -> Int { block.load(fromByteOffset: arity, as: Int.self) }

    /// The entry trampoline's C signature (`NativeContext.entryTrampolineAddress`).
    private typealias Trampoline = @convention(c) (UnsafeMutableRawPointer, UnsafeRawPointer, UnsafePointer<Int64>) -> Int64

    /// Calls the block's function with `count` arguments, allowing at most `maxDepth` nested
    /// calls (0: the IR's limit, `CallDepth.limit`). Returns 0 with the result in `result`; for a
    /// trap, that site's status with the site's index in `result`; `argumentStatus` when `count`
    /// is not the function's arity. Nothing allocates.
    public static func call(_ block: UnsafeRawPointer, _ arguments: UnsafePointer<Int64>?, _ count: Int, maxDepth: Int64,
                            result: UnsafeMutablePointer<Int64>) -> Int32 {
        func field(_ offset: Int) -> Int { block.load(fromByteOffset: offset, as: Int.self) }
        let arity = field(arity)
        guard count == arity, arity == 0 || arguments != nil else { return argumentStatus }

        let context = UnsafeMutableRawPointer(bitPattern: field(context))!
        var depth = maxDepth <= 0 || maxDepth > Int64(CallDepth.limit) ? CallDepth.limit : Int(maxDepth)
        let stackLimit = jitctl_thread_stack_limit()
        // Code whose small frames skip the stack check relies on the call budget alone: give it no
        // more calls than fit between here and the limit (NativeEntry.uncheckedFrameBytes).
        if case let shift = field(frameShift), shift > 0 {
            let here = jitctl_stack_here()
            let fitting = here > stackLimit ? Int((here - stackLimit) >> UInt(shift)) : 0
            depth = max(1, min(depth, fitting))
        }
        context.storeBytes(of: UInt64(depth - 1), toByteOffset: field(budgetOffset), as: UInt64.self)
        context.storeBytes(of: UInt64(stackLimit), toByteOffset: field(stackLimitOffset), as: UInt64.self)

        // The trampoline loads six argument registers from memory; unused ones are read, never used.
        var registers: (Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0)
        if field(argumentsByPointer) != 0 {
            registers.0 = Int64(Int(bitPattern: arguments))
        } else if let arguments {
            withUnsafeMutableBytes(of: &registers) { raw in
                raw.baseAddress!.copyMemory(from: arguments, byteCount: arity * 8)
            }
        }
        let code = UnsafeRawPointer(bitPattern: field(code))!
        let enter = unsafeBitCast(UnsafeRawPointer(bitPattern: field(trampoline))!, to: Trampoline.self)
        let value = withUnsafeBytes(of: &registers) { raw in
            enter(context, code, raw.baseAddress!.assumingMemoryBound(to: Int64.self))
        }
        guard context.load(fromByteOffset: field(trappedOffset), as: UInt64.self) != 0 else {
            result.pointee = value
            return 0
        }
        let site = context.load(fromByteOffset: field(trapSiteOffset), as: Int64.self)
        result.pointee = site
        guard site >= 0, site < Int64(field(siteCount)) else { return TrapKind.unreachable.exitStatus }
        return UnsafePointer<Int32>(bitPattern: field(siteStatuses))![Int(site)]
    }
}
