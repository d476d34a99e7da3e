import BFFrontend
import BytecodeFrontend
import JitIR

/// How to read a program, whatever its language.
public struct ProgramOptions: Sendable {
    /// Brainfuck dialect and optimisation.
    public var bf: BFOptions
    /// The call to make, `name(arg, …)`; required for bytecode and Python.
    public var call: String?
    /// The CPython used to import `.py` files.
    public var python: String
    /// Overrides the language chosen from the file extension.
    public var language: SourceLanguage?
    /// Whether the IR that the Brainfuck frontend generates is verified before it is compiled
    /// (IR from every other source always is). By default only in debug builds, which all tests
    /// use, as LLVM and wasmtime do with their verifiers: it cost a tenth of the compile time of
    /// a large program, for a check of our own lowering that the tests and `jitctl fuzz` make.
    public var verifyGeneratedIR: Bool

    public init(bf: BFOptions = BFOptions(), call: String? = nil, python: String = "python3", language: SourceLanguage? = nil,
                verifyGeneratedIR: Bool = ProgramOptions.verifiesGeneratedIRByDefault) {
        self.bf = bf
        self.call = call
        self.python = python
        self.language = language
        self.verifyGeneratedIR = verifyGeneratedIR
    }

    /// True in a debug build of jitctl.
    public static var verifiesGeneratedIRByDefault: Bool { _isDebugAssertConfiguration() }
}

/// A program lowered to IR, ready for any backend: verified, but for Brainfuck's when
/// `ProgramOptions.verifyGeneratedIR` is off.
public struct LoweredProgram: Sendable {
    public var path: String
    public var language: SourceLanguage
    public var module: Module
    /// The function to run and its arguments.
    public var entry: String
    public var arguments: [Int64]
    /// Time spent reading, parsing, optimising and lowering the source, verification included.
    public var frontendTime: Duration
    /// The part of `frontendTime` spent in optimisation passes.
    public var optimizationTime: Duration

    /// Whether the run's result is the returned value (printed), rather than the output bytes.
    public var returnsValue: Bool { module.function(named: entry)?.resultType != nil }

    /// A module built in code (with `FunctionBuilder`, or `BytecodeFrontend.lower` of a
    /// `BytecodeBuilder` module), to run as `entry(arguments)`. The module is verified here;
    /// `name` is the file name its diagnostics and traps give.
    public init(module: Module, entry: String = "main", arguments: [Int64] = [], name: String = "<memory>") throws {
        self = try Pipeline.finish(module, path: name, language: .ir, entry: entry, arguments: arguments,
                                   verify: true, frontendTime: .zero, optimizationTime: .zero)
    }

    init(path: String, language: SourceLanguage, module: Module, entry: String, arguments: [Int64],
         frontendTime: Duration, optimizationTime: Duration) {
        self.path = path
        self.language = language
        self.module = module
        self.entry = entry
        self.arguments = arguments
        self.frontendTime = frontendTime
        self.optimizationTime = optimizationTime
    }
}

/// The one path from source to IR: read, parse, lower, verify.
public enum Pipeline {
    /// Reads the program at `path` (its language from `options.language` or the extension) and
    /// lowers it.
    public static func lower(path: String, options: ProgramOptions = ProgramOptions()) throws -> LoweredProgram {
        let clock = ContinuousClock()
        let start = clock.now
        let language = options.language ?? SourceLanguage(path: path)
        // A missing, unreadable or directory path is the first thing to report, before any option problem.
        try SourceFile.checkReadable(path)
        if language == .python {
            let (entry, arguments) = try entryCall(options, language: language, file: path)
            let module = try BytecodeFrontend.lower(BytecodeFrontend.importPython(file: path, python: options.python, entry: entry))
            return try finish(module, path: path, language: language, entry: entry, arguments: arguments,
                              verify: true, frontendTime: clock.now - start, optimizationTime: .zero)
        }
        return try lower(source: SourceFile.read(path), file: path, language: language, options: options, since: start)
    }

    /// Lowers a program given as its text, with no file: `file` is the name its diagnostics and
    /// traps give. Python is imported from files only (CPython reads them).
    public static func lower(source: [UInt8], file: String = "<memory>", language: SourceLanguage,
                             options: ProgramOptions = ProgramOptions()) throws -> LoweredProgram {
        try lower(source: source, file: file, language: language, options: options, since: ContinuousClock().now)
    }

    private static func lower(source: [UInt8], file path: String, language: SourceLanguage, options: ProgramOptions,
                              since start: ContinuousClock.Instant) throws -> LoweredProgram {
        let clock = ContinuousClock()
        let (entry, arguments) = try entryCall(options, language: language, file: path)
        let module: Module
        var optimizationTime = Duration.zero
        switch language {
        case .brainfuck:
            if options.call != nil {
                throw SourceError(file: path, loc: .unknown, message: "--call applies to .sbc and .py programs, not to Brainfuck")
            }
            // With the passes on, the parser folds runs as it reads and the passes follow in the same
            // call (no literal op list is built): that call counts as optimisation.
            let passesStart = clock.now
            let ops = try BFFrontend.ops(source: source, file: path, options: options.bf)
            if options.bf.optimize { optimizationTime = clock.now - passesStart }
            module = try BFFrontend.lower(ops, file: path, options: options.bf)
        case .bytecode:
            module = try BytecodeFrontend.lower(BytecodeFrontend.parse(sbc: SourceFile.text(source, file: path), file: path))
        case .python:
            throw RunError("Python functions are imported from a file (CPython reads it): use Pipeline.lower(path:)")
        case .ir:
            // Text IR carries no promise that its accesses are in range: guard them all.
            let parsed = try IRText.parse(SourceFile.text(source, file: path), file: path, positionsFromText: true)
            try IRVerifier.verify(parsed)
            module = MemoryGuards.run(parsed)
        }
        return try finish(module, path: path, language: language, entry: entry, arguments: arguments,
                          verify: language != .brainfuck || options.verifyGeneratedIR,
                          frontendTime: clock.now - start, optimizationTime: optimizationTime)
    }

    /// The function to run and its arguments: `options.call`, or `main()` for the languages
    /// that have one.
    private static func entryCall(_ options: ProgramOptions, language: SourceLanguage, file path: String) throws -> (String, [Int64]) {
        if let call = options.call { return try BytecodeFrontend.parseCall(call) }
        if language.needsCall {
            throw SourceError(file: path, loc: .unknown,
                              message: "a \(language.rawValue) program needs --call 'NAME(ARGS)' to say which function to run")
        }
        return ("main", [])
    }

    /// Verifies `module` when `verify`, and checks that it has the entry with that many parameters.
    static func finish(_ module: Module, path: String, language: SourceLanguage, entry: String, arguments: [Int64],
                       verify: Bool, frontendTime: Duration, optimizationTime: Duration) throws -> LoweredProgram {
        if verify { try IRVerifier.verify(module) }
        guard let function = module.function(named: entry) else {
            throw SourceError(file: path, loc: .unknown, message: "no function named '\(entry)'")
        }
        guard function.parameters.count == arguments.count else {
            throw SourceError(file: path, loc: function.loc,
                              message: "'\(entry)' takes \(function.parameters.count) argument(s), but the call passes \(arguments.count)")
        }
        return LoweredProgram(path: path, language: language, module: module, entry: entry, arguments: arguments,
                              frontendTime: frontendTime, optimizationTime: optimizationTime)
    }
}
