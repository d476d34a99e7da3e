import BytecodeFrontend
import Foundation
import JitIR

/// The Python language of the worker.
///
/// Starting CPython is what costs (twice per import: the exporter, then the
/// checked run), so programs come in batches: a batch is one `.py` file of
/// groups of three generated functions (the last one is the entry and may
/// call the others), imported once, checked by CPython once, lowered into one
/// module and compiled once per configuration. A program is one call of a
/// group's entry; each group is called with three argument lists.
final class PythonFuzzer: LanguageFuzzer {
    let settings: FuzzSettings
    let python: String
    let scratch: String
    /// Programs per batch: a multiple of three.
    let perBatch: Int
    private var batch: Batch?

    struct Group {
        var entry: String
        /// The group's functions, recursive helpers first.
        var functions: [PythonProgramGenerator.Function]
        var plain: String { PythonFuzzer.render(functions, checked: false) }
        var checked: String { PythonFuzzer.render(functions, checked: true) }
    }

    static func render(_ functions: [PythonProgramGenerator.Function], checked: Bool) -> String {
        functions.map { PythonProgramGenerator.render($0, checked: checked) }.joined()
    }

    struct Call {
        var group: Int
        var entry: String
        var arguments: [Int64]
        var text: String { "\(entry)(\(arguments.map(String.init).joined(separator: ", ")))" }
    }

    /// One batch, generated (cheap) and, once a program of it runs, loaded.
    struct Batch {
        var number: Int
        var groups: [Group] = []
        var calls: [Call] = []
        var loaded = false
        var expected: [String]?
        var cpythonProblem: String?
        var importProblems: [String: String] = [:]
        var prepared: DifferentialRunner.Prepared?
        var configs: [FuzzConfig] = []
    }

    init(settings: FuzzSettings, scratch: String) throws {
        guard let python = settings.python ?? PythonOracle.findCPython() else {
            throw RunError("--lang python needs a CPython 3.10–3.13 (none found; give one with --python)")
        }
        self.settings = settings
        self.python = python
        self.scratch = scratch
        perBatch = max(1, settings.pythonBatch / 3) * 3
    }

    func crashReproducer(index: Int) -> (name: String, contents: [UInt8]) {
        let b = generate(index / perBatch)
        let call = b.calls[index % perBatch]
        return (settings.baseName(index) + ".py", reproducer(b, call, note: "this call stopped the worker"))
    }

    func run(index: Int, heartbeat: @escaping () -> Void) -> FuzzCaseResult {
        if batch?.number != index / perBatch {
            batch = load(generate(index / perBatch))
        }
        guard let b = batch else { return FuzzCaseResult(verdict: .agree) }
        let k = index % perBatch
        let call = b.calls[k]
        var verdict: Verdict
        if let problem = b.importProblems[call.entry] {
            verdict = .mismatch("the import of a generated function failed: \(problem)")
        } else if let prepared = b.prepared {
            let result = prepared.run(entry: call.entry, arguments: call.arguments, input: [])
            verdict = result.verdict
            if verdict == .agree, let expected = b.expected?[k], let reference = result.reference,
               PythonOracle.describe(reference) != expected {
                verdict = .mismatch("CPython gives \(expected), jitctl gives \(reference.fuzzSummary) (all configs agree)")
            }
        } else {
            verdict = .agree
        }
        guard verdict.isMismatch else { return FuzzCaseResult(verdict: verdict) }
        let name = settings.baseName(index)
        var files = [(name + ".py", reproducer(b, call, note: "seed \(settings.seed) program \(index)"))]
        var smallVerdict = verdict
        if settings.minimize && b.importProblems[call.entry] == nil {
            // Only a mismatch that shows with this group alone is shrunk.
            let group = b.groups[call.group].functions
            if evaluate(group, call, b.configs)?.isMismatch == true {
                let small = PythonMinimizer(onStep: heartbeat).minimize(group) { evaluate($0, call, b.configs)?.isMismatch == true }
                smallVerdict = evaluate(small, call, b.configs) ?? verdict
                let expected = try? PythonOracle.expected(python: python, functions: Self.render(small, checked: true),
                                                          calls: [(call.entry, call.arguments)], directory: scratch).first
                files[0].1 = reproducer(functions: Self.render(small, checked: false), call: call, expected: expected,
                                        note: "seed \(settings.seed) program \(index), minimised (\(name).full.py is the original)")
                files.append((name + ".full.py", reproducer(b, call, note: "seed \(settings.seed) program \(index)")))
            }
        }
        files.append(detailsFile(name + ".txt", verdict: smallVerdict, original: verdict,
                                 extra: ["configs: " + b.configs.map(\.description).joined(separator: " "),
                                         "call: \(call.text)", "CPython used: \(python)"]))
        return FuzzCaseResult(verdict: verdict, files: files)
    }

