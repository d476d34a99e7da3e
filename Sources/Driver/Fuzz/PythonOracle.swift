import Foundation
import JitIR

/// CPython as the oracle for generated Python functions: finds an interpreter
/// the importer supports and computes, in one run per batch, what each call
/// gives — a value, or the trap jitctl must raise instead.
public enum PythonOracle {
    /// A CPython 3.10–3.13 (the newest found): pyenv's versions, then
    /// `/usr/bin` and `/usr/local/bin`, then `python3` in `PATH`.
    public static func findCPython() -> String? {
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
        for path in candidates where fm.isExecutableFile(atPath: path) && supported(path) { return path }
        return nil
    }

    /// Whether `python` is a CPython 3.10–3.13.
    public static func supported(_ python: String) -> Bool {
        guard let out = try? Subprocess.run(python, ["-I", "-S", "-c", "import sys; print(sys.version_info[0] * 100 + sys.version_info[1])"],
                                            timeout: 20), out.succeeded,
              let v = Int(String(decoding: out.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else { return false }
        return (310...313).contains(v)
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
