import ArgumentParser
import Foundation
import JitCtl
import JitCtlRun
import JitIR

extension FuzzLanguage: ExpressibleByArgument {}

struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Differential fuzzing: random programs on interp, x86 and LLVM, outcomes compared.",
        discussion: """
            Generates programs (deterministically from --seed), runs each on the interpreter, the x86 backend, \
            auto (moving from x86 to LLVM at a poll chosen per program) and LLVM at -O0 and -O2 (ORC and MCJIT \
            alternating from program to program; --all-configs runs both; the programs on MCJIT also run on ORC with \
            tiny lazy pieces, tiering and loop entries), and \
            compares output, returned value and trap. Python programs are also checked against CPython. Programs run \
            in worker subprocesses, so a crash or hang of generated code is counted and saved, not fatal. Mismatching \
            programs are minimised and saved in --out with a .txt explaining the difference. The last line of output \
            is 'fuzz: N programs, M mismatches, K crashes'; the exit status is 0 when M and K are 0, else 1. \
            See docs/fuzzing.md.
            """
    )

    @Option(help: "The language of the generated programs: bf, ir or python.")
    var lang: FuzzLanguage

    @Option(help: ArgumentHelp("Stop after this many seconds (default 60 when --count is not given).", valueName: "n"))
    var seconds: Double?

    @Option(help: ArgumentHelp("Stop after this many programs.", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("The campaign's seed; program i is a function of (seed, i). Default: from the clock.", valueName: "s"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("Where reproducers are saved.", valueName: "dir"))
    var out: String = "fuzz-out"

    @Flag(help: "Run LLVM at -O0 and -O2 on both ORC and MCJIT (default: one engine, alternating).")
    var allConfigs = false

    @Option(help: ArgumentHelp("Worker processes running programs in parallel.", valueName: "n"))
    var jobs: Int = 1

    @Option(help: ArgumentHelp("Fuel: block entries a run may make before it is discarded as non-terminating.", valueName: "n"))
    var fuel: Int64 = Fuel.defaultBudget

    @Flag(name: .customLong("no-minimize"), help: "Save mismatching programs as generated, without shrinking them.")
    var noMinimize = false

    @Flag(name: .customLong("c-reference"), help: "For --lang bf: also compare with bf2c.py + gcc -O2 (slow; 8-bit cells, EOF unchanged).")
    var cReference = false

    @Option(help: ArgumentHelp("The bf2c.py for --c-reference (default: ../shared/tools/bf2c.py).", valueName: "path"))
    var bf2c: String?

    @Option(help: ArgumentHelp("For --lang python: the CPython 3.10-3.13 to import with and compare against (default: found).", valueName: "path"))
    var python: String?

    @Option(help: ArgumentHelp("Python programs (calls) per CPython run.", valueName: "n"))
    var pythonBatch: Int = 60

    @Option(help: ArgumentHelp("Seconds without progress before a worker counts as hung.", valueName: "s"))
    var hangTimeout: Double = 60

    // The worker's options: the supervisor starts `jitctl fuzz --worker ...`.
    @Flag(help: .hidden) var worker = false
    @Option(help: .hidden) var first: Int = 0
    @Option(help: .hidden) var end: Int?
    @Option(help: .hidden) var workerIndex: Int = 0
    @Option(help: .hidden) var deadline: Double?
    @Option(help: .hidden) var scratch: String?

    func validate() throws {
        if let seconds, seconds <= 0 { throw ValidationError("--seconds must be positive") }
        if let count, count < 0 { throw ValidationError("--count must not be negative") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard fuel >= 1 else { throw ValidationError("--fuel must be at least 1") }
        guard pythonBatch >= 3 else { throw ValidationError("--python-batch must be at least 3") }
        if cReference && lang != .bf { throw ValidationError("--c-reference applies to --lang bf only") }
    }

    func run() throws {
        try Diagnostics.guarded {
            // Every fuzzed program also runs on LLVM.
            try LLVMHandOver.ensureLLVM()
            if worker { try runWorker() } else { try supervise() }
        }
    }

    func settings(seed: UInt64, scratch: String) throws -> FuzzSettings {
        var s = FuzzSettings(language: lang, seed: seed)
        s.allConfigs = allConfigs
        s.fuel = fuel
        s.minimize = !noMinimize
        s.python = python
        s.pythonBatch = pythonBatch
        if cReference {
            guard let c = CReference.find(bf2c: bf2c, directory: scratch) else {
                throw RunError("--c-reference needs bf2c.py (../shared/tools/bf2c.py or --bf2c), python3 and gcc")
            }
            s.cReference = c
        }
        return s
    }

    func runWorker() throws {
        let scratch = self.scratch ?? NSTemporaryDirectory() + "jitctl-fuzz-worker-\(getpid())"
        let s = try settings(seed: seed ?? 0, scratch: scratch)
        let plan = FuzzWorker.Plan(first: first, end: end ?? Int.max, worker: workerIndex, jobs: jobs,
                                   unit: lang == .python ? max(1, pythonBatch / 3) * 3 : 1,
                                   deadline: deadline.map { Date(timeIntervalSince1970: $0) })
        try FuzzWorker.run(settings: s, plan: plan, out: out, scratch: scratch)
    }

    func supervise() throws {
        let seed = self.seed ?? UInt64(Date().timeIntervalSince1970 * 1000) % 1_000_000
        // Checked here once, so that a missing CPython or bf2c.py is one clear error.
        let s = try settings(seed: seed, scratch: NSTemporaryDirectory())
        var python = s.python
        if lang == .python {
            python = python ?? PythonOracle.findCPython()
            guard python != nil else {
                throw RunError("--lang python needs a CPython 3.10-3.13 (none found; give one with --python)")
            }
        }
        let seconds = self.seconds ?? (count == nil ? 60 : nil)
        let deadline = seconds.map { Date().addingTimeInterval($0) }
        var common = ["fuzz", "--worker", "--lang", lang.rawValue, "--seed", String(seed), "--out", out,
                      "--jobs", String(jobs), "--fuel", String(fuel), "--python-batch", String(pythonBatch)]
        if let count { common += ["--end", String(count)] }
        if let deadline { common += ["--deadline", String(deadline.timeIntervalSince1970)] }
        if allConfigs { common.append("--all-configs") }
        if noMinimize { common.append("--no-minimize") }
        if cReference { common.append("--c-reference") }
        if let bf2c { common += ["--bf2c", bf2c] }
        if let python { common += ["--python", python] }
        let workerArguments = common
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let supervisor = FuzzSupervisor(options: FuzzSupervisor.Options(
            executable: executable,
            workerArguments: { first, index, scratch in
                workerArguments + ["--first", String(first), "--worker-index", String(index), "--scratch", scratch]
            },
            jobs: jobs, end: count ?? Int.max, deadline: deadline, out: out, hangTimeout: hangTimeout))
        let progress = ProgressLine()
        var lastDraw = Date.distantPast
        supervisor.onUpdate = { t in
            guard progress.isEnabled, Date().timeIntervalSince(lastDraw) > 0.25 else { return }
            lastDraw = Date()
            progress.show(String(format: "fuzz %@: %d programs (%.1f/s), %d out of fuel, %d mismatches, %d crashes",
                                 lang.rawValue, t.programs, t.rate, t.outOfFuel, t.mismatches, t.crashes))
        }
        supervisor.onFinding = { path in
            progress.clear()
            print("found: \(path)")
        }
        let totals = try supervisor.run()
        progress.clear()
        let configs = allConfigs ? "interp, x86, auto, llvm -O0/-O2 on ORC and MCJIT, llvm-O2-orc-tiny"
            : "interp, x86, auto, llvm -O0/-O2 (ORC and MCJIT alternating; llvm-O2-orc-tiny with MCJIT)"
        print(String(format: "fuzz %@: seed %llu, %.1f s, %.1f programs/s, %d discarded (out of fuel); configs: %@",
                     lang.rawValue, seed, totals.elapsed, totals.rate, totals.outOfFuel, configs))
        print("fuzz: \(totals.programs) programs, \(totals.mismatches) mismatches, \(totals.crashes) crashes")
        if totals.mismatches > 0 || totals.crashes > 0 { throw ExitCode(1) }
    }
}
