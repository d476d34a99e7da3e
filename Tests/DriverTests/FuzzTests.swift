import BFFrontend
import Foundation
import JitCtl
import JitIR
import LLVMBackend
import Testing

@Suite("jitctl fuzz: generators, fuel, minimisers")
struct FuzzTests {
    @Test("generators are deterministic for a seed, and differ between programs")
    func deterministic() {
        let ir = { (i: Int) in IRText.print(IRProgramGenerator.generate(seed: 11, index: i).module) }
        #expect(ir(3) == ir(3))
        #expect(ir(3) != ir(4))
        #expect(BFProgramGenerator.generate(seed: 11, index: 3) == BFProgramGenerator.generate(seed: 11, index: 3))
        #expect(BFProgramGenerator.generate(seed: 11, index: 3) != BFProgramGenerator.generate(seed: 12, index: 3))
        let py = { (seed: UInt64) -> String in
            var g = PythonProgramGenerator(seed: seed)
            g.recursion = true
            let f = g.function(name: "f")
            return g.extraFunctions(checked: false) + PythonProgramGenerator.render(f, checked: true)
        }
        #expect(py(5) == py(5))
        #expect(py(5) != py(6))
    }

    @Test("generated IR modules always verify, entries sometimes take 7 or more parameters, and native backends sometimes inline calls")
    func irVerifies() {
        var wideEntries = 0, inlined = 0
        for index in 0..<200 {
            let p = IRProgramGenerator.generate(seed: 7, index: index)
            let problems = IRVerifier.diagnostics(p.module)
            #expect(problems.isEmpty, "index \(index): \(problems.prefix(3))")
            if !problems.isEmpty { break }
            let entry = p.module.function(named: p.entry)
            if entry?.parameters.count ?? 0 >= 7 { wideEntries += 1 }
            #expect(entry?.parameters.count == p.arguments.count)
            let withInlining = RecursiveInlining.run(p.module)
            if withInlining != p.module {
                inlined += 1
                #expect(IRVerifier.diagnostics(withInlining).isEmpty, "index \(index) after inlining")
            }
        }
        #expect(wideEntries > 0)
        #expect(inlined >= 10, "the fuzzer should reach RecursiveInlining often")
    }

