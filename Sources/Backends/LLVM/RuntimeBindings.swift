import NativeCode

/// The addresses compiled code is bound to: the module memory of one `NativeContext` and the
/// context pointer passed to every hook. They are baked into the code as constants, so the
/// memory base needs no register load and every BF cell access is `base + p + constant`.
struct RuntimeBindings: Sendable, Hashable {
    var memoryBase: UInt64
    /// The context block (`ContextLayout` gives its fields).
    var context: UInt64

    /// Recognisable stand-ins for dumps, where no run will happen. Fixed, so dumps are reproducible.
    static let placeholder = RuntimeBindings(memoryBase: 0x0000_1000_0000_0000, context: 0x0000_2000_0000_0000)
}

/// Names of the runtime hooks as external symbols of the generated module.
enum HookSymbol {
    /// `void putbyte(ctx, i64 byte)`
    static let putByte = "jitctl.putbyte"
    /// `i64 getbyte(ctx)`, -1 at end of input
    static let getByte = "jitctl.getbyte"
    /// `noreturn void trap(ctx, i64 site)`
    static let trap = "jitctl.trap"
    /// The C library's `memchr` and `memrchr`, with pointers as i64: `i64 (i64 p, i32 c, i64 n)`.
    static let memchr = "jitctl.memchr"
    static let memrchr = "jitctl.memrchr"
    /// `void compile(i64 lazyPieces, i64 slot)`: compiles a lazily compiled piece and fills its
    /// slot of the code-address table (`LazyPieces`).
    static let compilePiece = "jitctl.compile"
}

/// Where the runtime hooks live (C ABI functions of the native runtime).
struct HookAddresses: Sendable, Hashable {
    var putByte: UInt64
    var getByte: UInt64
    var trap: UInt64
    var memchr: UInt64 = NativeContext.memchrAddress
    var memrchr: UInt64 = NativeContext.memrchrAddress
    var compilePiece: UInt64 = LazyPieces.hookAddress

    var bySymbol: [(name: String, address: UInt64)] {
        [(HookSymbol.putByte, putByte), (HookSymbol.getByte, getByte), (HookSymbol.trap, trap),
         (HookSymbol.memchr, memchr), (HookSymbol.memrchr, memrchr), (HookSymbol.compilePiece, compilePiece)]
    }
}
