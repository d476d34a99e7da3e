import JitIR

/// The I/O hooks native code calls (C ABI). Each receives the context block's
/// address and finds its way back to the `NativeContext` (and so to the
/// `ProgramIO` of the current run) through the block's owner field.
enum NativeHooks {
    typealias PutByte = @convention(c) (UnsafeMutableRawPointer?, Int64) -> Void
    typealias PutBytes = @convention(c) (UnsafeMutableRawPointer?, Int64, Int64) -> Void
    typealias GetByte = @convention(c) (UnsafeMutableRawPointer?) -> Int64

    static func owner(_ ctx: UnsafeMutableRawPointer) -> NativeContext {
        let raw = ctx.load(fromByteOffset: Int(ContextLayout.owner), as: UnsafeRawPointer.self)
        return Unmanaged<NativeContext>.fromOpaque(raw).takeUnretainedValue()
    }

    static let putByte: PutByte = { ctx, byte in
        guard let ctx else { return }
        owner(ctx).io?.write(UInt8(truncatingIfNeeded: byte))
    }

    static let putBytes: PutBytes = { ctx, word, count in
        guard let ctx, let io = owner(ctx).io else { return }
        Semantics.putBytes(word, count: count) { io.write($0) }
    }

    static let getByte: GetByte = { ctx in
        guard let ctx, let io = owner(ctx).io else { return -1 }
        return Int64(io.read())
    }

    static func address<F>(of function: F) -> UInt64 {
        UInt64(UInt(bitPattern: unsafeBitCast(function, to: UnsafeRawPointer.self)))
    }
}
