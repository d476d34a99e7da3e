import ArgumentParser
import Foundation
import JitCtl
import JitCtlRun
import JitIR

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run one program on several backends, diff their outcomes and time each phase.",
        discussion: """
            Every backend gets the same input. Stdout bytes, the returned value, the trap and the exit status \
            must agree; otherwise the first difference is shown and the exit status is 1. Timings are split into \
            frontend+lowering, IR optimisation, backend compile and run, each as mean ± σ and min … max over --runs.
            """
    )

    @OptionGroup var program: ProgramArguments
    @OptionGroup var backendArguments: BackendArguments

    @Option(help: ArgumentHelp("A file fed as standard input to every run (default: empty input).", valueName: "file"))
    var input: String?

    @Option(help: ArgumentHelp("Comma-separated backends to compare; the first is the reference.", valueName: "list"))
    var backends: String = "x86,llvm"

    @Option(parsing: .unconditional, help: "Measured runs per backend, 1 to 1000000.")
    var runs: Int = 5

    @Option(parsing: .unconditional, help: "Unmeasured runs per backend before the measured ones, 0 to 1000000.")
    var warmup: Int = 1

    @Option(name: .customLong("export-json"), help: ArgumentHelp("Write the results as JSON to this file.", valueName: "file"))
    var exportJSON: String?

    @Option(name: .customLong("export-markdown"), help: ArgumentHelp("Write the results as a Markdown table to this file.", valueName: "file"))
    var exportMarkdown: String?

    func validate() throws {
        let most = Comparer.Options.maximumRuns
        guard (1...most).contains(runs) else { throw ValidationError("--runs must be between 1 and \(most) (got \(runs))") }
        guard (0...most).contains(warmup) else { throw ValidationError("--warmup must be between 0 and \(most) (got \(warmup))") }
        _ = try parsedBackends()
    }

    func parsedBackends() throws -> [BackendKind] {
        let names = backends.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var kinds: [BackendKind] = []
        for name in names {
            guard let kind = BackendKind(rawValue: name) else {
                throw ValidationError("unknown backend '\(name)' in --backends (use interp, x86, llvm, auto)")
            }
            guard !kinds.contains(kind) else { throw ValidationError("backend '\(name)' is listed twice in --backends") }
            kinds.append(kind)
        }
        guard !kinds.isEmpty else { throw ValidationError("--backends names no backend") }
        return kinds
    }

    func run() throws {
        try Diagnostics.guarded {
            if try parsedBackends().contains(.llvm) { try LLVMHandOver.ensureLLVM() }
            // Find out now, not after all the runs, that a report cannot be written.
            for path in [exportJSON, exportMarkdown].compactMap({ $0 }) { try checkWritable(path) }
            let inputBytes = try input.map { try SourceFile.read($0, kind: "an input file") } ?? []
            let contenders = try parsedBackends().map { Comparer.Contender($0, options: backendArguments.backendOptions) }
            let progress = ProgressLine()
            let comparison = try Comparer.compare(
                path: program.file, program: program.programOptions, contenders: contenders,
                options: Comparer.Options(runs: runs, warmup: warmup, input: inputBytes),
                progress: progress.isEnabled ? { progress.show($0) } : nil)
            progress.clear()
            print("jitctl compare \(program.file)  (\(runs) runs, \(warmup) warmup per backend)\n")
            print(comparison.table())
            print()
            for line in comparison.summaryLines { print(line) }
            if let json = exportJSON { try writeAtomically(comparison.json(), to: json) }
            if let md = exportMarkdown { try writeAtomically(Data(comparison.markdown().utf8), to: md) }
            if let mismatch = comparison.mismatch {
                print()
                print(mismatch.description)
                throw ExitCode(ExitStatus.mismatch)
            }
            print("outcomes match on all \(contenders.count) backends")
        }
    }

    /// Fails unless `path` names a file (not a directory) in an existing, writable directory.
    private func checkWritable(_ path: String) throws {
        var isDirectory: ObjCBool = false
        let fm = FileManager.default
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw SourceError(file: path, loc: .unknown, message: "cannot write: is a directory") }
            guard fm.isWritableFile(atPath: path) else { throw SourceError(file: path, loc: .unknown, message: "cannot write: permission denied") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        let dir = parent.isEmpty ? "." : parent
        guard fm.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SourceError(file: path, loc: .unknown, message: "cannot write: no such directory '\(dir)'")
        }
        guard fm.isWritableFile(atPath: dir) else {
            throw SourceError(file: path, loc: .unknown, message: "cannot write: directory '\(dir)' is not writable")
        }
    }

    private func writeAtomically(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SourceError(file: path, loc: .unknown, message: "cannot write: \(error.localizedDescription)")
        }
    }
}

/// A one-line status on stderr, redrawn in place; only when stderr is a terminal.
final class ProgressLine {
    let isEnabled = isatty(2) != 0

    func show(_ text: String) {
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    func clear() {
        if isEnabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
