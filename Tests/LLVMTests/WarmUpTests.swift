import BFFrontend
import JitIR
import LLVMBackend
import Testing

/// `warmUpInBackground` makes the shared JIT on another thread while compiles may already be
/// waiting for it: they must get the same JIT, with the runtime hooks bound, and never deadlock.
@Suite struct WarmUpTests {
    @Test func compilesDuringAndAfterTheWarmUpRunCorrectly() async throws {
        let module = try BFFrontend.compile(source: Array("++++++++[>++++++++<-]>+.+.".utf8), file: "warm.bf",
                                            options: BFOptions())
        let backend = LLVMBackend(optLevel: 3, engine: .orc)
        backend.warmUpInBackground()
        backend.warmUpInBackground()  // a second request while the first runs is ignored
        let outputs = await withTaskGroup(of: [UInt8]?.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let io = ProgramIO(output: .capture)
                    guard let result = try? backend.compile(module).run("main", io: io), result.trap == nil else { return nil }
                    return io.allOutput
                }
            }
            return await group.reduce(into: [[UInt8]?]()) { $0.append($1) }
        }
        LLVMBackend.finishWarmUp()
        LLVMBackend.finishWarmUp()  // nothing left to wait for
        #expect(outputs == Array(repeating: Array("AB".utf8), count: 4))
    }

    @Test func mcjitNeedsNoWarmUp() throws {
        let module = try BFFrontend.compile(source: Array("+++++++[>++++++++++<-]>.".utf8), file: "warm.bf",
                                            options: BFOptions())
        let backend = LLVMBackend(optLevel: 1, engine: .mcjit)
        backend.warmUpInBackground()
        LLVMBackend.finishWarmUp()
        let io = ProgramIO(output: .capture)
        #expect(try backend.compile(module).run("main", io: io).trap == nil)
        #expect(io.allOutput == Array("F".utf8))
    }
}
