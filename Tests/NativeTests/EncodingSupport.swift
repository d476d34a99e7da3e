import LLVMBackend
import NativeCode
import Testing

/// One instruction to assemble and the Intel-syntax text LLVM must decode it to.
struct EncodingCase: Sendable, CustomTestStringConvertible {
    let expected: String
    /// When set, the exact encoded length (for disp8/disp32 and imm8/imm32 choices the text cannot show).
    let length: Int?
    let build: @Sendable (inout Assembler) -> Void

    init(_ expected: String, length: Int? = nil, _ build: @escaping @Sendable (inout Assembler) -> Void) {
        self.expected = expected
        self.length = length
        self.build = build
    }

    var testDescription: String { expected }
}

enum Disasm {
    static let shared: Result<Disassembler, any Error> = Result { try Disassembler() }

    static func get() throws -> Disassembler { try shared.get() }
}

/// Assembles what `build` emits.
func assemble(_ build: (inout Assembler) -> Void) throws -> [UInt8] {
    var a = Assembler()
    build(&a)
    return try a.finish()
}

/// Assembles and decodes; every byte must belong to a decoded instruction.
func disassemble(_ build: (inout Assembler) -> Void) throws -> [DisassembledInstruction] {
    try Disasm.get().disassemble(try assemble(build))
}

/// Checks that `c` encodes to exactly one instruction that decodes to `c.expected`.
func check(_ c: EncodingCase, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let bytes = try assemble(c.build)
    let decoded = try Disasm.get().disassemble(bytes)
    #expect(decoded.count == 1, "\(decoded)", sourceLocation: sourceLocation)
    #expect(decoded.first?.text == c.expected, "bytes \(hex(bytes))", sourceLocation: sourceLocation)
    #expect(decoded.first?.bytes.count == bytes.count, sourceLocation: sourceLocation)
    if let length = c.length {
        #expect(bytes.count == length, "bytes \(hex(bytes))", sourceLocation: sourceLocation)
    }
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
}

/// How LLVM prints a memory operand; written independently of `Mem.description`.
func intelMemory(_ size: String?, base: Reg, index: Reg? = nil, scale: Int = 1, disp: Int64 = 0) -> String {
    var s = size.map { "\($0) ptr " } ?? ""
    s += "[" + base.name
    if let index { s += " + " + (scale == 1 ? "" : "\(scale)*") + index.name }
    if disp > 0 { s += " + \(disp)" }
    if disp < 0 { s += " - \(-disp)" }
    return s + "]"
}
