import Foundation

/// The C reference for Brainfuck: `bf2c.py` (in `../shared/tools`) translates
/// the program to C, gcc -O2 compiles it, and its output must equal jitctl's.
///
/// bf2c.py knows one dialect — 8-bit wrapping cells, EOF leaves the cell
/// unchanged — and does no bounds checks, so it is only asked about programs
/// of that dialect whose jitctl run did not trap (then every cell touched was
/// on the tape, and the C program is well defined). The tape is given with
/// `--tape N --start 0`, as jitctl's pointer starts at cell 0.
public struct CReference: Sendable {
    public var bf2c: String
    public var python: String
    public var gcc: String
    /// Where the C files and binaries are built.
    public var directory: String

    public init(bf2c: String, python: String, gcc: String, directory: String) {
        self.bf2c = bf2c
        self.python = python
        self.gcc = gcc
        self.directory = directory
    }

    /// The C reference when `bf2c.py`, a Python 3 and gcc are all found; nil otherwise.
    /// `bf2c` defaults to `../shared/tools/bf2c.py` seen from the current
    /// directory or from any directory above the jitctl executable.
    public static func find(bf2c explicit: String? = nil, directory: String) -> CReference? {
        let fm = FileManager.default
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        candidates.append(fm.currentDirectoryPath + "/../shared/tools/bf2c.py")
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            candidates.append(dir.appendingPathComponent("shared/tools/bf2c.py").path)
            dir.deleteLastPathComponent()
        }
        guard let script = candidates.first(where: { fm.fileExists(atPath: $0) }),
              let python = Subprocess.which("python3"), let gcc = Subprocess.which("gcc") else { return nil }
        return CReference(bf2c: script, python: python, gcc: gcc, directory: directory)
    }

    public enum Result: Sendable {
        case output([UInt8])
        /// The C program did not finish in time (jitctl's run finished, so this is a finding).
        case failed(String)
    }

    /// Translates, compiles and runs `source`.
    public func run(source: [UInt8], tapeSize: Int, input: [UInt8]) -> Result {
        let bf = directory + "/cref.bf", c = directory + "/cref.c", exe = directory + "/cref"
        do {
            try Data(source).write(to: URL(fileURLWithPath: bf))
            let translated = try Subprocess.run(python, [bf2c, bf, "--tape", String(tapeSize), "--start", "0"], timeout: 30)
            guard translated.succeeded else { return .failed("bf2c.py: \(translated.stderr)") }
            try Data(translated.stdout).write(to: URL(fileURLWithPath: c))
            let compiled = try Subprocess.run(gcc, ["-O2", "-w", c, "-o", exe], timeout: 60)
            guard compiled.succeeded else { return .failed("gcc: \(compiled.stderr)") }
            let ran = try Subprocess.run(exe, [], stdin: input, timeout: 10)
            if ran.timedOut { return .failed("the C program ran for more than 10 s") }
            guard ran.status == 0 else { return .failed("the C program exited with status \(ran.status)") }
            return .output(ran.stdout)
        } catch {
            return .failed("\(error)")
        }
    }
}
