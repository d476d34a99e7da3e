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

    public init(bf: BFOptions = BFOptions(), call: String? = nil, python: String = "python3", language: SourceLanguage? = nil) {
        self.bf = bf
        self.call = call
        self.python = python
        self.language = language
    }
}

/// A program lowered to verified IR, ready for any backend.
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
}

/// The one path from a file to IR: read, parse, lower, verify.
public enum Pipeline {
    public static func lower(path: String, options: ProgramOptions = ProgramOptions()) throws -> LoweredProgram {
        let clock = ContinuousClock()
        let start = clock.now
        let language = options.language ?? SourceLanguage(path: path)
        // A missing, unreadable or directory path is the first thing to report, before any option problem.
        try SourceFile.checkReadable(path)
        var entry = "main"
        var arguments: [Int64] = []
        if let call = options.call {
            (entry, arguments) = try BytecodeFrontend.parseCall(call)
        } else if language.needsCall {
            throw SourceError(file: path, loc: .unknown,
                              message: "a \(language.rawValue) program needs --call 'NAME(ARGS)' to say which function to run")
        }
        let module: Module
        var optimizationTime = Duration.zero
        switch language {
        case .brainfuck:
            if options.call != nil {
                throw SourceError(file: path, loc: .unknown, message: "--call applies to .sbc and .py programs, not to Brainfuck")
            }
            var literalOptions = options.bf
            literalOptions.optimize = false
            let literal = try BFFrontend.ops(source: SourceFile.read(path), file: path, options: literalOptions)
            let passesStart = clock.now
            let ops = options.bf.optimize ? BFPipeline.run(literal, options: options.bf) : literal
            optimizationTime = clock.now - passesStart
            module = try BFFrontend.lower(ops, file: path, options: options.bf)
        case .bytecode:
            module = try BytecodeFrontend.lower(BytecodeFrontend.parse(sbc: SourceFile.readText(path), file: path))
        case .python:
            module = try BytecodeFrontend.lower(BytecodeFrontend.importPython(file: path, python: options.python, entry: entry))
        case .ir:
            // Text IR carries no promise that its accesses are in range: guard them all.
            let parsed = try IRText.parse(SourceFile.readText(path), file: path, positionsFromText: true)
            try IRVerifier.verify(parsed)
            module = MemoryGuards.run(parsed)
        }
        try IRVerifier.verify(module)
        guard let function = module.function(named: entry) else {
            throw SourceError(file: path, loc: .unknown, message: "no function named '\(entry)'")
        }
        guard function.parameters.count == arguments.count else {
            throw SourceError(file: path, loc: function.loc,
                              message: "'\(entry)' takes \(function.parameters.count) argument(s), but the call passes \(arguments.count)")
        }
        return LoweredProgram(path: path, language: language, module: module, entry: entry, arguments: arguments,
                              frontendTime: clock.now - start, optimizationTime: optimizationTime)
    }
}
