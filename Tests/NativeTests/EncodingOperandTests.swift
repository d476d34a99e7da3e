import NativeCode
import Testing

/// Exhaustive operand coverage: every register pair at every size, every base
/// and index register with every scale, and the displacement boundaries.
@Suite struct EncodingOperandTests {
    /// The byte length an `op r/m, reg` register-register form must have: operand-size
    /// prefix, REX when W/R/B are needed or an 8-bit spl/bpl/sil/dil appears, opcode, ModRM.
    static func registerFormLength(_ a: Reg, _ b: Reg) -> Int {
        let needsREX = a.size == .qword || a.number >= 8 || b.number >= 8
            || (a.size == .byte && ((4...7).contains(a.number) || (4...7).contains(b.number)))
        return (a.size == .word ? 1 : 0) + (needsREX ? 1 : 0) + 2
    }

    @Test(arguments: OperandSize.allCases) func everyRegisterPair(_ size: OperandSize) throws {
        let regs = Reg.all(size)
        var failures: [String] = []
        for dst in regs {
            for src in regs {
                let forms: [(String, [UInt8])] = [
                    ("mov", try assemble { $0.mov(dst, src) }),
                    ("add", try assemble { $0.add(dst, src) }),
                    ("xor", try assemble { $0.xor(dst, src) }),
                    ("cmp", try assemble { $0.cmp(dst, src) }),
                    ("test", try assemble { $0.test(dst, src) }),
                ]
                for (name, bytes) in forms {
                    let decoded = try Disasm.get().disassemble(bytes)
                    let want = "\(name) \(dst.name), \(src.name)"
                    if decoded.count != 1 || decoded[0].text != want || bytes.count != Self.registerFormLength(dst, src) {
                        failures.append("\(want): \(hex(bytes)) -> \(decoded.map(\.text))")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test func registerNames() {
        #expect(Reg.all(.qword).map(\.name) == ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                               "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"])
        #expect(Reg.all(.byte).map(\.name) == ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                                              "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"])
        #expect(Reg.all(.dword)[9].name == "r9d" && Reg.all(.word)[12].name == "r12w" && Reg.all(.word)[4].name == "sp")
        #expect(Reg.r13.sized(.byte) == .r13b && Reg.sil.q == .rsi && Reg.eax.w == .ax && Reg.r8w.d == .r8d)
    }

    static let displacements: [Int32] = [0, 1, -1, 127, 128, -128, -129, 4096, Int32.max, Int32.min]

    /// The length `mov reg, [mem]` must have: REX when W/R/X/B are needed, opcode, ModRM,
    /// SIB for an index or an rsp/r12 base, disp8 when it fits (and for rbp/r13 with 0), else disp32.
    static func loadLength(_ dst: Reg, _ m: Mem) -> Int {
        let needsREX = dst.size == .qword || dst.number >= 8 || m.base.number >= 8 || (m.index?.number ?? 0) >= 8
            || (dst.size == .byte && (4...7).contains(dst.number))
        let sib = m.index != nil || m.base.number & 7 == 4
        let disp = m.disp == 0 && m.base.number & 7 != 5 ? 0 : (-128...127 ~= m.disp ? 1 : 4)
        return (dst.size == .word ? 1 : 0) + (needsREX ? 1 : 0) + 2 + (sib ? 1 : 0) + disp
    }

    @Test(arguments: Reg.all(.qword)) func everyBaseIndexScaleAndDisplacement(_ base: Reg) throws {
        let indexes: [Reg?] = [nil] + Reg.all(.qword).filter { $0 != .rsp }
        var failures: [String] = []
        var count = 0
        for index in indexes {
            for scale in index == nil ? [1] : [1, 2, 4, 8] {
                for disp in Self.displacements {
                    count += 1
                    let size = OperandSize.allCases[count % 4]
                    let dst = Reg(number: count % 16, size: size)
                    let m = Mem(base: base, index: index, scale: scale, disp: disp)
                    let bytes = try assemble { $0.mov(dst, m) }
                    let decoded = try Disasm.get().disassemble(bytes)
                    let want = "mov \(dst.name), " + intelMemory("\(size)", base: base, index: index, scale: scale, disp: Int64(disp))
                    if decoded.count != 1 || decoded[0].text != want || bytes.count != Self.loadLength(dst, m) {
                        failures.append("\(want): \(hex(bytes)) -> \(decoded.map(\.text))")
                    }
                }
            }
        }
        #expect(count == (1 + 15 * 4) * Self.displacements.count)
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    /// Stores and read-modify-write forms put the register in ModRM.reg and the address in r/m.
    @Test(arguments: [Reg.rsp, .rbp, .r12, .r13, .rax, .r8]) func storeAndALUMemoryForms(_ base: Reg) throws {
        for src in Reg.all(.qword) {
            for disp: Int32 in [0, 127, 128, -128, -129] {
                let mem = intelMemory("qword", base: base, disp: Int64(disp))
                try check(EncodingCase("mov \(mem), \(src.name)", length: Self.loadLength(src, .ptr(base, disp))) {
                    $0.mov(.ptr(base, disp), src)
                })
                try check(EncodingCase("sub \(mem), \(src.name)", length: Self.loadLength(src, .ptr(base, disp))) {
                    $0.sub(.ptr(base, disp), src)
                })
            }
        }
    }

    @Test func memoryDescription() {
        #expect(Mem.qword(.rdi, index: .rcx, scale: 8, 16).description == "qword ptr [rdi + 8*rcx + 16]")
        #expect(Mem.ptr(.rbp, -8).description == "[rbp - 8]")
    }
}
