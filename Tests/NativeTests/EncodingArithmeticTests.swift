import NativeCode
import Testing

/// ALU operations, multiplication/division, the unary group, shifts, test.
@Suite struct EncodingArithmeticTests {
    /// Every ALU operation in every operand form.
    @Test(arguments: ALUOp.allCases) func aluForms(_ op: ALUOp) throws {
        let n = op.description
        let cases: [EncodingCase] = [
            EncodingCase("\(n) rax, rbx", length: 3) { $0.alu(op, .rax, .rbx) },
            EncodingCase("\(n) r8d, r15d", length: 3) { $0.alu(op, .r8d, .r15d) },
            EncodingCase("\(n) si, di", length: 3) { $0.alu(op, .si, .di) },
            EncodingCase("\(n) dil, r9b", length: 3) { $0.alu(op, .dil, .r9b) },
            EncodingCase("\(n) cl, dl", length: 2) { $0.alu(op, .cl, .dl) },
            EncodingCase("\(n) rax, qword ptr [rdi + 8]", length: 4) { $0.alu(op, .rax, .ptr(.rdi, 8)) },
            EncodingCase("\(n) r12w, word ptr [rsp]", length: 5) { $0.alu(op, .r12w, .ptr(.rsp)) },
            EncodingCase("\(n) qword ptr [r13], rcx", length: 4) { $0.alu(op, .ptr(.r13), .rcx) },
            EncodingCase("\(n) byte ptr [rdi + r10], bpl", length: 4) { $0.alu(op, .ptr(.rdi, index: .r10), .bpl) },
            // imm8 (sign-extended) versus imm32/imm16 boundaries
            EncodingCase("\(n) rax, 127", length: 4) { $0.alu(op, .rax, 127) },
            EncodingCase("\(n) rax, 128", length: 7) { $0.alu(op, .rax, 128) },
            EncodingCase("\(n) rax, -128", length: 4) { $0.alu(op, .rax, -128) },
            EncodingCase("\(n) rax, -129", length: 7) { $0.alu(op, .rax, -129) },
            EncodingCase("\(n) r11, 2147483647", length: 7) { $0.alu(op, .r11, Int64(Int32.max)) },
            EncodingCase("\(n) r11, -2147483648", length: 7) { $0.alu(op, .r11, Int64(Int32.min)) },
            EncodingCase("\(n) ecx, -1", length: 3) { $0.alu(op, .ecx, 0xFFFF_FFFF) },
            EncodingCase("\(n) ecx, 1000", length: 6) { $0.alu(op, .ecx, 1000) },
            EncodingCase("\(n) r14d, 5", length: 4) { $0.alu(op, .r14d, 5) },
            EncodingCase("\(n) dx, 127", length: 4) { $0.alu(op, .dx, 127) },
            EncodingCase("\(n) dx, 128", length: 5) { $0.alu(op, .dx, 128) },
            EncodingCase("\(n) al, -56", length: 3) { $0.alu(op, .al, 200) },
            EncodingCase("\(n) sil, 1", length: 4) { $0.alu(op, .sil, 1) },
            EncodingCase("\(n) r15b, 127", length: 4) { $0.alu(op, .r15b, 127) },
            EncodingCase("\(n) qword ptr [rsp + 8], 1", length: 6) { $0.alu(op, .qword(.rsp, 8), 1) },
            EncodingCase("\(n) dword ptr [rbp - 4], 4096", length: 7) { $0.alu(op, .dword(.rbp, -4), 4096) },
            EncodingCase("\(n) word ptr [rax], -2", length: 4) { $0.alu(op, .word(.rax), -2) },
            EncodingCase("\(n) byte ptr [r12 + 1], 7", length: 6) { $0.alu(op, .byte(.r12, 1), 7) },
        ]
        for c in cases { try check(c) }
    }

