import JitIR
import NativeCode

/// The status codes of `include/jitctl.h`.
enum CStatus {
    static let ok: Int32 = 0
    static let argument: Int32 = DirectCall.argumentStatus
    static let source: Int32 = -2
    static let notFound: Int32 = -3
    static let backend: Int32 = -4

    /// A trap's code: the exit status `jitctl run` gives it, as the header promises.
    static func trap(_ kind: TrapKind) -> Int32 { kind.exitStatus }
}

/// Writes `text` into a caller's buffer of `capacity` bytes, truncated on a UTF-8 boundary and
/// NUL-terminated; nothing when the buffer is null or empty.
func writeMessage(_ text: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: Int) {
    guard let buffer, capacity > 0 else { return }
    var bytes = Array(text.utf8.prefix(capacity - 1))
    // Do not cut a multi-byte character: drop its leading bytes too.
    if bytes.count < text.utf8.count {
        while let last = bytes.last, last & 0xC0 == 0x80 { bytes.removeLast() }
        if let last = bytes.last, last >= 0xC0 { bytes.removeLast() }
    }
    bytes.withUnsafeBufferPointer { b in
        b.withMemoryRebound(to: CChar.self) { buffer.update(from: $0.baseAddress!, count: $0.count) }
    }
    buffer[bytes.count] = 0
}
