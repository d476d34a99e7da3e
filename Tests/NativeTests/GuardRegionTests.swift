import JitIR
@testable import NativeCode
import Testing

/// Guard regions around a context's memory: a fault there ends the run as `.faulted(pc:)` with the
/// faulting instruction's address, from any depth of native calls, and the context is usable after.
@Suite struct GuardRegionTests {
    static let page = 4096

    /// `mov al, [memoryBase + rdi]` after `depth` nested calls; returns the load's address.
    static func loadAt(_ ctx: NativeContext, depth: Int) throws -> (ExecutableMemory, UInt64) {
        var a = Assembler()
        for _ in 0..<depth {
            let next = a.newLabel()
            a.call(next)
            a.ret()
            a.bind(next)
        }
        a.mov(.rdx, Int64(bitPattern: ctx.memoryAddress))
        let load = a.newLabel()
        a.bind(load)
        a.movzx(.eax, Mem(base: .rdx, index: .rdi, disp: 0, size: .byte))
        a.ret()
        let code = try ExecutableMemory(code: try a.finish())
        return (code, code.baseAddress + UInt64(a.offset(of: load)!))
    }

    @Test(arguments: [0, 3])
    func aLoadInEitherGuardFaultsAtItsInstruction(depth: Int) throws {
        let ctx = try NativeContext(memorySize: Self.page, guardBytes: Self.page)
        let (code, load) = try Self.loadAt(ctx, depth: depth)
        for address: Int64 in [-1, -Int64(Self.page), Int64(Self.page), Int64(2 * Self.page - 1)] {
            #expect(try ctx.call(code.address, arguments: [address], io: ProgramIO()) == .faulted(pc: load), "\(address)")
        }
        // In range, after faults: an ordinary return.
        #expect(try ctx.call(code.address, arguments: [Int64(Self.page - 1)], io: ProgramIO()) == .returned(0))
    }

    @Test func theWholeMemoryIsUsable() throws {
        let ctx = try NativeContext(memorySize: 2 * Self.page, guardBytes: Self.page)
        ctx.memoryBase.storeBytes(of: 7, toByteOffset: 2 * Self.page - 1, as: UInt8.self)
        #expect(ctx.memorySnapshot().last == 7)
        #expect(ctx.guardBytes == Self.page)
        let (code, load) = try Self.loadAt(ctx, depth: 0)
        // The first run finds the byte written before it (fresh memory needs no clearing).
        #expect(try ctx.call(code.address, arguments: [Int64(2 * Self.page - 1)], io: ProgramIO()) == .returned(7))
        #expect(try ctx.call(code.address, arguments: [Int64(2 * Self.page)], io: ProgramIO()) == .faulted(pc: load))
    }

    @Test func runsOnManyThreadsKeepTheirOwnFaults() async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for k in 0..<8 {
                group.addTask {
                    let ctx = try NativeContext(memorySize: Self.page, guardBytes: Self.page)
                    let (code, load) = try Self.loadAt(ctx, depth: k % 3)
                    var ok = true
                    for i in 0..<50 {
                        let outcome = try ctx.call(code.address, arguments: [i % 2 == 0 ? -1 : 5], io: ProgramIO())
                        ok = ok && outcome == (i % 2 == 0 ? .faulted(pc: load) : .returned(0))
                    }
                    return ok
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
