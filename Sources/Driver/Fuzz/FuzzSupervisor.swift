import Foundation
import JitIR

/// The supervisor half of `jitctl fuzz`: starts worker processes (the same
/// executable, with hidden worker options), reads their reports, and keeps
/// the campaign going when a worker dies by a signal or stops reporting —
/// that program is counted as a crash (or hang), saved, and a new worker
/// starts at the next program.
public final class FuzzSupervisor {
    /// Running totals, for the progress line and the summary.
    public struct Totals: Sendable {
        public var programs = 0
        public var mismatches = 0
        public var crashes = 0
        /// Programs discarded because they ran out of fuel (counted in `programs`).
        public var outOfFuel = 0
        public var elapsed: Double = 0
        public var rate: Double { elapsed > 0 ? Double(programs) / elapsed : 0 }
    }

    public struct Options: Sendable {
        /// The jitctl executable to start as a worker.
        public var executable: String
        /// Arguments that start worker `worker` at program `first`.
        public var workerArguments: @Sendable (_ first: Int, _ worker: Int, _ scratch: String) -> [String]
        public var jobs: Int
        /// One past the last program index.
        public var end: Int
        public var deadline: Date?
        /// Where reproducers go.
        public var out: String
        /// A worker that reports nothing for this long is killed (a hang).
        public var hangTimeout: Double

        public init(executable: String, workerArguments: @escaping @Sendable (Int, Int, String) -> [String], jobs: Int,
                    end: Int, deadline: Date?, out: String, hangTimeout: Double) {
            self.executable = executable
            self.workerArguments = workerArguments
            self.jobs = max(1, jobs)
            self.end = end
            self.deadline = deadline
            self.out = out
            self.hangTimeout = hangTimeout
        }
    }

    final class Worker {
        let number: Int
        let scratch: String
        var process: Process?
        /// Kept so that its read end stays open while the worker runs.
        var pipe: Pipe?
        var fd: Int32 = -1
        var buffer: [UInt8] = []
        var lastActivity = Date()
        /// The program begun and not yet ended.
        var current: Int?
        var finished = false
        var hung = false

        init(number: Int, scratch: String) {
            self.number = number
            self.scratch = scratch
        }
    }

    let options: Options
    public private(set) var totals = Totals()
    /// Reproducers saved so far (mismatches, crashes, hangs), for the report.
    public private(set) var findings: [String] = []
    /// Called when the totals change (at most a few times a second is up to the caller).
    public var onUpdate: ((Totals) -> Void)?
    /// Called with each reproducer path as it is saved.
    public var onFinding: ((String) -> Void)?

    public init(options: Options) { self.options = options }

    /// Runs the campaign to its end or deadline.
    public func run() throws -> Totals {
        let start = Date()
        let root = NSTemporaryDirectory() + "jitctl-fuzz-\(getpid())-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: options.out, withIntermediateDirectories: true)
        let workers = (0..<options.jobs).map { Worker(number: $0, scratch: "\(root)/w\($0)") }
        for w in workers { try launch(w, first: 0) }
        while workers.contains(where: { !$0.finished }) {
            var fds = workers.filter { !$0.finished }.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), 200)
            for pfd in fds where pfd.revents != 0 {
                guard let w = workers.first(where: { $0.fd == pfd.fd && !$0.finished }) else { continue }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = chunk.withUnsafeMutableBytes { read(pfd.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    w.buffer += chunk[..<n]
                    w.lastActivity = Date()
                    while let nl = w.buffer.firstIndex(of: 10) {
                        handle(String(decoding: w.buffer[..<nl], as: UTF8.self), from: w)
                        w.buffer.removeSubrange(...nl)
                    }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    try exited(w)
                }
            }
            for w in workers where !w.finished && !w.hung && Date().timeIntervalSince(w.lastActivity) > options.hangTimeout {
                // No report for too long: a hang (fuel makes generated code
                // finite, so this is a bug in a compiler or the runtime).
                w.hung = true
                if let p = w.process { kill(p.processIdentifier, SIGKILL) }
            }
            totals.elapsed = Date().timeIntervalSince(start)
            onUpdate?(totals)
        }
        totals.elapsed = Date().timeIntervalSince(start)
        return totals
    }

    func launch(_ w: Worker, first: Int) throws {
        try FileManager.default.createDirectory(atPath: w.scratch, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: options.executable)
        p.arguments = options.workerArguments(first, w.number, w.scratch)
        var environment = ProcessInfo.processInfo.environment
        // A crashing worker must die at once, not sit in Swift's backtracer.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        w.process = p
        w.fd = pipe.fileHandleForReading.fileDescriptor
        w.buffer = []
        w.current = nil
        w.hung = false
        w.lastActivity = Date()
        w.pipe = pipe
    }

    func handle(_ line: String, from w: Worker) {
        let words = line.split(separator: " ", maxSplits: 3).map(String.init)
        switch words.first {
        case "begin":
            w.current = words.count > 1 ? Int(words[1]) : nil
        case "end":
            w.current = nil
            totals.programs += 1
            if words.count > 2 && words[2] == "fuel" { totals.outOfFuel += 1 }
            if words.count > 3 && words[2] == "mismatch" {
                totals.mismatches += 1
                findings.append(words[3])
                onFinding?(words[3])
            }
        default:
            break  // `beat`: the activity time is all that matters
        }
    }

    /// The worker's output ended: it finished, or it died during a program.
    func exited(_ w: Worker) throws {
        guard let p = w.process else { return }
        p.waitUntilExit()
        w.process = nil
        w.pipe = nil
        let crashed = p.terminationReason == .uncaughtSignal || p.terminationStatus != 0
        guard let index = w.current, crashed else {
            w.finished = true
            if crashed {
                throw RunError("a fuzz worker failed before running any program (status \(p.terminationStatus))")
            }
            return
        }
        totals.programs += 1
        totals.crashes += 1
        let how = w.hung ? "stopped reporting for \(Int(options.hangTimeout)) s (a hang); it was killed"
            : p.terminationReason == .uncaughtSignal ? "died by signal \(p.terminationStatus)"
            : "exited with status \(p.terminationStatus)"
        let name = (try? String(contentsOfFile: w.scratch + "/current.name", encoding: .utf8)) ?? "program-\(index)"
        let kind = w.hung ? "hang" : "crash"
        let path = options.out + "/\(kind)-" + name
        if let data = FileManager.default.contents(atPath: w.scratch + "/current.data") {
            try data.write(to: URL(fileURLWithPath: path))
        }
        let note = "program \(index): the worker \(how) while running it\n"
        try Data(note.utf8).write(to: URL(fileURLWithPath: path + ".txt"))
        findings.append(path)
        onFinding?(path)
        if index + 1 < options.end && options.deadline.map({ Date() < $0 }) ?? true {
            try launch(w, first: index + 1)
        } else {
            w.finished = true
        }
    }
}
