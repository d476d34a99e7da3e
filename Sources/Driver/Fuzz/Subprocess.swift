import BytecodeFrontend
import Foundation

/// Runs a helper program (CPython, bf2c.py, gcc, a compiled C program) to
/// completion with a time limit. Standard streams go through temporary files,
/// so a chatty child can never block on a full pipe.
enum Subprocess {
    struct Output {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
        /// The child was killed because it ran past the time limit.
        var timedOut: Bool
        var succeeded: Bool { status == 0 && !timedOut }
    }

    static func run(_ executable: String, _ arguments: [String], stdin: [UInt8] = [], timeout: Double = 60,
                    directory: String = NSTemporaryDirectory()) throws -> Output {
        let tag = UUID().uuidString
        let inPath = directory + "/.in-\(tag)", outPath = directory + "/.out-\(tag)", errPath = directory + "/.err-\(tag)"
        defer { for p in [inPath, outPath, errPath] { try? FileManager.default.removeItem(atPath: p) } }
        _ = FileManager.default.createFile(atPath: inPath, contents: Data(stdin))
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(2_000)
        }
        process.waitUntilExit()
        let out = FileManager.default.contents(atPath: outPath) ?? Data()
        let err = FileManager.default.contents(atPath: errPath) ?? Data()
        return Output(status: process.terminationStatus, stdout: [UInt8](out),
                      stderr: String(decoding: err, as: UTF8.self), timedOut: timedOut)
    }

    /// `command` if it is a path to an executable, else its location in `PATH`.
    static func which(_ command: String) -> String? { ExecutableSearch.find(command) }
}
