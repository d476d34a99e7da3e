import BFFrontend
import JitCtlCore
import JitIR

/// One `jitctl run`: what to run and how, whichever parser read the command line.
package struct RunInvocation: Sendable, Equatable {
    package var file: String
    package var backend: BackendKind = .auto
    package var call: String?
    package var python = "python3"
    package var language: SourceLanguage?
    package var cellBits = 8
    package var eof = BFOptions.EOFMode.unchanged
    package var tapeSize = BFOptions.defaultTapeSize
    package var optimizeBF = true
    /// Verify the IR the Brainfuck frontend generates (`ProgramOptions.verifyGeneratedIR`).
    package var verifyIR = ProgramOptions.verifiesGeneratedIRByDefault
    package var optLevel = 2
    package var llvmEngine = LLVMEngineKind.orc
    package var perfMap = false
    /// Print what happened to stderr after the run: times, and what `auto` compiled and when.
    package var stats = false

    /// The longest tape: 2^28 cells, 1 GiB of 32-bit cells (the BF frontend's limit on tape memory).
    package static let maximumTapeSize = BFOptions.maximumMemoryBytes / 4

    package init(file: String) {
        self.file = file
    }

    package var programOptions: ProgramOptions {
        var bf = BFOptions()
        bf.cellBits = cellBits
        bf.eof = eof
        bf.tapeSize = tapeSize
        bf.optimize = optimizeBF
        return ProgramOptions(bf: bf, call: call, python: python, language: language, verifyGeneratedIR: verifyIR)
    }

    /// The `--stats` report.
    private func statistics(_ execution: Execution) -> String {
        func ms(_ d: Duration) -> String {
            let value = Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15
            return String(Double(Int(value * 100)) / 100) + " ms"
        }
        var lines = ["jitctl: \(execution.backend): compile \(ms(execution.compileTime)), run \(ms(execution.runTime))"]
        if execution.backend == .auto && execution.tierUpEvents.isEmpty { lines.append("jitctl: auto: nothing got hot; the run stayed on x86") }
        lines += execution.tierUpEvents.map { "jitctl: auto: \($0)" }
        return lines.joined(separator: "\n")
    }

    package var backendOptions: BackendOptions { BackendOptions(llvmOptLevel: optLevel, llvmEngine: llvmEngine) }

    /// Compiles and runs the program on standard input and output, reports any error or trap on
    /// stderr, and returns the exit status (the README's table).
    package func perform() -> Int32 {
        do {
            if BackendOptions.needsLLVM(backend) {
                try LLVMHandOver.ensureLLVM()
                // LLVM's JIT is made while the frontend runs; an exit must not find it half made.
                // (`auto` starts LLVM only for code that runs long.)
                if backend == .llvm { LLVMServicesRegistry.services?.warmUp(backendOptions) }
            }
            defer { if backend == .llvm { LLVMServicesRegistry.services?.finishWarmUp() } }
            let lowered = try Pipeline.lower(path: file, options: programOptions)
            let io = ProgramIO(input: .standardInput, output: .standardOutput)
            let execution = try Runner.execute(lowered, on: backend, options: backendOptions, io: io, perfMap: perfMap)
            io.flush()
            if stats { Diagnostics.printError(statistics(execution)) }
            if let trap = execution.result.trap {
                Diagnostics.printError(trap.render(file: file))
                return trap.kind.exitStatus
            }
            if lowered.returnsValue, let value = execution.result.value {
                print(value)
            }
            return 0
        } catch {
            return Diagnostics.report(error)
        }
    }
}
