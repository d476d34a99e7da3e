import JitIR
import LLVMBackend
import Testing

/// Trap sites share trap blocks, a few hundred per block: a trap at any site of a function
/// with many of them must still report that site's position.
struct TrapBlockTests {
    /// `@f(x)` adds 1 with overflow checks 600 times; `x = Int64.max - k` overflows at add k + 1.
    static func module() throws -> Module {
        var f = FunctionBuilder(name: "f", parameters: [.i64], result: .i64)
        var x = f.parameter(0)
        for k in 0..<600 {
            f.loc = SourceLoc(line: k + 1, column: 3)
            x = f.binary(.add, .i64, .reg(x), .imm(1), checked: true)
        }
        f.ret(.reg(x))
        return Module(functions: [try f.finish()])
    }

    @Test(arguments: LLVMConfiguration.all)
    func everySiteReportsItsOwnPosition(_ configuration: LLVMConfiguration) throws {
        let program = try configuration.backend.compile(try Self.module())
        for k in [0, 255, 256, 511, 512, 599] {
            let result = try program.run("f", arguments: [Int64.max - Int64(k)], io: ProgramIO())
            #expect(result.trap?.loc == SourceLoc(line: k + 1, column: 3), "overflow at add \(k + 1)")
        }
        #expect(try program.run("f", arguments: [0], io: ProgramIO()).value == 600)
    }
}
