import NativeCode

/// Names of the runtime hooks as external symbols of the generated module.
enum HookSymbol {
    /// `void putbyte(ctx, i64 byte)`
    static let putByte = "jitctl.putbyte"
    /// `void putbytes(ctx, i64 word, i64 count)`
    static let putBytes = "jitctl.putbytes"
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

extension HookAddresses {
    /// Each hook's symbol and address, for the JIT's symbol table; with the LLVM backend's own
    /// hook, which compiles a lazily compiled piece.
    var bySymbol: [(name: String, address: UInt64)] {
        [(HookSymbol.putByte, putByte), (HookSymbol.putBytes, putBytes), (HookSymbol.getByte, getByte), (HookSymbol.trap, trap),
         (HookSymbol.memchr, memchr), (HookSymbol.memrchr, memrchr), (HookSymbol.compilePiece, LazyPieces.hookAddress)]
    }
}
