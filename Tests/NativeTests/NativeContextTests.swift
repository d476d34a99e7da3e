import JitIR
@testable import NativeCode
import Testing

/// The native runtime: entering code, hooks, traps, memory, the big stack.
@Suite struct NativeContextTests {
    /// Maps the code `build` assembles.
    static func load(_ build: (inout Assembler) -> Void) throws -> ExecutableMemory {
        try ExecutableMemory(code: try assemble(build))
    }

    @Test func callsATinyFunction() throws {
        let ctx = try NativeContext(memorySize: 16)
        let code = try Self.load { $0.lea(.rax, .ptr(.rdi, index: .rsi)); $0.ret() }
        #expect(try ctx.call(code.address, arguments: [40, 2], io: ProgramIO()) == .returned(42))
        #expect(try ctx.call(code.address, arguments: [-5, Int64.min + 5], io: ProgramIO()) == .returned(Int64.min))
        #expect(try ctx.call(code.address, arguments: [7], io: ProgramIO()) == .returned(7))
    }

    @Test func passesSixArguments() throws {
        let ctx = try NativeContext(memorySize: 0)
        // rdi + 2*rsi + 3*rdx + 4*rcx + 5*r8 + 6*r9
        let code = try Self.load { a in
            a.mov(.rax, .rdi)
            for (k, r) in [Reg.rsi, .rdx, .rcx, .r8, .r9].enumerated() {
                a.imul(r, r, Int64(k + 2))
                a.add(.rax, r)
            }
            a.ret()
        }
        #expect(try ctx.call(code.address, arguments: [1, 10, 100, 1000, 10000, 100000], io: ProgramIO())
            == .returned(1 + 20 + 300 + 4000 + 50000 + 600000))
    }

    /// Emits three nested calls that clobber every callee-saved register, the innermost trapping with `site`.
    static func emitNestedTrap(_ a: inout Assembler, context: UInt64, site: Int64) {
        let level2 = a.newLabel(), level3 = a.newLabel()
        a.push(.rbp)
        a.call(level2)
        a.ud2()
        a.bind(level2)
        a.sub(.rsp, 24)
        a.call(level3)
        a.ud2()
        a.bind(level3)
        for (k, r) in [Reg.rbx, .rbp, .r12, .r13, .r14, .r15].enumerated() { a.mov(r, Int64(0x5A5A + k)) }
        a.mov(.rdi, Int64(bitPattern: context))
        a.mov(.rsi, site)
        a.call(address: NativeContext.trapAddress, via: .rax)
        a.ud2()
    }

    @Test func trapFromNestedCallsUnwindsToCaller() throws {
        let ctx = try NativeContext(memorySize: 8)
        for site in 0..<200 {
            let code = try Self.load { Self.emitNestedTrap(&$0, context: ctx.contextAddress, site: Int64(site)) }
            #expect(try ctx.call(code.address, arguments: [], io: ProgramIO()) == .trapped(site: site))
        }
        // A normal return after traps is still a return.
        let ok = try Self.load { $0.mov(.rax, 99); $0.ret() }
        #expect(try ctx.call(ok.address, arguments: [], io: ProgramIO()) == .returned(99))
    }

    /// Enters native code through the raw trampoline from our own machine code, with
    /// sentinel values in every callee-saved register, traps three calls deep, and
    /// reports which registers (bits 0-5) or the stack pointer (bit 6) came back changed.
    @Test func trapRestoresCalleeSavedRegistersAndStackPointer() throws {
        let outerContext = try NativeContext(memorySize: 8)
        let innerContext = try NativeContext(memorySize: 8)
        let inner = try Self.load { Self.emitNestedTrap(&$0, context: innerContext.contextAddress, site: 4242) }
        let saved: [Reg] = [.rbx, .rbp, .r12, .r13, .r14, .r15]
        let sentinels: [Int64] = (0..<6).map { 0x1111_2222_3333_0000 &+ Int64($0) &* 0x0101_0101_0101 }
        let probe = try Self.load { a in
            for r in saved { a.push(r) }
            a.sub(.rsp, 56)                     // 6 argument slots + the saved rsp; keeps 16-byte alignment
            for k in 0..<6 { a.mov(.qword(.rsp, Int32(8 * k)), 0) }
            a.mov(.qword(.rsp, 48), .rsp)
            for (r, s) in zip(saved, sentinels) { a.mov(r, s) }
            a.mov(.rdi, Int64(bitPattern: innerContext.contextAddress))
            a.mov(.rsi, Int64(bitPattern: UInt64(UInt(bitPattern: inner.address))))
            a.mov(.rdx, .rsp)
            a.call(address: NativeContext.entryTrampolineAddress, via: .rax)
            a.xor(.ecx, .ecx)
            for (k, (r, s)) in zip(saved, sentinels).enumerated() {
                a.mov(.r11, s)
                a.cmp(r, .r11)
                a.setcc(.ne, .dl)
                a.movzx(.edx, .dl)
                a.shl(.edx, UInt8(k))
                a.or(.ecx, .edx)
            }
            a.cmp(.rsp, .qword(.rsp, 48))
            a.setcc(.ne, .dl)
            a.movzx(.edx, .dl)
            a.shl(.edx, 6)
            a.or(.ecx, .edx)
            a.mov(.eax, .ecx)
            a.add(.rsp, 56)
            for r in saved.reversed() { a.pop(r) }
            a.ret()
        }
        for _ in 0..<100 {
            #expect(try outerContext.call(probe.address, arguments: [], io: ProgramIO()) == .returned(0))
            let block = try #require(UnsafeRawPointer(bitPattern: UInt(innerContext.contextAddress)))
            #expect(block.load(fromByteOffset: Int(ContextLayout.trapped), as: UInt64.self) == 1)
            #expect(block.load(fromByteOffset: Int(ContextLayout.trapSite), as: Int64.self) == 4242)
        }
    }

    @Test func putByteAndGetByteReachProgramIO() throws {
        let ctx = try NativeContext(memorySize: 0)
        // while (c = getbyte()) != -1 { putbyte(c + 1) }; return c
        let code = try Self.load { a in
            let loop = a.newLabel(), done = a.newLabel()
            a.push(.rbx)
            a.bind(loop)
            a.mov(.rdi, Int64(bitPattern: ctx.contextAddress))
            a.call(address: NativeContext.getByteAddress, via: .rax)
            a.cmp(.rax, -1)
            a.jcc(.e, done)
            a.lea(.rsi, .ptr(.rax, 1))
            a.mov(.rdi, Int64(bitPattern: ctx.contextAddress))
            a.call(address: NativeContext.putByteAddress, via: .rax)
            a.jmp(loop)
            a.bind(done)
            a.pop(.rbx)
            a.ret()
        }
        let io = ProgramIO(input: .bytes(Array("HAL\u{0}".utf8)), output: .capture)
        #expect(try ctx.call(code.address, arguments: [], io: io) == .returned(-1))
        #expect(io.allOutput == Array("IBM\u{1}".utf8))
        // putbyte writes only the low 8 bits.
        let wide = try Self.load { a in
            a.push(.rbx)
            a.mov(.rdi, Int64(bitPattern: ctx.contextAddress))
            a.mov(.rsi, 0x1234_5641)
            a.call(address: NativeContext.putByteAddress, via: .rax)
            a.pop(.rbx)
            a.ret()
        }
        let io2 = ProgramIO()
        _ = try ctx.call(wide.address, arguments: [], io: io2)
        #expect(io2.allOutput == [0x41])
    }

    #if os(Linux) && arch(x86_64)
    /// The x86 backend puts the memory's address in displacements when it lies in the low 2 GiB:
    /// a memory that fits there is mapped there; one that does not still maps, anywhere.
    @Test func memoryLiesInTheLow2GiBWhenItFits() throws {
        let small = try NativeContext(memorySize: 1 << 20, guardBytes: 1 << 20)
        #expect(small.memoryAddress + UInt64(small.memorySize + small.guardBytes) <= 1 << 31)
        let large = try NativeContext(memorySize: 3 << 29)
        #expect(large.memorySize == 3 << 29)
        #expect(large.memoryAddress + UInt64(large.memorySize) > 1 << 31)
    }
    #endif

    @Test func memoryIsStableAndZeroedBeforeEveryCall() throws {
        let ctx = try NativeContext(memorySize: 100)
        let base = ctx.memoryBase
        #expect(ctx.memoryAddress == UInt64(UInt(bitPattern: base)))
        // rax = mem[99]; mem[99] = 0x7F; mem[0] = rdi
        let code = try Self.load { a in
            a.mov(.rcx, Int64(bitPattern: ctx.memoryAddress))
            a.movzx(.eax, .byte(.rcx, 99))
            a.mov(.byte(.rcx, 99), 0x7F)
            a.mov(.byte(.rcx), .dil)
            a.ret()
        }
        for run in 1...3 {
            #expect(try ctx.call(code.address, arguments: [Int64(run)], io: ProgramIO()) == .returned(0))
            let snapshot = ctx.memorySnapshot()
            #expect(snapshot.count == 100)
            #expect(snapshot[0] == UInt8(run) && snapshot[99] == 0x7F && snapshot[1..<99].allSatisfy { $0 == 0 })
            #expect(ctx.memoryBase == base)
        }
        let block = try #require(UnsafeRawPointer(bitPattern: UInt(ctx.contextAddress)))
        #expect(block.load(fromByteOffset: Int(ContextLayout.memoryBase), as: UInt64.self) == ctx.memoryAddress)
    }

    /// A memory large enough to be cleared by discarding its pages reads as zero again on every run,
    /// at both ends and in the middle, and stays at the same address.
    @Test func largeMemoryIsZeroedBeforeEveryCall() throws {
        let size = NativeContext.discardThreshold * 4 + 5
        let ctx = try NativeContext(memorySize: size)
        let base = ctx.memoryBase
        let offsets: [Int32] = [0, Int32(size / 2), Int32(size - 1)]
        // rax = sum of the three bytes; then each becomes rdi.
        let code = try Self.load { a in
            a.mov(.rcx, Int64(bitPattern: ctx.memoryAddress))
            a.xor(.eax, .eax)
            for o in offsets {
                a.movzx(.edx, .byte(.rcx, o))
                a.add(.rax, .rdx)
                a.mov(.byte(.rcx, o), .dil)
            }
            a.ret()
        }
        for run in 1...3 {
            #expect(try ctx.call(code.address, arguments: [Int64(run)], io: ProgramIO()) == .returned(0))
            let snapshot = ctx.memorySnapshot()
            #expect(offsets.allSatisfy { snapshot[Int($0)] == UInt8(run) })
            #expect(snapshot.filter { $0 != 0 }.count == 3)
            #expect(ctx.memoryBase == base)
        }
    }

    /// f(n) = n == 0 ? 0 : 1 + f(n - 1), one real call per level; at depth `trapAt` it traps instead.
    static func recursive(context: UInt64, trapAt: Int64?) throws -> ExecutableMemory {
        try load { a in
            let f = a.newLabel(), base = a.newLabel()
            a.bind(f)
            if let trapAt {
                let go = a.newLabel()
                a.cmp(.rdi, trapAt)
                a.jcc(.ne, go)
                a.mov(.rdi, Int64(bitPattern: context))
                a.mov(.esi, 7)
                a.call(address: NativeContext.trapAddress, via: .rax)
                a.bind(go)
            }
            a.test(.rdi, .rdi)
            a.jcc(.e, base)
            a.push(.rdi)
            a.sub(.rdi, 1)
            a.call(f)
            a.pop(.rdi)
            a.add(.rax, 1)
            a.ret()
            a.bind(base)
            a.xor(.eax, .eax)
            a.ret()
        }
    }

    @Test func deepRecursionRunsOnTheLargeStack() throws {
        let ctx = try NativeContext(memorySize: 0)
        let code = try Self.recursive(context: ctx.contextAddress, trapAt: nil)
        #expect(try ctx.call(code.address, arguments: [1_000_000], io: ProgramIO()) == .returned(1_000_000))
        // A trap at the bottom of a deep recursion unwinds everything at once.
        let trapping = try Self.recursive(context: ctx.contextAddress, trapAt: 1)
        #expect(try ctx.call(trapping.address, arguments: [1_000_000], io: ProgramIO()) == .trapped(site: 7))
        #expect(try ctx.call(code.address, arguments: [10], io: ProgramIO()) == .returned(10))
    }

    @Test func stackLimitLeavesRoomBelowTheEntry() throws {
        let ctx = try NativeContext(memorySize: 0)
        // rax = rsp - [ctx + stackLimit]
        let code = try Self.load { a in
            a.mov(.rcx, Int64(bitPattern: ctx.contextAddress))
            a.mov(.rax, .rsp)
            a.sub(.rax, .qword(.rcx, ContextLayout.stackLimit))
            a.ret()
        }
        guard case .returned(let room) = try ctx.call(code.address, arguments: [], io: ProgramIO()) else {
            Issue.record("no return")
            return
        }
        #expect(room > Int64(NativeContext.stackSize / 2))
        #expect(room <= Int64(NativeContext.stackSize - NativeContext.stackSafetyMargin))
        #expect(NativeContext.stackSize >= 256 << 20)
    }

    /// When no thread with the big stack can start, `call` throws instead of running the code on
    /// the caller's stack, where the recursion rule could not hold.
    @Test func noThreadIsAnErrorNotARunOnTheCallersStack() throws {
        let ctx = try NativeContext(memorySize: 0)
        let code = try Self.load { a in
            a.mov(.rax, 1)
            a.ret()
        }
        #expect(try ctx.call(code.address, arguments: [], io: ProgramIO()) == .returned(1))
        let impossible = Int.max / 2  // far beyond the address space: the thread cannot start
        #expect {
            _ = try ctx.call(code.address, arguments: [], io: ProgramIO(), stackSize: impossible)
        } throws: { error in
            guard case .threadUnavailable(let size, _) = error as? NativeRuntimeError else { return false }
            return size == impossible
        }
    }

    @Test func hookAddressesAreDistinctAndNonZero() {
        let addresses = [NativeContext.putByteAddress, NativeContext.getByteAddress, NativeContext.trapAddress,
                         NativeContext.entryTrampolineAddress]
        #expect(addresses.allSatisfy { $0 != 0 })
        #expect(Set(addresses).count == 4)
    }
}
