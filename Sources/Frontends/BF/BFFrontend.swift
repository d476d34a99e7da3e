import JitIR

/// The Brainfuck frontend: source bytes to an IR module.
///
/// The module has one function, `@main` (no parameters, no result), and
/// `memorySize = tapeSize × cellBytes` bytes of tape. See `BFOptions` for the
/// dialect, `BFPipeline` for the optimisations and `BFOp` for what they work on.
public enum BFFrontend {
    /// Parses, optimises (when `options.optimize`) and lowers `source`.
    /// Throws `SourceError` for unmatched brackets and invalid options.
    public static func compile(source: [UInt8], file: String, options: BFOptions) throws -> Module {
        try lower(ops(source: source, file: file, options: options), file: file, options: options)
    }

    /// The BF ops `compile` lowers: the literal translation, or the pipeline's result.
    public static func ops(source: [UInt8], file: String, options: BFOptions) throws -> [BFOp] {
        try validate(options, file: file)
        guard options.optimize else { return try BFFoldingParser.parse(source, file: file, nil) }
        // The pipeline starts with run-length folding, which the parser does as it goes.
        let folded = try BFFoldingParser.parse(source, file: file, BFPassContext(options: options))
        return BFPipeline.run(folded, options: options, passes: BFPipeline.passesAfterFolding)
    }

    /// The literal ops of `source`, then the ops after each of `passes` in turn (`jitctl dump
    /// --passes`): `passes.count + 1` lists. Any passes in any order keep the program's meaning.
    public static func stages(source: [UInt8], file: String, options: BFOptions, passes: [any BFPass]) throws -> [[BFOp]] {
        try validate(options, file: file)
        let context = BFPassContext(options: options)
        var stages = [try BFFoldingParser.parse(source, file: file, nil)]
        for pass in passes { stages.append(pass.run(stages[stages.count - 1], context)) }
        return stages
    }

    /// Lowers `ops` to a module. Redundant bounds checks are removed when
    /// `eliminateRedundantChecks` (by default: when `options.optimize`).
    public static func lower(_ ops: [BFOp], file: String, options: BFOptions,
                             eliminateRedundantChecks: Bool? = nil) throws -> Module {
        try lower(ops, file: file, options: options, eliminateRedundantChecks: eliminateRedundantChecks, hooks: BFTestHooks())
    }

    /// `lower`, with the module instrumented by `hooks` for this package's tests.
    package static func lower(_ ops: [BFOp], file: String, options: BFOptions,
                              eliminateRedundantChecks: Bool? = nil, hooks: BFTestHooks) throws -> Module {
        try validate(options, file: file)
        guard let cellType = options.cellType else { throw SourceError(file: file, loc: .unknown, message: "bad cell type") }
        let eliminateChecks = eliminateRedundantChecks ?? options.optimize
        let cells = options.tapeSize + 2 * hooks.guardCells
        let memorySize = cells * options.cellBytes
        // Guard regions stand in for checks only where they begin exactly at the tape's ends.
        let guarded = eliminateChecks && hooks == BFTestHooks() && memorySize % Module.guardGranule == 0
        let guardBytes = guarded ? tapeGuardBytes : 0
        var lowering = BFLowering(ops: ops, options: options, cellType: cellType,
                                  eliminateChecks: eliminateChecks, guardBytes: guardBytes, hooks: hooks)
        var main = try lowering.finish(ops)
        // The IR clean-ups cost a large program (hanoi, optimtease) more compile time than they
        // save: it does many things, each briefly.
        if options.optimize && main.instructionCount <= Self.largestFunctionCleanedUp {
            main = OverwrittenStores.run(CopyPropagation.run(main))
        }
        return Module(sourceFile: file, memorySize: memorySize, guardBytes: guardBytes, functions: [main])
    }

    /// The largest `@main`, in IR instructions, that `CopyPropagation` and `OverwrittenStores`
    /// clean up (docs/bf-passes.md).
    static let largestFunctionCleanedUp = 10_000

    /// The unmapped bytes on each side of a guarded tape: an access needs no check when it lies
    /// within this distance of a cell known to be on the tape. Address space only.
    public static let tapeGuardBytes = 1 << 20

    private static func validate(_ options: BFOptions, file: String) throws(SourceError) {
        if let problem = options.problem { throw SourceError(file: file, loc: .unknown, message: problem) }
    }
}

/// Instrumentation for testing the lowering; the default changes nothing.
package struct BFTestHooks: Sendable, Hashable {
    /// Cells of extra memory on each side of the tape (the pointer starts
    /// after the left ones) that no bounds check admits: an access the checks
    /// wrongly let through then shows up as a missing trap or a write outside
    /// the tape, instead of being caught by the engine's own memory guard.
    package var guardCells: Int
    /// When set, every loop iteration counts down from this number and the
    /// run traps `unreachable` (at the loop's `]`) when it reaches 0, so a
    /// miscompiled program cannot hang a test.
    package var loopIterationLimit: Int?

    package init(guardCells: Int = 0, loopIterationLimit: Int? = nil) {
        self.guardCells = max(0, guardCells)
        self.loopIterationLimit = loopIterationLimit
    }
}
