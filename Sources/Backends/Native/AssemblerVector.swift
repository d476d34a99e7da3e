/// An SSE register, xmm0…xmm15. Only scans use them; nothing keeps a value in one
/// across an instruction, so they need no allocation.
public struct XMM: Hashable, Sendable, CustomStringConvertible {
    /// Hardware register number, 0...15.
    public let number: UInt8

    public init(_ number: Int) { self.number = UInt8(truncatingIfNeeded: number & 15) }

    public static let xmm0 = XMM(0), xmm1 = XMM(1)

    public var description: String { "xmm\(number)" }

    /// The ModRM/REX view: register fields encode xmm numbers like general registers.
    var asField: Reg { Reg(number: Int(number), size: .qword) }
}

/// SSE2 instructions for vector scans, and the bit scans that read their masks.
extension Assembler {
    /// `movdqu xmm, [mem]`: 16 bytes, no alignment needed.
    public mutating func movdqu(_ dst: XMM, _ src: Mem) {
        sse("movdqu", prefix: 0xF3, opcode: 0x6F, dst.number, .mem(src))
    }

    /// `pxor dst, src`.
    public mutating func pxor(_ dst: XMM, _ src: XMM) { sse("pxor", prefix: 0x66, opcode: 0xEF, dst.number, .reg(src.asField)) }

    /// `pcmpeqb`/`pcmpeqw`/`pcmpeqd dst, src` for elements of `size` (byte, word or dword):
    /// each element of `dst` becomes all ones where it equals `src`'s, else zero.
    public mutating func pcmpeq(_ size: OperandSize, _ dst: XMM, _ src: XMM) {
        let opcode: UInt8
        switch size {
        case .byte: opcode = 0x74
        case .word: opcode = 0x75
        case .dword: opcode = 0x76
        case .qword:
            record(.invalidOperands(instruction: "pcmpeq", reason: "SSE2 compares bytes, words or dwords"))
            return
        }
        sse("pcmpeq", prefix: 0x66, opcode: opcode, dst.number, .reg(src.asField))
    }

    /// `pmovmskb dst, src`: bit i of the 32-bit `dst` is the top bit of byte i of `src`.
    public mutating func pmovmskb(_ dst: Reg, _ src: XMM) {
        guard dst.size == .dword else {
            record(.invalidOperands(instruction: "pmovmskb", reason: "needs a 32-bit destination"))
            return
        }
        sse("pmovmskb", prefix: 0x66, opcode: 0xD7, dst.number, .reg(src.asField))
    }

    /// `bsf dst, src`: the index of the lowest set bit (`src` must not be 0).
    public mutating func bsf(_ dst: Reg, _ src: Reg) { bitScan("bsf", 0xBC, dst, src) }

    /// `bsr dst, src`: the index of the highest set bit (`src` must not be 0).
    public mutating func bsr(_ dst: Reg, _ src: Reg) { bitScan("bsr", 0xBD, dst, src) }

    private mutating func bitScan(_ name: String, _ opcode: UInt8, _ dst: Reg, _ src: Reg) {
        guard dst.size == src.size, dst.size != .byte else {
            record(.invalidOperands(instruction: name, reason: "needs two registers of one size, 16 bits or more"))
            return
        }
        encode(name, size: dst.size, opcode: [0x0F, opcode], reg: dst.number, rm: .reg(src))
    }

    /// `prefix [REX] 0F opcode ModRM …`: the mandatory prefix must come before REX.
    private mutating func sse(_ name: String, prefix: UInt8, opcode: UInt8, _ reg: UInt8, _ rm: RM) {
        if case .mem(let m) = rm, let reason = Self.invalidReason(m) {
            record(.invalidOperands(instruction: name, reason: reason))
            return
        }
        buffer.append(prefix)
        encode(name, size: nil, opcode: [0x0F, opcode], reg: reg, rm: rm)
    }
}
