import JitIR
import NativeCode

/// The C-layout block behind a `jitctl_function *`: everything `jitctl_call` reads, at fixed
/// offsets, so that a call costs a few loads and stores, with no Swift object, dictionary or
/// reference count touched. The module that made the block owns it and the code it points to.
enum FunctionBlock {
    // Byte offsets of the 8-byte fields.
    static let code = 0
    static let context = 8
    static let trampoline = 16
    static let arity = 24
    static let argumentsByPointer = 32
    /// Per trap site, the status code (`CStatus.trap`); then the count of sites.
    static let siteCodes = 40
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

    /// A new block for `entry`; `siteCodes` must outlive it.
    static func make(_ entry: NativeEntry, siteCodes: UnsafePointer<Int32>) -> UnsafeMutableRawPointer {
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        block.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        func store(_ value: Int, at offset: Int) { block.storeBytes(of: value, toByteOffset: offset, as: Int.self) }
        store(Int(bitPattern: entry.code), at: code)
        store(Int(entry.context.contextAddress), at: context)
        store(Int(NativeContext.entryTrampolineAddress), at: trampoline)
        store(entry.arity, at: arity)
        store(entry.argumentsByPointer ? 1 : 0, at: argumentsByPointer)
        store(Int(bitPattern: siteCodes), at: Self.siteCodes)
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
}
