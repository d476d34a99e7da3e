import Foundation

/// The languages `jitctl fuzz` generates programs in.
public enum FuzzLanguage: String, Sendable, CaseIterable {
    case bf, ir, python

    /// The extension of its reproducer files.
    public var fileExtension: String {
        switch self {
        case .bf: "bf"
        case .ir: "ir"
        case .python: "py"
        }
    }
}

/// Everything that decides which programs a campaign generates and how they are judged.
public struct FuzzSettings: Sendable {
    public var language: FuzzLanguage
    /// Program `i` of the campaign is a pure function of `(seed, i)`.
    public var seed: UInt64
    /// Run LLVM at -O0 and -O2 on both ORC and MCJIT, not on one engine alternating.
    public var allConfigs = false
    /// Block entries a run may make before it counts as non-terminating (see `Fuel`).
    public var fuel: Int64 = Fuel.defaultBudget
    /// Shrink mismatching programs before saving them.
    public var minimize = true
    /// For Brainfuck: also compile with `bf2c.py` and gcc and compare the output.
    public var cReference: CReference?
    /// For Python: the CPython 3.10–3.13 that imports the functions and computes the expected values.
    public var python: String?
    /// For Python: programs (calls) per CPython run; three calls per group of three functions.
    public var pythonBatch = 60

    public init(language: FuzzLanguage, seed: UInt64) {
        self.language = language
        self.seed = seed
    }
}

/// The outcome of one program of a campaign, as the worker reports it.
public struct FuzzCaseResult: Sendable {
    public var verdict: Verdict
    /// For a mismatch: files to save under the output directory (name, contents).
    /// The first is the reproducer.
    public var files: [(name: String, contents: [UInt8])]

    public init(verdict: Verdict, files: [(name: String, contents: [UInt8])] = []) {
        self.verdict = verdict
        self.files = files
    }
}

/// A language's part of the worker: it generates program `index`, runs it
/// and judges it.
protocol LanguageFuzzer {
    /// What to save if running program `index` brings the process down: a
    /// reproducer file name and contents. Called before `run`, and must be cheap.
    mutating func crashReproducer(index: Int) -> (name: String, contents: [UInt8])
    /// Runs program `index` on every configuration; `heartbeat` is called
    /// during long steps (minimising) to show the worker is alive.
    mutating func run(index: Int, heartbeat: @escaping () -> Void) -> FuzzCaseResult
}

extension FuzzSettings {
    /// The base name of program `index`'s files: `ir-s7-123`.
    func baseName(_ index: Int) -> String { "\(language.rawValue)-s\(seed)-\(index)" }

    func makeFuzzer(scratch: String) throws -> any LanguageFuzzer {
        switch language {
        case .ir: IRFuzzer(settings: self)
        case .bf: BFFuzzer(settings: self)
        case .python: try PythonFuzzer(settings: self, scratch: scratch)
        }
    }
}

/// A mismatch's explanation file: what differed, and the reproducer's first lines.
func detailsFile(_ name: String, verdict: Verdict, original: Verdict? = nil, extra: [String] = []) -> (name: String, contents: [UInt8]) {
    var text = ""
    if case .mismatch(let why) = verdict { text += why + "\n" }
    if let original, case .mismatch(let why) = original, original != verdict {
        text += "\nbefore minimising:\n" + why + "\n"
    }
    for line in extra { text += line + "\n" }
    return (name, Array(text.utf8))
}
