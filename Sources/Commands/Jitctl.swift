#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import JitCtlCore
import JitCtlRun

/// The `jitctl` command: a thin shell over the JitCtl library.
public struct Jitctl: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "jitctl",
        abstract: "A JIT compiler for Brainfuck and a CPython-like stack bytecode, with an x86-64 backend of its own and an LLVM backend.",
        subcommands: [RunCommand.self, CompareCommand.self, DumpCommand.self, FuzzCommand.self],
        defaultSubcommand: nil
    )

    public init() {}
}

extension Jitctl {
    /// The process entry point: parses the arguments and runs the command. Unlike
    /// `main()`, a usage error exits with status 1, like every other user error.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        MappedFilesReport.registerIfAsked()
        if arguments == nil {
            // A plain `run` skips ArgumentParser, whose start-up costs more than a small run.
            Launcher.runIfPlain(onLLVM: LLVMServicesRegistry.services != nil)
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            TieredEngine.exitProcess(0)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                // ArgumentParser's "Error: …" becomes "jitctl: error: …", like jitctl's other errors without a file.
                var text = fullMessage(for: error)
                if text.hasPrefix("Error: ") { text = "jitctl: error: " + text.dropFirst("Error: ".count) }
                Diagnostics.printError(text)
                Glibc.exit(ExitStatus.userError)
            }
            exit(withError: error)
        }
    }
}
