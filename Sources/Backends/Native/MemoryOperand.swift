/// A memory operand `[base + index*scale + disp]`, optionally with the width
/// of the access (`qword ptr ...`).
///
/// The width is needed where no register operand fixes it (`mov qword ptr [rdi], 5`,
/// `neg`, shifts, `movzx` sources). Where a register operand gives the width, a
/// stated width must agree with it.
public struct Mem: Hashable, Sendable, CustomStringConvertible {
    /// A 64-bit base register.
    public var base: Reg
    /// An optional 64-bit index register (never `rsp`).
    public var index: Reg?
    /// 1, 2, 4 or 8.
    public var scale: Int
    public var disp: Int32
    public var size: OperandSize?

    public init(base: Reg, index: Reg? = nil, scale: Int = 1, disp: Int32 = 0, size: OperandSize? = nil) {
        self.base = base
        self.index = index
        self.scale = scale
        self.disp = disp
        self.size = size
    }

    /// The same address with another access width.
    public func sized(_ size: OperandSize?) -> Mem {
        var m = self
        m.size = size
        return m
    }

    /// `[base + disp]` without a width.
    public static func ptr(_ base: Reg, _ disp: Int32 = 0) -> Mem { Mem(base: base, disp: disp) }
    /// `[base + index*scale + disp]` without a width.
    public static func ptr(_ base: Reg, index: Reg, scale: Int = 1, _ disp: Int32 = 0) -> Mem {
        Mem(base: base, index: index, scale: scale, disp: disp)
    }

    public static func byte(_ base: Reg, _ disp: Int32 = 0) -> Mem { Mem(base: base, disp: disp, size: .byte) }
    public static func word(_ base: Reg, _ disp: Int32 = 0) -> Mem { Mem(base: base, disp: disp, size: .word) }
    public static func dword(_ base: Reg, _ disp: Int32 = 0) -> Mem { Mem(base: base, disp: disp, size: .dword) }
    public static func qword(_ base: Reg, _ disp: Int32 = 0) -> Mem { Mem(base: base, disp: disp, size: .qword) }

    public static func byte(_ base: Reg, index: Reg, scale: Int = 1, _ disp: Int32 = 0) -> Mem {
        Mem(base: base, index: index, scale: scale, disp: disp, size: .byte)
    }
    public static func word(_ base: Reg, index: Reg, scale: Int = 1, _ disp: Int32 = 0) -> Mem {
        Mem(base: base, index: index, scale: scale, disp: disp, size: .word)
    }
    public static func dword(_ base: Reg, index: Reg, scale: Int = 1, _ disp: Int32 = 0) -> Mem {
        Mem(base: base, index: index, scale: scale, disp: disp, size: .dword)
    }
    public static func qword(_ base: Reg, index: Reg, scale: Int = 1, _ disp: Int32 = 0) -> Mem {
        Mem(base: base, index: index, scale: scale, disp: disp, size: .qword)
    }

    /// Intel syntax as LLVM prints it: `qword ptr [rdi + 8*rcx + 16]`.
    public var description: String {
        var s = "[\(base.name)"
        if let index { s += " + " + (scale == 1 ? "" : "\(scale)*") + index.name }
        if disp > 0 { s += " + \(disp)" } else if disp < 0 { s += " - \(-Int64(disp))" }
        s += "]"
        if let size { return "\(size) ptr \(s)" }
        return s
    }
}
