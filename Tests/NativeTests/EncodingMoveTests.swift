import NativeCode
import Testing

/// mov in all its forms, widening moves, lea, push/pop, xchg.
@Suite struct EncodingMoveTests {
    static let movCases: [EncodingCase] = [
        // register to register, every width, REX.R/REX.B
        EncodingCase("mov rax, rbx", length: 3) { $0.mov(.rax, .rbx) },
        EncodingCase("mov r8, rax", length: 3) { $0.mov(.r8, .rax) },
        EncodingCase("mov rax, r15", length: 3) { $0.mov(.rax, .r15) },
        EncodingCase("mov r9, r10", length: 3) { $0.mov(.r9, .r10) },
        EncodingCase("mov ecx, edx", length: 2) { $0.mov(.ecx, .edx) },
        EncodingCase("mov r11d, esp", length: 3) { $0.mov(.r11d, .esp) },
        EncodingCase("mov dx, r13w", length: 4) { $0.mov(.dx, .r13w) },
        EncodingCase("mov al, bl", length: 2) { $0.mov(.al, .bl) },
        EncodingCase("mov al, sil", length: 3) { $0.mov(.al, .sil) },
        EncodingCase("mov spl, al", length: 3) { $0.mov(.spl, .al) },
        EncodingCase("mov bpl, dil", length: 3) { $0.mov(.bpl, .dil) },
        EncodingCase("mov r8b, dil", length: 3) { $0.mov(.r8b, .dil) },
        EncodingCase("mov r15b, r14b", length: 3) { $0.mov(.r15b, .r14b) },
        // loads and stores
        EncodingCase("mov rax, qword ptr [rdi]", length: 3) { $0.mov(.rax, .qword(.rdi)) },
        EncodingCase("mov rax, qword ptr [rdi + 8]", length: 4) { $0.mov(.rax, .ptr(.rdi, 8)) },
        EncodingCase("mov r12, qword ptr [r13 - 16]", length: 4) { $0.mov(.r12, .ptr(.r13, -16)) },
        EncodingCase("mov qword ptr [rsp + 8], rax", length: 5) { $0.mov(.qword(.rsp, 8), .rax) },
        EncodingCase("mov dword ptr [r12], r9d", length: 4) { $0.mov(.ptr(.r12), .r9d) },
        EncodingCase("mov word ptr [rsi + 2*rcx], ax", length: 4) { $0.mov(.ptr(.rsi, index: .rcx, scale: 2), .ax) },
        EncodingCase("mov byte ptr [rdi + rsi], sil", length: 4) { $0.mov(.ptr(.rdi, index: .rsi), .sil) },
        EncodingCase("mov byte ptr [rdi + rsi], bl", length: 3) { $0.mov(.byte(.rdi, index: .rsi), .bl) },
        EncodingCase("mov r10b, byte ptr [rax + 4*r11 + 100]", length: 5) { $0.mov(.r10b, .ptr(.rax, index: .r11, scale: 4, 100)) },
        EncodingCase("mov cx, word ptr [rbp]", length: 4) { $0.mov(.cx, .word(.rbp)) },
        EncodingCase("mov edi, dword ptr [rbx + 8*r8 + 4096]", length: 8) { $0.mov(.edi, .ptr(.rbx, index: .r8, scale: 8, 4096)) },
        // immediates into registers: the shortest exact encoding
        EncodingCase("mov eax, 0", length: 5) { $0.mov(.rax, 0) },
        EncodingCase("mov eax, 5", length: 5) { $0.mov(.rax, 5) },
        EncodingCase("mov r9d, 4294967295", length: 6) { $0.mov(.r9, 0xFFFF_FFFF) },
        EncodingCase("mov rax, -1", length: 7) { $0.mov(.rax, -1) },
        EncodingCase("mov r14, -2147483648", length: 7) { $0.mov(.r14, Int64(Int32.min)) },
        EncodingCase("movabs rax, 4294967296", length: 10) { $0.mov(.rax, 0x1_0000_0000) },
        EncodingCase("movabs r15, -2147483649", length: 10) { $0.mov(.r15, Int64(Int32.min) - 1) },
        EncodingCase("movabs rcx, 9223372036854775807", length: 10) { $0.mov(.rcx, Int64.max) },
        EncodingCase("movabs r10, 1", length: 10) { $0.movabs(.r10, 1) },
        EncodingCase("mov ebx, 4294967295", length: 5) { $0.mov(.ebx, -1) },
        EncodingCase("mov r13d, 2147483647", length: 6) { $0.mov(.r13d, Int64(Int32.max)) },
        EncodingCase("mov si, 65535", length: 4) { $0.mov(.si, 65535) },
        EncodingCase("mov r9w, 7", length: 5) { $0.mov(.r9w, 7) },
        EncodingCase("mov al, -1", length: 2) { $0.mov(.al, 255) },
        EncodingCase("mov dil, 1", length: 3) { $0.mov(.dil, 1) },
        EncodingCase("mov r12b, -128", length: 3) { $0.mov(.r12b, -128) },
        // immediates into memory
        EncodingCase("mov qword ptr [rdi], 5", length: 7) { $0.mov(.qword(.rdi), 5) },
        EncodingCase("mov qword ptr [rsp + 16], -1", length: 9) { $0.mov(.qword(.rsp, 16), -1) },
        EncodingCase("mov dword ptr [r8 + 128], 2147483647", length: 11) { $0.mov(.dword(.r8, 128), Int64(Int32.max)) },
        EncodingCase("mov word ptr [rdi], 65535", length: 5) { $0.mov(.word(.rdi), 65535) },
        EncodingCase("mov byte ptr [r13 + rax], 7", length: 6) { $0.mov(.byte(.r13, index: .rax), 7) },
        EncodingCase("mov byte ptr [rdi], -1", length: 3) { $0.mov(.byte(.rdi), 255) },
    ]