    @Test("generated IR covers every operation, type and checked form")
    func irCoverage() {
        var ops = Set<String>()
        for index in 0..<200 {
            for f in IRProgramGenerator.generate(seed: 3, index: index).module.functions {
                for b in f.blocks {
                    for i in b.instructions {
                        switch i.op {
                        case .binary(let o, let d, _, let rhs, let checked):
                            ops.insert("\(o)\(checked ? ".ovf" : "") \(f.type(of: d))")
                            if o == .and && rhs == .imm((1 << 17) - 1) { ops.insert("deep recursion") }
                        case .unary(let o, let d, _, let checked): ops.insert("\(o)\(checked ? ".ovf" : "") \(f.type(of: d))")
                        case .load(let d, _, _): ops.insert("load \(f.type(of: d))")
                        case .store(let t, _, _, _): ops.insert("store \(t)")
                        case .hostCall(let h, _, _): ops.insert("\(h)")
                        case .call(_, _, let args): if args.count >= 7 { ops.insert("call7+") }
                        case .scan(_, _, let t, let step, _):
                            ops.insert("scan \(t)")
                            if step < 0 { ops.insert("scan backwards") }
                        default: break
                        }
                    }
                }
            }
        }
        for t in IntType.allCases {
            for o in BinaryOp.allCases { #expect(ops.contains("\(o) \(t)"), "no \(o) \(t)") }
            for o in ["add.ovf", "sub.ovf", "mul.ovf", "neg.ovf", "neg", "not"] { #expect(ops.contains("\(o) \(t)"), "no \(o) \(t)") }
            #expect(ops.contains("load \(t)") && ops.contains("store \(t)"), "no memory access of \(t)")
        }
        #expect(ops.contains("putByte") && ops.contains("getByte") && ops.contains("call7+"))
        for t in IntType.allCases where t != .i1 { #expect(ops.contains("scan \(t)"), "no scan \(t)") }
        #expect(ops.contains("scan backwards") && ops.contains("deep recursion"))
    }

    @Test("fuel stops an endless loop on every engine, with the fuel trap")
    func fuelStopsLoops() throws {
        let module = try IRText.parse("""
            memory 3
            func @main() -> i64 {
            entry:
              jump loop
            loop:
              jump loop
            }
            """, file: "loop.ir")
        let instrumented = Fuel.instrument(module, budget: 1000)
        #expect(instrumented.memorySize == 16)
        #expect(IRVerifier.diagnostics(instrumented).isEmpty)
        let runner = DifferentialRunner(configs: FuzzConfig.configs(forProgram: 0, all: true), fuel: 1000)
        let result = runner.run(module, entry: "main", arguments: [], input: [])
        #expect(result.results.count == 8)  // interp, x86, auto, llvm -O0/-O2 on ORC and MCJIT, llvm tiny
        for (config, r) in result.results {
            #expect(Fuel.isExhausted(r.outcome?.trap), "\(config): \(r)")
        }
        #expect(result.verdict == .outOfFuel)
        // A Brainfuck loop that never ends ([-] on an odd cell, two at a time).
        var bf = BFOptions()
        bf.tapeSize = 4
        let p = GeneratedBFProgram(source: Array("+[--]".utf8), options: bf, input: [])
        let verdict = RegressionCorpus.replayProgram(p, fuel: 1000)
        #expect(verdict == .outOfFuel)
    }

    /// Programs on MCJIT also run on LLVM with tiny lazy pieces, tiering and loop entries, which
    /// the fuzzer's small programs reach no other way; they must agree with the interpreter.
    @Test("a tiny-pieces LLVM configuration runs outlining, tiering and loop entries")
    func tinyPieces() throws {
        let tiny = FuzzConfig.configs(forProgram: 1, all: false).filter { $0.options.llvmTinyPieces }
        #expect(tiny.map(\.description) == ["llvm-O2-orc-tiny"])
        #expect(!FuzzConfig.configs(forProgram: 0, all: false).contains { $0.options.llvmTinyPieces })
        let engine = try #require(tiny.first.map { $0.backend.makeEngine($0.options) } as? LLVMBackend)
        #expect(engine.outlining.pieceInstructions == 12 && engine.outlining.loopEntryIterations == 3)
        let program = try #require(try engine.compile(try BFFrontend.compile(
            source: Array(",>,<[>[>.+<-]>[-<+>]<<-]".utf8), file: "t.bf", options: BFOptions())) as? LLVMCompiledProgram)
        #expect(program.pieceCount > 1 && program.lazyStatistics != nil)
        let module = try BFFrontend.compile(source: Array(",>,<[>[>.+<-]>[-<+>]<<-]>[<<<]".utf8), file: "t.bf",
                                            options: BFOptions())
        let result = DifferentialRunner(configs: [FuzzConfig(.interp)] + tiny, fuel: 100_000)
            .run(module, entry: "main", arguments: [], input: [9, 7])
        #expect(result.verdict == .agree, "\(result.results)")
    }

    /// A guarded tape keeps its size under fuel (the right guard begins where it ends), so
    /// touching the cell past its end still traps there, and an endless loop still runs out.
    @Test("fuel leaves a guarded tape as it is")
    func fuelOnAGuardedTape() throws {
        let edge = try BFFrontend.compile(source: Array((String(repeating: ">", count: 4096) + "+").utf8), file: "e.bf",
                                          options: BFOptions(tapeSize: 4096))
        #expect(edge.guardBytes > 0)
        let instrumented = Fuel.instrument(edge, budget: 1000)
        #expect(instrumented.memorySize == 4096 && instrumented.guardBytes == edge.guardBytes)
        #expect(IRVerifier.diagnostics(instrumented).isEmpty)
        let runner = DifferentialRunner(configs: FuzzConfig.configs(forProgram: 0, all: true), fuel: 1000)
        let result = runner.run(edge, entry: "main", arguments: [], input: [])
        #expect(result.verdict == .agree)
        #expect(result.reference?.trap?.kind == .outOfBounds)
        let endless = try BFFrontend.compile(source: Array("+[>+<++]".utf8), file: "l.bf", options: BFOptions(tapeSize: 4096))
        #expect(endless.guardBytes > 0)
        #expect(runner.run(endless, entry: "main", arguments: [], input: []).verdict == .outOfFuel)
    }

