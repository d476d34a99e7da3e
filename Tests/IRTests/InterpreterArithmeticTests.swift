import JitIR
import Testing

/// One binary operation at one width and its expected outcome, worked out by hand.
struct BinaryCase: CustomTestStringConvertible, Sendable {
    var op: BinaryOp
    var type: IntType
    var lhs: Int64
    var rhs: Int64
    var checked: Bool
    var expected: Evaluation

    init(_ op: BinaryOp, _ type: IntType, _ lhs: Int64, _ rhs: Int64, checked: Bool = false, _ expected: Evaluation) {
        self.op = op
        self.type = type
        self.lhs = lhs
        self.rhs = rhs
        self.checked = checked
        self.expected = expected
    }

    var testDescription: String {
        "\(checked ? "checked " : "")\(op) \(type) \(lhs), \(rhs) = \(expected)"
    }
}

private let i8min = Int64(Int8.min), i8max = Int64(Int8.max)
private let i16min = Int64(Int16.min), i16max = Int64(Int16.max)
private let i32min = Int64(Int32.min), i32max = Int64(Int32.max)
private let i64min = Int64.min, i64max = Int64.max

private let additive: [BinaryCase] = [
    .init(.add, .i1, 1, 1, .value(0)),
    .init(.add, .i1, 1, 0, .value(1)),
    .init(.add, .i1, 1, 1, checked: true, .trap(.overflow)),  // -1 + -1
    .init(.add, .i1, 1, 0, checked: true, .value(1)),
    .init(.add, .i8, 100, 27, .value(127)),
    .init(.add, .i8, 100, 27, checked: true, .value(127)),
    .init(.add, .i8, i8max, 1, .value(i8min)),
    .init(.add, .i8, i8max, 1, checked: true, .trap(.overflow)),
    .init(.add, .i8, i8min, -1, .value(i8max)),
    .init(.add, .i8, i8min, -1, checked: true, .trap(.overflow)),
    .init(.add, .i16, i16max, 1, .value(i16min)),
    .init(.add, .i16, i16max, 1, checked: true, .trap(.overflow)),
    .init(.add, .i32, i32max, 1, .value(i32min)),
    .init(.add, .i32, i32max, 1, checked: true, .trap(.overflow)),
    .init(.add, .i32, -1, 1, checked: true, .value(0)),
    .init(.add, .i64, 2, 3, .value(5)),
    .init(.add, .i64, i64max, 1, .value(i64min)),
    .init(.add, .i64, i64max, 1, checked: true, .trap(.overflow)),
    .init(.add, .i64, i64min, -1, checked: true, .trap(.overflow)),
    .init(.add, .i64, i64min, i64max, checked: true, .value(-1)),
    .init(.sub, .i1, 0, 1, .value(1)),
    .init(.sub, .i1, 0, 1, checked: true, .trap(.overflow)),  // 0 - (-1) = 1
    .init(.sub, .i8, 5, 7, .value(-2)),
    .init(.sub, .i8, i8min, 1, .value(i8max)),
    .init(.sub, .i8, i8min, 1, checked: true, .trap(.overflow)),
    .init(.sub, .i8, 0, i8min, .value(i8min)),
    .init(.sub, .i8, 0, i8min, checked: true, .trap(.overflow)),
    .init(.sub, .i8, -1, i8min, checked: true, .value(i8max)),
    .init(.sub, .i16, i16min, 1, .value(i16max)),
    .init(.sub, .i32, i32min, 1, .value(i32max)),
    .init(.sub, .i32, i32min, 1, checked: true, .trap(.overflow)),
    .init(.sub, .i64, i64min, 1, .value(i64max)),
    .init(.sub, .i64, i64min, 1, checked: true, .trap(.overflow)),
    .init(.sub, .i64, 0, i64min, .value(i64min)),
    .init(.sub, .i64, 0, i64min, checked: true, .trap(.overflow)),
    .init(.sub, .i64, -1, i64min, checked: true, .value(i64max)),
]

private let multiplicative: [BinaryCase] = [
    .init(.mul, .i1, 1, 1, .value(1)),
    .init(.mul, .i1, 1, 1, checked: true, .trap(.overflow)),  // -1 * -1 = 1
    .init(.mul, .i1, 1, 0, checked: true, .value(0)),
    .init(.mul, .i8, 16, 16, .value(0)),
    .init(.mul, .i8, 16, 8, .value(i8min)),
    .init(.mul, .i8, 16, 8, checked: true, .trap(.overflow)),
    .init(.mul, .i8, -16, 8, checked: true, .value(i8min)),
    .init(.mul, .i8, -1, i8min, .value(i8min)),
    .init(.mul, .i8, -1, i8min, checked: true, .trap(.overflow)),
    .init(.mul, .i16, 256, 256, .value(0)),
    .init(.mul, .i16, 181, 181, checked: true, .value(32761)),
    .init(.mul, .i16, 182, 181, checked: true, .trap(.overflow)),
    .init(.mul, .i32, 65536, 65536, .value(0)),
    .init(.mul, .i32, 65536, 65536, checked: true, .trap(.overflow)),
    .init(.mul, .i32, 46341, 46341, .value(-2_147_479_015)),
    .init(.mul, .i32, 46341, 46341, checked: true, .trap(.overflow)),
    .init(.mul, .i64, 3, -4, .value(-12)),
    .init(.mul, .i64, i64max, 2, .value(-2)),
    .init(.mul, .i64, i64max, 2, checked: true, .trap(.overflow)),
    .init(.mul, .i64, i64min, -1, .value(i64min)),
    .init(.mul, .i64, i64min, -1, checked: true, .trap(.overflow)),
    .init(.mul, .i64, 3_037_000_499, 3_037_000_499, checked: true, .value(9_223_372_030_926_249_001)),
    .init(.mul, .i64, 3_037_000_500, 3_037_000_500, checked: true, .trap(.overflow)),
]

