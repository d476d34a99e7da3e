import JitIR
import Testing

private let checkLoc = SourceLoc(line: 5, column: 3)
private let other = SourceLoc(line: 8, column: 1)

/// The instruction shapes the BF frontend emits, which the specialised engine
/// fuses: each test checks the result and every register the fused
/// instructions define, on both engines.
@Suite("Interpreter: fused instruction sequences")
struct InterpreterFusionTests {
    enum Addend: CaseIterable { case addRight, addLeft, subtract, itself }

    /// `x = load [p+k]; y = add/sub x, r; store y, [p+k]` with a register addend.
    @Test(arguments: [IntType.i8, .i16, .i32], Addend.allCases)
    func readModifyWriteWithRegister(_ type: IntType, _ addend: Addend) throws {
        let max = Semantics.signedRange(type).upperBound
        var b = FunctionBuilder(name: "main", result: .i64)
        let p = b.copy(.i64, .imm(2))
        b.store(type, .imm(max - 1), base: p, offset: 4)
        let r = b.copy(type, .imm(3))
        let x = b.load(type, base: p, offset: 4)
        let y = b.newRegister(type)
        switch addend {
        case .addRight: b.append(.binary(.add, dst: y, lhs: .reg(x), rhs: .reg(r), checked: false))
        case .addLeft: b.append(.binary(.add, dst: y, lhs: .reg(r), rhs: .reg(x), checked: false))
        case .subtract: b.append(.binary(.sub, dst: y, lhs: .reg(x), rhs: .reg(r), checked: false))
        case .itself: b.append(.binary(.add, dst: y, lhs: .reg(x), rhs: .reg(x), checked: false))
        }
        b.store(type, .reg(y), base: p, offset: 4)
        // Result: x * 1000 + y * 10 + cell
        let wx = b.convert(.sext, .reg(x), from: type, to: .i64)
        let wy = b.convert(.sext, .reg(y), from: type, to: .i64)
        let cell = b.convert(.sext, .reg(b.load(type, base: p, offset: 4)), from: type, to: .i64)
        let s1 = b.binary(.mul, .i64, .reg(wx), .imm(1000))
        let s2 = b.binary(.add, .i64, .reg(s1), .reg(b.binary(.mul, .i64, .reg(wy), .imm(10))))
        b.ret(.reg(b.binary(.add, .i64, .reg(s2), .reg(cell))))
        let (result, _) = try InterpreterHarness.run(Module(memorySize: 16, functions: [try b.finish()]))
        let wrap = Int64(1) << type.bits
        let sum: Int64 = switch addend {
        case .addRight, .addLeft: max - 1 + 3 - wrap  // wraps past MAX
        case .subtract: max - 4
        case .itself: 2 * (max - 1) - wrap  // 2 MAX - 2 wraps to -4
        }
        #expect(result.value == (max - 1) * 1000 + sum * 11)
    }

    /// `x = add/sub y, c; store x, [p+k]`: a cell value kept in a register, updated
    /// and written back; wraps at the width; an out-of-range store traps at the store.
    @Test(arguments: [IntType.i8, .i16, .i32], [false, true])
    func addThenStore(_ type: IntType, _ sameRegister: Bool) throws {
        let min = Semantics.signedRange(type).lowerBound
        for (address, op) in [(Int64(8), BinaryOp.sub), (14, .add), (15, .add)] {
            var b = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
            let p = b.parameter(0)
            let y = b.copy(type, .imm(min + 1))
            let x = sameRegister ? y : b.newRegister(type)
            b.append(.binary(op, dst: x, lhs: .reg(y), rhs: .imm(op == .sub ? 2 : -2), checked: false))
            b.loc = checkLoc
            b.store(type, .reg(x), base: p)
            b.loc = other
            let cell = b.convert(.sext, .reg(b.load(type, base: p)), from: type, to: .i64)
            let wx = b.convert(.sext, .reg(x), from: type, to: .i64)
            let wy = b.convert(.sext, .reg(y), from: type, to: .i64)
            b.ret(.reg(b.binary(.add, .i64, .reg(b.binary(.sub, .i64, .reg(cell), .reg(wx))), .reg(wy))))
            let (r, _) = try InterpreterHarness.run(Module(memorySize: 16, functions: [try b.finish()]), arguments: [address])
            if address + Int64(type.bytes) > 16 {
                #expect(r.trap == Trap(kind: .outOfBounds, loc: checkLoc, function: "main"))
            } else {
                // MIN + 1 - 2 wraps to MAX; cell - x is 0; y is MAX when it is x, else MIN + 1.
                #expect(r.value == (sameRegister ? -min - 1 : min + 1))
            }
        }
    }