    @Test("the IR minimiser shrinks a planted mismatch")
    func irMinimizer() throws {
        // A planted bug: an "engine" that is wrong whenever the module holds a `mul.ovf`.
        func hasCheckedMul(_ m: Module) -> Bool {
            m.functions.contains { $0.blocks.contains { $0.instructions.contains {
                if case .binary(.mul, _, _, _, true) = $0.op { return true }
                return false
            } } }
        }
        let original = try #require((0..<100).lazy.map { IRProgramGenerator.generate(seed: 21, index: $0) }
            .first { hasCheckedMul($0.module) && $0.module.functions.reduce(0) { $0 + $1.instructionCount } > 60 })
        let small = IRMinimizer(budget: 2000).minimize(original) { hasCheckedMul($0.module) }
        let before = original.module.functions.reduce(0) { $0 + $1.instructionCount }
        let after = small.module.functions.reduce(0) { $0 + $1.instructionCount }
        #expect(hasCheckedMul(small.module))
        #expect(IRVerifier.diagnostics(small.module).isEmpty)
        #expect(after * 4 < before, "\(before) -> \(after) instructions:\n\(IRText.print(small.module))")
    }

    @Test("the BF minimiser shrinks a planted mismatch")
    func bfMinimizer() {
        // Planted: the "bug" shows whenever a scan loop runs after some output.
        let source = Array("+++[>++<-]>.  comment\n>+[>]<<.,[-]>>>+++++[<]++.".utf8)
        func failing(_ s: [UInt8]) -> Bool {
            let text = String(decoding: s, as: UTF8.self)
            guard let dot = text.firstIndex(of: "."), let scan = text.range(of: "[>]") else { return false }
            return dot < scan.lowerBound
        }
        let small = BFMinimizer().minimize(source, failing: failing)
        #expect(String(decoding: small, as: UTF8.self) == ".[>]")
    }

    @Test("the Python minimiser deletes statements while a planted mismatch remains")
    func pythonMinimizer() throws {
        var g = PythonProgramGenerator(seed: 8)
        let functions = (0..<3).map { g.function(name: "f\($0)") }
        let render = { (fs: [PythonProgramGenerator.Function]) in
            fs.map { PythonProgramGenerator.render($0, checked: false) }.joined()
        }
        // Planted: the "bug" shows while the last function still contains a `return`
        // with a call of min or max somewhere in the file.
        func failing(_ fs: [PythonProgramGenerator.Function]) -> Bool {
            let text = render(fs)
            return text.contains("min(") || text.contains("max(")
        }
        try #require(failing(functions))
        let small = PythonMinimizer(budget: 500).minimize(functions, failing: failing)
        #expect(failing(small))
        let lines = { (fs: [PythonProgramGenerator.Function]) in render(fs).split(separator: "\n").count }
        #expect(lines(small) * 2 < lines(functions), "\(render(small))")
    }

    @Test("reproducer formats read back what they write")
    func formats() throws {
        let p = IRProgramGenerator.generate(seed: 2, index: 9)
        var q = p
        q.input = [0, 10, 34, 92, 255, 65]
        let back = try ReproducerFormat.parseIR(ReproducerFormat.irText(q, notes: ["note"]), file: "x.ir")
        #expect(back.module == q.module && back.arguments == q.arguments && back.input == q.input && back.entry == q.entry)
        let b = BFProgramGenerator.generate(seed: 2, index: 9)
        var withInput = b
        withInput.input = [0, 1, 255]
        let text = ReproducerFormat.bfText(withInput, note: "a, b. c-d")
        let header = String(decoding: text.prefix { $0 != 10 }, as: UTF8.self)
        #expect(!header.contains { "+-<>[].,".contains($0) })
        let parsed = ReproducerFormat.parseBF(text)
        #expect(parsed.options.cellBits == b.options.cellBits && parsed.options.eof == b.options.eof
                && parsed.options.tapeSize == b.options.tapeSize && parsed.input == [0, 1, 255])
    }
}

