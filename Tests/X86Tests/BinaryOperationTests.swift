import JitIR
import LLVMBackend
import Testing
@testable import X86Backend

struct BinaryCase: CustomStringConvertible, Sendable {
    var op: BinaryOp
    var type: IntType
    var checked: Bool
    var description: String { "\(checked ? "checked " : "")\(op) \(type)" }

    static let all: [BinaryCase] = IntType.allCases.flatMap { type in
        BinaryOp.allCases.map { BinaryCase(op: $0, type: type, checked: false) }
            + BinaryOp.allCases.filter(\.canBeChecked).map { BinaryCase(op: $0, type: type, checked: true) }
    }
}

/// Every binary operator at every width, with register/register,
/// register/immediate, immediate/register and aliased (destination = operand)
/// forms, against the interpreter.
@Suite struct BinaryOperationTests {
    /// The operand shapes a case is compiled in.
    enum Shape: CaseIterable {
        case registers, immediateRight, immediateLeft, destinationIsLeft, destinationIsRight, sameRegister
        /// Compiled like any other shape, never folded by the backend with the interpreter's `Semantics`.
        case bothImmediates
    }

    /// Emits `a op b` in `shape`; returns the register holding the result.
    static func emit(_ c: BinaryCase, _ shape: Shape, _ a: Int64, _ b: Int64, into batch: inout BatchBuilder) -> Var {
        let t = c.type
        switch shape {
        case .registers:
            let x = batch.constant(t, a), y = batch.constant(t, b)
            return batch.builder.binary(c.op, t, .reg(x), .reg(y), checked: c.checked)
        case .immediateRight:
            let x = batch.constant(t, a)
            return batch.builder.binary(c.op, t, .reg(x), .imm(b), checked: c.checked)
        case .immediateLeft:
            let y = batch.constant(t, b)
            return batch.builder.binary(c.op, t, .imm(a), .reg(y), checked: c.checked)
        case .destinationIsLeft:
            let x = batch.constant(t, a), y = batch.constant(t, b)
            batch.builder.append(.binary(c.op, dst: x, lhs: .reg(x), rhs: .reg(y), checked: c.checked))
            return x
        case .destinationIsRight:
            let x = batch.constant(t, a), y = batch.constant(t, b)
            batch.builder.append(.binary(c.op, dst: y, lhs: .reg(x), rhs: .reg(y), checked: c.checked))
            return y
        case .sameRegister:
            let x = batch.constant(t, a)
            return batch.builder.binary(c.op, t, .reg(x), .reg(x), checked: c.checked)
        case .bothImmediates:
            return batch.builder.binary(c.op, t, .imm(a), .imm(b), checked: c.checked)
        }
    }

    /// A batch of every non-trapping pair of `values` in every shape.
    static func batch(_ c: BinaryCase, _ values: [Int64]) throws -> Module {
        var batch = BatchBuilder()
        for shape in Shape.allCases {
            for a in values {
                for b in shape == .sameRegister ? [a] : values {
                    guard case .value = Semantics.binary(c.op, c.type, a, b, checked: c.checked) else { continue }
                    let r = emit(c, shape, a, b, into: &batch)
                    batch.record(r, c.type)
                }
            }
        }
        return try batch.finish()
    }

    @Test(arguments: BinaryCase.all)
    func nonTrappingResultsMatch(_ c: BinaryCase) throws {
        let values = sampleValues(c.type)
        try expectSameAsInterpreter(Self.batch(c, values), variants: [x86Variants[0]])
        try expectSameAsInterpreter(Self.batch(c, Array(values.prefix(7))), variants: Array(x86Variants.dropFirst()))
    }

    /// Division by a constant takes no `idiv` (a shift, or a multiplication by a reciprocal):
    /// quotients and remainders of dividends at the type's ends, next to multiples of the
    /// divisor and spread over the range, for divisors of every size and both signs.
    @Test(arguments: [IntType.i8, .i16, .i32, .i64])
    func divisionByConstantsMatches(_ type: IntType) throws {
        let low = type == .i64 ? Int64.min : -(Int64(1) << (type.bits - 1))
        let high = type == .i64 ? Int64.max : (Int64(1) << (type.bits - 1)) - 1
        let magnitudes: [Int64] = [1, 2, 3, 5, 6, 7, 10, 12, 25, 60, 64, 100, 125, 127, 641, 1000, 4096, 65537, 274_177,
                                   1_000_003, 6_700_417, 1_000_000_007, (1 << 31) - 1, 1 << 31, (1 << 32) + 1,
                                   1 << 40, (1 << 62) + 1, 1 << 62, .max]
        let divisors = (magnitudes + magnitudes.map { -$0 }).filter { $0 >= low && $0 <= high && $0 != -1 }
        var spread: [Int64] = []
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<12 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            spread.append(Int64(bitPattern: x) >> (64 - type.bits))
        }
        var batch = BatchBuilder()
        for d in divisors {
            let near = [d, d &- 1, d &+ 1, 0 &- d, 1 &- d, 0 &- d &- 1, 3 &* d &+ 1, 3 &* d &- 1]
                .filter { $0.magnitude <= d.magnitude.multipliedReportingOverflow(by: 3).partialValue + 1 }
            let dividends = [0, 1, -1, low, high, low + 1, high - 1] + near + spread
            for n in dividends where n >= low && n <= high {
                for op in [BinaryOp.sdiv, .srem] {
                    let v = batch.constant(type, n)
                    batch.record(batch.builder.binary(op, type, .reg(v), .imm(d)), type)
                }
            }
        }
        let module = try batch.finish()
        try expectSameAsInterpreter(module, variants: [x86Variants[0], x86Variants[2]])
        let code = try X86Backend().compileProgram(module).machineCode
        let idiv = try Disassembler().disassemble(code).filter { $0.text.hasPrefix("idiv") }
        #expect(idiv.isEmpty, "\(idiv.count) idiv")
    }

    @Test(arguments: BinaryCase.all.filter { $0.checked || $0.op.isDivision })
    func trapsMatch(_ c: BinaryCase) throws {
        let values = sampleValues(c.type)
        var pairs: [(Int64, Int64)] = []
        for a in values {
            for b in values {
                if case .trap = Semantics.binary(c.op, c.type, a, b, checked: c.checked) { pairs.append((a, b)) }
            }
        }
        #expect(!pairs.isEmpty)
        // Operands in registers: one function, run per pair.
        var f = FunctionBuilder(name: "main", parameters: [c.type, c.type], result: c.type)
        f.loc = SourceLoc(line: 3, column: 9)
        let r = f.binary(c.op, c.type, .reg(f.parameter(0)), .reg(f.parameter(1)), checked: c.checked)
        f.ret(.reg(r))
        let registers = Module(functions: [try f.finish()])
        try expectSameAsInterpreter(registers, argumentSets: pairs.map { [$0.0, $0.1] })
        // Immediate operands take other code paths (constant divisors).
        for (a, b) in pairs.prefix(8) {
            for shape in [Shape.immediateRight, .immediateLeft, .bothImmediates] {
                var batch = BatchBuilder()
                batch.builder.loc = SourceLoc(line: 7, column: 2)
                let r = Self.emit(c, shape, a, b, into: &batch)
                batch.record(r, c.type)
                try expectSameAsInterpreter(try batch.finish(), variants: [x86Variants[0], x86Variants[1]])
            }
        }
    }
}
