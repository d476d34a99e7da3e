import NativeCode
import Testing

/// The SSE2 and bit-scan instructions vector scans use, checked against LLVM's disassembler:
/// low and high xmm registers (REX.R, REX.B), the mandatory prefix before REX, and every
/// addressing form a scan needs.
@Suite struct EncodingVectorTests {
    static let cases: [EncodingCase] = [
        EncodingCase("movdqu xmm0, xmmword ptr [r15 + rax]", length: 6) { $0.movdqu(.xmm0, Mem(base: .r15, index: .rax)) },
        EncodingCase("movdqu xmm1, xmmword ptr [rdi]", length: 4) { $0.movdqu(.xmm1, .ptr(.rdi)) },
        EncodingCase("movdqu xmm9, xmmword ptr [r15 + rax - 15]", length: 7) {
            $0.movdqu(XMM(9), Mem(base: .r15, index: .rax, disp: -15))
        },
        EncodingCase("movdqu xmm15, xmmword ptr [rbx + r12 + 4096]", length: 10) {
            $0.movdqu(XMM(15), Mem(base: .rbx, index: .r12, disp: 4096))
        },
        EncodingCase("movdqu xmm2, xmmword ptr [r13]", length: 6) { $0.movdqu(XMM(2), .ptr(.r13)) },
        EncodingCase("pxor xmm1, xmm1", length: 4) { $0.pxor(.xmm1, .xmm1) },
        EncodingCase("pxor xmm8, xmm3", length: 5) { $0.pxor(XMM(8), XMM(3)) },
        EncodingCase("pxor xmm2, xmm14", length: 5) { $0.pxor(XMM(2), XMM(14)) },
        EncodingCase("pcmpeqb xmm0, xmm1", length: 4) { $0.pcmpeq(.byte, .xmm0, .xmm1) },
        EncodingCase("pcmpeqw xmm0, xmm1", length: 4) { $0.pcmpeq(.word, .xmm0, .xmm1) },
        EncodingCase("pcmpeqd xmm0, xmm1", length: 4) { $0.pcmpeq(.dword, .xmm0, .xmm1) },
        EncodingCase("pcmpeqb xmm12, xmm10", length: 5) { $0.pcmpeq(.byte, XMM(12), XMM(10)) },
        EncodingCase("pmovmskb r11d, xmm0", length: 5) { $0.pmovmskb(.r11d, .xmm0) },
        EncodingCase("pmovmskb eax, xmm1", length: 4) { $0.pmovmskb(.eax, .xmm1) },
        EncodingCase("pmovmskb ecx, xmm13", length: 5) { $0.pmovmskb(.ecx, XMM(13)) },
        EncodingCase("bsf r11d, r11d", length: 4) { $0.bsf(.r11d, .r11d) },
        EncodingCase("bsf eax, ecx", length: 3) { $0.bsf(.eax, .ecx) },
        EncodingCase("bsf rax, r9", length: 4) { $0.bsf(.rax, .r9) },
        EncodingCase("bsr r11d, r11d", length: 4) { $0.bsr(.r11d, .r11d) },
        EncodingCase("bsr edx, eax", length: 3) { $0.bsr(.edx, .eax) },
        EncodingCase("bsr r12, rbx", length: 4) { $0.bsr(.r12, .rbx) },
    ]

    @Test(arguments: cases)
    func encodes(_ c: EncodingCase) throws { try check(c) }

    @Test func misuseIsAnAssemblerError() {
        var a = Assembler()
        a.pcmpeq(.qword, .xmm0, .xmm1)
        #expect(throws: AssemblerError.self) { try a.finish() }
        var b = Assembler()
        b.pmovmskb(.rax, .xmm0)
        #expect(throws: AssemblerError.self) { try b.finish() }
        var c = Assembler()
        c.bsf(.al, .bl)
        #expect(throws: AssemblerError.self) { try c.finish() }
    }
}
