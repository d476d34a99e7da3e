import Foundation
import JitIR

/// The worker half of `jitctl fuzz`: a subprocess that runs programs and
/// reports on its standard output, one line per event, so that the
/// supervisor survives whatever a miscompiled program does to the worker.
///
///     begin 42                     program 42 is about to run
///     end 42 agree                 ... and every configuration agreed
///     end 42 fuel                  ... or some configuration ran out of fuel (discarded)
///     end 42 mismatch FILE         ... or they differed; FILE is the saved reproducer
///     beat                         still alive (sent while minimising)
///
/// Before `begin`, the worker writes the program's crash reproducer to its
/// scratch directory (`current.name`, `current.data`): if the worker then dies
/// or stops reporting, the supervisor saves that file.
public enum FuzzWorker {
    /// Which programs a worker runs.
    public struct Plan: Sendable {
        /// The first program index to consider (after a crash: the one after it).
        public var first: Int
        /// One past the last index of the campaign.
        public var end: Int
        /// This worker's number, and how many there are: worker k takes the
        /// programs whose unit (`index / unit`) is k modulo `jobs`.
        public var worker: Int
        public var jobs: Int
        /// Programs per unit: 1, or a Python batch, which must stay in one worker.
        public var unit: Int
        /// Stop before starting a program after this time.
        public var deadline: Date?

        public init(first: Int, end: Int, worker: Int = 0, jobs: Int = 1, unit: Int = 1, deadline: Date? = nil) {
            self.first = first
            self.end = end
            self.worker = worker
            self.jobs = max(1, jobs)
            self.unit = max(1, unit)
            self.deadline = deadline
        }

        public func owns(_ index: Int) -> Bool { (index / unit) % jobs == worker }
    }

    /// Runs the plan; returns when it is done or the deadline has passed.
    public static func run(settings: FuzzSettings, plan: Plan, out: String, scratch: String) throws {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var settings = settings
        if settings.cReference != nil { settings.cReference?.directory = scratch }
        var fuzzer = try settings.makeFuzzer(scratch: scratch)
        // Test hooks: make the worker crash or hang at one program, so that the
        // supervisor's recovery can be tested without a real compiler bug.
        let environment = ProcessInfo.processInfo.environment
        let crashAt = environment["JITCTL_FUZZ_TEST_CRASH"].flatMap { Int($0) }
        let hangAt = environment["JITCTL_FUZZ_TEST_HANG"].flatMap { Int($0) }
        var index = plan.first
        while index < plan.end {
            if let deadline = plan.deadline, Date() >= deadline { break }
            guard plan.owns(index) else {
                // Skip to the start of this worker's next unit.
                index = ((index / plan.unit) + 1) * plan.unit
                continue
            }
            let crash = fuzzer.crashReproducer(index: index)
            try Data(crash.contents).write(to: URL(fileURLWithPath: scratch + "/current.data"))
            try Data(crash.name.utf8).write(to: URL(fileURLWithPath: scratch + "/current.name"))
            report("begin \(index)")
            if index == crashAt { kill(getpid(), SIGSEGV) }
            if index == hangAt { while true { sleep(60) } }
            let result = fuzzer.run(index: index) { report("beat") }
            switch result.verdict {
            case .agree: report("end \(index) agree")
            case .outOfFuel: report("end \(index) fuel")
            case .mismatch:
                var first = ""
                for (name, contents) in result.files {
                    let path = out + "/" + name
                    try Data(contents).write(to: URL(fileURLWithPath: path))
                    if first.isEmpty { first = path }
                }
                report("end \(index) mismatch \(first)")
            }
            index += 1
        }
    }

    /// One protocol line, written at once (no buffering between worker and supervisor).
    static func report(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                exit(0)  // the supervisor has gone: nobody is listening
            }
            offset += n
        }
    }
}
