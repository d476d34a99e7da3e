import JitIR
import Testing
@testable import X86Backend

/// Unary operators, comparisons, selects, conversions, loads and stores at
/// every width, against the interpreter.
@Suite struct OtherOperationTests {
    struct UnaryCase: CustomStringConvertible, Sendable {
        var op: UnaryOp
        var type: IntType
        var checked: Bool
        var description: String { "\(checked ? "checked " : "")\(op) \(type)" }
    }

    static let unaryCases: [UnaryCase] = IntType.allCases.flatMap { t in
        [UnaryCase(op: .neg, type: t, checked: false), UnaryCase(op: .neg, type: t, checked: true),
         UnaryCase(op: .not, type: t, checked: false)]
    }

    @Test(arguments: unaryCases)
    func unary(_ c: UnaryCase) throws {
        var batch = BatchBuilder()
        var trapping: [Int64] = []
        for a in sampleValues(c.type) {
            guard case .value = Semantics.unary(c.op, c.type, a, checked: c.checked) else {
                trapping.append(a)
                continue
            }
            let x = batch.constant(c.type, a)
            batch.record(batch.builder.unary(c.op, c.type, .reg(x), checked: c.checked), c.type)
            batch.record(batch.builder.unary(c.op, c.type, .imm(a), checked: c.checked), c.type)
            // In place: the destination is the operand.
            let y = batch.constant(c.type, a)
            batch.builder.append(.unary(c.op, dst: y, src: .reg(y), checked: c.checked))
            batch.record(y, c.type)
        }
        try expectSameAsInterpreter(try batch.finish())

        var f = FunctionBuilder(name: "main", parameters: [c.type], result: c.type)
        f.loc = SourceLoc(line: 5, column: 1)
        f.ret(.reg(f.unary(c.op, c.type, .reg(f.parameter(0)), checked: c.checked)))
        try expectSameAsInterpreter(Module(functions: [try f.finish()]), argumentSets: trapping.map { [$0] })
        #expect(trapping.isEmpty == !(c.checked && c.op == .neg))
    }

    struct CompareCase: CustomStringConvertible, Sendable {
        var predicate: ComparePredicate
        var type: IntType
        var description: String { "\(predicate) \(type)" }
    }

    static let compareCases = IntType.allCases.flatMap { t in ComparePredicate.allCases.map { CompareCase(predicate: $0, type: t) } }

    /// Compare results as values, as branch conditions (fused cmp/jcc) and as trap conditions.
    @Test(arguments: compareCases)
    func compare(_ c: CompareCase) throws {
        let values = Array(sampleValues(c.type).prefix(9))
        var batch = BatchBuilder()
        for a in values {
            for b in values {
                let x = batch.constant(c.type, a), y = batch.constant(c.type, b)
                batch.record(batch.builder.compare(c.predicate, c.type, .reg(x), .reg(y)), .i1)
                batch.record(batch.builder.compare(c.predicate, c.type, .reg(x), .imm(b)), .i1)
                batch.record(batch.builder.compare(c.predicate, c.type, .imm(a), .reg(y)), .i1)
                batch.record(batch.builder.compare(c.predicate, c.type, .imm(a), .imm(b)), .i1)
                // Fused into a branch: record which way it went.
                let cond = batch.builder.compare(c.predicate, c.type, .reg(x), .reg(y))
                let yes = batch.builder.newBlock(), no = batch.builder.newBlock(), join = batch.builder.newBlock()
                let r = batch.builder.newRegister(.i64)
                batch.builder.branch(.reg(cond), yes, no)
                batch.builder.position(at: yes)
                batch.builder.assign(r, .imm(11))
                batch.builder.jump(join)
                batch.builder.position(at: no)
                batch.builder.assign(r, .imm(22))
                batch.builder.jump(join)
                batch.builder.position(at: join)
                batch.record(r, .i64)
            }
        }
        try expectSameAsInterpreter(try batch.finish())

        // Fused into trapIf, with the comparison's operands as parameters.
        var f = FunctionBuilder(name: "main", parameters: [c.type, c.type], result: .i64)
        f.loc = SourceLoc(line: 9, column: 4)
        f.trapIf(.reg(f.compare(c.predicate, c.type, .reg(f.parameter(0)), .reg(f.parameter(1)))), .negativeShift)
        f.ret(.imm(1))
        let sets = values.flatMap { a in values.map { [a, $0] } }
        try expectSameAsInterpreter(Module(functions: [try f.finish()]), argumentSets: sets, variants: [x86Variants[0]])
    }

