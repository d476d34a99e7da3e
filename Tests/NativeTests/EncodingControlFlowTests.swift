import NativeCode
import Testing

/// Labels, branch relaxation, calls and the single-byte instructions.
@Suite struct EncodingControlFlowTests {
    static let simpleCases: [EncodingCase] = [
        EncodingCase("ret", length: 1) { $0.ret() },
        EncodingCase("int3", length: 1) { $0.int3() },
        EncodingCase("ud2", length: 2) { $0.ud2() },
        EncodingCase("nop", length: 1) { $0.nop() },
        EncodingCase("call rax", length: 2) { $0.call(.rax) },
        EncodingCase("call r11", length: 3) { $0.call(.r11) },
        EncodingCase("call qword ptr [rdi + 8]", length: 3) { $0.call(.ptr(.rdi, 8)) },
        EncodingCase("jmp rax", length: 2) { $0.jmp(.rax) },
        EncodingCase("jmp r15", length: 3) { $0.jmp(.r15) },
        EncodingCase("jmp qword ptr [r12]", length: 4) { $0.jmp(.ptr(.r12)) },
    ]

    @Test(arguments: simpleCases) func simple(_ c: EncodingCase) throws { try check(c) }

    @Test func absoluteCallGoesThroughScratchRegister() throws {
        let code = try disassemble { $0.call(address: 0x1234_5678_9ABC, via: .r11) }
        #expect(code.map(\.text) == ["movabs r11, 20015998343868", "call r11"])
    }

    @Test(arguments: 0...15) func multiByteNops(_ n: Int) throws {
        let bytes = try assemble { $0.nop(n) }
        #expect(bytes.count == n)
        let decoded = try Disasm.get().disassemble(bytes)
        #expect(decoded.allSatisfy { $0.text.hasPrefix("nop") })
    }

    /// Backward branches: rel8 reaches back 128 bytes from the end of the 2-byte branch.
    @Test(arguments: [(126, true), (127, false), (0, true), (300, false)])
    func backwardJump(padding: Int, short: Bool) throws {
        let code = try disassemble { a in
            let top = a.newLabel()
            a.bind(top)
            a.nop(padding)
            a.jmp(top)
        }
        let jump = try #require(code.last)
        #expect(jump.bytes.count == (short ? 2 : 5))
        #expect(jump.text == "jmp \(-(padding + jump.bytes.count))")
    }

    @Test(arguments: [(126, true), (127, false)], Condition.allCases)
    func backwardConditionalJump(_ p: (padding: Int, short: Bool), cc: Condition) throws {
        let code = try disassemble { a in
            let top = a.newLabel()
            a.bind(top)
            a.nop(p.padding)
            a.jcc(cc, top)
        }
        let jump = try #require(code.last)
        #expect(jump.bytes.count == (p.short ? 2 : 6))
        #expect(jump.text == "j\(cc) \(-(p.padding + jump.bytes.count))")
    }

    /// Forward branches: rel8 reaches 127 bytes past the end of the branch.
    @Test(arguments: [(127, true), (128, false), (0, true)])
    func forwardJump(padding: Int, short: Bool) throws {
        var a = Assembler()
        let end = a.newLabel()
        a.jcc(.ne, end)
        a.nop(padding)
        a.bind(end)
        a.ret()
        let bytes = try a.finish()
        let code = try Disasm.get().disassemble(bytes)
        #expect(code[0].bytes.count == (short ? 2 : 6))
        #expect(code[0].text == "jne \(padding)")
        #expect(a.offset(of: end) == bytes.count - 1)
        #expect(code.last?.text == "ret")
    }

    /// Growing one branch to rel32 can push another out of rel8 range.
    @Test func relaxationCascades() throws {
        var a = Assembler()
        let first = a.newLabel(), far = a.newLabel()
        a.jmp(first)          // spans 124 bytes of nops plus the second branch
        a.nop(124)
        a.jcc(.e, far)        // must be near: `far` is 200 bytes on
        a.bind(first)
        a.nop(200)
        a.bind(far)
        a.ret()
        let code = try Disasm.get().disassemble(try a.finish())
        #expect(code[0].bytes.count == 5)
        #expect(code[0].text == "jmp \(124 + 6)")
        let second = try #require(code.first { $0.text.hasPrefix("je") })
        #expect(second.bytes.count == 6 && second.text == "je 200")
        #expect(a.offset(of: first) == 5 + 124 + 6)
        #expect(a.offset(of: far) == 5 + 124 + 6 + 200)
    }

    @Test func callsAndLabelAddresses() throws {
        var a = Assembler()
        let f = a.newLabel(), data = a.newLabel()
        a.call(f)             // forward, rel32
        a.lea(.r9, data)
        a.ret()
        a.bind(f)
        a.call(f)             // backward to itself
        a.ret()
        a.bind(data)
        a.emit([1, 2, 3])
        let bytes = try a.finish()
        let code = try Disasm.get().disassemble(bytes)
        #expect(code[0].text == "call 8" && code[0].bytes.count == 5)
        #expect(code[1].text == "lea r9, [rip + 7]" && code[1].bytes.count == 7)
        #expect(code[3].text == "call -5")
        #expect(a.offset(of: f) == 13 && a.offset(of: data) == 19)
        #expect(Array(bytes[19...]) == [1, 2, 3])
    }

    @Test func alignmentPadsWithNops() throws {
        var a = Assembler()
        let aligned = a.newLabel(), back = a.newLabel()
        a.bind(back)
        a.mov(.eax, 1)
        a.align(16)
        a.bind(aligned)
        a.jmp(back)
        let bytes = try a.finish()
        #expect(a.offset(of: aligned) == 16)
        let code = try Disasm.get().disassemble(bytes)
        #expect(code.dropFirst().dropLast().allSatisfy { $0.text.hasPrefix("nop") })
        #expect(code.last?.text == "jmp -18")
    }

    @Test func labelOffsetsBeforeFinishAreUnknown() throws {
        var a = Assembler()
        let l = a.newLabel(), unused = a.newLabel()
        a.bind(l)
        a.ret()
        #expect(a.offset(of: l) == nil)
        #expect(a.isBound(l) && !a.isBound(unused))
        _ = try a.finish()
        #expect(a.offset(of: l) == 0)
        #expect(a.offset(of: unused) == nil)
        #expect(a.labelOffsets.count == 2)
    }

    @Test func unboundLabelIsAnError() {
        for use in [0, 1, 2, 3] {
            var a = Assembler()
            let l = a.newLabel()
            switch use {
            case 0: a.jmp(l)
            case 1: a.jcc(.le, l)
            case 2: a.call(l)
            default: a.lea(.rax, l)
            }
            #expect(throws: AssemblerError.unboundLabel(l)) { try a.finish() }
        }
    }

    @Test func bindingTwiceIsAnError() {
        var a = Assembler()
        let l = a.newLabel()
        a.bind(l)
        a.nop()
        a.bind(l)
        #expect(throws: AssemblerError.labelBoundTwice(l)) { try a.finish() }
    }

    @Test func foreignLabelIsAnError() {
        var other = Assembler()
        _ = other.newLabel()
        let foreign = other.newLabel()
        var a = Assembler()
        a.jmp(foreign)
        #expect(throws: AssemblerError.unknownLabel(foreign)) { try a.finish() }
    }
}
