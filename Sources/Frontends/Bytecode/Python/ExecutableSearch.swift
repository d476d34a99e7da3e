#if canImport(Glibc)
import Glibc
#endif

/// Finds a program to run the way a shell would: a path is taken as given, a bare name is
/// looked up in `PATH`.
public enum ExecutableSearch {
    /// `command` if it is a path to an executable file, else the first executable of that name in `PATH`.
    public static func find(_ command: String) -> String? {
        if command.contains("/") { return isExecutableFile(command) ? command : nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(command)"
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    /// Whether `path` is a file (not a directory) that this process may execute.
    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return access(path, X_OK) == 0 && stat(path, &info) == 0 && info.st_mode & S_IFMT != S_IFDIR
    }
}