    /// `a = add p, k; c = ugt a, limit; trapIf c`: traps at the `trapIf` exactly
    /// when the address is past the limit; `a` and `c` keep their values.
    @Test(arguments: [Int64(99), 100, 101, -200])
    func boundsCheckWithTrapIf(_ pointer: Int64) throws {
        // The first limit fits the fused form, the second does not.
        for limit in [Int64(100 + 7), Int64(1) << 40] {
            var b = FunctionBuilder(name: "check", parameters: [.i64], result: .i64)
            let a = b.binary(.add, .i64, .reg(b.parameter(0)), .imm(7))
            let c = b.compare(.ugt, .i64, .reg(a), .imm(limit))
            b.loc = checkLoc
            b.trapIf(.reg(c), .outOfBounds)
            b.loc = other
            let wide = b.convert(.zext, .reg(c), from: .i1, to: .i64)
            b.ret(.reg(b.binary(.add, .i64, .reg(a), .reg(b.binary(.mul, .i64, .reg(wide), .imm(1 << 20))))))
            let (r, _) = try InterpreterHarness.run(Module(functions: [try b.finish()]), "check", arguments: [pointer])
            let address = pointer + 7
            if UInt64(bitPattern: address) > UInt64(limit) {
                #expect(r.trap == Trap(kind: .outOfBounds, loc: checkLoc, function: "check"))
            } else {
                #expect(r.trap == nil)
                #expect(r.value == address)
            }
        }
    }

    /// The check as a branch to a cold block whose other target is the next block.
    /// The checking block is also the target of a jump, so it must not be copied
    /// to the jump's site (it continues into the block after it).
    @Test(arguments: [(Int64(3), Int64(3 + 10 + 1000)), (50, -1)])
    func boundsCheckBranchingToTheNextBlock(_ pointer: Int64, _ expected: Int64) throws {
        var b = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        let p = b.parameter(0)
        // Layout: entry, afterEntry, check, inRange, cold.
        let afterEntry = b.newBlock("afterEntry"), check = b.newBlock("check")
        let inRange = b.newBlock("inRange"), cold = b.newBlock("cold")
        b.jump(check)  // a jump to a small block
        b.position(at: afterEntry)
        b.ret(.imm(-2))  // reached only by a wrong fall-through from a copy of `check`
        b.position(at: check)
        let a = b.binary(.add, .i64, .reg(p), .imm(10))
        let c = b.compare(.ugt, .i64, .reg(a), .imm(20))
        b.branch(.reg(c), cold, inRange)
        b.position(at: inRange)
        b.ret(.reg(b.binary(.add, .i64, .reg(a), .imm(1000))))
        b.position(at: cold)
        b.ret(.imm(-1))
        let (r, _) = try InterpreterHarness.run(Module(functions: [try b.finish()]), arguments: [pointer])
        #expect(r.value == expected)
    }

    /// When the false target is not the next block the check is not a fall-through.
    @Test func boundsCheckBranchingElsewhere() throws {
        var b = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        let a = b.binary(.add, .i64, .reg(b.parameter(0)), .imm(1))
        let c = b.compare(.ugt, .i64, .reg(a), .imm(5))
        let next = b.newBlock(), far = b.newBlock()
        b.branch(.reg(c), next, far)
        b.position(at: next)
        b.ret(.imm(111))
        b.position(at: far)
        b.ret(.reg(a))
        let module = Module(functions: [try b.finish()])
        #expect(try InterpreterHarness.run(module, arguments: [2]).0.value == 3)
        #expect(try InterpreterHarness.run(module, arguments: [9]).0.value == 111)
    }

    /// A checked pointer add is not a bounds check: it traps on overflow at its own position.
    @Test func checkedAddBeforeComparisonTrapsOverflow() throws {
        var b = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        b.loc = checkLoc
        let a = b.binary(.add, .i64, .reg(b.parameter(0)), .imm(1), checked: true)
        b.loc = other
        let c = b.compare(.ugt, .i64, .reg(a), .imm(5))
        b.trapIf(.reg(c), .outOfBounds)
        b.ret(.reg(a))
        let module = Module(functions: [try b.finish()])
        #expect(try InterpreterHarness.run(module, arguments: [.max]).0.trap
            == Trap(kind: .overflow, loc: checkLoc, function: "main"))
        #expect(try InterpreterHarness.run(module, arguments: [4]).0.value == 5)
    }
}
