import ArgumentParser
import BFFrontend
import JitCtlCore

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
package struct ProgramArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("The program: .bf/.b (Brainfuck; any other extension is read as Brainfuck too), .sbc (stack bytecode), .py (Python functions) or .ir (jitctl IR).", valueName: "file"))
    package var file: String

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

    /// The longest tape: 2^28 cells, 1 GiB of 32-bit cells (the BF frontend's limit on tape memory).
    static let maximumTapeSize = BFOptions.maximumMemoryBytes / 4

    @Option(parsing: .unconditional, help: ArgumentHelp("Brainfuck tape length in cells, 1 to 268435456 (2^28). The pointer starts at cell 0; touching a cell outside the tape is a trap.", valueName: "cells"))
    var tapeSize: Int = BFOptions.defaultTapeSize

    @Flag(name: .customLong("no-bf-opt"), help: "Turn off the Brainfuck optimisation passes (run-length folding, offsets, clear/multiply/scan loops).")
    var noBFOptimization = false

    package init() {}

    package func validate() throws {
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

    package var programOptions: ProgramOptions {
        var bf = BFOptions()
        bf.cellBits = cellBits
        bf.eof = BFOptions.EOFMode(rawValue: eof) ?? .unchanged
        bf.tapeSize = tapeSize
        bf.optimize = !noBFOptimization
        return ProgramOptions(bf: bf, call: call, python: python, language: language)
    }
}

/// Options for the backends.
package struct BackendArguments: ParsableArguments {
    @Option(name: .customShort("O"), parsing: .unconditional, help: ArgumentHelp("LLVM optimisation level 0-3 (default<O0>..default<O3>).", valueName: "level"))
    package var optLevel: Int = 2

    @Option(help: ArgumentHelp("The LLVM JIT engine: orc (ORC LLJIT) or mcjit.", valueName: "engine"))
    var llvmEngine: LLVMEngineKind = .orc

    package init() {}

    package func validate() throws {
        guard (0...3).contains(optLevel) else { throw ValidationError("-O must be 0, 1, 2 or 3 (got \(optLevel))") }
    }

    package var backendOptions: BackendOptions { BackendOptions(llvmOptLevel: optLevel, llvmEngine: llvmEngine) }
}
