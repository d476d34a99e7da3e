import JitIR
import Testing

struct CompareCase: CustomTestStringConvertible, Sendable {
    var pred: ComparePredicate
    var type: IntType
    var lhs: Int64
    var rhs: Int64
    var holds: Bool
    init(_ pred: ComparePredicate, _ type: IntType, _ lhs: Int64, _ rhs: Int64, _ holds: Bool) {
        self.pred = pred
        self.type = type
        self.lhs = lhs
        self.rhs = rhs
        self.holds = holds
    }
    var testDescription: String { "\(pred) \(type) \(lhs), \(rhs) is \(holds)" }
}

struct UnaryCase: CustomTestStringConvertible, Sendable {
    var op: UnaryOp
    var type: IntType
    var operand: Int64
    var checked: Bool
    var expected: Evaluation
    init(_ op: UnaryOp, _ type: IntType, _ operand: Int64, checked: Bool = false, _ expected: Evaluation) {
        self.op = op
        self.type = type
        self.operand = operand
        self.checked = checked
        self.expected = expected
    }
    var testDescription: String { "\(checked ? "checked " : "")\(op) \(type) \(operand) = \(expected)" }
}

struct ConvertCase: CustomTestStringConvertible, Sendable {
    var op: ConvertOp
    var from: IntType
    var to: IntType
    var value: Int64
    var expected: Int64
    init(_ op: ConvertOp, _ from: IntType, _ to: IntType, _ value: Int64, _ expected: Int64) {
        self.op = op
        self.from = from
        self.to = to
        self.value = value
        self.expected = expected
    }
    var testDescription: String { "\(op) \(from) \(value) to \(to) = \(expected)" }
}

private let comparisons: [CompareCase] = [
    // Equality sees the value at its width.
    .init(.eq, .i8, -1, -1, true),
    .init(.ne, .i8, -1, 127, true),
    .init(.eq, .i1, 1, 1, true),
    .init(.ne, .i1, 1, 0, true),
    .init(.eq, .i64, .min, .min, true),
    // Signed and unsigned readings of negative values.
    .init(.slt, .i8, -1, 0, true),
    .init(.ult, .i8, -1, 0, false),
    .init(.ugt, .i8, -1, 1, true),
    .init(.ule, .i8, -128, 127, false),  // 128 <= 127
    .init(.uge, .i8, -128, 127, true),
    .init(.sgt, .i8, 127, -128, true),
    .init(.slt, .i16, -32768, 32767, true),
    .init(.ult, .i16, -32768, 32767, false),
    .init(.ugt, .i16, -1, -2, true),
    .init(.sge, .i32, Int64(Int32.min), Int64(Int32.max), false),
    .init(.uge, .i32, Int64(Int32.min), Int64(Int32.max), true),
    .init(.ult, .i32, 0x7FFF_FFFF, -1, true),
    .init(.sle, .i32, -1, -1, true),
    .init(.slt, .i64, .min, .max, true),
    .init(.ult, .i64, .min, .max, false),
    .init(.ult, .i64, -1, 0, false),
    .init(.ult, .i64, 0, -1, true),
    .init(.ule, .i64, -1, -1, true),
    .init(.ugt, .i64, -1, .max, true),
    .init(.sgt, .i64, -1, .max, false),
    .init(.sge, .i64, 5, 5, true),
    .init(.sgt, .i64, 5, 5, false),
    .init(.slt, .i64, 5, 5, false),
    .init(.ult, .i64, 5, 5, false),
    .init(.uge, .i64, 5, 5, true),
    // i1: 1 reads as -1 when signed, as 1 when unsigned.
    .init(.slt, .i1, 1, 0, true),
    .init(.sgt, .i1, 0, 1, true),
    .init(.sle, .i1, 1, 1, true),
    .init(.sge, .i1, 0, 1, true),
    .init(.sge, .i1, 1, 0, false),
    .init(.ult, .i1, 1, 0, false),
    .init(.ugt, .i1, 1, 0, true),
    .init(.ule, .i1, 0, 1, true),
]

private let unaries: [UnaryCase] = [
    .init(.neg, .i1, 1, .value(1)),
    .init(.neg, .i1, 1, checked: true, .trap(.overflow)),  // -(-1) = 1 does not fit
    .init(.neg, .i1, 0, checked: true, .value(0)),
    .init(.neg, .i8, 5, .value(-5)),
    .init(.neg, .i8, -128, .value(-128)),
    .init(.neg, .i8, -128, checked: true, .trap(.overflow)),
    .init(.neg, .i8, 127, checked: true, .value(-127)),
    .init(.neg, .i16, -32768, checked: true, .trap(.overflow)),
    .init(.neg, .i32, Int64(Int32.min), .value(Int64(Int32.min))),
    .init(.neg, .i32, Int64(Int32.min), checked: true, .trap(.overflow)),
    .init(.neg, .i64, .min, .value(.min)),
    .init(.neg, .i64, .min, checked: true, .trap(.overflow)),
    .init(.neg, .i64, .max, checked: true, .value(-.max)),
    .init(.not, .i1, 1, .value(0)),
    .init(.not, .i1, 0, .value(1)),
    .init(.not, .i8, 0, .value(-1)),
    .init(.not, .i8, -128, .value(127)),
    .init(.not, .i16, 0x00FF, .value(-256)),
    .init(.not, .i32, Int64(Int32.max), .value(Int64(Int32.min))),
    .init(.not, .i64, 0, .value(-1)),
    .init(.not, .i64, .min, .value(.max)),
]

