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
        let literal = BFOp.literal(try BFParser.parse(source, file: file))
        return options.optimize ? BFPipeline.run(literal, options: options) : literal
    }

    /// Lowers `ops` to a module. Redundant bounds checks are removed when
    /// `eliminateRedundantChecks` (by default: when `options.optimize`).
    ///
    /// `guardCells` is for testing the checks: it places that many cells of
    /// extra memory on each side of the tape (the pointer starts after the left
    /// ones) which no check admits, so an access the checks wrongly let through
    /// shows up as a missing trap or a write outside the tape, instead of being
    /// caught by the engine's own memory guard.
    public static func lower(_ ops: [BFOp], file: String, options: BFOptions,
                             eliminateRedundantChecks: Bool? = nil, guardCells: Int = 0) throws -> Module {
        try validate(options, file: file)
        guard let cellType = options.cellType else { throw SourceError(file: file, loc: .unknown, message: "bad cell type") }
        var lowering = BFLowering(ops: ops, options: options, cellType: cellType,
                                  eliminateChecks: eliminateRedundantChecks ?? options.optimize,
                                  guardCells: max(0, guardCells))
        let main = lowering.finish(ops)
        let cells = options.tapeSize + 2 * max(0, guardCells)
        return Module(sourceFile: file, memorySize: cells * options.cellBytes, functions: [main])
    }

    private static func validate(_ options: BFOptions, file: String) throws(SourceError) {
        if let problem = options.problem { throw SourceError(file: file, loc: .unknown, message: problem) }
    }
}
