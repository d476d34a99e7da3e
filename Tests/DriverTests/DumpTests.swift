import Foundation
import Testing

@Suite("jitctl dump")
struct DumpTests {
    static let program = "+++[>++<-]>."

    @Test("--ir before and after optimisation")
    func ir() throws {
        let path = try CLI.temporaryFile("d.bf", Self.program)
        let before = try CLI.run(["dump", "--ir", "--stage", "before", path])
        let after = try CLI.run(["dump", "--ir", "--stage", "after", path])
        #expect(before.status == 0 && after.status == 0, "\(before.stderr) \(after.stderr)")
        #expect(before.stdoutText.contains("func @main"))
        #expect(before.stdoutText.contains("load i8"))
        #expect(before.stdoutText != after.stdoutText, "the multiply loop is rewritten")
    }

    @Test("--llvm-ir before and after the passes")
    func llvmIR() throws {
        let path = try CLI.temporaryFile("d.bf", Self.program)
        let before = try CLI.run(["dump", "--llvm-ir", "--stage", "before", path])
        let after = try CLI.run(["dump", "--llvm-ir", "--stage", "after", "-O", "2", path])
        #expect(before.status == 0 && after.status == 0)
        #expect(before.stdoutText.contains("alloca"))
        #expect(after.stdoutText.contains("define"))
        #expect(!after.stdoutText.contains("alloca"), "mem2reg removes the allocas at O2")
    }

    @Test("--asm shows each backend's code with addresses and bytes", arguments: ["x86", "llvm"])
    func asm(backend: String) throws {
        let path = try CLI.temporaryFile("d.bf", Self.program)
        let r = try CLI.run(["dump", "--asm", "--backend", backend, path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText.contains("main"))
        #expect(r.stdoutText.contains("ret"))
        // A line such as "  0000:  55  push rbp": address, hex bytes, mnemonic.
        let hasListingLine = r.stdoutText.split(separator: "\n").contains { line in
            line.range(of: #"^\s+[0-9a-f]{4,}:\s+([0-9a-f]{2} )+\s*[a-z]"#, options: .regularExpression) != nil
        }
        #expect(hasListingLine, "\(r.stdoutText.prefix(400))")
    }

    @Test("--side-by-side fits 80 and 160 columns", arguments: [80, 160])
    func sideBySide(width: Int) throws {
        let path = try CLI.temporaryFile("d.bf", Self.program)
        let r = try CLI.run(["dump", "--asm", "--side-by-side", "--width", "\(width)", path])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdoutText.split(separator: "\n")
        #expect(lines.count > 5)
        #expect(lines.allSatisfy { $0.count <= width }, "a line is wider than \(width)")
        #expect(lines[0].contains("x86") && lines[0].contains("llvm"))
        #expect(lines.contains { $0.contains("│") && $0.contains("ret") })
    }

    @Test("exactly one view must be chosen")
    func oneView() throws {
        let path = try CLI.temporaryFile("d.bf", Self.program)
        #expect(try CLI.run(["dump", path]).status == 1)
        #expect(try CLI.run(["dump", "--ir", "--asm", path]).status == 1)
        #expect(try CLI.run(["dump", "--asm", "--backend", "interp", path]).status == 1)
    }
}
