import JitIR
import Testing

/// Builds one-operation programs and runs them on every interpreter configuration,
/// with every operand given as a parameter register or as an immediate.
enum InterpreterHarness {
    /// The specialised engine and the general-path engine: both must agree with every expectation.
    static let engines: [Interpreter] = [Interpreter(), Interpreter(specializes: false)]

    /// Whether each operand is passed as a register (a parameter) or written as an immediate.
    static func shapes(_ operands: Int) -> [[Bool]] {
        (0..<(1 << operands)).map { bits in (0..<operands).map { bits & (1 << $0) != 0 } }
    }

    /// A function computing `body(operands)`: operand `i` is a parameter of
    /// `types[i]` or the immediate `values[i]` per `immediate[i]`. Returns the
    /// result register's value, or the trap.
    static func evaluate(types: [IntType], values: [Int64], result: IntType,
                         _ body: (inout FunctionBuilder, [Operand]) -> Var) throws -> [Evaluation] {
        var outcomes: [Evaluation] = []
        for immediate in shapes(types.count) {
            let parameterTypes = zip(types, immediate).filter { !$0.1 }.map(\.0)
            var b = FunctionBuilder(name: "f", parameters: parameterTypes, result: result)
            var next = 0
            var operands: [Operand] = []
            for (i, isImmediate) in immediate.enumerated() {
                if isImmediate {
                    operands.append(.imm(types[i].normalize(values[i])))
                } else {
                    operands.append(.reg(b.parameter(next)))
                    next += 1
                }
            }
            let v = body(&b, operands)
            b.ret(.reg(v))
            let module = Module(functions: [try b.finish()])
            let arguments = zip(zip(types, values), immediate).filter { !$0.1 }.map { $0.0.0.normalize($0.0.1) }
            for engine in engines {
                let run = try engine.compile(module).run("f", arguments: arguments, io: ProgramIO())
                if let trap = run.trap {
                    outcomes.append(.trap(trap.kind))
                } else {
                    outcomes.append(.value(run.value ?? .min))
                }
            }
        }
        return outcomes
    }

    /// `op lhs, rhs` at width `type`, in every shape on every engine.
    static func binary(_ op: BinaryOp, _ type: IntType, _ lhs: Int64, _ rhs: Int64, checked: Bool = false) throws
        -> [Evaluation] {
        try evaluate(types: [type, type], values: [lhs, rhs], result: type) { b, o in
            b.binary(op, type, o[0], o[1], checked: checked)
        }
    }

    static func unary(_ op: UnaryOp, _ type: IntType, _ operand: Int64, checked: Bool = false) throws -> [Evaluation] {
        try evaluate(types: [type], values: [operand], result: type) { b, o in
            b.unary(op, type, o[0], checked: checked)
        }
    }

    static func compare(_ pred: ComparePredicate, _ type: IntType, _ lhs: Int64, _ rhs: Int64) throws -> [Evaluation] {
        try evaluate(types: [type, type], values: [lhs, rhs], result: .i1) { b, o in
            b.compare(pred, type, o[0], o[1])
        }
    }

    /// The comparison as a branch condition (the decoder fuses it with the branch): 1 or 0.
    static func compareBranch(_ pred: ComparePredicate, _ type: IntType, _ lhs: Int64, _ rhs: Int64) throws
        -> [Evaluation] {
        try evaluate(types: [type, type], values: [lhs, rhs], result: .i64) { b, o in
            let c = b.compare(pred, type, o[0], o[1])
            let yes = b.newBlock(), no = b.newBlock(), join = b.newBlock()
            let r = b.newRegister(.i64)
            b.branch(.reg(c), yes, no)
            b.position(at: yes)
            b.assign(r, .imm(1))
            b.jump(join)
            b.position(at: no)
            b.assign(r, .imm(0))
            b.jump(join)
            b.position(at: join)
            return r
        }
    }

    static func convert(_ op: ConvertOp, _ value: Int64, from: IntType, to: IntType) throws -> [Evaluation] {
        try evaluate(types: [from], values: [value], result: to) { b, o in
            b.convert(op, o[0], from: from, to: to)
        }
    }

    /// Runs `function` of a one-function module on every engine and checks that all agree.
    static func run(_ module: Module, _ function: String = "main", arguments: [Int64] = [], input: [UInt8] = [],
                    captureMemory: Bool = false) throws -> (RunResult, [UInt8]) {
        var results: [(RunResult, [UInt8])] = []
        for engine in engines {
            let io = ProgramIO(input: .bytes(input), output: .capture)
            let result = try engine.compile(module).run(function, arguments: arguments, io: io,
                                                        options: RunOptions(captureMemory: captureMemory))
            results.append((result, io.captured))
        }
        for other in results.dropFirst() {
            #expect(other.0 == results[0].0, "engines disagree")
            #expect(other.1 == results[0].1, "engines disagree on output")
        }
        return results[0]
    }
}
