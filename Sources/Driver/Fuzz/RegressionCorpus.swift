import BytecodeFrontend
import Foundation
import JitIR

/// Replays saved reproducers (`Tests/FuzzRegressions`): each file runs on
/// every configuration — LLVM at -O0 and -O2 on both ORC and MCJIT — and
/// the outcomes must agree (and, for Python files with a `# cpython:` line,
/// match CPython's answer). Running out of fuel counts as a failure here: a
/// regression program must finish.
public enum RegressionCorpus {
    public enum Replay: Sendable, Equatable {
        case agree
        case mismatch(String)
        /// The file cannot be replayed here (a `.py` file without a CPython).
        case skipped(String)
    }

    /// The reproducer files of `directory` (`.bf`, `.ir`, `.py`), sorted.
    public static func files(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { ["bf", "ir", "py"].contains(($0 as NSString).pathExtension) }.sorted()
            .map { directory + "/" + $0 }
    }

    /// Replays one file; `python` is needed for `.py` files.
    public static func replay(file: String, python: String?, fuel: Int64 = Fuel.defaultBudget) -> Replay {
        let configs = FuzzConfig.configs(forProgram: 0, all: true)
        do {
            switch (file as NSString).pathExtension {
            case "bf":
                let p = ReproducerFormat.parseBF(try SourceFile.read(file))
                return replay(BFFuzzer.check(p, configs: configs, fuel: fuel, cReference: nil))
            case "ir":
                let p = try ReproducerFormat.parseIR(try SourceFile.readText(file), file: file)
                return replay(DifferentialRunner(configs: configs, fuel: fuel)
                    .run(p.module, entry: p.entry, arguments: p.arguments, input: p.input).verdict)
            case "py":
                guard let python else { return .skipped("no CPython 3.10-3.13 to import \(file)") }
                let (call, expected) = ReproducerFormat.parsePython(try SourceFile.readText(file))
                guard let call else { return .mismatch("\(file) has no '# call:' line") }
                let (entry, arguments) = try BytecodeFrontend.parseCall(call)
                let module = try BytecodeFrontend.lower(try BytecodeFrontend.importPython(file: file, python: python, entry: entry))
                let result = DifferentialRunner(configs: configs, fuel: fuel).run(module, entry: entry, arguments: arguments, input: [])
                if result.verdict == .agree, let expected, let reference = result.reference,
                   PythonOracle.describe(reference) != expected {
                    return .mismatch("CPython gives \(expected), jitctl gives \(reference.fuzzSummary)")
                }
                return replay(result.verdict)
            default:
                return .skipped("not a reproducer: \(file)")
            }
        } catch {
            return .mismatch("cannot replay \(file): \(error)")
        }
    }

    /// The Brainfuck check the fuzzer makes (see `BFFuzzer`), on every configuration.
    public static func replayProgram(_ p: GeneratedBFProgram, fuel: Int64 = Fuel.defaultBudget) -> Verdict {
        BFFuzzer.check(p, configs: FuzzConfig.configs(forProgram: 0, all: true), fuel: fuel, cReference: nil)
    }

    static func replay(_ verdict: Verdict) -> Replay {
        switch verdict {
        case .agree: .agree
        case .outOfFuel: .mismatch("ran out of fuel")
        case .mismatch(let why): .mismatch(why)
        }
    }
}
