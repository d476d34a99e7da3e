import JitIR

/// The stack-bytecode frontend: reads `.sbc` text or imports Python functions
/// through CPython's `dis`, verifies the bytecode, and lowers it to the shared IR.
public enum BytecodeFrontend {
    /// Parses the `.sbc` text format (docs/bytecode.md). `file` names the text in diagnostics.
    /// - Throws: `SourceError` at the offending position.
    public static func parse(sbc text: String, file: String) throws -> BytecodeModule {
        try SBCParser(file: file).parse(text)
    }

    /// The module in `.sbc` text form.
    public static func print(_ m: BytecodeModule) -> String { SBCPrinter.print(m) }

    /// Checks stack depths, jump targets, calls and that locals are assigned before use.
    /// - Throws: `SourceError` at the first problem.
    public static func verify(_ m: BytecodeModule) throws {
        _ = try BytecodeVerifier.verify(m)
    }
}