    /// The named wrappers emit the same bytes as the generic form.
    @Test func namedALUWrappersMatchGenericForm() throws {
        let pairs: [(ALUOp, @Sendable (inout Assembler) -> Void)] = [
            (.add, { $0.add(.r9, .rdx); $0.add(.rax, .ptr(.rdi)); $0.add(.ptr(.rdi), .eax); $0.add(.rax, 9); $0.add(.qword(.rdi), 9) }),
            (.sub, { $0.sub(.r9, .rdx); $0.sub(.rax, .ptr(.rdi)); $0.sub(.ptr(.rdi), .eax); $0.sub(.rax, 9); $0.sub(.qword(.rdi), 9) }),
            (.and, { $0.and(.r9, .rdx); $0.and(.rax, .ptr(.rdi)); $0.and(.ptr(.rdi), .eax); $0.and(.rax, 9); $0.and(.qword(.rdi), 9) }),
            (.or, { $0.or(.r9, .rdx); $0.or(.rax, .ptr(.rdi)); $0.or(.ptr(.rdi), .eax); $0.or(.rax, 9); $0.or(.qword(.rdi), 9) }),
            (.xor, { $0.xor(.r9, .rdx); $0.xor(.rax, .ptr(.rdi)); $0.xor(.ptr(.rdi), .eax); $0.xor(.rax, 9); $0.xor(.qword(.rdi), 9) }),
            (.cmp, { $0.cmp(.r9, .rdx); $0.cmp(.rax, .ptr(.rdi)); $0.cmp(.ptr(.rdi), .eax); $0.cmp(.rax, 9); $0.cmp(.qword(.rdi), 9) }),
        ]
        for (op, named) in pairs {
            let generic = try assemble {
                $0.alu(op, .r9, .rdx); $0.alu(op, .rax, .ptr(.rdi)); $0.alu(op, .ptr(.rdi), .eax)
                $0.alu(op, .rax, 9); $0.alu(op, .qword(.rdi), 9)
            }
            #expect(try assemble(named) == generic, "\(op)")
        }
        #expect(try assemble { $0.adc(.rax, .rbx); $0.adc(.rax, 1) } == assemble { $0.alu(.adc, .rax, .rbx); $0.alu(.adc, .rax, 1) })
        #expect(try assemble { $0.sbb(.rax, .rbx); $0.sbb(.rax, 1) } == assemble { $0.alu(.sbb, .rax, .rbx); $0.alu(.sbb, .rax, 1) })
    }

    static let multiplyCases: [EncodingCase] = [
        EncodingCase("imul rax, rbx", length: 4) { $0.imul(.rax, .rbx) },
        EncodingCase("imul r9d, dword ptr [rsi]", length: 4) { $0.imul(.r9d, .ptr(.rsi)) },
        EncodingCase("imul cx, r8w", length: 5) { $0.imul(.cx, .r8w) },
        EncodingCase("imul rax, rbx, 10", length: 4) { $0.imul(.rax, .rbx, 10) },
        EncodingCase("imul rax, rbx, 127", length: 4) { $0.imul(.rax, .rbx, 127) },
        EncodingCase("imul rax, rbx, 128", length: 7) { $0.imul(.rax, .rbx, 128) },
        EncodingCase("imul r12, r13, -129", length: 7) { $0.imul(.r12, .r13, -129) },
        EncodingCase("imul edx, dword ptr [rdi + 4], -128", length: 4) { $0.imul(.edx, .ptr(.rdi, 4), -128) },
        EncodingCase("imul ax, bx, 1000", length: 5) { $0.imul(.ax, .bx, 1000) },
        EncodingCase("imul rcx", length: 3) { $0.imul(.rcx) },
        EncodingCase("mul r8d", length: 3) { $0.mul(.r8d) },
        EncodingCase("idiv rcx", length: 3) { $0.idiv(.rcx) },
        EncodingCase("idiv r15", length: 3) { $0.idiv(.r15) },
        EncodingCase("idiv esi", length: 2) { $0.idiv(.esi) },
        EncodingCase("idiv qword ptr [rsp + 8]", length: 5) { $0.idiv(.qword(.rsp, 8)) },
        EncodingCase("div r8d", length: 3) { $0.div(.r8d) },
        EncodingCase("div cl", length: 2) { $0.div(.cl) },
        EncodingCase("div dword ptr [rdi]", length: 2) { $0.div(.dword(.rdi)) },
        EncodingCase("cqo", length: 2) { $0.cqo() },
        EncodingCase("cdq", length: 1) { $0.cdq() },
        EncodingCase("cwd", length: 2) { $0.cwd() },
        EncodingCase("cdqe", length: 2) { $0.cdqe() },
        EncodingCase("cwde", length: 1) { $0.cwde() },
        EncodingCase("cbw", length: 2) { $0.cbw() },
    ]

    @Test(arguments: multiplyCases) func multiplyDivide(_ c: EncodingCase) throws { try check(c) }

    static let unaryCases: [EncodingCase] = [
        EncodingCase("neg rax", length: 3) { $0.neg(.rax) },
        EncodingCase("neg r10d", length: 3) { $0.neg(.r10d) },
        EncodingCase("neg bpl", length: 3) { $0.neg(.bpl) },
        EncodingCase("neg qword ptr [rdi]", length: 3) { $0.neg(.qword(.rdi)) },
        EncodingCase("not r11b", length: 3) { $0.not(.r11b) },
        EncodingCase("not ax", length: 3) { $0.not(.ax) },
        EncodingCase("not dword ptr [r12 + 8*rcx]", length: 4) { $0.not(.dword(.r12, index: .rcx, scale: 8)) },
        EncodingCase("inc rax", length: 3) { $0.inc(.rax) },
        EncodingCase("inc r9d", length: 3) { $0.inc(.r9d) },
        EncodingCase("dec byte ptr [rdi]", length: 2) { $0.dec(.byte(.rdi)) },
        EncodingCase("dec word ptr [rbp]", length: 4) { $0.dec(.word(.rbp)) },
        EncodingCase("inc qword ptr [r13 + 8]", length: 4) { $0.inc(.qword(.r13, 8)) },
    ]

