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

extension BytecodeFrontend {
    /// Imports the function `entry` of the Python file at `path`, and every
    /// function of the file it calls, transitively. `python` (a path, or a
    /// command looked up in `PATH`; CPython 3.10 to 3.13) compiles the file —
    /// without running it — and exports its bytecode with `dis`. Only the
    /// imported functions must keep to the supported subset (docs/bytecode.md).
    /// The module is verified before it is returned.
    /// - Throws: `SourceError` naming `path`, at the line and column of the
    ///   offending construct (`unsupported ...`), or without a position when
    ///   Python cannot be run or the file has no such function.
    public static func importPython(file path: String, python: String = "python3", entry: String) throws -> BytecodeModule {
        try PythonSource.load(file: path, python: python).module(entry: entry)
    }
}

/// A Python file compiled and exported once, from which several entry
/// functions can be imported without starting Python again.
public struct PythonSource: Sendable {
    /// The file path, as given.
    public let file: String
    /// The version of the Python that exported the bytecode, as (major, minor, micro).
    public let pythonVersion: [Int]
    let export: CPythonExport

    /// Runs `python` on `path` (see `BytecodeFrontend.importPython`).
    public static func load(file path: String, python: String = "python3") throws -> PythonSource {
        let export = try PythonProcess.export(file: path, python: python)
        if let e = export.error {
            let loc = e.line.map { SourceLoc(line: $0, column: e.col ?? 0) } ?? .unknown
            throw SourceError(file: path, loc: loc, message: e.message)
        }
        return PythonSource(file: path, pythonVersion: export.version, export: export)
    }

    /// The names bound by plain top-level `def` statements.
    public var functionNames: [String] { export.functions.map(\.name) }

    /// The verified module of `entry` and the functions it calls.
    public func module(entry: String) throws -> BytecodeModule {
        let m = try CPythonTranslator(export: export, file: file).translate(entry: entry)
        try BytecodeFrontend.verify(m)
        return m
    }
}