private let conversions: [ConvertCase] = [
    .init(.zext, .i1, .i8, 1, 1),
    .init(.zext, .i1, .i64, 1, 1),
    .init(.zext, .i8, .i16, -1, 255),
    .init(.zext, .i8, .i32, -128, 128),
    .init(.zext, .i8, .i64, -1, 255),
    .init(.zext, .i16, .i32, -32768, 32768),
    .init(.zext, .i32, .i64, -1, 0xFFFF_FFFF),
    .init(.zext, .i64, .i64, -1, -1),
    .init(.zext, .i8, .i8, -1, -1),
    .init(.sext, .i1, .i8, 1, -1),
    .init(.sext, .i1, .i64, 1, -1),
    .init(.sext, .i1, .i32, 0, 0),
    .init(.sext, .i8, .i64, -1, -1),
    .init(.sext, .i8, .i16, 127, 127),
    .init(.sext, .i16, .i64, -32768, -32768),
    .init(.sext, .i32, .i64, Int64(Int32.min), Int64(Int32.min)),
    .init(.trunc, .i64, .i8, 0x1_0000_00FF, -1),
    .init(.trunc, .i64, .i8, 0x80, -128),
    .init(.trunc, .i32, .i16, 0x1234_5678, 0x5678),
    .init(.trunc, .i32, .i16, 0x0000_8000, -32768),
    .init(.trunc, .i64, .i32, 0x1_8000_0000, Int64(Int32.min)),
    .init(.trunc, .i64, .i1, 2, 0),
    .init(.trunc, .i64, .i1, 3, 1),
    .init(.trunc, .i8, .i1, -1, 1),
    .init(.trunc, .i16, .i8, 0x017F, 127),
    .init(.trunc, .i64, .i64, .min, .min),
]

@Suite("Interpreter: comparisons, unary operations, conversions, select")
struct InterpreterCompareConvertTests {
    @Test(arguments: comparisons)
    func compare(_ c: CompareCase) throws {
        for o in try InterpreterHarness.compare(c.pred, c.type, c.lhs, c.rhs) {
            #expect(o == .value(c.holds ? 1 : 0))
        }
        // The negated predicate gives the opposite answer.
        for o in try InterpreterHarness.compare(c.pred.inverted, c.type, c.lhs, c.rhs) {
            #expect(o == .value(c.holds ? 0 : 1))
        }
    }

    /// The same comparisons used as branch conditions (fused with the branch when specialised).
    @Test(arguments: comparisons)
    func compareAndBranch(_ c: CompareCase) throws {
        for o in try InterpreterHarness.compareBranch(c.pred, c.type, c.lhs, c.rhs) {
            #expect(o == .value(c.holds ? 1 : 0))
        }
    }

    @Test(arguments: unaries)
    func unary(_ c: UnaryCase) throws {
        for o in try InterpreterHarness.unary(c.op, c.type, c.operand, checked: c.checked) {
            #expect(o == c.expected)
        }
    }

    @Test(arguments: conversions)
    func convert(_ c: ConvertCase) throws {
        for o in try InterpreterHarness.convert(c.op, c.value, from: c.from, to: c.to) {
            #expect(o == .value(c.expected))
        }
    }

    @Test(arguments: [(Int64(1), Int64(-7)), (0, 100)])
    func select(_ cond: Int64, _ expected: Int64) throws {
        let outcomes = try InterpreterHarness.evaluate(types: [.i1, .i8, .i8], values: [cond, -7, 100], result: .i8) {
            b, o in b.select(.i8, o[0], o[1], o[2])
        }
        #expect(outcomes.count == 16)
        for o in outcomes { #expect(o == .value(expected)) }
    }

    /// The result of a comparison fused into a branch stays readable in its register afterwards.
    @Test func fusedComparisonStillDefinesItsRegister() throws {
        var b = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        let c = b.compare(.sgt, .i64, .reg(b.parameter(0)), .imm(10))
        let yes = b.newBlock(), no = b.newBlock()
        b.branch(.reg(c), yes, no)
        for block in [yes, no] {
            b.position(at: block)
            let wide = b.convert(.zext, .reg(c), from: .i1, to: .i64)
            let tagged = b.binary(.add, .i64, .reg(wide), .imm(block == yes ? 100 : 200))
            b.ret(.reg(tagged))
        }
        let module = Module(functions: [try b.finish()])
        #expect(try InterpreterHarness.run(module, arguments: [11]).0.value == 101)
        #expect(try InterpreterHarness.run(module, arguments: [10]).0.value == 200)
    }
}
