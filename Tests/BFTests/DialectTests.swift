import BFFrontend
import JitIR
import Testing

/// Cell widths and end-of-input conventions, on the compiled program
/// (optimised and not) and on the BF-level reference.
@Suite struct DialectTests {
    struct Case: CustomStringConvertible {
        var source: String
        var cellBits = 8
        var eof = BFOptions.EOFMode.unchanged
        var input: [UInt8] = []
        var output: [UInt8]
        var tape: [UInt64]
        var description: String { "\(source.debugDescription) \(cellBits)-bit eof \(eof) input \(input)" }
    }

    static let cases: [Case] = [
        // Wrapping below zero and above the maximum.
        Case(source: "-.>+-+", output: [255], tape: [255, 1]),
        Case(source: "-.", cellBits: 16, output: [255], tape: [65535]),
        Case(source: "-.", cellBits: 32, output: [255], tape: [4_294_967_295]),
        Case(source: "-+>-[+]", cellBits: 32, output: [], tape: [0, 0]),
        // 256 is 0 in an 8-bit cell, so the copy loop does not run there.
        Case(source: "++++++++++++++++[>++++++++++++++++<-]>[>+<-]>.", output: [0], tape: [0, 0, 0]),
        Case(source: "++++++++++++++++[>++++++++++++++++<-]>[>+<-]>.", cellBits: 16, output: [0], tape: [0, 0, 256]),
        Case(source: "++++++++++++++++[>++++++++++++++++<-]>[>++++++++++++++++<-]>[>++++++++++++++++<-]>-",
             cellBits: 32, output: [], tape: [0, 0, 0, 65535]),
        Case(source: "++++++++++++++++[>++++++++++++++++<-]>[>++++++++++++++++<-]>[>++++++++++++++++<-]>-",
             cellBits: 16, output: [], tape: [0, 0, 0, 65535]),
        // Output writes the low 8 bits.
        Case(source: "++++++++++++++++[>++++++++++++++++<-]>+.", cellBits: 16, output: [1], tape: [0, 257]),
        // End of input, three ways, on an initial 3.
        Case(source: "+++,.", eof: .unchanged, output: [3], tape: [3]),
        Case(source: "+++,.", eof: .zero, output: [0], tape: [0]),
        Case(source: "+++,.", eof: .minusOne, output: [255], tape: [255]),
        Case(source: "+++,.", cellBits: 16, eof: .minusOne, output: [255], tape: [65535]),
        Case(source: "+++,.", cellBits: 32, eof: .minusOne, output: [255], tape: [4_294_967_295]),
        Case(source: "+++,.", cellBits: 32, eof: .zero, output: [0], tape: [0]),
        Case(source: "+++,.", cellBits: 16, eof: .unchanged, output: [3], tape: [3]),
        // Input before the end is the byte, whatever the convention.
        Case(source: ",.,.,.", eof: .minusOne, input: [7, 200], output: [7, 200, 255], tape: [255]),
        Case(source: ",.,.,.", cellBits: 16, eof: .zero, input: [7, 200], output: [7, 200, 0], tape: [0]),
        Case(source: ",.,.,.", cellBits: 32, eof: .unchanged, input: [7, 255], output: [7, 255, 255], tape: [255]),
        // A cat that stops when `,` gives -1.
        Case(source: ",+[-.,+]", eof: .minusOne, input: Array("hi".utf8), output: Array("hi".utf8), tape: [0]),
    ]

    @Test(arguments: cases)
    func dialect(_ c: Case) throws {
        let tapeSize = max(c.tape.count, 4)
        var options = BFOptions(cellBits: c.cellBits, eof: c.eof, tapeSize: tapeSize)
        let expected = Outcome(output: c.output, tape: c.tape + Array(repeating: 0, count: tapeSize - c.tape.count), trap: nil)
        #expect(OpEvaluator.run(try literalOps(c.source), options: options, input: c.input) == expected, "reference")
        #expect(try IRRunner.outcome(source: Array(c.source.utf8), options: options, input: c.input) == expected)
        options.optimize = false
        #expect(try IRRunner.outcome(source: Array(c.source.utf8), options: options, input: c.input) == expected)
    }

    @Test func defaultTapeHoldsAMillionCells() throws {
        // Set every cell to 255 until the pointer steps off the end, where `]` traps.
        let module = try BFFrontend.compile(source: Array("-[>-]".utf8), file: "walk.bf", options: BFOptions())
        let result = try Interpreter().compile(module).run("main", arguments: [], io: ProgramIO(), options: RunOptions(captureMemory: true))
        let trap = result.trap
        #expect(result.memory?.allSatisfy { $0 == 255 } == true)
        #expect(trap?.kind == .outOfBounds)
        #expect(trap?.loc == SourceLoc(line: 1, column: 4))  // the `-` after stepping off
        #expect(module.memorySize == 1_048_576)
    }
}