    @Test(arguments: IntType.allCases)
    func select(_ type: IntType) throws {
        let values = Array(sampleValues(type).prefix(4))
        var batch = BatchBuilder()
        for condition: Int64 in [0, 1] {
            for a in values {
                for b in values {
                    let c = batch.constant(.i1, condition), x = batch.constant(type, a), y = batch.constant(type, b)
                    batch.record(batch.builder.select(type, .reg(c), .reg(x), .reg(y)), type)
                    batch.record(batch.builder.select(type, .reg(c), .imm(a), .reg(y)), type)
                    batch.record(batch.builder.select(type, .reg(c), .reg(x), .imm(b)), type)
                    batch.record(batch.builder.select(type, .imm(condition), .reg(x), .reg(y)), type)
                    // The destination aliases each operand in turn.
                    for k in 0..<3 {
                        let c2 = batch.constant(.i1, condition)
                        let x2 = batch.constant(type, a), y2 = batch.constant(type, b)
                        let d = [x2, y2, type == .i1 ? c2 : x2][k]
                        batch.builder.append(.select(dst: d, cond: .reg(c2), ifTrue: .reg(x2), ifFalse: .reg(y2)))
                        batch.record(d, type)
                    }
                }
            }
        }
        try expectSameAsInterpreter(try batch.finish())
    }

    /// A compare right before the select that reads it fuses into `cmp; cmov`
    /// (`SelectionPlan.compareSelect`), whichever operand the destination shares a register with.
    @Test(arguments: IntType.allCases)
    func compareThenSelect(_ type: IntType) throws {
        let values = Array(sampleValues(type).prefix(3))
        var batch = BatchBuilder()
        for p in [ComparePredicate.ne, .slt, .ult] {
            for a in values {
                for b in values {
                    for k in 0..<4 {
                        let x = batch.constant(type, a), y = batch.constant(type, b)
                        let c = batch.builder.newRegister(.i1)
                        batch.builder.append(.compare(p, type: type, dst: c, lhs: .reg(x), rhs: k == 3 ? .imm(b) : .reg(y)))
                        let d = [x, y, batch.builder.newRegister(type), x][k]
                        batch.builder.append(.select(dst: d, cond: .reg(c), ifTrue: .reg(x), ifFalse: .reg(y)))
                        batch.record(d, type)
                    }
                }
            }
        }
        try expectSameAsInterpreter(try batch.finish())
    }

    struct ConvertCase: CustomStringConvertible, Sendable {
        var op: ConvertOp
        var from: IntType
        var to: IntType
        var description: String { "\(op) \(from) to \(to)" }
    }

    static let convertCases: [ConvertCase] = IntType.allCases.flatMap { from in
        IntType.allCases.flatMap { to -> [ConvertCase] in
            if from.bits < to.bits { return [ConvertCase(op: .zext, from: from, to: to), ConvertCase(op: .sext, from: from, to: to)] }
            if from.bits > to.bits { return [ConvertCase(op: .trunc, from: from, to: to)] }
            return []
        }
    }

    @Test(arguments: convertCases)
    func convert(_ c: ConvertCase) throws {
        var batch = BatchBuilder()
        for a in sampleValues(c.from) {
            let x = batch.constant(c.from, a)
            batch.record(batch.builder.convert(c.op, .reg(x), from: c.from, to: c.to), c.to)
            batch.record(batch.builder.convert(c.op, .imm(a), from: c.from, to: c.to), c.to)
        }
        try expectSameAsInterpreter(try batch.finish())
    }

