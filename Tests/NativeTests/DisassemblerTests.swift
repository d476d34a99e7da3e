import LLVMBackend
import NativeCode
import Testing

@Suite struct DisassemblerTests {
    @Test func decodesASequenceWithOffsets() throws {
        let d = try Disassembler()
        let code = d.disassemble([0x48, 0x89, 0xD8, 0xC3, 0x90])
        #expect(code.map(\.text) == ["mov rax, rbx", "ret", "nop"])
        #expect(code.map(\.offset) == [0, 3, 4])
        #expect(code[0].bytes == [0x48, 0x89, 0xD8])
        #expect(code[1].description.contains("ret"))
    }

    @Test func undecodableBytesBecomeBad() throws {
        let d = try Disassembler()
        // 0x06 (push es) does not exist in 64-bit mode; a lone REX prefix is incomplete.
        let code = d.disassemble([0x06, 0xC3, 0x48])
        #expect(code.map(\.text) == ["(bad)", "ret", "(bad)"])
        #expect(d.disassemble([]).isEmpty)
    }

    @Test func usableFromManyTasksAtOnce() async throws {
        let d = try Disassembler()
        let bytes = try assemble { a in
            for r in Reg.all(.qword) { a.mov(r, .ptr(.rsp, 8)) }
        }
        let expected = Reg.all(.qword).map { "mov \($0.name), qword ptr [rsp + 8]" }
        try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (0..<50).map { _ in d.disassemble(bytes).map(\.text) }.last ?? [] } }
            for try await texts in group { #expect(texts == expected) }
        }
    }
}
