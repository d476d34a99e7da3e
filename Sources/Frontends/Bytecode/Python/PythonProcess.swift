import JitIR

/// Runs the exporter under a Python interpreter and decodes what it prints.
enum PythonProcess {
    /// `python` is a path, or a command name looked up in `PATH`.
    static func export(file path: String, python: String) throws -> CPythonExport {
        guard let executable = ExecutableSearch.find(python) else {
            throw SourceError(file: path, loc: .unknown,
                              message: "cannot run '\(python)': no such executable (give the Python interpreter's path)")
        }
        let finished: ChildProcess
        do {
            // -I: ignore the environment and user site-packages; -S: no site import (faster start).
            finished = try ChildProcess.run(executable, ["-I", "-S", "-c", ExporterScript.source, path])
        } catch {
            throw SourceError(file: path, loc: .unknown, message: "cannot run '\(executable)': \(error.reason)")
        }
        guard finished.status == 0 else {
            var text = Substring(String(decoding: finished.stderr, as: UTF8.self))
            while text.last?.isWhitespace == true { text.removeLast() }
            while text.first?.isWhitespace == true { text.removeFirst() }
            let last = text.split(separator: "\n").last.map(String.init) ?? "no message"
            throw SourceError(file: path, loc: .unknown,
                              message: "'\(executable)' failed to export the bytecode (status \(finished.status)): \(last)")
        }
        do {
            return try CPythonExport(json: finished.stdout)
        } catch {
            throw SourceError(file: path, loc: .unknown,
                              message: "'\(executable)' printed something that is not the exporter's JSON: \(error)")
        }
    }
}
