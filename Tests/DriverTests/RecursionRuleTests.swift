import Testing

/// The recursion limit is a rule of the IR (`CallDepth`), so every engine stops runaway
/// recursion after exactly the same output, with the same status, at the same call.
@Suite("the recursion rule on every engine")
struct RecursionRuleTests {
    /// Each activation writes one byte and then calls itself: 100,000 activations write
    /// 100,000 bytes, and the call that would start the 100,001st traps.
    static let program = """
        func @main() {
        entry:
          hostcall putbyte(46)
          call @main()
          ret
        }
        """

    /// A tail call in all but name: LLVM -O2's tail-call elimination once turned it into a
    /// loop that never trapped.
    @Test(arguments: [
        ["--backend", "interp"], ["--backend", "x86"],
        ["--backend", "llvm", "-O", "0"], ["--backend", "llvm", "-O", "2"],
        ["--backend", "llvm", "-O", "2", "--llvm-engine", "mcjit"],
    ])
    func runawayRecursionStopsAtTheSamePlace(options: [String]) throws {
        let path = try CLI.temporaryFile("rec.ir", Self.program)
        let r = try CLI.run(["run"] + options + [path, "--call", "main()"])
        #expect(r.status == 7, "\(r.stderr)")
        #expect(r.stdout.count == 100_000)
        #expect(r.stdout.allSatisfy { $0 == UInt8(ascii: ".") })
        // The position is the call's own place in the text, as the file carries no `!line:col`.
        #expect(r.stderr == "\(path):4:3: trap: RecursionError: maximum recursion depth exceeded\n")
    }

    /// Recursion just inside the limit runs to the end on every engine.
    @Test(arguments: ["interp", "x86", "llvm"])
    func recursionUpToTheLimitReturns(backend: String) throws {
        let path = try CLI.temporaryFile("depth.ir", """
            func @depth(%0: i64) -> i64 {
              regs %1: i1, %2: i64
            entry:
              %1 = cmp sle i64 %0, 1
              br %1, done, more
            done:
              ret 1
            more:
              %2 = sub i64 %0, 1
              %2 = call i64 @depth(%2)
              %2 = add i64 %2, 1
              ret %2
            }
            """)
        var r = try CLI.run(["run", "--backend", backend, path, "--call", "depth(100000)"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText == "100000\n")
        r = try CLI.run(["run", "--backend", backend, path, "--call", "depth(100001)"])
        #expect(r.status == 7, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("\(path):10:3: trap: RecursionError"), "\(r.stderr)")
    }
}
