import Foundation
import Testing
import TestSupport

/// Runs the built `jitctl` executable as a user would, capturing what it prints.
struct CLIResult {
    /// The exit status, or the signal number when `signalled`.
    var status: Int32
    /// Whether the process was killed by a signal (a crash) rather than exiting.
    var signalled = false
    var stdout: [UInt8]
    var stderr: String
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

enum CLI {
    /// `jitctl` sits next to the test bundle in the build directory.
    static let executable: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while dir.path != "/" {
            dir.deleteLastPathComponent()
            let candidate = dir.appendingPathComponent("jitctl")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                return candidate
            }
        }
        return SharedData.repositoryRoot.appendingPathComponent(".build/debug/jitctl")
    }()

    /// Whether `jitctl-llvm` was linked with LLVM's static archives, and so with the fast
    /// start-up flags (Package.swift): the build's LLVM is 14 or 19 and its archives are
    /// installed (for 19, with libzstd's runtime).
    static let linksLLVMStatically: Bool = {
        let version = ProcessInfo.processInfo.environment["JITCTL_LLVM"] ?? "14"
        let archives = FileManager.default.fileExists(atPath: "/usr/lib/llvm-\(version)/lib/libLLVMCore.a")
        switch version {
        case "14": return archives
        case "19": return archives && FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/libzstd.so.1")
        default: return false
        }
    }()

    static func run(_ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:]) throws -> CLIResult {
        try run(executable: executable, arguments, stdin: stdin, environment: environment)
    }

    /// Runs `jitctl` with its virtual memory limited to `kilobytes` (`ulimit -v`, through /bin/sh).
    static func run(limitingVirtualMemoryTo kilobytes: Int, _ arguments: [String]) throws -> CLIResult {
        try run(executable: URL(fileURLWithPath: "/bin/sh"),
                ["-c", "ulimit -v \(kilobytes) && exec \"$0\" \"$@\"", executable.path] + arguments, stdin: [], environment: [:])
    }

    /// Runs `executable` (a copy of jitctl, or a shell) with `arguments`.
    static func run(executable: URL, _ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        // Files rather than pipes: nothing can stall on a full pipe.
        let outPath = try temporaryFile("stdout", [UInt8]())
        let errPath = try temporaryFile("stderr", [UInt8]())
        let inPath = try temporaryFile("stdin", stdin)
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        process.waitUntilExit()
        let out = FileManager.default.contents(atPath: outPath) ?? Data()
        let err = FileManager.default.contents(atPath: errPath) ?? Data()
        return CLIResult(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                         stdout: [UInt8](out), stderr: String(decoding: err, as: UTF8.self))
    }

    /// Writes `contents` to a fresh temporary file named `name` and returns its path.
    static func temporaryFile(_ name: String, _ contents: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jitctl-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(contents).write(to: url)
        return url.path
    }

    static func temporaryFile(_ name: String, _ text: String) throws -> String {
        try temporaryFile(name, Array(text.utf8))
    }

    /// Whether `python3` on PATH is a CPython that jitctl imports from (3.10 to 3.13).
    /// (jitctl imports `.py` files with `python3` unless told `--python`.)
    static let hasSupportedPython3: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 13) else 1)"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    static let noPython3: Comment = "no python3 3.10-3.13 on PATH"

    static func example(_ name: String) -> String {
        SharedData.repositoryRoot.appendingPathComponent("examples/\(name)").path
    }
}
