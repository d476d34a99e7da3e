#if canImport(Glibc)
import Glibc
#endif
import JitCtlCore

/// With `JITCTL_REPORT_MAPPED_FILES=1` in the environment, jitctl prints on stderr, as it exits,
/// every file mapped into its process (`/proc/self/maps`), one `jitctl: mapped PATH` line each.
/// The tests use it to check that a run on the x86 backend never loads libLLVM.
package enum MappedFilesReport {
    package static let environmentVariable = "JITCTL_REPORT_MAPPED_FILES"

    /// Arranges for the report at exit when the environment asks for it.
    package static func registerIfAsked() {
        guard getenv(environmentVariable) != nil else { return }
        atexit { MappedFilesReport.print() }
    }

    /// The distinct files in `/proc/self/maps`, in address order.
    package static func mappedFiles() -> [String] {
        guard let maps = try? SourceFile.read("/proc/self/maps") else { return [] }
        var seen = Set<String>(), files: [String] = []
        for line in String(decoding: maps, as: UTF8.self).split(separator: "\n") {
            // The path is the sixth field and may itself contain spaces.
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            if seen.insert(path).inserted { files.append(path) }
        }
        return files
    }

    static func print() {
        for file in mappedFiles() { Diagnostics.printError("jitctl: mapped \(file)") }
    }
}
