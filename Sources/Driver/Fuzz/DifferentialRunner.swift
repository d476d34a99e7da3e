import JitIR

/// What one configuration did with one program: an outcome, or an error from
/// the engine (a verified module must compile everywhere, so that is a finding too).
public enum EngineResult: Sendable, Hashable, CustomStringConvertible {
    case ran(Outcome)
    case failed(String)

    public var outcome: Outcome? {
        if case .ran(let o) = self { return o }
        return nil
    }

    public var description: String {
        switch self {
        case .ran(let o): o.fuzzSummary
        case .failed(let message): "engine error: \(message)"
        }
    }
}

extension Outcome {
    /// A one-line summary for fuzz reports: the value or trap (with its
    /// function), and the start of the output itself rather than a digest.
    public var fuzzSummary: String {
        var parts: [String] = []
        if let value { parts.append("returned \(value)") }
        if let trap { parts.append("trap \(trap.kind.rawValue) at \(trap.loc) in @\(trap.function)") }
        if trap == nil && value == nil { parts.append("finished") }
        let shown = stdout.prefix(48).map { Comparer.escape($0) }.joined()
        parts.append("\(stdout.count) B out \"\(shown)\(stdout.count > 48 ? "…" : "")\"")
        return parts.joined(separator: ", ")
    }
}

/// The verdict on one program run on every configuration.
public enum Verdict: Sendable, Hashable {
    /// Every configuration agrees with the reference.
    case agree
    /// Some configuration ran out of fuel: the program says nothing, it is discarded.
    case outOfFuel
    /// A configuration differs from the reference (or failed); the text explains how.
    case mismatch(String)

    public var isMismatch: Bool {
        if case .mismatch = self { return true }
        return false
    }
}

/// The results of one program on every configuration, and the verdict.
public struct DifferentialResult: Sendable {
    public var results: [(config: FuzzConfig, result: EngineResult)]
    public var verdict: Verdict

    /// The reference configuration's outcome (the interpreter's).
    public var reference: Outcome? { results.first?.result.outcome }
}

/// Compiles a module on several configurations, runs calls on all of them and
/// compares the outcomes with the first configuration's. Fuel is added here,
/// after every frontend pass, so each engine sees the same instrumented module.
public struct DifferentialRunner {
    public var configs: [FuzzConfig]
    public var fuel: Int64

    public init(configs: [FuzzConfig], fuel: Int64 = Fuel.defaultBudget) {
        self.configs = configs
        self.fuel = fuel
    }

    /// A module compiled on every configuration; calls can then be run on all of them.
    public struct Prepared {
        var programs: [(FuzzConfig, Result<any CompiledProgram, EngineError>)]
    }

    struct EngineError: Error { var message: String }

    /// Instruments `module` with fuel and compiles it on every configuration.
    public func prepare(_ module: Module) -> Prepared {
        let instrumented = Fuel.instrument(module, budget: fuel)
        return Prepared(programs: configs.map { config in
            do {
                return (config, .success(try config.makeEngine().compile(instrumented)))
            } catch {
                return (config, .failure(EngineError(message: "\(error)")))
            }
        })
    }

    /// Compiles and runs one call: `prepare` then `run`.
    public func run(_ module: Module, entry: String, arguments: [Int64], input: [UInt8]) -> DifferentialResult {
        prepare(module).run(entry: entry, arguments: arguments, input: input)
    }
}

extension DifferentialRunner.Prepared {
    /// Runs `entry(arguments)` with `input` on every configuration and compares.
    public func run(entry: String, arguments: [Int64], input: [UInt8]) -> DifferentialResult {
        var results: [(config: FuzzConfig, result: EngineResult)] = []
        for (config, compiled) in programs {
            switch compiled {
            case .failure(let e):
                results.append((config, .failed("compile: \(e.message)")))
            case .success(let program):
                let io = ProgramIO(input: .bytes(input), output: .capture)
                do {
                    let r = try program.run(entry, arguments: arguments, io: io, options: RunOptions())
                    results.append((config, .ran(Outcome(stdout: io.allOutput, value: r.value, trap: r.trap))))
                } catch {
                    results.append((config, .failed("run: \(error)")))
                }
            }
        }
        return DifferentialResult(results: results, verdict: Self.verdict(results))
    }

    static func verdict(_ results: [(config: FuzzConfig, result: EngineResult)]) -> Verdict {
        if results.contains(where: { Fuel.isExhausted($0.result.outcome?.trap) }) { return .outOfFuel }
        guard let (refConfig, refResult) = results.first else { return .agree }
        for (config, result) in results.dropFirst() where result != refResult {
            guard let a = refResult.outcome, let b = result.outcome else {
                return .mismatch("\(config) vs \(refConfig): \(result) vs \(refResult)")
            }
            let ra = BackendReport(name: refConfig.description, outcome: a, timings: [:], matchesReference: true)
            let rb = BackendReport(name: config.description, outcome: b, timings: [:], matchesReference: false)
            let detail = Comparer.difference(ra, rb)?.description ?? "outcomes differ"
            return .mismatch("\(detail)\n  \(refConfig): \(a.fuzzSummary)\n  \(config): \(b.fuzzSummary)")
        }
        return .agree
    }
}
