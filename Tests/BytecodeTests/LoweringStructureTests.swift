import BytecodeFrontend
import JitIR
import Testing

/// The shape of the IR the lowering produces: plain registers instead of a
/// run-time stack, positions on every instruction, short loops.
struct LoweringStructureTests {
    static func lowered(_ text: String) throws -> Module {
        let ir = try BytecodeFrontend.lower(try BytecodeFrontend.parse(sbc: text, file: "s.sbc"))
        try IRVerifier.verify(ir)
        return ir
    }

    /// No memory at all: the value stack lives in registers, and the recursion limit is the IR's
    /// own rule rather than a counter the lowering keeps.
    @Test func noRuntimeStack() throws {
        let ir = try Self.lowered(SBCProgramTests.programs)
        #expect(ir.memorySize == 0)
        for f in ir.functions {
            let all = f.blocks.flatMap(\.instructions)
            let memory = all.filter { if case .load = $0.op { true } else if case .store = $0.op { true } else { false } }
            #expect(memory.isEmpty, "\(f.name)")
            #expect(f.registerTypes.allSatisfy { $0 == .i64 || $0 == .i1 })
            #expect(f.resultType == .i64)
        }
    }

    @Test func everyInstructionHasItsPosition() throws {
        let ir = try Self.lowered(SBCProgramTests.programs)
        let sources = try BytecodeFrontend.parse(sbc: SBCProgramTests.programs, file: "s.sbc")
        for (f, b) in zip(ir.functions, sources.functions) {
            let lines = Set(b.instructions.map(\.loc)).union([b.loc])
            for block in f.blocks {
                for i in block.instructions { #expect(lines.contains(i.loc), "\(f.name): \(i)") }
                if block.terminator != .trap(.unreachable) { #expect(lines.contains(block.terminatorLoc)) }
            }
        }
    }

    /// With a constant step, a range loop costs one comparison and one add per
    /// iteration; with a step of ±1 it needs no check for running past int64.
    @Test func constantStepRangeLoop() throws {
        let text = SBCProgramTests.programs.replacingOccurrences(of: "    LOAD_FAST c\ntop:", with: "    LOAD_CONST 1\ntop:")
        let ir = try Self.lowered(text)
        let f = try #require(ir.function(named: "sum_range"))
        let compares = f.blocks.flatMap(\.instructions).filter { if case .compare = $0.op { true } else { false } }
        // The loop test alone.
        #expect(compares.count == 1)
        let selects = f.blocks.flatMap(\.instructions).filter { if case .select = $0.op { true } else { false } }
        #expect(selects.isEmpty)
    }

    /// A comparison that feeds a jump becomes the branch condition itself.
    @Test func comparisonsBranchDirectly() throws {
        let ir = try Self.lowered(SBCProgramTests.programs)
        let fib = try #require(ir.function(named: "fib"))
        let conversions = fib.blocks.flatMap(\.instructions).filter { if case .convert = $0.op { true } else { false } }
        #expect(conversions.isEmpty)
        let branch = try #require(fib.blocks.first { if case .branch = $0.terminator { true } else { false } })
        guard case .branch(.reg(let c), _, _) = branch.terminator else { Issue.record("no branch"); return }
        #expect(fib.type(of: c) == .i1)
    }

    /// Floor division and modulo by a positive power of two are a shift and a mask.
    @Test func powerOfTwoDivisors() throws {
        let ir = try Self.lowered("""
        def f(a):
            LOAD_FAST a
            LOAD_CONST 8
            BINARY_OP //
            LOAD_FAST a
            LOAD_CONST 8
            BINARY_OP %
            BINARY_OP |
            RETURN_VALUE
        """)
        let ops = ir.functions[0].blocks.flatMap(\.instructions).compactMap { i -> BinaryOp? in
            if case .binary(let o, _, _, _, _) = i.op { o } else { nil }
        }
        #expect(ops.contains(.ashr) && ops.contains(.and))
        #expect(!ops.contains(.sdiv) && !ops.contains(.srem))
    }
}