    /// The verdict on `functions` alone (imported, lowered, run and checked
    /// against CPython); nil when CPython or the importer rejects them.
    func evaluate(_ functions: [PythonProgramGenerator.Function], _ call: Call, _ configs: [FuzzConfig]) -> Verdict? {
        let file = scratch + "/minimize.py"
        guard let expected = try? PythonOracle.expected(python: python, functions: Self.render(functions, checked: true),
                                                        calls: [(call.entry, call.arguments)], directory: scratch).first,
              (try? Self.render(functions, checked: false).write(toFile: file, atomically: true, encoding: .utf8)) != nil,
              let source = try? PythonSource.load(file: file, python: python),
              let module = try? BytecodeFrontend.lower(source.module(entry: call.entry))
        else { return nil }
        let result = DifferentialRunner(configs: configs, fuel: settings.fuel).run(module, entry: call.entry, arguments: call.arguments, input: [])
        if result.verdict == .agree, let reference = result.reference, PythonOracle.describe(reference) != expected {
            return .mismatch("CPython gives \(expected), jitctl gives \(reference.fuzzSummary) (all configs agree)")
        }
        return result.verdict
    }

    /// The functions and calls of batch `number` (no Python involved).
    func generate(_ number: Int) -> Batch {
        var b = Batch(number: number)
        var args = FuzzRandom(seed: settings.seed ^ 0xA5A5, index: number)
        for g in 0..<(perBatch / 3) {
            var seeds = FuzzRandom(seed: settings.seed, index: number &* 4096 &+ g)
            var gen = PythonProgramGenerator(seed: seeds.next())
            gen.recursion = true
            let functions = (0..<3).map { gen.function(name: "g\(g)_f\($0)") }
            let entry = functions[2]
            b.groups.append(Group(entry: entry.name, functions: gen.helpers + functions))
            for _ in 0..<3 {
                let values = entry.parameters.map { _ -> Int64 in
                    switch args.int(0...9) {
                    case 0: args.pick([Int64.max, .min, 1 << 40, -(1 << 40), 0])
                    case 1...3: Int64(args.int(-1000...1000))
                    default: Int64(args.int(-9...9))
                    }
                }
                b.calls.append(Call(group: g, entry: entry.name, arguments: values))
            }
        }
        b.configs = FuzzConfig.configs(forProgram: number, all: settings.allConfigs)
        return b
    }

    /// Runs CPython twice (the oracle and the import), lowers and compiles.
    func load(_ batch: Batch) -> Batch {
        var b = batch
        b.loaded = true
        let plain = b.groups.map(\.plain).joined()
        do {
            b.expected = try PythonOracle.expected(python: python, functions: b.groups.map(\.checked).joined(),
                                                   calls: b.calls.map { ($0.entry, $0.arguments) }, directory: scratch)
        } catch {
            // The engines are still compared with each other.
            b.cpythonProblem = "\(error)"
            FileHandle.standardError.write(Data("jitctl fuzz: batch \(b.number): \(error)\n".utf8))
        }
        let file = scratch + "/batch.py"
        do {
            try ("# jitctl fuzz --lang python --seed \(settings.seed): batch \(b.number)\n" + plain)
                .write(toFile: file, atomically: true, encoding: .utf8)
            let source = try PythonSource.load(file: file, python: python)
            var merged = BytecodeModule(sourceFile: file)
            for g in b.groups {
                do {
                    for f in try source.module(entry: g.entry).functions where merged.function(named: f.name) == nil {
                        merged.functions.append(f)
                    }
                } catch {
                    b.importProblems[g.entry] = "\(error)"
                }
            }
            let module = try BytecodeFrontend.lower(merged)
            b.prepared = DifferentialRunner(configs: b.configs, fuel: settings.fuel).prepare(module)
        } catch {
            for g in b.groups where b.importProblems[g.entry] == nil { b.importProblems[g.entry] = "\(error)" }
        }
        return b
    }

    /// A standalone `.py` file: the call's group and CPython's answer.
    func reproducer(_ b: Batch, _ call: Call, note: String) -> [UInt8] {
        let expected = b.expected.flatMap { list in b.calls.firstIndex { $0.entry == call.entry && $0.arguments == call.arguments }.map { list[$0] } }
        return reproducer(functions: b.groups[call.group].plain, call: call, expected: expected, note: note)
    }

    func reproducer(functions: String, call: Call, expected: String?, note: String) -> [UInt8] {
        let text = ReproducerFormat.pythonText(
            functions: functions, call: call.text, expected: expected,
            notes: ["jitctl fuzz --lang python: \(note)",
                    "reproduce: jitctl compare FILE --call '\(call.text)' --backends interp,x86,llvm"])
        return Array(text.utf8)
    }
}