    @Test(arguments: movCases) func mov(_ c: EncodingCase) throws { try check(c) }

    static let wideningCases: [EncodingCase] = [
        EncodingCase("movzx eax, bl", length: 3) { $0.movzx(.eax, .bl) },
        EncodingCase("movzx eax, sil", length: 4) { $0.movzx(.eax, .sil) },
        EncodingCase("movzx rax, r9b", length: 4) { $0.movzx(.rax, .r9b) },
        EncodingCase("movzx r10d, dx", length: 4) { $0.movzx(.r10d, .dx) },
        EncodingCase("movzx r11, r12w", length: 4) { $0.movzx(.r11, .r12w) },
        EncodingCase("movzx cx, dil", length: 5) { $0.movzx(.cx, .dil) },
        EncodingCase("movzx eax, byte ptr [rdi + rsi]", length: 4) { $0.movzx(.eax, .byte(.rdi, index: .rsi)) },
        EncodingCase("movzx rax, word ptr [rdi]", length: 4) { $0.movzx(.rax, .word(.rdi)) },
        EncodingCase("movsx r8, sil", length: 4) { $0.movsx(.r8, .sil) },
        EncodingCase("movsx eax, cl", length: 3) { $0.movsx(.eax, .cl) },
        EncodingCase("movsx rdx, r15w", length: 4) { $0.movsx(.rdx, .r15w) },
        EncodingCase("movsx r13d, byte ptr [r12 - 1]", length: 6) { $0.movsx(.r13d, .byte(.r12, -1)) },
        EncodingCase("movsx rax, word ptr [rbp + 2]", length: 5) { $0.movsx(.rax, .word(.rbp, 2)) },
        EncodingCase("movsxd rax, ecx", length: 3) { $0.movsxd(.rax, .ecx) },
        EncodingCase("movsxd r9, r14d", length: 3) { $0.movsxd(.r9, .r14d) },
        EncodingCase("movsxd rbx, dword ptr [rdi + 4]", length: 4) { $0.movsxd(.rbx, .dword(.rdi, 4)) },
    ]