    /// Stores and loads at every width, with positive, zero and negative offsets, of registers and immediates.
    @Test(arguments: IntType.allCases)
    func memory(_ type: IntType) throws {
        var f = FunctionBuilder(name: "main")
        let base = f.copy(.i64, .imm(64))
        var offset: Int64 = -64
        for a in sampleValues(type) {
            let x = f.copy(type, .imm(a))
            f.store(type, .reg(x), base: base, offset: offset)
            let y = f.load(type, base: base, offset: offset)
            f.store(.i64, .reg(f.convert(.sext, .reg(y), from: type, to: .i64)), base: base, offset: offset + 8)
            f.store(type, .imm(a), base: base, offset: offset + 16)
            offset += 24
        }
        f.ret(nil)
        try expectSameAsInterpreter(Module(memorySize: 1024, functions: [try f.finish()]))
    }

    /// Load/op/store of one cell (the BF `+` pattern) fuses into one instruction; check every operator and width.
    @Test(arguments: IntType.allCases.filter { $0 != .i1 })
    func memoryUpdate(_ type: IntType) throws {
        var f = FunctionBuilder(name: "main")
        let base = f.copy(.i64, .imm(8))
        var offset: Int64 = 0
        for op in [BinaryOp.add, .sub, .and, .or, .xor] {
            for k in sampleValues(type).prefix(6) {
                f.store(type, .imm(sampleValues(type)[5]), base: base, offset: offset)
                let v = f.load(type, base: base, offset: offset)
                let w = f.binary(op, type, .reg(v), .imm(k))
                f.store(type, .reg(w), base: base, offset: offset)
                // With a register operand, and the loaded value on the right.
                let amount = f.copy(type, .imm(k))
                let v2 = f.load(type, base: base, offset: offset)
                let w2 = f.binary(op, type, op == .sub ? .reg(v2) : .reg(amount), op == .sub ? .reg(amount) : .reg(v2))
                f.store(type, .reg(w2), base: base, offset: offset)
                offset += 8
            }
        }
        f.ret(nil)
        let module = Module(memorySize: Int(offset) + 16, functions: [try f.finish()])
        try expectSameAsInterpreter(module)
        let analysis = FunctionAnalysis(module.functions[0])
        #expect(analysis.plan.shapes.filter { $0 == .memoryUpdate }.count == 60)
    }

    @Test func hostCallsEchoInput() throws {
        // Copies input to output until EOF, uppercasing nothing: getbyte/putbyte round trip, with a loop.
        var f = FunctionBuilder(name: "main", result: .i32)
        let count = f.copy(.i32, .imm(0))
        let head = f.newBlock("head"), body = f.newBlock("body"), done = f.newBlock("done")
        f.jump(head)
        f.position(at: head)
        let c = f.hostCall(.getByte, [])!
        f.branch(.reg(f.compare(.eq, .i32, .reg(c), .imm(-1))), done, body)
        f.position(at: body)
        f.hostCall(.putByte, [.reg(c)])
        f.append(.binary(.add, dst: count, lhs: .reg(count), rhs: .imm(1), checked: false))
        f.jump(head)
        f.position(at: done)
        f.hostCall(.putByte, [.imm(0x21)])
        f.ret(.reg(count))
        try expectSameAsInterpreter(Module(functions: [try f.finish()]), input: Array("hello, world".utf8))
    }

    @Test(arguments: TrapKind.allCases)
    func trapTerminatorsAndTrapIf(_ kind: TrapKind) throws {
        var f = FunctionBuilder(name: "main", parameters: [.i1], result: .i64)
        f.loc = SourceLoc(line: 12, column: 3)
        f.trapIf(.reg(f.parameter(0)), kind)
        f.loc = SourceLoc(line: 13, column: 4)
        f.trapIf(.imm(0), kind)
        f.loc = SourceLoc(line: 14, column: 5)
        f.trap(kind)
        try expectSameAsInterpreter(Module(functions: [try f.finish()]), argumentSets: [[0], [1]])
    }
}
