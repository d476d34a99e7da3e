import BFFrontend
import JitIR

/// Compiles BF source to IR, checks the module with the verifier and runs it
/// on the reference interpreter.
enum IRRunner {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `module`; with `guardCells` (see `BFFrontend.lower`) the guard memory
    /// must stay zero and the tape is the memory between the guards.
    static func outcome(_ module: Module, options: BFOptions, input: [UInt8] = [], guardCells: Int = 0) throws -> Outcome {
        let diagnostics = IRVerifier.diagnostics(module)
        if !diagnostics.isEmpty {
            throw Failure(description: "module fails verification:\n" + diagnostics.map(\.description).joined(separator: "\n"))
        }
        let program = try Interpreter().compile(module)
        let io = ProgramIO(input: .bytes(input), output: .capture)
        let result = try program.run("main", arguments: [], io: io, options: RunOptions(captureMemory: true))
        if let trap = result.trap, trap.kind == .unreachable {
            throw Failure(description: "ran out of loop iterations at \(trap.loc): the compiled program does not terminate")
        }
        if let trap = result.trap, trap.kind != .outOfBounds {
            throw Failure(description: "unexpected trap \(trap)")
        }
        var tape = cells(result.memory ?? [], bits: options.cellBits)
        if guardCells > 0 {
            let guards = tape[..<guardCells] + tape[(tape.count - guardCells)...]
            if guards.contains(where: { $0 != 0 }) {
                throw Failure(description: "wrote outside the tape: \(tape[..<guardCells]) | \(tape[(tape.count - guardCells)...])")
            }
            tape = Array(tape[guardCells..<(tape.count - guardCells)])
        }
        return Outcome(output: io.allOutput, tape: tape, trap: result.trap?.loc)
    }

    static func outcome(source: [UInt8], options: BFOptions, input: [UInt8] = []) throws -> Outcome {
        try outcome(BFFrontend.compile(source: source, file: "test.bf", options: options), options: options, input: input)
    }

    /// Little-endian cells of `bits` from tape memory.
    static func cells(_ memory: [UInt8], bits: Int) -> [UInt64] {
        let bytes = bits / 8
        var cells: [UInt64] = []
        cells.reserveCapacity(memory.count / bytes)
        var start = 0
        while start + bytes <= memory.count {
            var value: UInt64 = 0
            for i in 0..<bytes { value |= UInt64(memory[start + i]) << UInt64(8 * i) }
            cells.append(value)
            start += bytes
        }
        return cells
    }
}

/// Parses test source into the literal op list.
func literalOps(_ source: String) throws -> [BFOp] {
    BFOp.literal(try BFParser.parse(Array(source.utf8), file: "test.bf"))
}
