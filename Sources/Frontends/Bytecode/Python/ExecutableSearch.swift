import Foundation

/// Finds a program to run the way a shell would: a path is taken as given, a bare name is
/// looked up in `PATH`.
public enum ExecutableSearch {
    /// `command` if it is a path to an executable file, else the first executable of that name in `PATH`.
    public static func find(_ command: String) -> String? {
        let fm = FileManager.default
        if command.contains("/") { return fm.isExecutableFile(atPath: command) ? command : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(command)"
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
