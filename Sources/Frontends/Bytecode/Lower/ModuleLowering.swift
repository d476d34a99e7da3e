import JitIR

extension BytecodeFrontend {
    /// Bytes of module memory a lowered module uses: the call-depth counter at address 0.
    public static let loweredMemorySize = 8

    /// Verifies `m` and lowers it to an IR module of the same functions
    /// (parameters and result i64) with `memorySize` 8 for the call-depth counter.
    /// Every IR instruction carries the position of the bytecode instruction it came from.
    /// - Throws: `SourceError` when verification fails.
    public static func lower(_ m: BytecodeModule) throws -> Module {
        let verified = try BytecodeVerifier.verify(m)
        let names = Set(m.functions.map(\.name))
        var out = Module(sourceFile: m.sourceFile, memorySize: loweredMemorySize)
        for vf in verified {
            var lowering = FunctionLowering(vf, file: m.sourceFile, moduleFunctions: names)
            out.functions.append(try lowering.lower())
        }
        return out
    }
}
