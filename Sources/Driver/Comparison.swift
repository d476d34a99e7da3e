import Foundation
import JitIR

/// The phases `jitctl compare` times separately.
public enum Phase: String, Sendable, CaseIterable, Codable {
    /// Reading, parsing and lowering the source to IR (source-level optimisation included for bytecode).
    case frontend
    /// IR-level optimisation (for Brainfuck: the BF passes before lowering).
    case optimize
    /// The backend's compile step: code generation, LLVM passes, JIT linking, and the LLVM pieces
    /// compiled on their first call while the program runs (docs/llvm.md).
    case compile
    /// Running the compiled program.
    case run

    public var title: String {
        switch self {
        case .frontend: "frontend+lowering"
        case .optimize: "IR optimisation"
        case .compile: "backend compile"
        case .run: "run"
        }
    }
}

/// Every run's time of one phase, and their summary.
public struct PhaseTiming: Sendable, Codable, Hashable {
    public var runs: [Double]
    public var summary: TimingSummary
    init(_ runs: [Double]) {
        self.runs = runs
        summary = TimingSummary(runs)
    }
}

/// What a program did on one backend: the part of a run that must agree across backends.
public struct Outcome: Sendable, Hashable {
    public var stdout: [UInt8]
    public var value: Int64?
    public var trap: Trap?
    /// The exit status `jitctl run` would give: 0, or the trap's status.
    public var exitStatus: Int32 { trap?.kind.exitStatus ?? 0 }
}

/// One backend's side of a comparison.
public struct BackendReport: Sendable {
    public var name: String
    public var outcome: Outcome
    public var timings: [Phase: PhaseTiming]
    /// Whether the outcome equals the first backend's.
    public var matchesReference: Bool
    /// For `auto`: when each measured run that moved to LLVM's code did so, in seconds from the
    /// start of the run (nil when no run moved, or on other backends).
    public var tierUp: PhaseTiming?
    /// For `auto`: how many measured runs moved.
    public var tierUpRuns = 0
}

/// Where two backends' outcomes first part.
public struct Mismatch: Sendable, CustomStringConvertible {
    public var reference: String
    public var other: String
    /// What differs: `stdout`, `return value`, `trap` or `exit status`.
    public var aspect: String
    /// For stdout: the first differing byte offset.
    public var offset: Int?
    public var referenceContext: String
    public var otherContext: String

    public var description: String {
        var s = "outcomes differ: \(other) vs \(reference): \(aspect)"
        if let offset { s += " first differs at byte \(offset)" }
        s += "\n  \(reference): \(referenceContext)\n  \(other): \(otherContext)"
        return s
    }
}

/// The result of `jitctl compare`: outcomes and timings for each backend.
public struct Comparison: Sendable {
    public var path: String
    public var runs: Int
    public var warmup: Int
    public var backends: [BackendReport]
    public var mismatch: Mismatch?

    public var allMatch: Bool { mismatch == nil }

    /// Lines like `llvm ran 1.8 ± 0.1× faster than x86` and `x86 compiled 95 ± 3× faster than llvm`.
    public var summaryLines: [String] {
        guard backends.count > 1 else { return [] }
        return [relative(.run, verb: "ran"), relative(.compile, verb: "compiled")].compactMap { $0 }
    }

    private func relative(_ phase: Phase, verb: String) -> String? {
        let stats = backends.compactMap { b in b.timings[phase].map { (b.name, $0.summary) } }
        guard let best = stats.min(by: { $0.1.mean < $1.1.mean }), best.1.mean > 0 else { return nil }
        let others = stats.filter { $0.0 != best.0 }.map { name, s -> String in
            let ratio = s.mean / best.1.mean
            let rel = ((s.stddev / max(s.mean, .leastNonzeroMagnitude)) * (s.stddev / max(s.mean, .leastNonzeroMagnitude))
                + (best.1.stddev / best.1.mean) * (best.1.stddev / best.1.mean)).squareRoot()
            return String(format: "%.*f ± %.*f× faster than %@", ratio >= 10 ? 0 : 2, ratio, ratio >= 10 ? 0 : 2, ratio * rel, name)
        }
        return "\(best.0) \(verb) " + others.joined(separator: ", ")
    }
}

/// Runs one program on several engines and compares what they did.
public enum Comparer {
    public struct Options: Sendable {
        public var runs: Int
        public var warmup: Int
        /// Bytes fed to every run as standard input.
        public var input: [UInt8]
        /// The most measured runs, and the most warm-up runs, per backend (`jitctl compare` rejects more).
        public static let maximumRuns = 1_000_000

        /// `runs` is clamped to 1...maximumRuns and `warmup` to 0...maximumRuns.
        public init(runs: Int = 5, warmup: Int = 1, input: [UInt8] = []) {
            self.runs = min(max(1, runs), Self.maximumRuns)
            self.warmup = min(max(0, warmup), Self.maximumRuns)
            self.input = input
        }
    }

    /// A named engine to compare; tests may pass engines of their own.
    public struct Contender {
        public var name: String
        public var engine: () -> any ExecutionEngine
        public init(name: String, engine: @escaping () -> any ExecutionEngine) {
            self.name = name
            self.engine = engine
        }