    @Test(arguments: wideningCases) func widening(_ c: EncodingCase) throws { try check(c) }

    static let addressCases: [EncodingCase] = [
        EncodingCase("lea rax, [rdi + rsi]", length: 4) { $0.lea(.rax, .ptr(.rdi, index: .rsi)) },
        EncodingCase("lea r8, [rsp + 8]", length: 5) { $0.lea(.r8, .ptr(.rsp, 8)) },
        EncodingCase("lea eax, [rdi + 4*rdi - 3]", length: 4) { $0.lea(.eax, .ptr(.rdi, index: .rdi, scale: 4, -3)) },
        EncodingCase("lea rcx, [r13 + 8*r12]", length: 5) { $0.lea(.rcx, .ptr(.r13, index: .r12, scale: 8)) },
        EncodingCase("lea r15, [rbp + 1000]", length: 7) { $0.lea(.r15, .qword(.rbp, 1000)) },
        EncodingCase("lea ax, [rbx + 1]", length: 4) { $0.lea(.ax, .ptr(.rbx, 1)) },
    ]

    @Test(arguments: addressCases) func lea(_ c: EncodingCase) throws { try check(c) }

    @Test(arguments: Reg.all(.qword)) func pushPop(_ r: Reg) throws {
        let length = r.number >= 8 ? 2 : 1
        try check(EncodingCase("push \(r.name)", length: length) { $0.push(r) })
        try check(EncodingCase("pop \(r.name)", length: length) { $0.pop(r) })
    }

    static let stackCases: [EncodingCase] = [
        EncodingCase("push 5", length: 2) { $0.push(5) },
        EncodingCase("push -128", length: 2) { $0.push(-128) },
        EncodingCase("push 128", length: 5) { $0.push(128) },
        EncodingCase("push -2147483648", length: 5) { $0.push(Int64(Int32.min)) },
        EncodingCase("xchg rbx, rax", length: 3) { $0.xchg(.rax, .rbx) },
        EncodingCase("xchg r9d, r8d", length: 3) { $0.xchg(.r8d, .r9d) },
        EncodingCase("xchg sil, al", length: 3) { $0.xchg(.al, .sil) },
    ]

    @Test(arguments: stackCases) func stackAndExchange(_ c: EncodingCase) throws { try check(c) }

    @Test(arguments: Condition.allCases) func conditionalMoves(_ cc: Condition) throws {
        try check(EncodingCase("cmov\(cc) rax, r9", length: 4) { $0.cmov(cc, .rax, .r9) })
        try check(EncodingCase("cmov\(cc) r10d, ecx", length: 4) { $0.cmov(cc, .r10d, .ecx) })
        try check(EncodingCase("cmov\(cc) dx, word ptr [rdi]", length: 4) { $0.cmov(cc, .dx, .ptr(.rdi)) })
        try check(EncodingCase("set\(cc) al", length: 3) { $0.setcc(cc, .al) })
        try check(EncodingCase("set\(cc) sil", length: 4) { $0.setcc(cc, .sil) })
        try check(EncodingCase("set\(cc) r13b", length: 4) { $0.setcc(cc, .r13b) })
        try check(EncodingCase("set\(cc) byte ptr [rsp + 1]", length: 5) { $0.setcc(cc, .ptr(.rsp, 1)) })
    }

    @Test func conditionAliasesAndInversion() {
        #expect(Condition.z == .e && Condition.nz == .ne && Condition.c == .b && Condition.nle == .g)
        for cc in Condition.allCases {
            #expect(cc.inverted != cc)
            #expect(cc.inverted.inverted == cc)
        }
        #expect(Condition.l.inverted == .ge && Condition.be.inverted == .a && Condition.o.inverted == .no)
    }
}
