import Testing
@testable import LLVMBackend

/// Which pipeline each level and function size gets (docs/llvm.md).
struct PassPipelineTests {
    @Test func smallFunctionsGetLLVMsOwnPipelines() {
        for level in 0...3 {
            #expect(PassPipeline.pipeline(level: level, largestFunction: 40) == "default<O\(level)>")
        }
        #expect(PassPipeline.pipeline(level: 9, largestFunction: 40) == "default<O3>")
    }

    @Test func largerFunctionsGetJitctlsPipelines() {
        let medium = PassPipeline.smallFunctionInstructions + 1
        let huge = PassPipeline.loopPassesFunctionInstructions + 1
        #expect(PassPipeline.pipeline(level: 0, largestFunction: huge) == "default<O0>")
        #expect(PassPipeline.pipeline(level: 1, largestFunction: medium) == "function(\(PassPipeline.cleanupPasses))")
        #expect(PassPipeline.pipeline(level: 2, largestFunction: medium) == PassPipeline.loopPipeline)
        #expect(PassPipeline.pipeline(level: 3, largestFunction: medium) == PassPipeline.loopPipeline)
        #expect(PassPipeline.pipeline(level: 3, largestFunction: huge) == "function(\(PassPipeline.cleanupPasses))")
        #expect(PassPipeline.loopPipeline.contains("licm") && PassPipeline.loopPipeline.contains("gvn"))
    }
}
