import Foundation
import JitCtl
import JitCtlCommands
import JitCtlLLVM
import JitCtlRun
import Testing
import TestSupport

/// `jitctl` starts without LLVM and without Foundation; it hands everything else to `jitctl-llvm`.
@Suite("start-up")
struct StartupTests {
    /// The files mapped into a `jitctl` process as it exited (`JITCTL_REPORT_MAPPED_FILES`).
    static func mappedFiles(_ arguments: [String], stdin: [UInt8] = [],
                            environment: [String: String] = [:]) throws -> (result: CLIResult, files: [String]) {
        let r = try CLI.run(arguments, stdin: stdin, environment: environment.merging([MappedFilesReport.environmentVariable: "1"]) { $1 })
        let prefix = "jitctl: mapped "
        let files = r.stderr.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        return (r, files)
    }

    @Test("a run on x86 or the interpreter maps neither libLLVM nor any Foundation library", arguments: ["x86", "interp"])
    func leanRun(backend: String) throws {
        let (r, files) = try Self.mappedFiles(["run", "--backend=\(backend)", CLI.example("hello-jitctl.bf")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText.hasPrefix("Hello"))
        // The report itself works: the executable and the C library are in it.
        #expect(files.contains { $0.hasSuffix("/jitctl") }, "\(files)")
        #expect(files.contains { $0.contains("/libc.so") }, "\(files)")
        #expect(!files.contains { $0.contains("libLLVM") }, "\(files)")
        #expect(!files.contains { $0.hasSuffix("/jitctl-llvm") }, "\(files)")
        #expect(!files.contains { $0.contains("libFoundation") || $0.contains("ICU") }, "\(files)")
    }

    @Test("a run on LLVM becomes jitctl-llvm, in the same process")
    func llvmRunIsHandedOver() throws {
        let (r, files) = try Self.mappedFiles(["run", "--backend=llvm", CLI.example("hello-jitctl.bf")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText.hasPrefix("Hello"))
        #expect(files.contains { $0.hasSuffix("/jitctl-llvm") }, "\(files)")
    }

    @Test("jitctl-llvm has the Swift runtime and Foundation linked in: it maps none of their shared libraries",
          .enabled(if: CLI.linksLLVMStatically, "jitctl-llvm links the shared libLLVM (not LLVM's archives)"))
    func companionLinksItsRuntimeIn() throws {
        let (r, files) = try Self.mappedFiles(["run", "--backend=llvm", CLI.example("hello-jitctl.bf")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(files.contains { $0.hasSuffix("/jitctl-llvm") }, "\(files)")
        #expect(!files.contains { $0.contains("libswiftCore") || $0.contains("libFoundation") || $0.contains("libLLVM") },
                "\(files)")
    }

    /// The LLVM run makes the JIT on another thread while the frontend reads the program; a
    /// program that fails to compile ends the process at once, which must wait for that thread.
    @Test("an LLVM run of a program with an error exits 1 with its position, every time")
    func llvmUserErrorWhileWarmingUp() throws {
        let open = try CLI.temporaryFile("warm-open.bf", "++[>+<-")
        for _ in 0..<10 {
            let r = try CLI.run(["run", "--backend=llvm", open])
            #expect(r.status == 1)
            #expect(r.stderr == "\(open):1:3: error: unmatched '['\n", "\(r.stderr)")
        }
    }

    @Test("without jitctl-llvm next to it, jitctl still runs on x86 and says what is missing for LLVM")
    func missingCompanion() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jitctl-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let alone = dir.appendingPathComponent("jitctl")
        try FileManager.default.copyItem(at: CLI.executable, to: alone)
        let x86 = try CLI.run(executable: alone, ["run", "--backend=x86", CLI.example("hello-jitctl.bf")])
        #expect(x86.status == 0, "\(x86.stderr)")
        #expect(x86.stdoutText.hasPrefix("Hello"))
        let llvm = try CLI.run(executable: alone, ["run", "--backend=llvm", CLI.example("hello-jitctl.bf")])
        #expect(llvm.status == 1)
        #expect(llvm.stderr.hasPrefix("jitctl: error: this needs jitctl-llvm"), "\(llvm.stderr)")
        #expect(llvm.stderr.contains(dir.appendingPathComponent("jitctl-llvm").path), "\(llvm.stderr)")
        #expect(llvm.stdout.isEmpty)
    }

    @Test("jitctl's own reading of 'run' agrees with ArgumentParser's", arguments: [
        ["p.bf"], ["--backend", "interp", "p.bf"], ["p.bf", "--backend=x86"], ["--backend=llvm", "p.bf"],
        ["--cell-bits", "16", "--eof", "zero", "--tape-size=100", "p.bf"], ["--cell-bits=32", "--eof=minus-one", "p.b"],
        ["--no-bf-opt", "--perf-map", "-O", "0", "p.bf"], ["-O", "3", "--llvm-engine", "mcjit", "p.bf"],
        ["f.sbc", "--call", "fib(3)"], ["--call=f(1, -2)", "--python", "/usr/bin/python3", "f.py"],
        ["--language", "ir", "x.txt"], ["--tape-size", "268435456", "p.bf"], ["--cell-bits", "+8", "p.bf"],
        // ArgumentParser reports these; jitctl must leave them to it.
        ["--cell-bits", "7", "p.bf"], ["--tape-size", "0", "p.bf"], ["--tape-size", "268435457", "p.bf"],
        ["-O", "4", "p.bf"], ["-O", "-1", "p.bf"], ["--backend", "gpu", "p.bf"], ["--eof", "maybe", "p.bf"],
        ["--language", "c", "p.bf"], ["--llvm-engine", "jit", "p.bf"], ["--bogus", "p.bf"], ["p.bf", "q.bf"], [],
        ["--backend"], ["--backend", "--no-bf-opt", "p.bf"], ["--call", "-1", "p.sbc"], ["--no-bf-opt=yes", "p.bf"],
        ["--help"], ["-h"], ["--", "p.bf"], ["-", "p.bf"], ["--cell-bits", "8", "--cell-bits", "16", "p.bf"],
        ["-O2", "p.bf"], ["--perf-map", "--perf-map", "p.bf"],
        ["--backend=auto", "--stats", "p.bf"], ["--stats", "--stats", "p.bf"], ["--stats=1", "p.bf"],
        ["--verify-ir", "p.bf"], ["p.bf", "--verify-ir", "--no-bf-opt"], ["--verify-ir=no", "p.bf"],
    ])
    func fastParserAgrees(arguments: [String]) throws {
        let parsed = try? RunCommand.parse(arguments)
        guard let fast = RunInvocation.parseFast(arguments) else { return }
        let full = try #require(parsed, "jitctl accepted \(arguments), which ArgumentParser rejects")
        #expect(fast == full.invocation)
    }

    @Test("plain command lines are read by jitctl itself", arguments: [
        ["p.bf"], ["--backend=interp", "--cell-bits", "16", "p.bf"], ["--tape-size=100", "--no-bf-opt", "-O", "1", "p.bf"],
        ["f.sbc", "--call", "fib(3)"],
    ])
    func fastParserReadsPlainLines(arguments: [String]) {
        #expect(RunInvocation.parseFast(arguments) != nil)
    }

    @Test("--verify-ir asks for the Brainfuck IR to be verified, which release builds otherwise skip")
    func verifyIRReachesTheProgramOptions() throws {
        let asked = try #require(RunInvocation.parseFast(["--verify-ir", "p.bf"]))
        #expect(asked.verifyIR && asked.programOptions.verifyGeneratedIR)
        var plain = try #require(RunInvocation.parseFast(["p.bf"]))
        #expect(plain.verifyIR == ProgramOptions.verifiesGeneratedIRByDefault)
        plain.verifyIR = false
        #expect(!plain.programOptions.verifyGeneratedIR)
        #expect(try RunCommand.parse(["--verify-ir", "p.bf"]).invocation.verifyIR)
    }
}

@Suite("LLVM services")
struct LLVMServicesTests {
    @Test("linking JitCtlLLVM is all a client does: the driver finds its services by name")
    func foundByName() {
        #expect(LLVMServicesRegistry.services is LinkedLLVMServices)
        #expect(BackendKind.llvm.makeEngine().name == "llvm")
    }
}
