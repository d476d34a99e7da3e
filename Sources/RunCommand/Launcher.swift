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
        runIfPlain(onLLVM: false)
        do {
            try LLVMHandOver.becomeCompanion()
        } catch {
            exit(Diagnostics.report(error))
        }
    }

    /// Runs and exits when the command line is a plain `jitctl run` (`RunInvocation.parseFast`)
    /// on a backend this process has; otherwise returns. `jitctl-llvm` calls it too, so that a
    /// plain `run --backend=llvm` skips ArgumentParser's start-up cost as well.
    package static func runIfPlain(onLLVM: Bool) {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.first == "run", let run = RunInvocation.parseFast(Array(arguments.dropFirst())),
              onLLVM || !BackendOptions.needsLLVM(run.backend) else { return }
        TieredEngine.exitProcess(run.perform())
    }
}
