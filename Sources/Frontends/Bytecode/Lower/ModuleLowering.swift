import JitIR

extension BytecodeFrontend {
    /// Verifies `m` and lowers it to an IR module of the same functions
    /// (parameters and result i64) and no memory. Recursion deeper than Python allows is the
    /// IR's own rule (`CallDepth`), so the lowering counts nothing itself.
    /// Every IR instruction carries the position of the bytecode instruction it came from.
    /// - Throws: `SourceError` when verification fails.
    public static func lower(_ m: BytecodeModule) throws -> Module {
        let verified = try BytecodeVerifier.verify(m)
        let names = Set(m.functions.map(\.name))
        var out = Module(sourceFile: m.sourceFile, memorySize: 0)
        for vf in verified {
            var lowering = FunctionLowering(vf, file: m.sourceFile, moduleFunctions: names)
            out.functions.append(try lowering.lower())
        }
        return out
    }
}
