import Foundation
import Testing

/// `jitctl run --perf-map` writes `/tmp/perf-PID.map` in the format `perf` reads:
/// `START SIZE name` in hexadecimal, one line per function and loop, in address order.
@Suite struct PerfMapTests {
    @Test func x86CodeIsNamedByFunctionAndLoop() throws {
        let path = try CLI.temporaryFile("loops.bf", ",[>.<-],[.-]")
        let started = Date()
        let r = try CLI.run(["run", "--backend", "x86", "--perf-map", path], stdin: [2, 3])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == [0, 0, 3, 2, 1])
        let entries = try #require(Self.entries(mentioning: path, since: started))
        #expect(entries.contains { $0.hasSuffix("\(path) @main") })
        #expect(entries.filter { $0.contains("@main loop at 1:") }.count == 2)
        var previousEnd: UInt64 = 0
        for line in entries {
            let fields = line.split(separator: " ", maxSplits: 2)
            let start = try #require(UInt64(fields[0], radix: 16)), size = try #require(UInt64(fields[1], radix: 16))
            #expect(size > 0 && start >= previousEnd, "\(line)")
            previousEnd = start + size
        }
    }

    /// With `auto`, the LLVM code a run moves to is named too, when it moves.
    @Test func codeMovedToWhileRunningIsNamed() throws {
        let path = try CLI.temporaryFile("moves.bf", ",[.-]")
        let started = Date()
        let r = try CLI.run(["run", "--backend", "auto", "--perf-map", path], stdin: [3],
                            environment: ["JITCTL_AUTO_AT_POLL": "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == [3, 2, 1])
        let entries = try #require(Self.entries(mentioning: path, since: started))
        #expect(entries.contains { $0.contains("\(path) @main.osr.b") }, "\(entries)")
    }

    /// With LLVM (ORC), each function of the module is named, its entry wrapper too.
    @Test func llvmCodeIsNamedByFunction() throws {
        let path = try CLI.temporaryFile("calls.ir", """
            func @twice(%0: i64) -> i64 {
              regs %1: i64
            entry:
              %1 = call i64 @twice_inner(%0)
              ret %1
            }
            func @twice_inner(%0: i64) -> i64 {
              regs %1: i64
            entry:
              %1 = add i64 %0, %0
              ret %1
            }
            """)
        let started = Date()
        let r = try CLI.run(["run", "--backend", "llvm", "-O", "0", "--perf-map", path, "--call", "twice(21)"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText == "42\n")
        let entries = try #require(Self.entries(mentioning: path, since: started))
        #expect(entries.contains { $0.hasSuffix("\(path) @twice (entry)") })
        #expect(entries.contains { $0.hasSuffix("\(path) @twice_inner") })
    }

    /// The lines of the perf map written since `started` that name `path`.
    static func entries(mentioning path: String, since started: Date) -> [Substring]? {
        let maps = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp"))?.filter {
            $0.hasPrefix("perf-") && $0.hasSuffix(".map")
        } ?? []
        return maps.compactMap { name -> [Substring]? in
            let file = "/tmp/" + name
            guard let date = try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date,
                  date >= started.addingTimeInterval(-1),
                  let text = try? String(contentsOfFile: file, encoding: .utf8), text.contains(path) else { return nil }
            return text.split(separator: "\n").filter { $0.contains(path) }
        }.first
    }
}
