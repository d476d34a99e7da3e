#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why machine code could not be made executable.
public enum ExecutableMemoryError: Error, Sendable, Hashable, CustomStringConvertible {
    case emptyCode
    case mapFailed(errno: Int32)
    case protectFailed(errno: Int32)

    public var description: String {
        switch self {
        case .emptyCode: "executable memory: no code to map"
        case .mapFailed(let e): "executable memory: mmap failed: \(String(cString: strerror(e)))"
        case .protectFailed(let e): "executable memory: mprotect failed: \(String(cString: strerror(e)))"
        }
    }
}

/// Machine code in its own pages, mapped read-write while the code is copied in
/// and then switched to read-execute: the pages are never writable and executable
/// at once (W^X). Unmapped when the object goes away, so keep it alive while the
/// code may run.
public final class ExecutableMemory: @unchecked Sendable {
    // @unchecked: the mapping is immutable once `init` returns.

    /// Start of the code.
    public let address: UnsafeRawPointer
    /// Bytes of code.
    public let codeSize: Int
    /// Bytes mapped (a whole number of pages).
    public let mappedSize: Int

    /// Maps `code` as read-execute memory.
    public init(code: [UInt8]) throws(ExecutableMemoryError) {
        guard !code.isEmpty else { throw .emptyCode }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let size = (code.count + page - 1) / page * page
        let raw = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let raw, raw != UnsafeMutableRawPointer(bitPattern: -1) else { throw .mapFailed(errno: errno) }
        code.withUnsafeBytes { raw.copyMemory(from: $0.baseAddress!, byteCount: code.count) }
        // Fill the tail of the last page with int3 so a stray jump past the code stops at once.
        if size > code.count { memset(raw + code.count, 0xCC, size - code.count) }
        guard mprotect(raw, size, PROT_READ | PROT_EXEC) == 0 else {
            let e = errno
            munmap(raw, size)
            throw .protectFailed(errno: e)
        }
        address = UnsafeRawPointer(raw)
        codeSize = code.count
        mappedSize = size
    }

    /// The address `offset` bytes into the code (e.g. a label's offset from `Assembler.offset(of:)`).
    public func address(at offset: Int) -> UnsafeRawPointer { address + offset }

    /// The start address as an integer, for immediates and dumps.
    public var baseAddress: UInt64 { UInt64(UInt(bitPattern: address)) }

    /// Whether `pointer` lies inside the code.
    public func contains(_ pointer: UnsafeRawPointer) -> Bool {
        pointer >= address && pointer < address + codeSize
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: address), mappedSize) }
}
