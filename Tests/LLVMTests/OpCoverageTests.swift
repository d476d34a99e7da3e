import JitIR
import LLVMBackend
import Testing

/// Every IR operation, type and trap agrees with the interpreter, at O0 and O2, on both engines.
@Suite struct OpCoverageTests {
    @Test(arguments: LLVMConfiguration.all)
    func binaryOperatorsAgreeWithInterpreter(configuration: LLVMConfiguration) throws {
        let (module, runs) = try OpCoverageModules.binary()
        try IRVerifier.verify(module)
        let problems = try differences(module, runs, backend: configuration.backend)
        #expect(problems.isEmpty, "\(configuration): \(problems.prefix(20).joined(separator: "\n"))")
    }

    @Test(arguments: LLVMConfiguration.all)
    func unaryCompareSelectConvertAgreeWithInterpreter(configuration: LLVMConfiguration) throws {
        let (module, runs) = try OpCoverageModules.unaryCompareSelectConvert()
        try IRVerifier.verify(module)
        let problems = try differences(module, runs, backend: configuration.backend)
        #expect(problems.isEmpty, "\(configuration): \(problems.prefix(20).joined(separator: "\n"))")
    }

    @Test(arguments: LLVMConfiguration.all)
    func memoryCallsHooksAndTrapsAgreeWithInterpreter(configuration: LLVMConfiguration) throws {
        let (module, runs) = try OpCoverageModules.memoryCallsAndTraps()
        try IRVerifier.verify(module)
        let problems = try differences(module, runs, backend: configuration.backend)
        #expect(problems.isEmpty, "\(configuration): \(problems.prefix(20).joined(separator: "\n"))")
    }

    /// The trap sites really are distinct: a checked add that overflows reports its own position.
    @Test func trapCarriesKindPositionAndFunction() throws {
        var b = FunctionBuilder(name: "inc", parameters: [.i8], result: .i8)
        b.loc = SourceLoc(line: 7, column: 3)
        let r = b.binary(.add, .i8, .reg(b.parameter(0)), .imm(1), checked: true)
        b.ret(.reg(r))
        let program = try LLVMBackend().compile(Module(sourceFile: "inc.ir", functions: [try b.finish()]))
        let result = try program.run("inc", arguments: [127], io: ProgramIO())
        #expect(result.trap == Trap(kind: .overflow, loc: SourceLoc(line: 7, column: 3), function: "inc"))
        #expect(result.value == nil)
        #expect(try program.run("inc", arguments: [126], io: ProgramIO()).value == 127)
    }
}

/// Unbounded recursion ends in a `recursion_limit` trap at the recursive call, not a crash;
/// the deepest recursion the IR allows (`CallDepth.limit` activations) returns.
@Suite struct RecursionLimitTests {
    /// `deep(n) = n == 0 ? 0 : deep(n - 1) * 3 + n` — not a tail call, so the stack really grows.
    private func deepModule() throws -> Module {
        var b = FunctionBuilder(name: "deep", parameters: [.i64], result: .i64)
        let n = b.parameter(0)
        let base = b.newBlock("base"), recurse = b.newBlock("recurse")
        b.branch(.reg(b.compare(.eq, .i64, .reg(n), .imm(0))), base, recurse)
        b.position(at: base)
        b.ret(.imm(0))
        b.position(at: recurse)
        let m = b.binary(.sub, .i64, .reg(n), .imm(1))
        b.loc = SourceLoc(line: 4, column: 2)
        let r = b.call("deep", [.reg(m)], result: .i64)!
        b.loc = .unknown
        let t = b.binary(.mul, .i64, .reg(r), .imm(3))
        b.ret(.reg(b.binary(.add, .i64, .reg(t), .reg(n))))
        return Module(sourceFile: "deep.ir", functions: [try b.finish()])
    }

    @Test(arguments: LLVMConfiguration.all)
    func deepRecursionTrapsAtTheCall(configuration: LLVMConfiguration) throws {
        let program = try configuration.backend.compile(deepModule())
        let shallow = try program.run("deep", arguments: [Int64(CallDepth.limit - 1)], io: ProgramIO())
        #expect(shallow.trap == nil)
        let result = try program.run("deep", arguments: [1 << 40], io: ProgramIO())
        #expect(result.trap == Trap(kind: .recursionLimit, loc: SourceLoc(line: 4, column: 2), function: "deep"))
    }
}
