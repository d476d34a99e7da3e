import ArgumentParser
import JitCtlRun

extension Diagnostics {
    /// Runs `body`, turning jitctl's error values into messages and exit codes.
    static func guarded(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as ExitCode {
            throw e
        } catch let e as CleanExit {
            throw e
        } catch {
            throw ExitCode(report(error))
        }
    }
}
