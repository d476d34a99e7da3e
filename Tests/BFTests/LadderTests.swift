import BFFrontend
import JitIR
import Testing

/// Ladders, nested loops on one counter that each step it by the same ±1 (factor's decimal
/// carry), are lowered without a branch per rung. They must keep the literal program's output,
/// tape and trap for every counter value, also where a rung or the tail touches a cell off the
/// tape.
@Suite struct LadderTests {
    /// factor's carry: nine rungs of `->+<`, a tenth that carries into the cell 10 on, then
    /// the rest moved over.
    static let carry = "[->+<" + String(repeating: "[->+<", count: 8) + "[->---------" + String(repeating: ">", count: 9)
        + "+" + String(repeating: "<", count: 10) + "[->+<]" + String(repeating: "]", count: 10)

    /// Ladders of several kinds, each read as: counter in cell 0 (read from the input), then the ladder.
    static let ladders = [
        carry,
        // factor's halving: amounts that alternate from rung to rung.
        "[->-<[->+<<<+>>[->-<[->+<<<+>>[-[->+<]]]]]]",
        // Counting up, with a tail that shifts the counter and multiplies it away.
        "[+>+<[+>+<[+>+<[++++++++++[+>-<]>>-<<]]]]",
        // A tail that clears, and one that clears then adds elsewhere.
        "[->++<[->++<[->++<[-]]]]",
        "[+[+[+[[-]<+>]]]]",
        // Rungs that touch new cells on both sides as they go deeper.
        "[->+<[-<+>>>+<<[->>>>+<<<<[->+>+<<]]]]",
    ]

    static func outcome(_ source: String, _ options: BFOptions, input: [UInt8]) throws -> Outcome {
        try IRRunner.outcome(source: Array(source.utf8), options: options, input: input)
    }

    /// Whether the lowering made `source`'s ladder branch-free: it compares k with rung numbers
    /// (bounds checks compare 64-bit addresses instead).
    static func lowersALadder(_ source: String, _ options: BFOptions) throws -> Bool {
        let module = try BFFrontend.compile(source: Array(source.utf8), file: "l.bf", options: options)
        return module.functions[0].blocks.flatMap(\.instructions).contains {
            if case .compare(.ugt, let type, _, _, _) = $0.op { type != .i64 } else { false }
        }
    }

    @Test func theCarryHasNoBranchPerRung() throws {
        let module = try BFFrontend.compile(source: Array((",>,<" + Self.carry).utf8), file: "l.bf", options: BFOptions())
        let branches = module.functions[0].blocks.filter { if case .branch = $0.terminator { true } else { false } }
        // The ladder's own test, a check of the cell it carries into, and the input's checks.
        #expect(branches.count <= 4, "\(branches.count) branches")
    }

    /// Counts from 0 to past the last rung and near 256 (which counting up reaches first), with
    /// the ladder in the middle of the tape, at its left end (cells to its left are off the
    /// tape) and at its right end.
    @Test(arguments: ladders)
    func everyCountMatchesTheLiteralProgram(ladder: String) throws {
        for tapeSize in [30, 4096] {
            for (prefix, label) in [(String(repeating: ">", count: 12), "middle"), ("", "left end"),
                                    (String(repeating: ">", count: tapeSize - 1), "right end")] {
                let source = prefix + "," + ladder + ">.<<."
                #expect(try Self.lowersALadder(source, BFOptions(tapeSize: tapeSize)), "\(ladder) is not lowered as a ladder")
                for count in Array(0...16) + [100, 127, 128, 200, 245, 246, 250, 253, 254, 255] {
                    let input = [UInt8(count)]
                    let literal = try Self.outcome(source, BFOptions(tapeSize: tapeSize, optimize: false), input: input)
                    let optimized = try Self.outcome(source, BFOptions(tapeSize: tapeSize), input: input)
                    #expect(optimized == literal, "\(ladder) at the \(label) of \(tapeSize) cells, count \(count)")
                }
            }
        }
    }

    /// 16-bit cells: counts beyond a byte, and around the last rung.
    @Test func wideCellsMatchTheLiteralProgram() throws {
        // The counter is the first input byte plus 256 times the second.
        let source = ",>,[-<" + String(repeating: "+", count: 256) + ">]<" + Self.carry + ">.>.<<."
        #expect(try Self.lowersALadder(source, BFOptions(cellBits: 16)))
        for count in [0, 1, 9, 10, 11, 255, 256, 266, 65_535] {
            let input = [UInt8(count & 255), UInt8(count >> 8)]
            let literal = try Self.outcome(source, BFOptions(cellBits: 16, optimize: false), input: input)
            let optimized = try Self.outcome(source, BFOptions(cellBits: 16), input: input)
            #expect(optimized == literal, "count \(count)")
        }
    }
}