@Suite("jitctl fuzz on the command line", .serialized)
struct FuzzCommandTests {
    func outDir() -> String { NSTemporaryDirectory() + "jitctl-fuzz-test-\(UUID().uuidString)" }

    @Test("--lang ir --count 20 runs 20 programs and ends with the summary line")
    func irCount() throws {
        let out = outDir()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["fuzz", "--lang", "ir", "--count", "20", "--seed", "4", "--out", out])
        #expect(r.status == 0, "\(r.stdoutText)\n\(r.stderr)")
        let lines = r.stdoutText.split(separator: "\n")
        #expect(lines.last == "fuzz: 20 programs, 0 mismatches, 0 crashes")
    }

    @Test("--lang bf prints exactly the summary line last, with two workers")
    func bfLastLine() throws {
        let out = outDir()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["fuzz", "--lang", "bf", "--count", "30", "--seed", "9", "--jobs", "2", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText.hasSuffix("\nfuzz: 30 programs, 0 mismatches, 0 crashes\n"), "\(r.stdoutText)")
    }

    @Test("a worker that crashes or hangs is counted, its program saved, and the campaign goes on")
    func crashAndHang() throws {
        let out = outDir()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["fuzz", "--lang", "ir", "--count", "8", "--seed", "4", "--out", out, "--hang-timeout", "2"],
                            environment: ["JITCTL_FUZZ_TEST_CRASH": "2", "JITCTL_FUZZ_TEST_HANG": "5"])
        #expect(r.status == 1)
        #expect(r.stdoutText.hasSuffix("\nfuzz: 8 programs, 0 mismatches, 2 crashes\n"), "\(r.stdoutText)\n\(r.stderr)")
        let saved = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(saved.contains("crash-ir-s4-2.ir") && saved.contains("hang-ir-s4-5.ir"), "\(saved)")
        let reproducer = try ReproducerFormat.parseIR(String(contentsOfFile: out + "/crash-ir-s4-2.ir", encoding: .utf8), file: "c.ir")
        #expect(reproducer.module == IRProgramGenerator.generate(seed: 4, index: 2).module)
    }

    @Test("--lang python checks against CPython", .enabled(if: PythonOracle.findCPython() != nil))
    func python() throws {
        let out = outDir()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["fuzz", "--lang", "python", "--count", "12", "--python-batch", "6", "--seed", "2", "--out", out])
        #expect(r.status == 0, "\(r.stdoutText)\n\(r.stderr)")
        #expect(r.stdoutText.hasSuffix("\nfuzz: 12 programs, 0 mismatches, 0 crashes\n"), "\(r.stdoutText)")
    }

    @Test("--c-reference compares with bf2c.py + gcc",
          .enabled(if: CReference.find(bf2c: SharedDataPaths.bf2c, directory: NSTemporaryDirectory()) != nil))
    func cReference() throws {
        let out = outDir()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["fuzz", "--lang", "bf", "--c-reference", "--bf2c", SharedDataPaths.bf2c, "--count", "4",
                             "--seed", "5", "--out", out])
        #expect(r.status == 0, "\(r.stdoutText)\n\(r.stderr)")
        #expect(r.stdoutText.hasSuffix("\nfuzz: 4 programs, 0 mismatches, 0 crashes\n"), "\(r.stdoutText)")
    }
}
