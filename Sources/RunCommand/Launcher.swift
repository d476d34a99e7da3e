#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import JitCtlCore

/// The whole of `jitctl`: `jitctl run` on the interpreter or the x86 backend runs here; any
/// other command, `--backend=llvm`, help and every command line that does not parse go to
/// `jitctl-llvm` (`LLVMHandOver`), which parses them again and reports as it always did.
package enum Launcher {
    package static func main() -> Never {
        MappedFilesReport.registerIfAsked()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "run", let command = try? RunCommand.parse(Array(arguments.dropFirst())), command.backend != .llvm {
            do {
                try command.run()
                exit(0)
            } catch let status as ExitCode {
                exit(status.rawValue)
            } catch {
                RunCommand.exit(withError: error)
            }
        }
        do {
            try LLVMHandOver.becomeCompanion()
        } catch {
            exit(Diagnostics.report(error))
        }
    }
}
