/// The runtime's hooks: the C-ABI functions compiled code calls, the same for every program of
/// the process.
public struct HookAddresses: Sendable, Hashable {
    /// `void putbyte(ctx, i64 byte)`
    public var putByte: UInt64
    /// `void putbytes(ctx, i64 word, i64 count)`
    public var putBytes: UInt64
    /// `i64 getbyte(ctx)`, -1 at end of input
    public var getByte: UInt64
    /// `noreturn void trap(ctx, i64 site)`
    public var trap: UInt64
    /// The C library's `memchr` and `memrchr`.
    public var memchr: UInt64
    public var memrchr: UInt64

    public init(putByte: UInt64, putBytes: UInt64, getByte: UInt64, trap: UInt64, memchr: UInt64, memrchr: UInt64) {
        self.putByte = putByte
        self.putBytes = putBytes
        self.getByte = getByte
        self.trap = trap
        self.memchr = memchr
        self.memrchr = memrchr
    }

    /// The native runtime's own hooks.
    public static let native = HookAddresses(
        putByte: NativeContext.putByteAddress, putBytes: NativeContext.putBytesAddress, getByte: NativeContext.getByteAddress, trap: NativeContext.trapAddress,
        memchr: NativeContext.memchrAddress, memrchr: NativeContext.memrchrAddress)
}

/// The absolute addresses one program's code embeds as constants, in both native backends: its
/// context block (the first argument of every hook), its memory, and the hooks. With the memory
/// base a constant, a BF cell access is `base + p + constant` and needs no register load.
public struct RuntimeAddresses: Sendable, Hashable {
    /// The `NativeContext` block (`ContextLayout` gives its fields).
    public var context: UInt64
    /// Start of the module memory.
    public var memoryBase: UInt64
    public var hooks: HookAddresses

    public init(context: UInt64, memoryBase: UInt64, hooks: HookAddresses = .native) {
        self.context = context
        self.memoryBase = memoryBase
        self.hooks = hooks
    }

    /// The addresses of code that runs in `native`.
    public init(_ native: NativeContext) {
        self.init(context: native.contextAddress, memoryBase: native.memoryAddress)
    }

    /// Recognisable stand-ins for dumps, where no run will happen. Fixed, so dumps are reproducible.
    public static let placeholder = RuntimeAddresses(context: 0x0000_2000_0000_0000, memoryBase: 0x0000_1000_0000_0000)
}
