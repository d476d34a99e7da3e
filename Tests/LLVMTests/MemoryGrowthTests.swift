#if canImport(Glibc)
import Glibc
#endif
import Foundation
import JitIR
import LLVMBackend
import Testing

/// Compiling and dropping programs over and over must not leak: every module's LLVM context,
/// JIT code (resource tracker or MCJIT engine) and native context is freed with the program.
@Suite(.serialized) struct MemoryGrowthTests {
    /// A loop with a checked add, a bounds check, memory traffic and a call; writes "ok".
    private func module(_ k: Int) throws -> Module {
        var b = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        let n = b.parameter(0)
        let total = b.copy(.i64, .imm(Int64(k)))
        let p = b.copy(.i64, .imm(0))
        let test = b.newBlock("test"), body = b.newBlock("body"), done = b.newBlock("done")
        b.jump(test)
        b.position(at: test)
        b.branch(.reg(b.compare(.sgt, .i64, .reg(n), .imm(0))), body, done)
        b.position(at: body)
        b.trapIf(.reg(b.compare(.ugt, .i64, .reg(p), .imm(15))), .outOfBounds)
        let cell = b.load(.i8, base: p, offset: 0)
        b.store(.i8, .reg(b.binary(.add, .i8, .reg(cell), .imm(1))), base: p, offset: 0)
        b.assign(total, .reg(b.binary(.add, .i64, .reg(total), .reg(n), checked: true)))
        b.assign(n, .reg(b.binary(.sub, .i64, .reg(n), .imm(1))))
        b.jump(test)
        b.position(at: done)
        b.call("emit", [.imm(Int64(UInt8(ascii: "o")))], result: nil)
        b.call("emit", [.imm(Int64(UInt8(ascii: "k")))], result: nil)
        b.ret(.reg(total))

        var e = FunctionBuilder(name: "emit", parameters: [.i8])
        e.hostCall(.putByte, [.reg(e.parameter(0))])
        e.ret(nil)
        return Module(sourceFile: "cycle.ir", memorySize: 16, functions: [try b.finish(), try e.finish()])
    }

    /// Resident set size, from /proc/self/statm.
    private static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Bytes of anonymous executable mappings: JIT code, which a leaked module keeps mapped.
    private static func executableAnonymousBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return 0 }
        var total = 0
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count == 5, f[1].contains("x"), f[4] == "0" else { continue }  // no path: anonymous
            let range = f[0].split(separator: "-").compactMap { UInt(String($0), radix: 16) }
            if range.count == 2 { total += Int(range[1] - range[0]) }
        }
        return total
    }

    /// The smallest of a few readings a few cycles apart, so memory that tests running in
    /// parallel hold for a moment does not count.
    private func settled(_ cycle: () throws -> Void) rethrows -> (resident: Int, code: Int) {
        var resident: [Int] = [], code: [Int] = []
        for _ in 0..<5 {
            for _ in 0..<4 { try cycle() }
            resident.append(Self.residentBytes())
            code.append(Self.executableAnonymousBytes())
        }
        return (resident.min()!, code.min()!)
    }

    /// ORC, the default engine, for the full thousand cycles; MCJIT, whose leaks would be far
    /// larger (a whole engine per module), for fewer.
    @Test(arguments: [(LLVMEngineKind.orc, 1_000), (.mcjit, 400)])
    func compileRunCyclesDoNotGrowMemory(engine: LLVMEngineKind, cycles: Int) throws {
        let backend = LLVMBackend(optLevel: 2, engine: engine)
        try IRVerifier.verify(module(0))
        var count = 0
        func cycle() throws {
            count += 1
            let program = try backend.compile(module(count))
            let io = ProgramIO()
            let result = try program.run("main", arguments: [10], io: io)
            #expect(result.value == Int64(count + 55))
            #expect(io.allOutput == Array("ok".utf8))
        }
        for _ in 0..<100 { try cycle() }
        let warm = try settled(cycle)
        while count < cycles - 20 { try cycle() }
        let end = try settled(cycle)
        #expect(count == cycles)
        let leaked = cycles - 120
        // Each leaked module would keep at least a page of code mapped.
        #expect(end.code - warm.code < leaked * 4096 / 4,
                "JIT code mappings grew by \((end.code - warm.code) >> 10) KiB over \(leaked) cycles with \(engine)")
        // Other suites run in this process at the same time and move resident memory by tens
        // of MiB (seen: 26 MiB on a loaded CI machine), so this bound only catches big leaks
        // (an undisposed MCJIT engine per cycle grows ~330 MB); the mapping check above is the fine one.
        #expect(end.resident - warm.resident < 96 << 20,
                "resident memory grew by \((end.resident - warm.resident) >> 10) KiB over \(leaked) cycles with \(engine)")
    }
}