private let division: [BinaryCase] = [
    .init(.sdiv, .i1, 0, 1, .value(0)),
    .init(.sdiv, .i1, 1, 1, .trap(.overflow)),  // MIN (-1) / -1
    .init(.sdiv, .i1, 1, 0, .trap(.divisionByZero)),
    .init(.srem, .i1, 1, 1, .value(0)),
    .init(.sdiv, .i8, 7, 2, .value(3)),
    .init(.sdiv, .i8, -7, 2, .value(-3)),
    .init(.sdiv, .i8, 7, -2, .value(-3)),
    .init(.sdiv, .i8, -7, -2, .value(3)),
    .init(.sdiv, .i8, i8min, -1, .trap(.overflow)),
    .init(.sdiv, .i8, i8min, 1, .value(i8min)),
    .init(.sdiv, .i8, 5, 0, .trap(.divisionByZero)),
    .init(.sdiv, .i8, 0, 0, .trap(.divisionByZero)),
    .init(.srem, .i8, 7, 2, .value(1)),
    .init(.srem, .i8, -7, 2, .value(-1)),
    .init(.srem, .i8, 7, -2, .value(1)),
    .init(.srem, .i8, -7, -2, .value(-1)),
    .init(.srem, .i8, i8min, -1, .value(0)),
    .init(.srem, .i8, 5, 0, .trap(.divisionByZero)),
    .init(.sdiv, .i16, i16min, -1, .trap(.overflow)),
    .init(.srem, .i16, i16min, -1, .value(0)),
    .init(.sdiv, .i16, i16min, 2, .value(-16384)),
    .init(.sdiv, .i32, i32min, -1, .trap(.overflow)),
    .init(.sdiv, .i32, i32min, 2, .value(-1_073_741_824)),
    .init(.srem, .i32, i32min, -1, .value(0)),
    .init(.srem, .i32, i32min, 3, .value(-2)),
    .init(.srem, .i32, 1, 0, .trap(.divisionByZero)),
    .init(.sdiv, .i64, i64min, -1, .trap(.overflow)),
    .init(.sdiv, .i64, i64min, 0, .trap(.divisionByZero)),
    .init(.sdiv, .i64, i64max, -1, .value(-i64max)),
    .init(.sdiv, .i64, -9, 4, .value(-2)),
    .init(.srem, .i64, i64min, -1, .value(0)),
    .init(.srem, .i64, i64min, 0, .trap(.divisionByZero)),
    .init(.srem, .i64, -9, 4, .value(-1)),
    .init(.srem, .i64, i64min, i64max, .value(-1)),
]

private let bitwise: [BinaryCase] = [
    .init(.and, .i1, 1, 1, .value(1)),
    .init(.and, .i1, 1, 0, .value(0)),
    .init(.or, .i1, 1, 0, .value(1)),
    .init(.xor, .i1, 1, 1, .value(0)),
    .init(.and, .i8, -1, 0x0F, .value(15)),
    .init(.or, .i8, i8min, 1, .value(-127)),
    .init(.xor, .i8, -1, 1, .value(-2)),
    .init(.xor, .i8, i8max, -1, .value(i8min)),
    .init(.and, .i16, -2, 0x7FFF, .value(0x7FFE)),
    .init(.or, .i32, i32min, 0x7FFF_FFFF, .value(-1)),
    .init(.xor, .i32, 0x5555_5555, -1, .value(-0x5555_5556)),
    .init(.and, .i64, i64min, -1, .value(i64min)),
    .init(.or, .i64, i64min, 1, .value(i64min + 1)),
    .init(.xor, .i64, i64max, i64min, .value(-1)),
]

