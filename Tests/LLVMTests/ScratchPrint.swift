import BFFrontend
import JitIR
import LLVMBackend
import Testing
import Foundation

@Test func scratchPrint() throws {
    guard let src = ProcessInfo.processInfo.environment["SCRATCH_BF"] else { return }
    let module = try BFFrontend.compile(source: Array(src.utf8), file: "x.bf", options: BFOptions(tapeSize: 30000))
    print(IRText.print(module))
    print(try LLVMBackend.llvmIR(for: module, optLevel: 2, stage: .afterPasses))
    for (f, bytes) in try LLVMBackend.machineCode(for: module, optLevel: 2) {
        print(f, bytes.count, bytes.prefix(64).map { String(format: "%02x", $0) }.joined(separator: " "))
    }
}

@Test func scratchTimings() throws {
    guard ProcessInfo.processInfo.environment["SCRATCH_TIME"] != nil else { return }
    let src = try String(contentsOfFile: "/work/shared/corpus/bf/" + (ProcessInfo.processInfo.environment["SCRATCH_TIME"]!), encoding: .isoLatin1)
    let module = try BFFrontend.compile(source: Array(src.utf8), file: "x.bf", options: BFOptions())
    print("IR instructions:", module.functions.map(\.instructionCount).reduce(0, +))
    for engine in LLVMEngineKind.allCases {
        for opt in [0, 2] {
            let backend = LLVMBackend(optLevel: opt, engine: engine)
            for _ in 0..<3 {
                let clock = ContinuousClock()
                let t0 = clock.now
                _ = try backend.compile(module)
                let total = clock.now - t0
                let t = backend.lastTimings!
                print(engine, "O\(opt)", "total", total, "lower", t.lowering, "passes", t.passes, "codegen", t.codegen)
            }
        }
    }
}

@Test func scratchStats() throws {
    guard let name = ProcessInfo.processInfo.environment["SCRATCH_STATS"] else { return }
    let src = try String(contentsOfFile: "/work/shared/corpus/bf/" + name, encoding: .isoLatin1)
    let module = try BFFrontend.compile(source: Array(src.utf8), file: "x.bf", options: BFOptions())
    let text = IRText.print(module)
    try text.write(toFile: "/tmp/scratch.ir", atomically: true, encoding: .utf8)
    try LLVMBackend.llvmIR(for: module, optLevel: 0, stage: .beforePasses).write(toFile: "/tmp/scratch.ll", atomically: true, encoding: .utf8)
    try LLVMBackend.llvmIR(for: module, optLevel: 2, stage: .afterPasses).write(toFile: "/tmp/scratch.opt.ll", atomically: true, encoding: .utf8)
}

@Test func scratchRun() throws {
    guard let name = ProcessInfo.processInfo.environment["SCRATCH_RUN"] else { return }
    let src = try String(contentsOfFile: "/work/shared/corpus/bf/" + name, encoding: .isoLatin1)
    let module = try BFFrontend.compile(source: Array(src.utf8), file: "x.bf", options: BFOptions())
    for opt in [0, 1, 2, 3] {
        let c0 = clock()
        let program = try LLVMBackend(optLevel: opt).compile(module)
        let c1 = clock()
        let io = ProgramIO()
        let r = try program.run("main", io: io)
        let c2 = clock()
        print("O\(opt) compile cpu", Double(c1 - c0) / Double(CLOCKS_PER_SEC), "run cpu", Double(c2 - c1) / Double(CLOCKS_PER_SEC), io.allOutput.count, r.trap as Any)
    }
}
