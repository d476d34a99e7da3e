import CLLVM
#if canImport(Glibc)
import Glibc
#endif
import JitIR

/// Verification and the new-pass-manager optimisation pipeline.
enum PassPipeline {
    /// Checks the module; a failure is our bug, reported with LLVM's own message.
    static func verify(_ module: LLVMModuleRef) throws {
        var message: UnsafeMutablePointer<CChar>?
        let failed = LLVMVerifyModule(module, LLVMReturnStatusAction, &message) != 0
        let text = LLVMSupport.take(message)
        if failed { throw InternalError("LLVM verifier rejected the generated module: \(text)") }
    }

    /// Register code (bytecode) with functions up to this many LLVM instructions gets LLVM's
    /// own `default<O1..3>`: it compiles in milliseconds, and its inlining, unrolling and
    /// vectorising pay off there (count_primes runs 8% faster than with `loopPipeline`).
    /// Code over memory cells gains nothing from them (dbfi: 0.48 s of CPU for the whole run
    /// against 0.40 s; hello world compiles in 11.5 ms against 6 ms), so it never gets them.
    static let smallFunctionInstructions = 1_000
    /// Above this size the loop passes take longer than they save: such programs are large
    /// because they do many different things, each briefly. hanoi (24k instructions) takes
    /// 0.73 s of CPU for the whole run with the cleanup alone, 1.52 s with LICM and GVN and
    /// 2.24 s with GVN alone; in the 277k instructions of optimtease GVN alone takes 7 s.
    static let loopPassesFunctionInstructions = 15_000
    /// Registers to SSA values, then local simplification: linear enough for any size, and
    /// what matters most in lowered jitctl IR. `-O1` above the small size, and every level
    /// above `loopPassesFunctionInstructions`.
    static let cleanupPasses = "sroa,early-cse,\(instcombine),simplifycfg"
    /// `-O2`/`-O3` between the small and the large sizes: registers to SSA values and local
    /// simplification, then cells kept in registers across loops (LICM's promotion) and redundant
    /// loads gone (EarlyCSE over MemorySSA). No InstCombine: since the Brainfuck lowering's own
    /// clean-ups (`CopyPropagation`, `OverwrittenStores`) it makes no code faster, and it was a
    /// tenth of the compile (`jitctl compare`, best of 5: mandelbrot 117 ms to 106, factor 32.5
    /// to 29.4, awib 225 to 195; run times within 2%, either way).
    /// Measured against `default<O2>`, whole process, CPU: mandelbrot 0.91 s against 1.79 s,
    /// factor 0.22 s against 0.35 s, hanoi 1.52 s against 1.77 s, dbfi 0.40 s against 0.48 s.
    /// GVN (without PRE) in place of EarlyCSE gives code no faster on mandelbrot, factor and awib,
    /// but grows faster than the function: 15.8 s of `opt` on lostkingdom's pieces, against 0.6 s.
    /// `mem2reg` does all SROA did here (every slot is one scalar), for less. Dropping the first
    /// EarlyCSE made prime's code 1.8× slower.
    static let loopPipeline = "function(mem2reg,early-cse,simplifycfg,loop-mssa(licm),early-cse<memssa>,simplifycfg)"
    /// The quick first tier of lazily compiled pieces (`LazyPieces`): registers to SSA values and
    /// nothing else. Its code runs a few times at most before the piece is compiled again;
    /// measured against the cleanup passes (whole process, CPU): lostkingdom 1.05 s against 1.28 s,
    /// optimtease 1.55 s against 1.74 s, awib and hanoi unchanged.
    static let quickPipeline = "function(mem2reg)"
    /// From LLVM 18 on, a bare `instcombine` checks that one iteration reached a fixpoint and
    /// aborts the process when it did not; the default pipelines ask it not to.
    static let instcombine = JITCTL_INSTCOMBINE

    /// The pipeline text for `level`, the kind of code and the module's largest function
    /// (docs/llvm.md), or `JITCTL_LLVM_PASSES` from the environment when set (for experiments).
    static func pipeline(for module: LLVMModuleRef, level: Int, usesMemory: Bool) -> String {
        if let custom = getenv("JITCTL_LLVM_PASSES").map({ String(cString: $0) }), !custom.isEmpty { return custom }
        let (largest, total) = functionSizes(module)
        // A module of many pieces compiled at once (MCJIT, or a module with calls) counts as a
        // quarter of its size at least: with the loop passes, LLVM 14 spent over 60 s in
        // MemorySSA on optimtease's 141 pieces in one module, and 3 s on the same pieces in
        // 16 modules; why, we have not pinned down.
        return pipeline(level: level, usesMemory: usesMemory, largestFunction: max(largest, total / 4))
    }

    static func pipeline(level: Int, usesMemory: Bool, largestFunction size: Int) -> String {
        let clamped = max(0, min(3, level))
        if clamped == 0 || (!usesMemory && size <= smallFunctionInstructions) { return "default<O\(clamped)>" }
        if clamped == 1 { return "function(\(cleanupPasses))" }
        return size <= loopPassesFunctionInstructions ? loopPipeline : "function(\(cleanupPasses))"
    }

    /// Runs the pipeline for `level` with the target machine's cost model (so the vectorisers
    /// know the host's vector width).
    /// With `quick`, the quick tier's pipeline instead.
    static func optimize(_ module: LLVMModuleRef, level: Int, usesMemory: Bool, targetMachine: TargetMachine,
                         quick: Bool = false) throws {
        let options = LLVMCreatePassBuilderOptions()
        defer { LLVMDisposePassBuilderOptions(options) }
        let text = quick ? quickPipeline : pipeline(for: module, level: level, usesMemory: usesMemory)
        var length = 0
        let name = String(cString: LLVMGetModuleIdentifier(module, &length))
        try LLVMFatalErrors.during("running the pass pipeline \(text) on \(name)") {
            try LLVMSupport.check(LLVMRunPasses(module, text, targetMachine.ref, options), "pass pipeline \(text)")
        }
    }

    /// The instruction counts of the module's largest function and of all its functions.
    static func functionSizes(_ module: LLVMModuleRef) -> (largest: Int, total: Int) {
        var largest = 0, total = 0
        var function = LLVMGetFirstFunction(module)
        while let f = function {
            var count = 0
            var block = LLVMGetFirstBasicBlock(f)
            while let b = block {
                var instruction = LLVMGetFirstInstruction(b)
                while let i = instruction {
                    count += 1
                    instruction = LLVMGetNextInstruction(i)
                }
                block = LLVMGetNextBasicBlock(b)
            }
            largest = max(largest, count)
            total += count
            function = LLVMGetNextFunction(f)
        }
        return (largest, total)
    }
}
