import JitIR
@testable import LLVMBackend
import Testing

/// `scan`s whose step allows it test 16 bytes at a time after a few single cells
/// (`ScanLoop.swift`). They must stop at the same zero as the interpreter, from any start, with
/// the zero anywhere (before the start, inside the first block, far away, in the last block,
/// nowhere), and trap where it does when they run off either edge.
struct VectorScanTests {
    static let memory: Int64 = 200

    /// `@scan(start, zero)`: every byte 1, the cell at `zero` 0 when it fits, then the scan.
    static func module(_ t: IntType, step: Int64) throws -> Module {
        let e = Int64(t.bytes)
        var f = FunctionBuilder(name: "scan", parameters: [.i64, .i64], result: .i64)
        let start = f.parameter(0), zero = f.parameter(1)
        let fill = f.newBlock("fill"), mark = f.newBlock("mark"), put = f.newBlock("put"), search = f.newBlock("search")
        let i = f.copy(.i64, .imm(0))
        f.jump(fill)
        f.position(at: fill)
        f.store(.i8, .imm(1), base: i)
        f.assign(i, .reg(f.binary(.add, .i64, .reg(i), .imm(1))))
        f.branch(.reg(f.compare(.ult, .i64, .reg(i), .imm(memory))), fill, mark)
        f.position(at: mark)
        f.branch(.reg(f.compare(.ule, .i64, .reg(zero), .imm(memory - e))), put, search)
        f.position(at: put)
        f.store(t, .imm(0), base: zero)
        f.jump(search)
        f.position(at: search)
        f.loc = SourceLoc(line: 7, column: 9)
        let found = f.newRegister(.i64)
        f.append(.scan(dst: found, start: start, type: t, step: step, limit: memory - e))
        f.ret(.reg(found))
        return Module(memorySize: Int(memory), functions: [try f.finish()])
    }

    static let cases: [(IntType, Int64)] = [
        (.i8, 2), (.i8, -2), (.i8, 4), (.i8, -4), (.i8, 8), (.i8, -8), (.i8, 3), (.i8, -3),
        (.i16, 2), (.i16, -2), (.i16, 4), (.i16, -8), (.i32, 4), (.i32, -4), (.i32, 8),
    ]

    @Test(arguments: cases)
    func stopsWhereTheInterpreterDoes(_ t: IntType, _ step: Int64) throws {
        let module = try Self.module(t, step: step)
        let e = Int64(t.bytes), m = Self.memory
        var runs: [ProgramRun] = []
        let starts: [Int64] = [0, 1, 2, 3, 5, 17, 64, 99, m / 2, m - 33, m - 17, m - 16, m - e - 3, m - e, m, -1]
        for start in starts {
            // The zero on the step's path from the start, near and far, off it, and nowhere.
            let onPath: [Int64] = (0..<60).map { start + step * $0 }.filter { $0 >= 0 && $0 <= m - e }
            let picked: [Int64] = [0, 1, 4, 9, 21].compactMap { $0 < onPath.count ? onPath[$0] : nil }
            let zeros = picked + (onPath.last.map { [$0] } ?? []) + [start + 1, start - 1, m + 5]
            for zero in zeros { runs.append(ProgramRun(function: "scan", arguments: [start, zero])) }
        }
        for configuration in LLVMConfiguration.all {
            let problems = try differences(module, runs, backend: configuration.backend)
            #expect(problems.isEmpty, "\(configuration): \(problems.prefix(5))")
        }
    }

    @Test func theLaneMaskKeepsTheCellsTheStepLandsOn() {
        #expect(FunctionLowering.scanLaneMask(step: 2, cellBytes: 1, lanes: 16) == 0x5555)
        #expect(FunctionLowering.scanLaneMask(step: -2, cellBytes: 1, lanes: 16) == 0xAAAA)
        #expect(FunctionLowering.scanLaneMask(step: 4, cellBytes: 2, lanes: 8) == 0x55)
        #expect(FunctionLowering.scanLaneMask(step: -8, cellBytes: 1, lanes: 16) == 0x8080)
        #expect(FunctionLowering.scanLaneMask(step: 4, cellBytes: 4, lanes: 4) == 0xF)
    }
}
