import ArgumentParser
import JitCtlCore
import JitCtlRun
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

    @Option(help: ArgumentHelp("Where to run it: auto (the default: x86 at once, LLVM for what runs long), x86 (our x86-64 compiler), llvm, or interp (the reference interpreter)."))
    var backend: BackendKind = .auto

    @OptionGroup var program: ProgramArguments
    @OptionGroup var backendArguments: BackendArguments

    @Flag(help: ArgumentHelp("Write /tmp/perf-PID.map, so that `perf report` names each function and loop (x86) or function (LLVM with ORC)."))
    var perfMap = false

    @Flag(help: ArgumentHelp("Print to stderr how long compiling and running took, and what --backend=auto compiled with LLVM and when it moved there."))
    var stats = false

    package init() {}

    /// The run these arguments describe.
    package var invocation: RunInvocation {
        var run = RunInvocation(file: program.file)
        run.backend = backend
        program.apply(to: &run)
        run.optLevel = backendArguments.optLevel
        run.llvmEngine = backendArguments.llvmEngine
        run.perfMap = perfMap
        run.stats = stats
        return run
    }

    package func run() throws {
        let status = invocation.perform()
        // A tier-up or background compile may still be running: leave without waiting for it.
        if TieredEngine.isCompiling { TieredEngine.exitProcess(status) }
        if status != 0 { throw ExitCode(status) }
    }
}
