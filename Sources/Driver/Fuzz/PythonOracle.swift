import Foundation
import JitIR

/// CPython as the oracle for generated Python functions: finds an interpreter
/// the importer supports and computes, in one run per batch, what each call
/// gives — a value, or the trap jitctl must raise instead.
public enum PythonOracle {
    /// The CPython 3.10–3.13 interpreters on this machine, by minor version: pyenv's
    /// versions (newest first), then `/usr/bin` and `/usr/local/bin`, then `python3` in `PATH`;
    /// the first one found of each minor version.
    public static func installedCPythons() -> [Int: String] {
        let fm = FileManager.default
        var candidates: [String] = []
        let root = ProcessInfo.processInfo.environment["PYENV_ROOT"] ?? (NSHomeDirectory() + "/.pyenv")
        if let versions = try? fm.contentsOfDirectory(atPath: root + "/versions") {
            candidates += versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
                .map { "\(root)/versions/\($0)/bin/python3" }
        }
        for minor in (10...13).reversed() {
            candidates += ["/usr/bin/python3.\(minor)", "/usr/local/bin/python3.\(minor)"]
        }
        if let p = Subprocess.which("python3") { candidates.append(p) }
        var found: [Int: String] = [:]
        for path in candidates where fm.isExecutableFile(atPath: path) {
            guard let minor = supportedMinor(path), found[minor] == nil else { continue }
            found[minor] = path
        }
        return found
    }

    /// The newest CPython 3.10–3.13 of `installedCPythons()`.
    public static func findCPython() -> String? {
        let found = installedCPythons()
        return found.keys.max().flatMap { found[$0] }
    }

    /// The minor version of `python` when it is a CPython 3.10–3.13.
    public static func supportedMinor(_ python: String) -> Int? {
        guard let out = try? Subprocess.run(python, ["-I", "-S", "-c", "import sys; print(sys.version_info[0] * 100 + sys.version_info[1])"],
                                            timeout: 20), out.succeeded,
              let v = Int(String(decoding: out.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              (310...313).contains(v)
        else { return nil }
        return v - 300
    }

    /// The checked program: the prelude, the checked functions, and a driver
    /// that prints one JSON string per call — the value, or the trap kind:
    /// ZeroDivisionError is `division_by_zero`, a negative shift count
    /// `negative_shift`, a float from `**` `negative_power`, and any result
    /// or intermediate value outside int64 `overflow` (jitctl's int64
    /// arithmetic traps where CPython's would grow a big int).
    public static func checkedProgram(functions: String, calls: [(entry: String, arguments: [Int64])]) -> String {
        let list = calls.map { "(\"\($0.entry)\", [\($0.arguments.map(String.init).joined(separator: ", "))])" }
        return PythonProgramGenerator.checkPrelude + functions + """

        import json, sys
        sys.setrecursionlimit(10000)
        out = []
        for name, args in [\(list.joined(separator: ",\n    "))]:
            try:
                r = int(globals()[name](*args))
                out.append(str(r) if -2**63 <= r < 2**63 else "overflow")
            except ZeroDivisionError:
                out.append("division_by_zero")
            except _Overflow:
                out.append("overflow")
            except _NegativePower:
                out.append("negative_power")
            except ValueError:
                out.append("negative_shift")
            except RecursionError:
                out.append("recursion_limit")
        print(json.dumps(out))

        """
    }

    /// What CPython says each call gives, in order; throws when CPython fails.
    static func expected(python: String, functions: String, calls: [(entry: String, arguments: [Int64])],
                         directory: String) throws -> [String] {
        let file = directory + "/checked.py"
        try checkedProgram(functions: functions, calls: calls).write(toFile: file, atomically: true, encoding: .utf8)
        let out = try Subprocess.run(python, ["-B", "-I", "-S", file], timeout: 120)
        guard out.succeeded,
              let list = try JSONSerialization.jsonObject(with: Data(out.stdout)) as? [String], list.count == calls.count
        else {
            throw RunError("CPython failed on the checked batch (status \(out.status)\(out.timedOut ? ", timed out" : "")): "
                           + out.stderr.split(separator: "\n").suffix(3).joined(separator: " | "))
        }
        return list
    }

    /// The string `expected` gives for what jitctl did.
    static func describe(_ outcome: Outcome) -> String {
        if let trap = outcome.trap { return trap.kind.rawValue }
        return outcome.value.map(String.init) ?? "none"
    }
}
