import NativeCode
import Testing

/// Misuse is reported by `finish()` as a typed error instead of producing bad code.
@Suite struct AssemblerErrorTests {
    struct Misuse: Sendable, CustomTestStringConvertible {
        let name: String
        let outOfRange: Bool
        let build: @Sendable (inout Assembler) -> Void
        var testDescription: String { name }
    }

    static let misuses: [Misuse] = [
        Misuse(name: "mov size mismatch", outOfRange: false) { $0.mov(.rax, .ebx) },
        Misuse(name: "mov reg/mem size mismatch", outOfRange: false) { $0.mov(.rax, .dword(.rdi)) },
        Misuse(name: "store size mismatch", outOfRange: false) { $0.mov(.byte(.rdi), .eax) },
        Misuse(name: "immediate store without size", outOfRange: false) { $0.mov(.ptr(.rdi), 1) },
        Misuse(name: "alu immediate without size", outOfRange: false) { $0.add(.ptr(.rdi), 5) },
        Misuse(name: "neg without size", outOfRange: false) { $0.neg(.ptr(.rdi)) },
        Misuse(name: "rsp as index", outOfRange: false) { $0.mov(.rax, .ptr(.rdi, index: .rsp)) },
        Misuse(name: "scale 3", outOfRange: false) { $0.mov(.rax, .ptr(.rdi, index: .rcx, scale: 3)) },
        Misuse(name: "32-bit base", outOfRange: false) { $0.mov(.rax, .ptr(.edi)) },
        Misuse(name: "imul 8-bit", outOfRange: false) { $0.imul(.al, .bl) },
        Misuse(name: "shift count not cl", outOfRange: false) { $0.shl(.rax, .rcx) },
        Misuse(name: "movzx from 32 bits", outOfRange: false) { $0.movzx(.rax, .ecx) },
        Misuse(name: "movzx to 8 bits", outOfRange: false) { $0.movzx(.al, .bl) },
        Misuse(name: "movzx memory without size", outOfRange: false) { $0.movzx(.eax, .ptr(.rdi)) },
        Misuse(name: "movsxd to 32 bits", outOfRange: false) { $0.movsxd(.eax, .ecx) },
        Misuse(name: "setcc on 32-bit register", outOfRange: false) { $0.setcc(.e, .eax) },
        Misuse(name: "push 32-bit register", outOfRange: false) { $0.push(.eax) },
        Misuse(name: "pop 16-bit register", outOfRange: false) { $0.pop(.ax) },
        Misuse(name: "lea into 8-bit register", outOfRange: false) { $0.lea(.al, .ptr(.rdi)) },
        Misuse(name: "cmov 8-bit", outOfRange: false) { $0.cmov(.e, .al, .bl) },
        Misuse(name: "call 32-bit register", outOfRange: false) { $0.call(.eax) },
        Misuse(name: "jmp 32-bit register", outOfRange: false) { $0.jmp(.eax) },
        Misuse(name: "movabs 32-bit register", outOfRange: false) { $0.movabs(.eax, 1) },
        Misuse(name: "align 3", outOfRange: false) { $0.align(3) },
        Misuse(name: "add rax, 2^31", outOfRange: true) { $0.add(.rax, 1 << 31) },
        Misuse(name: "add eax, 2^32", outOfRange: true) { $0.add(.eax, 1 << 32) },
        Misuse(name: "add ax, 65536", outOfRange: true) { $0.add(.ax, 65536) },
        Misuse(name: "mov al, 256", outOfRange: true) { $0.mov(.al, 256) },
        Misuse(name: "mov eax, -2^31-1", outOfRange: true) { $0.mov(.eax, Int64(Int32.min) - 1) },
        Misuse(name: "mov qword [m], 2^31", outOfRange: true) { $0.mov(.qword(.rdi), 1 << 31) },
        Misuse(name: "test rax, 2^31", outOfRange: true) { $0.test(.rax, 1 << 31) },
        Misuse(name: "imul imm 2^40", outOfRange: true) { $0.imul(.rax, .rbx, 1 << 40) },
        Misuse(name: "push 2^40", outOfRange: true) { $0.push(1 << 40) },
        Misuse(name: "cmp byte -129", outOfRange: true) { $0.cmp(.byte(.rdi), -129) },
    ]

    @Test(arguments: misuses) func misuseIsReported(_ m: Misuse) {
        var a = Assembler()
        a.nop()
        m.build(&a)
        a.ret()
        do {
            _ = try a.finish()
            Issue.record("\(m.name) assembled without error")
        } catch {
            switch error {
            case .immediateOutOfRange: #expect(m.outOfRange, "\(error)")
            case .invalidOperands: #expect(!m.outOfRange, "\(error)")
            default: Issue.record("unexpected \(error)")
            }
            #expect(error.description.hasPrefix("assembler: "))
        }
    }

    @Test func firstErrorWins() {
        var a = Assembler()
        a.add(.rax, 1 << 40)
        a.mov(.rax, .ebx)
        #expect(throws: AssemblerError.immediateOutOfRange(instruction: "add", value: 1 << 40)) { try a.finish() }
    }
}
