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

    @Test("--passes runs the chosen BF passes in order; --each-pass shows each one's result")
    func chosenPasses() throws {
        let path = try CLI.temporaryFile("d.bf", ",>,<[->-[>+>>]>[+[-<+>]>+>>]<<<<<]+++[>++<-]")
        let divmod = try CLI.run(["dump", "--bf", "--passes", "run-length,divmod-loops", path])
        #expect(divmod.status == 0, "\(divmod.stderr)")
        #expect(divmod.stdoutText.contains("divmod [0] divisor [1] remainder [2] quotient [3] @1:5"))
        #expect(divmod.stdoutText.contains("loop @1:38"), "multiply-loops did not run")
        let multiply = try CLI.run(["dump", "--bf", "--passes", "run-length,multiply-loops", path])
        #expect(multiply.stdoutText.contains("multiply [0] step -1 [1]+=2 @1:38"))
        #expect(!multiply.stdoutText.contains("divmod"))

        let each = try CLI.run(["dump", "--bf", "--each-pass", path])
        #expect(each.status == 0, "\(each.stderr)")
        let headers = each.stdoutText.split(separator: "\n").filter { $0.hasPrefix("; after ") }
        #expect(headers.first == "; after literal")
        #expect(headers.contains("; after divmod-loops") && headers.contains("; after offset-folding"))
        let whole = try CLI.run(["dump", "--bf", path])
        #expect(each.stdoutText.hasSuffix(whole.stdoutText), "the last stage is what the whole pipeline leaves")

        let ir = try CLI.run(["dump", "--ir", "--passes", "run-length", path])
        #expect(ir.status == 0 && ir.stdoutText.contains("func @main"), "\(ir.stderr)")
    }

    @Test("--passes rejects unknown passes and other views", arguments: [
        ["--bf", "--passes", "run-length,fast"], ["--asm", "--passes", "run-length"],
        ["--ir", "--each-pass"], ["--bf", "--passes", "run-length", "--stage", "before"],
        ["--bf", "--each-pass", "--no-bf-opt"],
    ])
    func badPasses(arguments: [String]) throws {
        let path = try CLI.temporaryFile("d.bf", Self.program)
        let r = try CLI.run(["dump"] + arguments + [path])
        #expect(r.status == 1)
        if arguments.contains("run-length,fast") { #expect(r.stderr.contains("no BF pass 'fast'; the passes are run-length, divmod-loops")) }
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
