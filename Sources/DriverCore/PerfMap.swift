#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JitIR

/// The symbol map `perf` reads for JIT code: `/tmp/perf-PID.map`, one `START SIZE name` line
/// (hexadecimal) per symbol. With it, `perf report` names each function and loop of the
/// program by its source position instead of showing bare addresses.
public enum PerfMap {
    /// The map's path for this process.
    public static var path: String { "/tmp/perf-\(getpid()).map" }

    /// Appends `symbols` (named after `program`) to this process's map.
    public static func write(_ symbols: [CodeSymbol], program: String) throws {
        var text = ""
        for s in symbols where s.size > 0 {
            text += String(s.address, radix: 16) + " " + String(s.size, radix: 16) + " " + program + " " + s.name + "\n"
        }
        guard let file = fopen(path, "a") else {
            throw SourceError(file: path, loc: .unknown, message: "cannot write the perf map: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        fputs(text, file)
    }
}
