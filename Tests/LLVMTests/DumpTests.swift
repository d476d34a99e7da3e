import JitIR
import LLVMBackend
import Testing

/// `jitctl dump` material: LLVM IR before and after the passes, and machine code per function.
@Suite struct DumpTests {
    /// `@sum(n)`: a checked accumulation loop, plus `@twice`, which `@sum` calls.
    private func module() throws -> Module {
        var t = FunctionBuilder(name: "twice", parameters: [.i64], result: .i64)
        t.ret(.reg(t.binary(.shl, .i64, .reg(t.parameter(0)), .imm(1))))

        var b = FunctionBuilder(name: "sum", parameters: [.i64], result: .i64)
        let n = b.parameter(0)
        let total = b.copy(.i64, .imm(0))
        let i = b.copy(.i64, .imm(0))
        let test = b.newBlock("test"), body = b.newBlock("body"), done = b.newBlock("done")
        b.jump(test)
        b.position(at: test)
        b.branch(.reg(b.compare(.slt, .i64, .reg(i), .reg(n))), body, done)
        b.position(at: body)
        b.loc = SourceLoc(line: 3, column: 1)
        b.assign(total, .reg(b.binary(.add, .i64, .reg(total), .reg(i), checked: true)))
        b.assign(i, .reg(b.binary(.add, .i64, .reg(i), .imm(1))))
        b.jump(test)
        b.position(at: done)
        let r = b.call("twice", [.reg(total)], result: .i64)!
        b.ret(.reg(r))
        return Module(sourceFile: "sum.ir", functions: [try t.finish(), try b.finish()])
    }

    @Test func irBeforePassesKeepsRegistersInAllocas() throws {
        let text = try LLVMBackend.llvmIR(for: module(), optLevel: 2, stage: .beforePasses)
        #expect(text.contains("alloca i64"))
        #expect(text.contains("define internal i64 @sum(i64"))
        #expect(text.contains(" @jitctl.entry.sum(i64"))
        #expect(text.contains("@llvm.sadd.with.overflow.i64"))
        #expect(text.contains("declare void @jitctl.trap(i64, i64)"))
        #expect(text.contains("call void @jitctl.trap(i64"))
    }

    @Test func irAfterPassesIsPromotedAndInlined() throws {
        let before = try LLVMBackend.llvmIR(for: module(), optLevel: 2, stage: .beforePasses)
        let after = try LLVMBackend.llvmIR(for: module(), optLevel: 2, stage: .afterPasses)
        #expect(!after.contains("alloca"))
        #expect(after.contains("phi i64"))
        #expect(after.contains(" @jitctl.entry.sum(i64"))
        #expect(after != before)
        // O0 leaves the allocas alone.
        #expect(try LLVMBackend.llvmIR(for: module(), optLevel: 0, stage: .afterPasses).contains("alloca i64"))
    }

    @Test(arguments: [0, 2])
    func machineCodeHasTheEntryFunctions(optLevel: Int) throws {
        let code = try LLVMBackend.machineCode(for: module(), optLevel: optLevel)
        let names = code.map(\.function)
        #expect(names.contains("jitctl.entry.sum"))
        #expect(names.contains("jitctl.entry.twice"))
        for (name, bytes) in code {
            #expect(!bytes.isEmpty, "\(name) has no bytes")
            #expect(bytes.contains(0xC3), "\(name) has no ret")  // ret; every function here returns
        }
    }

    @Test func compileRecordsPhaseTimings() throws {
        let backend = LLVMBackend(optLevel: 2)
        #expect(backend.lastTimings == nil)
        let program = try #require(try backend.compile(module()) as? LLVMCompiledProgram)
        let timings = try #require(backend.lastTimings)
        #expect(timings == program.timings)
        #expect(timings.lowering > .zero && timings.passes > .zero && timings.codegen > .zero)
        #expect(try program.run("sum", arguments: [10], io: ProgramIO()).value == 90)
    }
}
