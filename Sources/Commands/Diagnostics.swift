import ArgumentParser
import Foundation
import JitCtl
import JitIR

/// Exit statuses of `jitctl` (the README lists them).
enum ExitStatus {
    /// A user error: bad option, bad file, a program that does not compile.
    static let userError: Int32 = 1
    /// The outputs of backends differ (`jitctl compare`).
    static let mismatch: Int32 = 1
    /// A bug in jitctl.
    static let internalError: Int32 = 70
}

enum Diagnostics {
    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints `error` the way jitctl reports it and returns the exit status it maps to.
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let e as SourceError:
            printError(e.description)
            return ExitStatus.userError
        case let e as VerificationError:
            for d in e.diagnostics { printError(d.description) }
            return ExitStatus.userError
        case let e as RunError:
            printError("jitctl: error: \(e.message)")
            return ExitStatus.userError
        case let e as InternalError:
            printError("jitctl: \(e.description) (this is a bug in jitctl)")
            return ExitStatus.internalError
        default:
            printError("jitctl: error: \(error)")
            return ExitStatus.userError
        }
    }

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
