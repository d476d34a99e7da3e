import JitIR

/// The IR language of the worker: `IRProgramGenerator` programs, run as generated.
struct IRFuzzer: LanguageFuzzer {
    let settings: FuzzSettings

    func program(_ index: Int) -> GeneratedIRProgram {
        IRProgramGenerator.generate(seed: settings.seed, index: index)
    }

    func runner(_ index: Int) -> DifferentialRunner {
        DifferentialRunner(configs: FuzzConfig.configs(forProgram: index, all: settings.allConfigs), fuel: settings.fuel)
    }

    mutating func crashReproducer(index: Int) -> (name: String, contents: [UInt8]) {
        let notes = ["jitctl fuzz --lang ir --seed \(settings.seed): program \(index), which stopped the worker",
                     "configs: " + runner(index).configs.map(\.description).joined(separator: " ")]
        return (settings.baseName(index) + ".ir", Array(ReproducerFormat.irText(program(index), notes: notes).utf8))
    }

    mutating func run(index: Int, heartbeat: @escaping () -> Void) -> FuzzCaseResult {
        let p = program(index)
        let runner = runner(index)
        let verdict = check(p, runner)
        guard verdict.isMismatch else { return FuzzCaseResult(verdict: verdict) }
        var small = p, smallVerdict = verdict
        if settings.minimize {
            small = IRMinimizer(onStep: heartbeat).minimize(p) { check($0, runner).isMismatch }
            smallVerdict = check(small, runner)
        }
        let name = settings.baseName(index)
        let notes = ["jitctl fuzz --lang ir --seed \(settings.seed): program \(index)"
                     + (settings.minimize ? ", minimised (\(name).full.ir is the original)" : ""),
                     "configs: " + runner.configs.map(\.description).joined(separator: " "),
                     "see \(name).txt for what differs"]
        var files = [(name + ".ir", Array(ReproducerFormat.irText(small, notes: notes).utf8))]
        if settings.minimize {
            files.append((name + ".full.ir", Array(ReproducerFormat.irText(p, notes: [notes[0], notes[1]]).utf8)))
        }
        files.append(detailsFile(name + ".txt", verdict: smallVerdict, original: verdict))
        return FuzzCaseResult(verdict: verdict, files: files)
    }

    func check(_ p: GeneratedIRProgram, _ runner: DifferentialRunner) -> Verdict {
        runner.run(p.module, entry: p.entry, arguments: p.arguments, input: p.input).verdict
    }
}
