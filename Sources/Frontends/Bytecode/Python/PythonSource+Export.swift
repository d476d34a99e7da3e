import JitIR

/// The in-process way into the Python import, for embedders that already run CPython (the
/// `jitctl` Python package): they run the exporter's own text on live code objects and hand
/// the JSON over, instead of jitctl starting a Python process.
public enum CPythonExporter {
    /// The Python source of the exporter (`ExporterScript`). Run as `__main__` it exports a file
    /// given as `sys.argv[1]`; imported under another name it only defines its functions, of
    /// which `export_function(name, code, lines)` exports one code object.
    public static var script: String { ExporterScript.source }
}

extension PythonSource {
    /// A source read from the exporter's JSON document (the output of `CPythonExporter.script`,
    /// or a document an embedder built with its `export_function`). `file` names the source in
    /// diagnostics.
    /// - Throws: `SourceError` naming `file` when the document is not the exporter's JSON, or
    ///   reports an error of its own (an unsupported Python version, a syntax error).
    public init(exportJSON: [UInt8], file: String) throws {
        let export: CPythonExport
        do {
            export = try CPythonExport(json: exportJSON)
        } catch {
            throw SourceError(file: file, loc: .unknown, message: "not the exporter's JSON: \(error)")
        }
        if let e = export.error {
            let loc = e.line.map { SourceLoc(line: $0, column: e.col ?? 0) } ?? .unknown
            throw SourceError(file: file, loc: loc, message: e.message)
        }
        self.init(file: file, pythonVersion: export.version, export: export)
    }
}
