import BFFrontend
import JitCtl
import JitIR
import TestSupport
import Testing

/// On a tape of whole pages, accesses near known cells have no explicit check: running off an
/// edge faults in a guard region, and each engine turns that into the same trap, at the same
/// command, after the same output, leaving the same tape as the interpreter running the literal
/// program (which checks every access explicitly).
@Suite struct GuardedTrapTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var source: String
        var cellBits: Int = 8
        var input: [UInt8] = []
        var testDescription: String { "\(name), \(cellBits)-bit cells" }
    }

    static let tape = 4096
    static let toRightEnd = String(repeating: ">", count: tape - 1)
    /// Prints 100,000 bytes (more than the output buffer holds, so part of it is flushed) and
    /// comes back to cell 0.
    static let longOutput = "++++++++++[>++++++++++[>++++++++++[>++++++++++[>++++++++++[>.<-]<-]<-]<-]<-]"

    static let shapes: [Case] = [
        Case(name: "left, after output", source: "++.<."),
        Case(name: "left, in a loop", source: "+>+>+[<]<+"),
        Case(name: "left, moving loop", source: "+>>>>+[<+]"),
        Case(name: "right, loop walking off", source: "+[>+]"),
        Case(name: "right, by threes", source: "+[>>>+]"),
        Case(name: "right, straight line", source: "+" + toRightEnd + "+>-"),
        Case(name: "right, multiply at the edge", source: toRightEnd.dropLast() + "+++[->+>++<<]"),
        Case(name: "right, multiply that never runs", source: toRightEnd + "[->+<]+."),
        Case(name: "right, clear of the next cell", source: toRightEnd + "+>[-]"),
        // Branch-free multiplies: a target only the guards cover is reached through a base that
        // points at the counter when the count is 0.
        Case(name: "left, multiply that never runs", source: ",[-<+>]+.", input: [0]),
        Case(name: "left, multiply with a known target that never runs", source: "+>+>,[-<+<<<+>>>>]+.", input: [0]),
        Case(name: "left, multiply, counter first", source: ",[-<+>]", input: [2]),
        Case(name: "left, multiply, counter last", source: ",[<+++>-]", input: [2]),
        Case(name: "left, multiply with a known target first", source: "+>+>,[-<+<<<++>>>>]", input: [2]),
        Case(name: "left, multiplies in a moving loop", source: "+>,>,>+[[-<+>]<]", input: [0, 3]),
        // A target known to hold 0 gets its value stored, over the first iteration's write.
        Case(name: "stays on the tape, multiply with a zero target before a guarded one",
             source: ">>>>>,[-]>,[-<+<<<+>>>>]<.<<<.", input: [7, 3]),
        Case(name: "left, multiply with a zero target before a guarded one", source: ">,[-]>,[-<+<<<+>>>>]", input: [7, 3]),
        Case(name: "right, multiply with a count read that never runs", source: toRightEnd + ",[->+<]+.", input: [0]),
        Case(name: "right, multiply by 3", source: toRightEnd + ",[>+++<-]", input: [7]),
        Case(name: "left, after input", source: ",.<,", input: [65, 66]),
        // Scans whose stride no engine searches many cells at a time are loops the guards check.
        Case(name: "left, scan by threes", source: "+>+>+>+[<<<]"),
        Case(name: "left, scan by nines", source: "+" + String(repeating: ">+", count: 20) + "[<<<<<<<<<]"),
        Case(name: "right, scan by threes", source: String(repeating: "+>", count: tape) + String(repeating: "<", count: tape) + "[>>>]"),
        Case(name: "stays on the tape, scan by threes", source: ">>>+>+>+>+[<<<]>>>[>>>]<<<."),
        // Searched scans check their first cell; the guards catch the cells after it, whether
        // the scan runs off within its first few steps or after blocks searched many at a time.
        Case(name: "left, scan by ones off at once", source: "+[<]"),
        Case(name: "left, scan by twos within the first steps", source: "+>>+>>+[<<]"),
        Case(name: "left, scan by twos after blocks", source: String(repeating: "+>", count: 40) + "+[<<]"),
        Case(name: "left, scan by ones after blocks", source: String(repeating: "+>", count: 50) + "+[<]"),
        Case(name: "right, scan by ones after blocks", source: String(repeating: "+>", count: tape) + String(repeating: "<", count: 50) + "[>]"),
        Case(name: "right, scan by twos within the first steps", source: String(repeating: "+>", count: tape) + "<<<<[>>]"),
        // A divmod whose cells cross an edge runs its original loop, which traps there.
        Case(name: "right, divmod across the edge", source: toRightEnd.dropLast(3) + ",>,<[->-[>+>>]>[+[-<+>]>+>>]<<<<<]", input: [7, 3]),
        Case(name: "left, mirrored divmod across the edge", source: ">>>,<,>[-<-[<+<<]<[+[->+<]<+<<]>>>>>]", input: [7, 3]),
        Case(name: "stays on the tape, divmod", source: ",>,<[->-[>+>>]>[+[-<+>]>+>>]<<<<<]>.>.>.", input: [100, 7]),
        Case(name: "stays on the tape, scans by ones and twos", source: "+>+>+>+>+>>+<[<]>[>]>[>>]<<<[<<]."),
        Case(name: "left, after a long output", source: longOutput + "<+"),
        Case(name: "stays on the tape", source: "+>+<<>.>" + toRightEnd.dropFirst(2) + "."),
    ]

    static let cases: [Case] = [8, 16, 32].flatMap { bits in shapes.map { var c = $0; c.cellBits = bits; return c } }

    @Test(arguments: cases)
    func everyEngineTrapsWhereTheLiteralProgramDoes(_ c: Case) throws {
        let source = Array(c.source.utf8)
        var options = BFOptions(cellBits: c.cellBits, tapeSize: Self.tape)
        options.optimize = false
        let literal = try BFFrontend.compile(source: source, file: "edge.bf", options: options)
        #expect(literal.guardBytes == 0)
        let reference = try EngineOutcome.run(literal, on: Interpreter(), input: c.input)
        options.optimize = true
        let guarded = try BFFrontend.compile(source: source, file: "edge.bf", options: options)
        #expect(guarded.guardBytes > 0)
        let engines: [any ExecutionEngine] = [
            Interpreter(), BackendKind.x86.makeEngine(),
            BackendKind.llvm.makeEngine(BackendOptions(llvmOptLevel: 0)),
            BackendKind.llvm.makeEngine(BackendOptions(llvmOptLevel: 2)),
            BackendKind.llvm.makeEngine(BackendOptions(llvmOptLevel: 2, llvmEngine: .mcjit)),
        ]
        for engine in engines {
            let outcome = try EngineOutcome.run(guarded, on: engine, input: c.input)
            #expect(outcome.trap == reference.trap, "\(engine.name)")
            #expect(outcome.output == reference.output, "\(engine.name)")
            #expect(outcome.memory == reference.memory, "\(engine.name)")
        }
        let staysOnTheTape = c.name.hasPrefix("stays") || c.name.contains("never runs")
        #expect((reference.trap == nil) == staysOnTheTape)
    }
}
