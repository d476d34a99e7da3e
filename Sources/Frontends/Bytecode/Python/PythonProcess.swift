import Foundation
import JitIR

/// Runs the exporter under a Python interpreter and decodes what it prints.
enum PythonProcess {
    /// `python` is a path, or a command name looked up in `PATH`.
    static func export(file path: String, python: String) throws -> CPythonExport {
        guard let executable = ExecutableSearch.find(python) else {
            throw SourceError(file: path, loc: .unknown,
                              message: "cannot run '\(python)': no such executable (give the Python interpreter's path)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // -I: ignore the environment and user site-packages; -S: no site import (faster start).
        process.arguments = ["-I", "-S", "-c", ExporterScript.source, path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw SourceError(file: path, loc: .unknown, message: "cannot run '\(executable)': \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let messages = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: messages, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let last = text.split(separator: "\n").last.map(String.init) ?? "no message"
            throw SourceError(file: path, loc: .unknown,
                              message: "'\(executable)' failed to export the bytecode (status \(process.terminationStatus)): \(last)")
        }
        do {
            return try JSONDecoder().decode(CPythonExport.self, from: data)
        } catch {
            throw SourceError(file: path, loc: .unknown,
                              message: "'\(executable)' printed something that is not the exporter's JSON: \(error)")
        }
    }
}