    @Test(arguments: unaryCases) func unary(_ c: EncodingCase) throws { try check(c) }

    @Test(arguments: ShiftOp.allCases) func shifts(_ op: ShiftOp) throws {
        let n = op.description
        let cases: [EncodingCase] = [
            EncodingCase("\(n) rax, 3", length: 4) { $0.shift(op, .rax, 3) },
            EncodingCase("\(n) r9d, 31", length: 4) { $0.shift(op, .r9d, 31) },
            EncodingCase("\(n) r15, 63", length: 4) { $0.shift(op, .r15, 63) },
            EncodingCase("\(n) si, 1", length: 4) { $0.shift(op, .si, 1) },
            EncodingCase("\(n) dil, 7", length: 4) { $0.shift(op, .dil, 7) },
            EncodingCase("\(n) rax, cl", length: 3) { $0.shift(op, .rax, .cl) },
            EncodingCase("\(n) r12d, cl", length: 3) { $0.shift(op, .r12d, .cl) },
            EncodingCase("\(n) bl, cl", length: 2) { $0.shift(op, .bl, .cl) },
            EncodingCase("\(n) word ptr [rdi], 1", length: 4) { $0.shift(op, .word(.rdi), 1) },
            EncodingCase("\(n) qword ptr [rsp], cl", length: 4) { $0.shift(op, .qword(.rsp), .cl) },
        ]
        for c in cases { try check(c) }
    }

    @Test func namedShiftsMatchGenericForm() throws {
        #expect(try assemble { $0.shl(.rax, 3); $0.shl(.rdx, .cl); $0.shl(.qword(.rdi), 1); $0.shl(.byte(.rdi), .cl) }
            == assemble { $0.shift(.shl, .rax, 3); $0.shift(.shl, .rdx, .cl); $0.shift(.shl, .qword(.rdi), 1); $0.shift(.shl, .byte(.rdi), .cl) })
        #expect(try assemble { $0.shr(.rax, 3); $0.shr(.rdx, .cl); $0.shr(.qword(.rdi), 1); $0.shr(.byte(.rdi), .cl) }
            == assemble { $0.shift(.shr, .rax, 3); $0.shift(.shr, .rdx, .cl); $0.shift(.shr, .qword(.rdi), 1); $0.shift(.shr, .byte(.rdi), .cl) })
        #expect(try assemble { $0.sar(.rax, 3); $0.sar(.rdx, .cl); $0.sar(.qword(.rdi), 1); $0.sar(.byte(.rdi), .cl) }
            == assemble { $0.shift(.sar, .rax, 3); $0.shift(.sar, .rdx, .cl); $0.shift(.sar, .qword(.rdi), 1); $0.shift(.sar, .byte(.rdi), .cl) })
    }

    static let testCases: [EncodingCase] = [
        EncodingCase("test al, al", length: 2) { $0.test(.al, .al) },
        EncodingCase("test rax, rax", length: 3) { $0.test(.rax, .rax) },
        EncodingCase("test r8d, ecx", length: 3) { $0.test(.r8d, .ecx) },
        EncodingCase("test sil, dil", length: 3) { $0.test(.sil, .dil) },
        EncodingCase("test qword ptr [rdi], rdx", length: 3) { $0.test(.ptr(.rdi), .rdx) },
        EncodingCase("test rax, -1", length: 7) { $0.test(.rax, -1) },
        EncodingCase("test r9, 1", length: 7) { $0.test(.r9, 1) },
        EncodingCase("test ecx, 255", length: 6) { $0.test(.ecx, 255) },
        EncodingCase("test dx, 4096", length: 5) { $0.test(.dx, 4096) },
        EncodingCase("test dil, 1", length: 4) { $0.test(.dil, 1) },
        EncodingCase("test bl, 1", length: 3) { $0.test(.bl, 1) },
        EncodingCase("test byte ptr [rdi], 1", length: 3) { $0.test(.byte(.rdi), 1) },
        EncodingCase("test dword ptr [rsp + 4], 65536", length: 8) { $0.test(.dword(.rsp, 4), 65536) },
    ]

    @Test(arguments: testCases) func testInstruction(_ c: EncodingCase) throws { try check(c) }
}
