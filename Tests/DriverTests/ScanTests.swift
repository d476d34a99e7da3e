import BFFrontend
import JitCtl
import JitIR
import TestSupport
import Testing

/// `[>]`-style loops become the IR's `scan`, which x86 runs 16 bytes at a time and LLVM with
/// `memchr`/`memrchr`. Every engine must find the same cell, and trap at the same `]` when the
/// scan runs off either edge of the tape, for every step and cell width. The reference is the
/// interpreter running the literal loops (no BF passes, so no `scan` at all).
@Suite struct ScanTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var cellBits: Int
        var step: Int
        var seed: UInt64
        var testDescription: String { "\(cellBits)-bit cells, step \(step), seed \(seed)" }
    }

    static let cases: [Case] = [8, 16, 32].flatMap { bits in
        [-15, -9, -8, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 8, 9, 15].flatMap { step in (0..<3).map { Case(cellBits: bits, step: step, seed: $0) } }
    }

    static let tape = 70

    /// Reads one byte per cell from the input (mostly non-zero), walks to a start cell, scans,
    /// marks where the scan stopped and prints the mark's neighbourhood.
    static func program(_ c: Case) -> (source: String, input: [UInt8]) {
        var rng = SeededGenerator(seed: c.seed &* 7919 &+ UInt64(c.cellBits * 100 + c.step + 50))
        var input: [UInt8] = []
        for _ in 0..<tape {
            // Seed 0: no zero anywhere, so the scan runs off the edge; otherwise a few zeros.
            let zero = c.seed != 0 && rng.next() % 9 == 0
            input.append(zero ? 0 : UInt8(1 + rng.next() % 255))
        }
        let start = c.step > 0 ? Int(rng.next() % 20) : tape - 1 - Int(rng.next() % 20)
        let fill = String(repeating: ",>", count: tape - 1) + "," + String(repeating: "<", count: tape - 1)
        let move = String(repeating: c.step > 0 ? ">" : "<", count: abs(c.step))
        let source = fill + String(repeating: ">", count: start) + "\n[" + move + "]\n+++.<.>>."
        return (source, input)
    }

    @Test(arguments: cases)
    func everyEngineStopsWhereTheLoopWould(_ c: Case) throws {
        let (source, input) = Self.program(c)
        var options = BFOptions(cellBits: c.cellBits, tapeSize: Self.tape)
        options.optimize = false
        let literal = try BFFrontend.lower(try BFFrontend.ops(source: Array(source.utf8), file: "scan.bf", options: options),
                                           file: "scan.bf", options: options)
        let reference = try EngineOutcome.run(literal, on: Interpreter(), input: input)
        options.optimize = true
        let ops = BFPipeline.run(try BFFrontend.ops(source: Array(source.utf8), file: "scan.bf", options: options),
                                 options: options)
        let optimized = try BFFrontend.lower(ops, file: "scan.bf", options: options)
        let scans = optimized.functions[0].blocks.flatMap(\.instructions).filter {
            if case .scan = $0.op { true } else { false }
        }
        #expect(scans.count == 1, "the loop should have become one scan")
        let engines: [any ExecutionEngine] = [
            Interpreter(), BackendKind.x86.makeEngine(),
            BackendKind.llvm.makeEngine(BackendOptions(llvmOptLevel: 0)),
            BackendKind.llvm.makeEngine(BackendOptions(llvmOptLevel: 2, llvmEngine: .mcjit)),
        ]
        for engine in engines {
            let outcome = try EngineOutcome.run(optimized, on: engine, input: input)
            #expect(outcome == reference, "\(engine.name)")
        }
        if c.seed == 0 {
            // Nothing but non-zero cells from the start to the edge: the scan runs off it.
            #expect(reference.trap?.kind == .outOfBounds)
            #expect(reference.trap?.loc == SourceLoc(line: 2, column: 2 + abs(c.step)))
        }
    }
}
