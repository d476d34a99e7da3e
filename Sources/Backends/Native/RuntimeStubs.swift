/// The process-wide machine-code stubs of the native runtime: the entry
/// trampoline that `NativeContext.call` goes through, and the trap hook that
/// unwinds back out of it. Assembled once with our own assembler.
final class RuntimeStubs: Sendable {
    /// C ABI: `int64 entry(ctx, code, const int64 args[6])`.
    typealias EntryFunction = @convention(c) (UnsafeMutableRawPointer, UnsafeRawPointer, UnsafePointer<Int64>) -> Int64

    let memory: ExecutableMemory
    let entryOffset: Int
    let trapOffset: Int

    /// The stubs, or why they could not be built.
    static let shared: Result<RuntimeStubs, NativeRuntimeError> = {
        do {
            return .success(try RuntimeStubs())
        } catch let error as NativeRuntimeError {
            return .failure(error)
        } catch {
            return .failure(.stubsUnavailable("\(error)"))
        }
    }()

    static let calleeSaved: [Reg] = [.rbx, .rbp, .r12, .r13, .r14, .r15]
    static let argumentRegisters: [Reg] = [.rdi, .rsi, .rdx, .rcx, .r8, .r9]

    private init() throws {
        var a = Assembler()
        let entry = a.newLabel(), exit = a.newLabel(), trap = a.newLabel()

        // entry(rdi = ctx, rsi = code, rdx = args)
        a.bind(entry)
        for r in Self.calleeSaved { a.push(r) }
        // Return address + 6 pushes = 56 bytes: 8 more keeps rsp 16-byte aligned at the call below.
        a.sub(.rsp, 8)
        a.mov(.qword(.rdi, ContextLayout.savedStackPointer), .rsp)
        a.mov(.qword(.rdi, ContextLayout.trapped), 0)
        // Code that keeps the call budget in a register (the x86 backend's modules with calls)
        // finds it in r14; other code treats r14 as any callee-saved register.
        a.mov(.r14, .qword(.rdi, ContextLayout.callBudget))
        a.mov(.r11, .rsi)
        a.mov(.r10, .rdx)
        for (i, r) in Self.argumentRegisters.enumerated() { a.mov(r, .qword(.r10, Int32(i * 8))) }
        a.call(.r11)
        a.bind(exit)
        a.add(.rsp, 8)
        for r in Self.calleeSaved.reversed() { a.pop(r) }
        a.ret()

        // trap(rdi = ctx, rsi = site): noreturn; drops every native frame at once.
        a.align(16)
        a.bind(trap)
        a.mov(.qword(.rdi, ContextLayout.trapSite), .rsi)
        a.mov(.qword(.rdi, ContextLayout.trapped), 1)
        a.mov(.rsp, .qword(.rdi, ContextLayout.savedStackPointer))
        a.xor(.eax, .eax)
        a.jmp(exit)

        let code = try a.finish()
        memory = try ExecutableMemory(code: code)
        entryOffset = a.offset(of: entry)!
        trapOffset = a.offset(of: trap)!
    }

    var entry: EntryFunction {
        unsafeBitCast(memory.address(at: entryOffset), to: EntryFunction.self)
    }

    var trapAddress: UInt64 { memory.baseAddress + UInt64(trapOffset) }
}
