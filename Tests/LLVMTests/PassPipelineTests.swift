import Testing
@testable import LLVMBackend

/// Which pipeline each level, kind of code and function size gets (docs/llvm.md).
struct PassPipelineTests {
    @Test func smallRegisterCodeGetsLLVMsOwnPipelines() {
        for level in 0...3 {
            #expect(PassPipeline.pipeline(level: level, usesMemory: false, largestFunction: 40) == "default<O\(level)>")
        }
        #expect(PassPipeline.pipeline(level: 9, usesMemory: false, largestFunction: 40) == "default<O3>")
    }

    @Test func memoryCodeAndLargerFunctionsGetJitctlsPipelines() {
        let medium = PassPipeline.smallFunctionInstructions + 1
        let huge = PassPipeline.loopPassesFunctionInstructions + 1
        let cleanup = "function(\(PassPipeline.cleanupPasses))"
        #expect(PassPipeline.pipeline(level: 0, usesMemory: true, largestFunction: huge) == "default<O0>")
        #expect(PassPipeline.pipeline(level: 2, usesMemory: true, largestFunction: 40) == PassPipeline.loopPipeline)
        #expect(PassPipeline.pipeline(level: 1, usesMemory: false, largestFunction: medium) == cleanup)
        #expect(PassPipeline.pipeline(level: 2, usesMemory: false, largestFunction: medium) == PassPipeline.loopPipeline)
        #expect(PassPipeline.pipeline(level: 3, usesMemory: true, largestFunction: medium) == PassPipeline.loopPipeline)
        #expect(PassPipeline.pipeline(level: 2, usesMemory: true, largestFunction: huge) == cleanup)
        #expect(PassPipeline.pipeline(level: 3, usesMemory: false, largestFunction: huge) == cleanup)
        #expect(PassPipeline.loopPipeline.contains("licm") && PassPipeline.loopPipeline.contains("early-cse<memssa>"))
    }
}
