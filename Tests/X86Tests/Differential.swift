import JitIR
import Testing
@testable import X86Backend

/// Backends configured to exercise different code paths: the normal register
/// pool, no registers at all (every value in a spill slot), and a pool of only
/// rcx, rdx and rbx (values that collide with shift counts and `idiv`).
let x86Variants: [(name: String, engine: X86Backend)] = [
    ("all registers", X86Backend()),
    ("everything spilled", X86Backend(allocatableRegisters: .empty)),
    ("rcx rdx rbx", X86Backend(allocatableRegisters: RegisterSet([RegisterRoles.rcx, RegisterRoles.rdx, RegisterRoles.rbx]))),
]

/// Runs `function` of `module` on the interpreter and on every x86 variant and
/// expects identical results: value, trap (kind, position, function), output and final memory.
func expectSameAsInterpreter(_ module: Module, function: String = "main", arguments: [Int64] = [],
                             input: [UInt8] = [], variants: [(name: String, engine: X86Backend)] = x86Variants,
                             interpreter: Interpreter = Interpreter(),
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
    try expectSameAsInterpreter(module, function: function, argumentSets: [arguments], input: input,
                                variants: variants, interpreter: interpreter, sourceLocation: sourceLocation)
}

/// Like `expectSameAsInterpreter(_:function:arguments:...)`, compiling once and running once per argument list.
func expectSameAsInterpreter(_ module: Module, function: String = "main", argumentSets: [[Int64]],
                             input: [UInt8] = [], variants: [(name: String, engine: X86Backend)] = x86Variants,
                             interpreter engine: Interpreter = Interpreter(),
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
    let options = RunOptions(captureMemory: true)
    let interpreter = try engine.compile(module)
    let compiled = try variants.map { ($0.name, try $0.engine.compile(module)) }
    for arguments in argumentSets {
        let referenceIO = ProgramIO(input: .bytes(input), output: .capture)
        let reference = try interpreter.run(function, arguments: arguments, io: referenceIO, options: options)
        for (name, program) in compiled {
            let io = ProgramIO(input: .bytes(input), output: .capture)
            let result = try program.run(function, arguments: arguments, io: io, options: options)
            let what = "\(name), arguments \(arguments)"
            #expect(result.value == reference.value, "\(what): value", sourceLocation: sourceLocation)
            #expect(result.trap == reference.trap, "\(what): trap", sourceLocation: sourceLocation)
            #expect(io.allOutput == referenceIO.allOutput, "\(what): output", sourceLocation: sourceLocation)
            if result.memory != reference.memory, let got = result.memory, let want = reference.memory {
                let firstDifference = zip(got, want).enumerated().first { $1.0 != $1.1 }?.offset ?? -1
                Issue.record("\(what): memory differs first at byte \(firstDifference)", sourceLocation: sourceLocation)
            }
        }
    }
}

/// Interesting canonical values of each type: limits, neighbours of limits, shift-sized numbers, signs.
/// The first few are the ones the (slower to compile) spilling variants get.
func sampleValues(_ type: IntType) -> [Int64] {
    switch type {
    case .i1: [0, 1]
    case .i8: [0, 1, -1, 7, -128, 127, -127, 9, 2, 100, -100, 64, -2]
    case .i16: [0, 1, -1, 17, -32768, 32767, -32767, 255, 2, 15, 16, -256, 12345]
    case .i32: [0, 1, -1, 33, Int64(Int32.min), Int64(Int32.max), Int64(Int32.min) + 1, 65536, 2, 31, 32,
                123_456_789, -987_654_321]
    case .i64: [0, 1, -1, 65, .min, .max, .min + 1, 0x8000_0000, 2, 63, 64, -(1 << 32), 1_234_567_890_123]
    }
}

/// Builds one function `@main` that evaluates many independent cases and
/// stores each result, sign-extended to 64 bits (so a value left non-canonical
/// in a register shows), to its own 8-byte memory slot.
struct BatchBuilder {
    var builder = FunctionBuilder(name: "main")
    let base: Var
    private(set) var slots = 0

    init() {
        base = builder.newRegister(.i64)
        builder.assign(base, .imm(0))
    }

    /// A register holding `value` (assigned by a copy, so the backend cannot see the constant).
    mutating func constant(_ type: IntType, _ value: Int64) -> Var { builder.copy(type, .imm(value)) }

    /// Stores `v` (of type `type`) to the next slot.
    mutating func record(_ v: Var, _ type: IntType) {
        let wide = type == .i64 ? v : builder.convert(.sext, .reg(v), from: type, to: .i64)
        builder.store(.i64, .reg(wide), base: base, offset: Int64(8 * slots))
        slots += 1
    }

    /// The module: `@main` returns after the last case.
    mutating func finish() throws -> Module {
        builder.ret(nil)
        return Module(sourceFile: "batch", memorySize: max(8, 8 * slots), functions: [try builder.finish()])
    }
}
