import Foundation
import JitCtl
import Testing

/// The CPython interpreters on this machine that the importer supports (pyenv's
/// versions, `/usr/bin`, `/usr/local/bin`, `python3` in `PATH`). Tests that
/// need a version skip it when it is absent.
enum PythonInterpreters {
    /// Path of a CPython 3.`minor` interpreter, for minor 10...13 (found as the fuzzer finds them).
    static let byMinor: [Int: String] = PythonOracle.installedCPythons()

    /// Any supported interpreter (the newest), for computing expected results.
    static var any: String? { byMinor.keys.max().flatMap { byMinor[$0] } }

    /// The minor versions found, ascending: the arguments of tests run once per CPython
    /// version (no cases at all when there is none; such tests are also disabled then).
    static var minors: [Int] { byMinor.keys.sorted() }

    /// Why a test that needs CPython is skipped.
    static let absent: Comment = "no CPython 3.10-3.13 found (pyenv versions, /usr/bin, /usr/local/bin, PATH)"

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }
}

/// A fresh directory for a test's files, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "jitctl-bytecode-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
