#if canImport(Glibc)
import Glibc
#endif
import JitCtlCore

/// The whole of `jitctl`: `jitctl run` on the interpreter or the x86 backend runs here; any
/// other command, `--backend=llvm`, help and every command line that `RunInvocation.parseFast`
/// leaves alone go to `jitctl-llvm` (`LLVMHandOver`), which parses them with ArgumentParser.
package enum Launcher {
    package static func main() -> Never {
        MappedFilesReport.registerIfAsked()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "run", let run = RunInvocation.parseFast(Array(arguments.dropFirst())), run.backend != .llvm {
            exit(run.perform())
        }
        do {
            try LLVMHandOver.becomeCompanion()
        } catch {
            exit(Diagnostics.report(error))
        }
    }
}
