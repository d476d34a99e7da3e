import ArgumentParser
import BFFrontend
import JitCtlCore
import JitCtlRun

extension BackendKind: ExpressibleByArgument {}
extension SourceLanguage: ExpressibleByArgument {}

extension LLVMEngineKind: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "orc": self = .orc
        case "mcjit": self = .mcjit
        default: return nil
        }
    }
    public static var allValueStrings: [String] { ["orc", "mcjit"] }
}

/// Options that say how to read the program file.
struct ProgramArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("The program: .bf/.b (Brainfuck; any other extension is read as Brainfuck too), .sbc (stack bytecode), .py (Python functions) or .ir (jitctl IR).", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("For .sbc, .py and .ir programs: the function to call and its int64 arguments, e.g. 'fib(30)'.", valueName: "call"))
    var call: String?

    @Option(help: ArgumentHelp("The CPython used to import .py files.", valueName: "path"))
    var python: String = "python3"

    @Option(help: ArgumentHelp("Read the file as this language instead of going by its extension (bf, sbc, py, ir)."))
    var language: SourceLanguage?

    @Option(parsing: .unconditional, help: ArgumentHelp("Brainfuck cell width in bits: 8, 16 or 32. Cells wrap around.", valueName: "bits"))
    var cellBits: Int = 8

    @Option(help: ArgumentHelp("What ',' does at end of input: unchanged (leave the cell), zero, or minus-one.", valueName: "mode"))
    var eof: String = "unchanged"

    static let maximumTapeSize = RunInvocation.maximumTapeSize

    @Option(parsing: .unconditional, help: ArgumentHelp("Brainfuck tape length in cells, 1 to 268435456 (2^28). The pointer starts at cell 0; touching a cell outside the tape is a trap.", valueName: "cells"))
    var tapeSize: Int = BFOptions.defaultTapeSize

    @Flag(name: .customLong("no-bf-opt"), help: "Turn off the Brainfuck optimisation passes (run-length folding, offsets, clear/multiply/scan loops).")
    var noBFOptimization = false

    @Flag(name: .customLong("verify-ir"), help: "Verify the IR generated from Brainfuck before compiling it, as debug builds always do (IR from other languages is always verified).")
    var verifyIR = false

    init() {}

    func validate() throws {
        guard [8, 16, 32].contains(cellBits) else {
            throw ValidationError("--cell-bits must be 8, 16 or 32 (got \(cellBits))")
        }
        guard BFOptions.EOFMode(rawValue: eof) != nil else {
            throw ValidationError("--eof must be unchanged, zero or minus-one (got '\(eof)')")
        }
        guard (1...Self.maximumTapeSize).contains(tapeSize) else {
            throw ValidationError("--tape-size must be between 1 and \(Self.maximumTapeSize) cells (got \(tapeSize))")
        }
    }

    /// Sets these options in `run`.
    func apply(to run: inout RunInvocation) {
        run.call = call
        run.python = python
        run.language = language
        run.cellBits = cellBits
        run.eof = BFOptions.EOFMode(rawValue: eof) ?? .unchanged
        run.tapeSize = tapeSize
        run.optimizeBF = !noBFOptimization
        if verifyIR { run.verifyIR = true }
    }

    var programOptions: ProgramOptions {
        var run = RunInvocation(file: file)
        apply(to: &run)
        return run.programOptions
    }
}

/// Options for the backends.
struct BackendArguments: ParsableArguments {
    @Option(name: .customShort("O"), parsing: .unconditional, help: ArgumentHelp("LLVM optimisation level 0-3; docs/llvm.md says which passes each runs.", valueName: "level"))
    var optLevel: Int = 2

    @Option(help: ArgumentHelp("The LLVM JIT engine: orc (ORC LLJIT) or mcjit.", valueName: "engine"))
    var llvmEngine: LLVMEngineKind = .orc

    init() {}

    func validate() throws {
        guard (0...3).contains(optLevel) else { throw ValidationError("-O must be 0, 1, 2 or 3 (got \(optLevel))") }
    }

    var backendOptions: BackendOptions { BackendOptions(llvmOptLevel: optLevel, llvmEngine: llvmEngine) }
}