        public init(_ kind: BackendKind, options: BackendOptions = BackendOptions()) {
            self.init(name: kind.rawValue) { kind.makeEngine(options) }
        }
    }

    /// Lowers `path` (every run, so the frontend is timed too), compiles and runs it on every contender.
    /// `progress` receives a short status line before each run.
    public static func compare(path: String, program: ProgramOptions, contenders: [Contender], options: Options,
                               progress: ((String) -> Void)? = nil) throws -> Comparison {
        let options = Options(runs: options.runs, warmup: options.warmup, input: options.input)  // clamped, even if set directly
        var reports: [BackendReport] = []
        let clock = ContinuousClock()
        for contender in contenders {
            var times: [Phase: [Double]] = [:]
            var moves: [Double] = []
            var outcome: Outcome?
            for i in 0..<(options.warmup + options.runs) {
                let measured = i >= options.warmup
                progress?("\(contender.name): \(measured ? "run \(i - options.warmup + 1)/\(options.runs)" : "warmup \(i + 1)/\(options.warmup)")")
                let lowered = try Pipeline.lower(path: path, options: program)
                let engine = contender.engine()
                let start = clock.now
                let compiled = try engine.compile(lowered.module)
                let compiledAt = clock.now
                let io = ProgramIO(input: .bytes(options.input), output: .capture)
                let result = try compiled.run(lowered.entry, arguments: lowered.arguments, io: io, options: RunOptions())
                let end = clock.now
                // Pieces compiled on their first call count as compile time, not run time.
                let lazyCompile = compiled.compileTimeInRuns
                let current = Outcome(stdout: io.allOutput, value: result.value, trap: result.trap)
                if outcome == nil { outcome = current }
                guard measured else { continue }
                times[.frontend, default: []].append(lowered.frontendTime.seconds - lowered.optimizationTime.seconds)
                times[.optimize, default: []].append(lowered.optimizationTime.seconds)
                times[.compile, default: []].append((compiledAt - start + lazyCompile).seconds)
                times[.run, default: []].append((end - compiledAt - lazyCompile).seconds)
                if let tiered = compiled as? TieredProgram,
                   let moved = tiered.lastRunEvents.first(where: { $0.kind == .entered }) {
                    moves.append(moved.time.seconds)
                }
            }
            reports.append(BackendReport(name: contender.name, outcome: outcome!,
                                         timings: times.mapValues { PhaseTiming($0) }, matchesReference: true,
                                         tierUp: moves.isEmpty ? nil : PhaseTiming(moves), tierUpRuns: moves.count))
        }
        var mismatch: Mismatch?
        if let reference = reports.first {
            for i in reports.indices.dropFirst() {
                if let m = difference(reference, reports[i]) {
                    reports[i].matchesReference = false
                    if mismatch == nil { mismatch = m }
                }
            }
        }
        return Comparison(path: path, runs: options.runs, warmup: options.warmup, backends: reports, mismatch: mismatch)
    }

    /// The first way `b`'s outcome differs from `a`'s, if any.
    static func difference(_ a: BackendReport, _ b: BackendReport) -> Mismatch? {
        let x = a.outcome, y = b.outcome
        if x.stdout != y.stdout {
            let offset = zip(x.stdout, y.stdout).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(x.stdout.count, y.stdout.count)
            return Mismatch(reference: a.name, other: b.name, aspect: "stdout", offset: offset,
                            referenceContext: context(x.stdout, at: offset), otherContext: context(y.stdout, at: offset))
        }
        if x.value != y.value {
            return Mismatch(reference: a.name, other: b.name, aspect: "return value", offset: nil,
                            referenceContext: x.value.map(String.init) ?? "none", otherContext: y.value.map(String.init) ?? "none")
        }
        if x.trap != y.trap {
            return Mismatch(reference: a.name, other: b.name, aspect: "trap", offset: nil,
                            referenceContext: x.trap.map { "\($0.kind.rawValue) at \($0.loc)" } ?? "none",
                            otherContext: y.trap.map { "\($0.kind.rawValue) at \($0.loc)" } ?? "none")
        }
        if x.exitStatus != y.exitStatus {
            return Mismatch(reference: a.name, other: b.name, aspect: "exit status", offset: nil,
                            referenceContext: "\(x.exitStatus)", otherContext: "\(y.exitStatus)")
        }
        return nil
    }

    /// Up to 16 bytes either side of `offset`, escaped, with the differing byte in ⟦ ⟧.
    static func context(_ bytes: [UInt8], at offset: Int) -> String {
        let lo = max(0, offset - 16), hi = min(bytes.count, offset + 17)
        var s = lo > 0 ? "…\"" : "\""
        for i in lo..<hi {
            let e = escape(bytes[i])
            s += i == offset ? "⟦\(e)⟧" : e
        }
        if offset >= bytes.count { s += "⟦end of output⟧" }
        s += hi < bytes.count ? "\"…" : "\""
        return s + " (\(bytes.count) bytes)"
    }

    static func escape(_ b: UInt8) -> String {
        switch b {
        case 0x0A: "\\n"
        case 0x09: "\\t"
        case 0x0D: "\\r"
        case 0x22: "\\\""
        case 0x5C: "\\\\"
        case 0x20..<0x7F: String(UnicodeScalar(b))
        default: String(format: "\\x%02x", b)
        }
    }
}
