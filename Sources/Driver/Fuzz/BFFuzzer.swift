import BFFrontend
import JitIR

/// The Brainfuck language of the worker. Each program is checked three ways:
/// the optimised module on every configuration; the literal translation
/// (no BF passes) on the interpreter against the optimised result, which
/// tests the passes; and, with `--c-reference`, bf2c.py + gcc.
struct BFFuzzer: LanguageFuzzer {
    let settings: FuzzSettings

    func program(_ index: Int) -> GeneratedBFProgram {
        BFProgramGenerator.generate(seed: settings.seed, index: index, cReferenceDialect: settings.cReference != nil)
    }

    mutating func crashReproducer(index: Int) -> (name: String, contents: [UInt8]) {
        (settings.baseName(index) + ".bf", ReproducerFormat.bfText(program(index), note: "program \(index) stopped the worker"))
    }

    mutating func run(index: Int, heartbeat: @escaping () -> Void) -> FuzzCaseResult {
        let p = program(index)
        let configs = FuzzConfig.configs(forProgram: index, all: settings.allConfigs)
        let verdict = check(p, configs)
        guard verdict.isMismatch else { return FuzzCaseResult(verdict: verdict) }
        var small = p, smallVerdict = verdict
        if settings.minimize {
            small.source = BFMinimizer(onStep: heartbeat).minimize(p.source) { source in
                var q = p
                q.source = source
                return check(q, configs).isMismatch
            }
            smallVerdict = check(small, configs)
        }
        let name = settings.baseName(index)
        var files = [(name + ".bf", ReproducerFormat.bfText(small, note: "seed \(settings.seed) program \(index)"))]
        if settings.minimize { files.append((name + ".full.bf", ReproducerFormat.bfText(p, note: "original"))) }
        files.append(detailsFile(name + ".txt", verdict: smallVerdict, original: verdict,
                                 extra: ["configs: " + configs.map(\.description).joined(separator: " "),
                                         "the header line of the .bf file gives the dialect and the input"]))
        return FuzzCaseResult(verdict: verdict, files: files)
    }

    func check(_ p: GeneratedBFProgram, _ configs: [FuzzConfig]) -> Verdict {
        BFFuzzer.check(p, configs: configs, fuel: settings.fuel, cReference: settings.cReference)
    }

    /// The three-way check (see the type's documentation).
    static func check(_ p: GeneratedBFProgram, configs: [FuzzConfig], fuel: Int64, cReference: CReference?) -> Verdict {
        var optimizedOptions = p.options, literalOptions = p.options
        optimizedOptions.optimize = true
        literalOptions.optimize = false
        let optimized: Module, literal: Module
        do {
            optimized = try BFFrontend.compile(source: p.source, file: "fuzz.bf", options: optimizedOptions)
            literal = try BFFrontend.compile(source: p.source, file: "fuzz.bf", options: literalOptions)
        } catch {
            return .mismatch("the frontend rejected a generated program: \(error)")
        }
        // `jitctl run` leaves the frontend's IR unverified in a release build: the fuzzer checks it.
        for (module, kind) in [(optimized, "optimised"), (literal, "literal")] {
            if let problem = IRVerifier.diagnostics(module).first {
                return .mismatch("the BF frontend generated invalid IR (\(kind)): \(problem)")
            }
        }
        let result = DifferentialRunner(configs: configs, fuel: fuel).run(optimized, entry: "main", arguments: [], input: p.input)
        guard result.verdict == .agree, let reference = result.reference else { return result.verdict }
        // The literal translation loops more often than the optimised one (a
        // multiply loop is one step there), so it gets more fuel; when even
        // that runs out, this comparison says nothing.
        let plain = DifferentialRunner(configs: [FuzzConfig(.interp)], fuel: fuel * 20)
            .run(literal, entry: "main", arguments: [], input: p.input)
        if let o = plain.reference, !Fuel.isExhausted(o.trap), o != reference {
            return .mismatch("the BF passes change the meaning: optimised vs literal translation (both on interp)\n"
                             + "  optimised: \(reference.fuzzSummary)\n  literal:   \(o.fuzzSummary)")
        }
        if let cReference, reference.trap == nil {
            switch cReference.run(source: p.source, tapeSize: p.options.tapeSize, input: p.input) {
            case .output(let bytes) where bytes != reference.stdout:
                return .mismatch("bf2c.py + gcc -O2 differs from jitctl\n  jitctl: \(reference.fuzzSummary)\n"
                                 + "  C:      \(Outcome(stdout: bytes, value: nil, trap: nil).fuzzSummary)")
            case .failed(let why):
                return .mismatch("the C reference failed: \(why)")
            default:
                break
            }
        }
        return .agree
    }
}
