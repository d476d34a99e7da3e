#if canImport(Glibc)
import Glibc
#endif
import JitCtlCore
import JitIR

/// Exit statuses of `jitctl` (the README lists them).
package enum ExitStatus {
    /// A user error: bad option, bad file, a program that does not compile.
    package static let userError: Int32 = 1
    /// The outputs of backends differ (`jitctl compare`).
    package static let mismatch: Int32 = 1
    /// A bug in jitctl.
    package static let internalError: Int32 = 70
}

package enum Diagnostics {
    package static func printError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            written += n
        }
    }

    /// Prints `error` the way jitctl reports it and returns the exit status it maps to.
    package static func report(_ error: any Error) -> Int32 {
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
}