private let shifts: [BinaryCase] = [
    .init(.shl, .i1, 1, 1, .value(1)),  // counts are modulo 1: always 0
    .init(.lshr, .i1, 1, 1, .value(1)),
    .init(.ashr, .i1, 1, 1, .value(1)),
    .init(.shl, .i8, 1, 7, .value(i8min)),
    .init(.shl, .i8, 1, 8, .value(1)),
    .init(.shl, .i8, 1, 9, .value(2)),
    .init(.shl, .i8, 3, -1, .value(i8min)),  // count 255 % 8 = 7; 384 wraps to -128
    .init(.shl, .i8, 0x41, 1, .value(-126)),
    .init(.lshr, .i8, i8min, 1, .value(64)),
    .init(.lshr, .i8, -1, 4, .value(15)),
    .init(.lshr, .i8, -1, 7, .value(1)),
    .init(.lshr, .i8, -1, 8, .value(-1)),
    .init(.lshr, .i8, -2, 0, .value(-2)),
    .init(.ashr, .i8, i8min, 1, .value(-64)),
    .init(.ashr, .i8, i8min, 7, .value(-1)),
    .init(.ashr, .i8, i8min, 8, .value(i8min)),
    .init(.ashr, .i8, 64, 6, .value(1)),
    .init(.shl, .i16, 1, 15, .value(i16min)),
    .init(.shl, .i16, 1, 16, .value(1)),
    .init(.lshr, .i16, -1, 15, .value(1)),
    .init(.lshr, .i16, i16min, 1, .value(16384)),
    .init(.ashr, .i16, i16min, 17, .value(-16384)),
    .init(.shl, .i32, 1, 31, .value(i32min)),
    .init(.shl, .i32, 1, 32, .value(1)),
    .init(.shl, .i32, 1, 33, .value(2)),
    .init(.lshr, .i32, -1, 1, .value(i32max)),
    .init(.lshr, .i32, -1, 31, .value(1)),
    .init(.lshr, .i32, -1, 32, .value(-1)),
    .init(.ashr, .i32, i32min, 31, .value(-1)),
    .init(.ashr, .i32, i32min, 32, .value(i32min)),
    .init(.shl, .i64, 1, 63, .value(i64min)),
    .init(.shl, .i64, 1, 64, .value(1)),
    .init(.shl, .i64, 1, 65, .value(2)),
    .init(.shl, .i64, 5, -1, .value(i64min)),
    .init(.lshr, .i64, -1, 1, .value(i64max)),
    .init(.lshr, .i64, -1, 64, .value(-1)),
    .init(.lshr, .i64, i64min, 63, .value(1)),
    .init(.ashr, .i64, i64min, 63, .value(-1)),
    .init(.ashr, .i64, i64min, 64, .value(i64min)),
    .init(.ashr, .i64, -1024, 3, .value(-128)),
]

@Suite("Interpreter: binary operations")
struct InterpreterArithmeticTests {
    @Test(arguments: additive + multiplicative)
    func addSubMul(_ c: BinaryCase) throws {
        try check(c)
    }

    @Test(arguments: division)
    func divisionAndRemainder(_ c: BinaryCase) throws {
        try check(c)
    }

    @Test(arguments: bitwise + shifts)
    func bitwiseAndShifts(_ c: BinaryCase) throws {
        try check(c)
    }

    /// Every operand shape (register/immediate) on every engine gives the expected outcome.
    private func check(_ c: BinaryCase) throws {
        let outcomes = try InterpreterHarness.binary(c.op, c.type, c.lhs, c.rhs, checked: c.checked)
        #expect(outcomes.count == 8)
        for o in outcomes { #expect(o == c.expected) }
    }

    /// `checked` changes nothing for operators other than add, sub and mul.
    @Test(arguments: [BinaryOp.and, .xor, .shl, .lshr, .ashr, .sdiv, .srem])
    func checkedIsIgnoredElsewhere(_ op: BinaryOp) throws {
        let plain = try InterpreterHarness.binary(op, .i8, -100, 3)
        let checked = try InterpreterHarness.binary(op, .i8, -100, 3, checked: true)
        #expect(plain == checked)
    }

    /// Arguments outside a parameter's type are normalised on entry.
    @Test func argumentsAreNormalised() throws {
        var b = FunctionBuilder(name: "f", parameters: [.i8, .i1], result: .i64)
        let wide = b.convert(.sext, .reg(b.parameter(0)), from: .i8, to: .i64)
        let flag = b.convert(.zext, .reg(b.parameter(1)), from: .i1, to: .i64)
        let sum = b.binary(.add, .i64, .reg(wide), .reg(flag))
        b.ret(.reg(sum))
        let (r, _) = try InterpreterHarness.run(Module(functions: [try b.finish()]), "f", arguments: [0x1FF, 3])
        #expect(r.value == 0)  // 0x1FF as i8 is -1; 3 as i1 is 1
    }

    /// A result is returned normalised to the function's result type.
    @Test func resultIsSignExtendedFromItsType() throws {
        var b = FunctionBuilder(name: "f", result: .i16)
        let x = b.copy(.i16, .imm(-2))
        b.ret(.reg(x))
        let (r, _) = try InterpreterHarness.run(Module(functions: [try b.finish()]), "f")
        #expect(r.value == -2)
    }
}
