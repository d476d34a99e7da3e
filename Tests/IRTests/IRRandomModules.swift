import TestSupport
import JitIR

/// A small deterministic generator (the SplitMix64 algorithm), so random tests repeat exactly.
struct IRRandom {
    private var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
}

/// Random modules, structurally arbitrary (often invalid): for round-trip tests
/// of the text form, which must cope with any `Module` value.
enum IRRandomModule {
    static func make(_ r: inout IRRandom) -> Module {
        let names = ["main", "f", "g.1", "with space", "_x", "ü"]
        let count = r.below(4)
        let functions = (0..<count).map { _ in function(&r, names: names) }
        let source = r.pick(["a.bf", "b.py", "<ir>", "we\"ird\n"])
        return Module(sourceFile: source, memorySize: r.pick([0, 1, 30_000, -1]), functions: functions)
    }

    static func integer(_ r: inout IRRandom) -> Int64 {
        switch r.below(4) {
        case 0: Int64(r.below(11)) - 5
        case 1: r.pick([Int64.min, Int64.max, -128, 127, 255, -32768, 65535])
        default: Int64(bitPattern: r.next())
        }
    }

    static func loc(_ r: inout IRRandom) -> SourceLoc {
        r.chance(30) ? .unknown : SourceLoc(line: r.below(500) - 2, column: r.below(80))
    }

    static func function(_ r: inout IRRandom, names: [String]) -> Function {
        let registerCount = r.below(12)
        let types = (0..<registerCount).map { _ in r.pick(IntType.allCases) }
        // Mostly in range, sometimes not, to exercise the printer's fallbacks.
        func reg(_ r: inout IRRandom) -> Var { Var(r.chance(90) && registerCount > 0 ? r.below(registerCount) : r.below(20)) }
        func operand(_ r: inout IRRandom) -> Operand { r.chance(60) ? .reg(reg(&r)) : .imm(integer(&r)) }
        let blockCount = r.below(5)
        func target(_ r: inout IRRandom) -> BlockRef { BlockRef(r.chance(90) && blockCount > 0 ? r.below(blockCount) : r.below(9)) }

        var blocks: [Block] = []
        for b in 0..<blockCount {
            var instructions: [Instruction] = []
            for _ in 0..<r.below(8) {
                let op: Op
                switch r.below(11) {
                case 0: op = .copy(dst: reg(&r), src: operand(&r))
                case 1: op = .binary(r.pick(BinaryOp.allCases), dst: reg(&r), lhs: operand(&r), rhs: operand(&r), checked: r.chance(30))
                case 2: op = .unary(r.pick(UnaryOp.allCases), dst: reg(&r), src: operand(&r), checked: r.chance(30))
                case 3: op = .compare(r.pick(ComparePredicate.allCases), type: r.pick(IntType.allCases), dst: reg(&r),
                                      lhs: operand(&r), rhs: operand(&r))
                case 4: op = .select(dst: reg(&r), cond: operand(&r), ifTrue: operand(&r), ifFalse: operand(&r))
                case 5: op = .convert(r.pick(ConvertOp.allCases), dst: reg(&r), src: operand(&r), from: r.pick(IntType.allCases))
                case 6: op = .load(dst: reg(&r), base: reg(&r), offset: integer(&r))
                case 7: op = .store(type: r.pick(IntType.allCases), value: operand(&r), base: reg(&r), offset: integer(&r))
                case 8: op = .call(dst: r.chance(50) ? reg(&r) : nil, callee: r.pick(names), args: (0..<r.below(8)).map { _ in operand(&r) })
                case 9: op = .hostCall(r.pick(HostFunction.allCases), dst: r.chance(50) ? reg(&r) : nil,
                                       args: (0..<r.below(3)).map { _ in operand(&r) })
                default: op = .trapIf(cond: operand(&r), kind: r.pick(TrapKind.allCases))
                }
                instructions.append(Instruction(op, loc: loc(&r)))
            }
            let terminator: Terminator
            switch r.below(4) {
            case 0: terminator = .jump(target(&r))
            case 1: terminator = .branch(cond: operand(&r), ifTrue: target(&r), ifFalse: target(&r))
            case 2: terminator = .ret(r.chance(50) ? operand(&r) : nil)
            default: terminator = .trap(r.pick(TrapKind.allCases))
            }
            let label = r.chance(80) ? "b\(b)" : r.pick(["entry", "x", "loop.head", "1st", "", "two words", "jump", "regs", "func", "i64", "source"])
            blocks.append(Block(label: label, instructions: instructions, terminator: terminator, terminatorLoc: loc(&r)))
        }
        let parameters = (0..<r.below(4)).map { _ in reg(&r) }
        return Function(name: r.pick(names), registerTypes: types, parameters: parameters,
                        resultType: r.chance(30) ? nil : r.pick(IntType.allCases), blocks: blocks, loc: loc(&r))
    }
}
