import CLLVM

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One decoded instruction.
public struct DisassembledInstruction: Sendable, Hashable, CustomStringConvertible {
    /// Byte offset of the instruction in the disassembled buffer.
    public var offset: Int
    /// The instruction's bytes.
    public var bytes: [UInt8]
    /// Intel syntax, single-spaced: `mov rax, qword ptr [rdi + 8]`; `(bad)` for undecodable bytes.
    public var text: String

    public init(offset: Int, bytes: [UInt8], text: String) {
        self.offset = offset
        self.bytes = bytes
        self.text = text
    }

    /// `offset: bytes  text`, as in a dump.
    public var description: String {
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
        let offs = String(offset, radix: 16)
        return String(repeating: "0", count: max(0, 6 - offs.count)) + offs + ": " + hex.padding(to: 32) + text
    }
}

/// Why the disassembler could not be created.
public struct DisassemblerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { "disassembler: \(message)" }
}

/// An x86-64 disassembler (LLVM's MC disassembler, Intel syntax), used by
/// `jitctl dump` and by the assembler's encoding tests. Safe to use from many threads.
public struct Disassembler: Sendable {
    private let handle: DisassemblerContext

    /// The target triple the disassembler decodes for.
    public static let triple = "x86_64-unknown-linux-gnu"

    public init() throws {
        guard DisassemblerContext.targetsReady else {
            throw DisassemblerError(message: "LLVM was built without the X86 disassembler")
        }
        guard let context = DisassemblerContext() else {
            throw DisassemblerError(message: "LLVMCreateDisasm failed for \(Self.triple)")
        }
        handle = context
    }

    /// Decodes `bytes` from the start. `address` is the address the first byte would
    /// have (it shows in branch targets printed as absolute addresses). Undecodable
    /// bytes become one-byte `(bad)` entries so the walk always reaches the end.
    public func disassemble(_ bytes: [UInt8], address: UInt64 = 0) -> [DisassembledInstruction] {
        handle.disassemble(bytes, address: address)
    }
}

/// The LLVM disassembler context. LLVM handles are not thread-safe, so every use goes through a lock.
private final class DisassemblerContext: @unchecked Sendable {
    // @unchecked: `pointer` is only used while holding `lock`.
    private let pointer: LLVMDisasmContextRef
    private let lock: UnsafeMutablePointer<pthread_mutex_t>

    /// LLVM's X86 target info, MC layer and disassembler, registered once per process.
    static let targetsReady: Bool = {
        LLVMInitializeX86TargetInfo()
        LLVMInitializeX86TargetMC()
        LLVMInitializeX86Disassembler()
        return true
    }()

    init?() {
        guard let dc = LLVMCreateDisasm(Disassembler.triple, nil, 0, nil, nil) else { return nil }
        // Variant 1 of the X86 printer is Intel syntax.
        guard LLVMSetDisasmOptions(dc, UInt64(LLVMDisassembler_Option_AsmPrinterVariant)) != 0 else {
            LLVMDisasmDispose(dc)
            return nil
        }
        pointer = dc
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
    }

    deinit {
        LLVMDisasmDispose(pointer)
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    func disassemble(_ bytes: [UInt8], address: UInt64) -> [DisassembledInstruction] {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        var result: [DisassembledInstruction] = []
        var copy = bytes
        var text = [CChar](repeating: 0, count: 256)
        copy.withUnsafeMutableBufferPointer { buf in
            var offset = 0
            while offset < buf.count {
                let n = LLVMDisasmInstruction(pointer, buf.baseAddress! + offset, UInt64(buf.count - offset),
                                              address + UInt64(offset), &text, text.count)
                let size = n == 0 ? 1 : n
                let decoded = n == 0 ? "(bad)" : Self.normalize(text)
                result.append(DisassembledInstruction(offset: offset, bytes: Array(buf[offset..<offset + size]),
                                                      text: decoded))
                offset += size
            }
        }
        return result
    }

    /// LLVM prints `\tmov\trax, rbx`; collapse tabs to single spaces.
    static func normalize(_ buffer: [CChar]) -> String {
        let utf8 = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: utf8, as: UTF8.self).split(whereSeparator: { $0 == "\t" || $0 == " " }).joined(separator: " ")
    }
}

private extension String {
    func padding(to width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
