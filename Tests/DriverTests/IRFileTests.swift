import Testing

/// `.ir` files come from users, so the driver guards their memory accesses:
/// no backend may touch memory outside the module's own.
@Suite("jitctl run on .ir files")
struct IRFileTests {
    static let program = """
        memory 16
        func @poke(%0: i64) -> i64 {
          regs %1: i64
        entry:
          store i64 42, [%0 + 0]      !5:3
          %1 = load i64 [%0 + 0]      !6:3
          ret %1
        }
        """

    @Test("in range, the value comes back; out of range, a trap, never a crash",
          arguments: ["interp", "x86", "llvm"])
    func guarded(backend: String) throws {
        let path = try CLI.temporaryFile("poke.ir", Self.program)
        var r = try CLI.run(["run", "--backend", backend, path, "--call", "poke(8)"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText == "42\n")
        for address in ["9", "-8", "100000000000", "-9223372036854775808"] {
            r = try CLI.run(["run", "--backend", backend, path, "--call", "poke(\(address))"])
            #expect(r.status == 3, "poke(\(address)): \(r.stderr)")
            #expect(r.stderr.contains("\(path):5:3: trap:"), "\(r.stderr)")
        }
    }

    @Test("an invalid module is a positioned user error")
    func invalid() throws {
        let path = try CLI.temporaryFile("bad.ir", "func @f() -> i64 {\nentry:\n  ret %9\n}\n")
        let r = try CLI.run(["run", path, "--call", "f()"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error:"), "\(r.stderr)")
    }
}
