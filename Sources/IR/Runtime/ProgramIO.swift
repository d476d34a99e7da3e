#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes a running program reads and writes. Output is buffered and
/// flushed when the buffer fills, before a read from standard input could
/// block, and when `flush()` is called (at exit and on a trap).
public final class ProgramIO: @unchecked Sendable {
    public enum Input: Sendable {
        case standardInput
        case bytes([UInt8])
        /// Asked for more whenever the program has read everything it gave so far; an empty
        /// array is the end of input. Called on the thread that runs the program.
        case reader(@Sendable () -> [UInt8])
    }

    public enum Output: Sendable {
        case standardOutput
        /// Keep everything written in `captured`.
        case capture
        /// Each flushed chunk is given to the closure, in order, on the thread that runs the
        /// program (or calls `flush`).
        case handler(@Sendable ([UInt8]) -> Void)
    }

    private let inputKind: Input
    private let outputKind: Output
    private var inBuffer: [UInt8]
    private var inPosition = 0
    private var inputEnded = false
    private var outBuffer: [UInt8] = []
    /// Everything written so far, when the output is `.capture`.
    public private(set) var captured: [UInt8] = []
    /// Bytes sent on by `flush` so far (to standard output or `captured`).
    public private(set) var flushedCount = 0
    /// When set, `read` keeps every byte it returns in `consumedInput`, so that a run can be
    /// replayed from the same input (an engine that only learns that a run trapped, not where,
    /// replays it on another).
    public var recordsInput = false
    /// The input bytes read so far, while `recordsInput`.
    public private(set) var consumedInput: [UInt8] = []
    private static let chunk = 1 << 16

    public init(input: Input = .bytes([]), output: Output = .capture) {
        inputKind = input
        outputKind = output
        if case .bytes(let b) = input {
            inBuffer = b
            inputEnded = true
        } else {
            inBuffer = []
        }
        outBuffer.reserveCapacity(Self.chunk)
    }

    /// Writes one byte.
    @inline(__always)
    public func write(_ byte: UInt8) {
        outBuffer.append(byte)
        if outBuffer.count >= Self.chunk { flush() }
    }

    /// The next input byte, or -1 at end of input.
    public func read() -> Int32 {
        let byte = nextByte()
        if recordsInput && byte >= 0 { consumedInput.append(UInt8(byte)) }
        return byte
    }

    private func nextByte() -> Int32 {
        if inPosition < inBuffer.count {
            defer { inPosition += 1 }
            return Int32(inBuffer[inPosition])
        }
        if inputEnded { return -1 }
        refill()
        if inPosition < inBuffer.count {
            defer { inPosition += 1 }
            return Int32(inBuffer[inPosition])
        }
        return -1
    }

    private func refill() {
        flush()
        inPosition = 0
        if case .reader(let next) = inputKind {
            inBuffer = next()
            inputEnded = inBuffer.isEmpty
            return
        }
        inBuffer = [UInt8](repeating: 0, count: Self.chunk)
        while true {
            let n = inBuffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                inBuffer = []
                inputEnded = true
            } else {
                inBuffer.removeSubrange(n...)
            }
            return
        }
    }

    /// Sends buffered output on. Safe to call at any time.
    public func flush() {
        guard !outBuffer.isEmpty else { return }
        switch outputKind {
        case .capture:
            captured.append(contentsOf: outBuffer)
        case .handler(let take):
            take(outBuffer)
        case .standardOutput:
            outBuffer.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return  // stdout closed: drop the output rather than spin
                    }
                    offset += n
                }
            }
        }
        flushedCount += outBuffer.count
        outBuffer.removeAll(keepingCapacity: true)
    }

    /// Drops the output written since the last flush.
    public func discardUnflushed() {
        outBuffer.removeAll(keepingCapacity: true)
    }

    /// Output written so far, buffered or not (for `.capture`).
    public var allOutput: [UInt8] {
        flush()
        return captured
    }
}
