import ArgumentParser
import Foundation
import JitCtl
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

    @Option(help: "Measured runs per backend.")
    var runs: Int = 5

    @Option(help: "Unmeasured runs per backend before the measured ones.")
    var warmup: Int = 1

    @Option(name: .customLong("export-json"), help: ArgumentHelp("Write the results as JSON to this file.", valueName: "file"))
    var exportJSON: String?

    @Option(name: .customLong("export-markdown"), help: ArgumentHelp("Write the results as a Markdown table to this file.", valueName: "file"))
    var exportMarkdown: String?

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
        _ = try parsedBackends()
    }

    func parsedBackends() throws -> [BackendKind] {
        let names = backends.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var kinds: [BackendKind] = []
        for name in names {
            guard let kind = BackendKind(rawValue: name) else {
                throw ValidationError("unknown backend '\(name)' in --backends (use interp, x86, llvm)")
            }
            guard !kinds.contains(kind) else { throw ValidationError("backend '\(name)' is listed twice in --backends") }
            kinds.append(kind)
        }
        guard !kinds.isEmpty else { throw ValidationError("--backends names no backend") }
        return kinds
    }

    func run() throws {
        try Diagnostics.guarded {
            let inputBytes = try input.map { try SourceFile.read($0) } ?? []
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
