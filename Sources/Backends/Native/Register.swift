/// The width of an operand: 8, 16, 32 or 64 bits.
public enum OperandSize: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case byte = 1, word = 2, dword = 4, qword = 8

    /// Width in bits.
    public var bits: Int { rawValue * 8 }

    /// The Intel-syntax size keyword (`byte`, `word`, `dword`, `qword`).
    public var description: String {
        switch self {
        case .byte: "byte"
        case .word: "word"
        case .dword: "dword"
        case .qword: "qword"
        }
    }

    /// Whether `value` can be written as an immediate of this width, read either
    /// as a signed or as an unsigned number (`0xFF` and `-1` are both valid bytes).
    /// 64-bit operations only take sign-extended 32-bit immediates (except `mov`).
    func acceptsImmediate(_ value: Int64) -> Bool {
        switch self {
        case .byte: -128...255 ~= value
        case .word: -32768...65535 ~= value
        case .dword: Int64(Int32.min)...Int64(UInt32.max) ~= value
        case .qword: Int64(Int32.min)...Int64(Int32.max) ~= value
        }
    }

    /// `value` truncated to this width and sign-extended back (the value the CPU sees).
    func signExtend(_ value: Int64) -> Int64 {
        switch self {
        case .byte: Int64(Int8(truncatingIfNeeded: value))
        case .word: Int64(Int16(truncatingIfNeeded: value))
        case .dword: Int64(Int32(truncatingIfNeeded: value))
        case .qword: value
        }
    }
}

/// A general-purpose register at a given width: `number` 0...15 in hardware
/// order (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8...r15).
///
/// The 8-bit forms of numbers 4...7 are `spl`, `bpl`, `sil`, `dil` (they need a
/// REX prefix); the legacy `ah`...`bh` are deliberately not representable.
public struct Reg: Hashable, Sendable, CustomStringConvertible {
    /// Hardware register number, 0...15.
    public let number: UInt8
    public let size: OperandSize

    /// The register `number` (0...15, anything else is masked) at width `size`.
    public init(number: Int, size: OperandSize) {
        self.number = UInt8(truncatingIfNeeded: number & 15)
        self.size = size
    }

    /// The same register at another width (`Reg.rax.sized(.dword)` is `eax`).
    public func sized(_ size: OperandSize) -> Reg { Reg(number: Int(number), size: size) }

    /// The 8-, 16-, 32- and 64-bit views of this register.
    public var b: Reg { sized(.byte) }
    public var w: Reg { sized(.word) }
    public var d: Reg { sized(.dword) }
    public var q: Reg { sized(.qword) }

    /// Low three bits, as they go into ModRM/SIB/opcode.
    var low3: UInt8 { number & 7 }
    /// The fourth bit, carried by REX.R, REX.X or REX.B.
    var high: UInt8 { number >> 3 }
    /// `spl`, `bpl`, `sil`, `dil` exist only with a REX prefix (without one they mean ah...bh).
    var needsREXForByte: Bool { size == .byte && (4...7).contains(number) }

    private static let names64 = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"]
    private static let names32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"]
    private static let names16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"]
    private static let names8 = ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"]

    /// The Intel-syntax name (`rax`, `r9d`, `r12w`, `sil`, `r15b`).
    public var name: String {
        let n = Int(number)
        if n < 8 {
            switch size {
            case .qword: return Self.names64[n]
            case .dword: return Self.names32[n]
            case .word: return Self.names16[n]
            case .byte: return Self.names8[n]
            }
        }
        switch size {
        case .qword: return "r\(n)"
        case .dword: return "r\(n)d"
        case .word: return "r\(n)w"
        case .byte: return "r\(n)b"
        }
    }

    public var description: String { name }

    /// All sixteen registers at `size`, in hardware order.
    public static func all(_ size: OperandSize) -> [Reg] { (0..<16).map { Reg(number: $0, size: size) } }

    // 64-bit
    public static let rax = Reg(number: 0, size: .qword), rcx = Reg(number: 1, size: .qword)
    public static let rdx = Reg(number: 2, size: .qword), rbx = Reg(number: 3, size: .qword)
    public static let rsp = Reg(number: 4, size: .qword), rbp = Reg(number: 5, size: .qword)
    public static let rsi = Reg(number: 6, size: .qword), rdi = Reg(number: 7, size: .qword)
    public static let r8 = Reg(number: 8, size: .qword), r9 = Reg(number: 9, size: .qword)
    public static let r10 = Reg(number: 10, size: .qword), r11 = Reg(number: 11, size: .qword)
    public static let r12 = Reg(number: 12, size: .qword), r13 = Reg(number: 13, size: .qword)
    public static let r14 = Reg(number: 14, size: .qword), r15 = Reg(number: 15, size: .qword)
    // 32-bit
    public static let eax = Reg(number: 0, size: .dword), ecx = Reg(number: 1, size: .dword)
    public static let edx = Reg(number: 2, size: .dword), ebx = Reg(number: 3, size: .dword)
    public static let esp = Reg(number: 4, size: .dword), ebp = Reg(number: 5, size: .dword)
    public static let esi = Reg(number: 6, size: .dword), edi = Reg(number: 7, size: .dword)
    public static let r8d = Reg(number: 8, size: .dword), r9d = Reg(number: 9, size: .dword)
    public static let r10d = Reg(number: 10, size: .dword), r11d = Reg(number: 11, size: .dword)
    public static let r12d = Reg(number: 12, size: .dword), r13d = Reg(number: 13, size: .dword)
    public static let r14d = Reg(number: 14, size: .dword), r15d = Reg(number: 15, size: .dword)
    // 16-bit
    public static let ax = Reg(number: 0, size: .word), cx = Reg(number: 1, size: .word)
    public static let dx = Reg(number: 2, size: .word), bx = Reg(number: 3, size: .word)
    public static let sp = Reg(number: 4, size: .word), bp = Reg(number: 5, size: .word)
    public static let si = Reg(number: 6, size: .word), di = Reg(number: 7, size: .word)
    public static let r8w = Reg(number: 8, size: .word), r9w = Reg(number: 9, size: .word)
    public static let r10w = Reg(number: 10, size: .word), r11w = Reg(number: 11, size: .word)
    public static let r12w = Reg(number: 12, size: .word), r13w = Reg(number: 13, size: .word)
    public static let r14w = Reg(number: 14, size: .word), r15w = Reg(number: 15, size: .word)
    // 8-bit
    public static let al = Reg(number: 0, size: .byte), cl = Reg(number: 1, size: .byte)
    public static let dl = Reg(number: 2, size: .byte), bl = Reg(number: 3, size: .byte)
    public static let spl = Reg(number: 4, size: .byte), bpl = Reg(number: 5, size: .byte)
    public static let sil = Reg(number: 6, size: .byte), dil = Reg(number: 7, size: .byte)
    public static let r8b = Reg(number: 8, size: .byte), r9b = Reg(number: 9, size: .byte)
    public static let r10b = Reg(number: 10, size: .byte), r11b = Reg(number: 11, size: .byte)
    public static let r12b = Reg(number: 12, size: .byte), r13b = Reg(number: 13, size: .byte)
    public static let r14b = Reg(number: 14, size: .byte), r15b = Reg(number: 15, size: .byte)
}
