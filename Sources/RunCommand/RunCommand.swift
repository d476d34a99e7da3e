import ArgumentParser
import JitCtlCore
import JitIR

package struct RunCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Compile a program and run it.",
        discussion: """
            Brainfuck programs read standard input and write standard output. For .sbc and .py programs, \
            --call names the function; its int64 result is printed followed by a newline.
            Exit status: 0 on success; 1 for a user error (bad option, missing file, unmatched bracket, \
            unsupported construct), printed as FILE:LINE:COL: error: …; on a runtime trap, printed as \
            FILE:LINE:COL: trap: …, 3 for a cell outside the tape, 4 for division by zero, 5 for overflow, \
            6 for a negative shift count or exponent or a zero range() step, 7 for too deep recursion, 8 for unreachable code.
            """
    )

    @Option(help: ArgumentHelp("Where to run it: interp (the reference interpreter), x86 (our x86-64 compiler) or llvm."))
    package var backend: BackendKind = .x86

    @OptionGroup var program: ProgramArguments
    @OptionGroup var backendArguments: BackendArguments

    @Flag(help: ArgumentHelp("Write /tmp/perf-PID.map, so that `perf report` names each function and loop (x86) or function (LLVM with ORC)."))
    var perfMap = false

    package init() {}

    package func run() throws {
        try Diagnostics.guarded {
            if backend == .llvm { try LLVMHandOver.ensureLLVM() }
            let lowered = try Pipeline.lower(path: program.file, options: program.programOptions)
            let io = ProgramIO(input: .standardInput, output: .standardOutput)
            let execution = try Runner.execute(lowered, on: backend, options: backendArguments.backendOptions, io: io,
                                               perfMap: perfMap)
            io.flush()
            if let trap = execution.result.trap {
                Diagnostics.printError(trap.render(file: program.file))
                throw ExitCode(trap.kind.exitStatus)
            }
            if lowered.returnsValue, let value = execution.result.value {
                print(value)
            }
        }
    }
}
