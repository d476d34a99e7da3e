/// The mnemonics of the opcode set (version `BytecodeModule.formatVersion`),
/// spelled as in CPython. docs/bytecode.md describes each one.
public enum Opcode: String, CaseIterable, Hashable, Sendable {
    case NOP, LOAD_FAST, STORE_FAST, LOAD_CONST, POP_TOP, COPY, SWAP
    case BINARY_OP, UNARY_NEGATIVE, UNARY_INVERT, UNARY_NOT, TO_BOOL, COMPARE_OP
    case JUMP, POP_JUMP_IF_FALSE, POP_JUMP_IF_TRUE, JUMP_IF_FALSE_OR_POP, JUMP_IF_TRUE_OR_POP
    case FOR_RANGE, CALL, RETURN_VALUE
}

/// How an instruction changes the depth of the value stack.
public struct StackEffect: Hashable, Sendable {
    /// How many values must be on the stack before the instruction.
    public var needs: Int
    /// The depth change when execution continues with the next instruction; nil when it never does.
    public var fallThrough: Int?
    /// The depth change when the instruction jumps; nil for instructions that do not jump.
    public var jump: Int?
}

/// One operation with its operand. Jump targets are instruction indices within the function.
public enum BytecodeOp: Hashable, Sendable {
    case nop
    /// Pushes the local (or parameter) `name`.
    case loadFast(String)
    /// Pops a value into the local `name`.
    case storeFast(String)
    case loadConst(Int64)
    case popTop
    /// Pushes a copy of the `n`-th value from the top (`COPY 1` duplicates the top), n ≥ 1.
    case copy(Int)
    /// Swaps the top with the `n`-th value from the top, n ≥ 2.
    case swap(Int)
    /// Pops the right then the left operand, pushes the result (Python semantics on int64).
    case binaryOp(BinaryOperator)
    case unaryNegative
    case unaryInvert
    /// Replaces the top with 1 when it is 0, else with 0.
    case unaryNot
    /// Replaces the top with 1 when it is non-zero, else with 0.
    case toBool
    case compareOp(ComparisonOperator)
    case jump(Int)
    /// Pops the top and jumps when it is 0 (false).
    case popJumpIfFalse(Int)
    case popJumpIfTrue(Int)
    /// Jumps keeping the top when it is 0; otherwise pops it and continues.
    case jumpIfFalseOrPop(Int)
    case jumpIfTrueOrPop(Int)
    /// The loop step over a range held in three stack values `[current, stop, step]`:
    /// when the range is exhausted it pops the three and jumps; otherwise it pushes
    /// `current` and advances `current` by `step`. A step of 0 traps.
    case forRange(Int)
    /// Pops `argc` arguments (the last on top), calls `name`, pushes the result.
    /// `name` is a function of the module or else a `BuiltinFunction`.
    case call(String, argc: Int)
    case returnValue

    /// The mnemonic.
    public var opcode: Opcode {
        switch self {
        case .nop: .NOP
        case .loadFast: .LOAD_FAST
        case .storeFast: .STORE_FAST
        case .loadConst: .LOAD_CONST
        case .popTop: .POP_TOP
        case .copy: .COPY
        case .swap: .SWAP
        case .binaryOp: .BINARY_OP
        case .unaryNegative: .UNARY_NEGATIVE
        case .unaryInvert: .UNARY_INVERT
        case .unaryNot: .UNARY_NOT
        case .toBool: .TO_BOOL
        case .compareOp: .COMPARE_OP
        case .jump: .JUMP
        case .popJumpIfFalse: .POP_JUMP_IF_FALSE
        case .popJumpIfTrue: .POP_JUMP_IF_TRUE
        case .jumpIfFalseOrPop: .JUMP_IF_FALSE_OR_POP
        case .jumpIfTrueOrPop: .JUMP_IF_TRUE_OR_POP
        case .forRange: .FOR_RANGE
        case .call: .CALL
        case .returnValue: .RETURN_VALUE
        }
    }

    /// The instruction index this operation may jump to.
    public var jumpTarget: Int? {
        switch self {
        case .jump(let t), .popJumpIfFalse(let t), .popJumpIfTrue(let t),
             .jumpIfFalseOrPop(let t), .jumpIfTrueOrPop(let t), .forRange(let t):
            t
        default:
            nil
        }
    }

    /// The same operation jumping to `target` instead (unchanged when it does not jump).
    public func retargeted(_ target: Int) -> BytecodeOp {
        switch self {
        case .jump: .jump(target)
        case .popJumpIfFalse: .popJumpIfFalse(target)
        case .popJumpIfTrue: .popJumpIfTrue(target)
        case .jumpIfFalseOrPop: .jumpIfFalseOrPop(target)
        case .jumpIfTrueOrPop: .jumpIfTrueOrPop(target)
        case .forRange: .forRange(target)
        default: self
        }
    }

    /// Whether execution can continue with the next instruction.
    public var fallsThrough: Bool {
        switch self {
        case .jump, .returnValue: false
        default: true
        }
    }

    /// What the operation needs on the stack and how it changes its depth.
    public var stackEffect: StackEffect {
        switch self {
        case .nop: StackEffect(needs: 0, fallThrough: 0)
        case .loadFast, .loadConst: StackEffect(needs: 0, fallThrough: 1)
        case .storeFast, .popTop: StackEffect(needs: 1, fallThrough: -1)
        case .copy(let n): StackEffect(needs: n, fallThrough: 1)
        case .swap(let n): StackEffect(needs: n, fallThrough: 0)
        case .binaryOp, .compareOp: StackEffect(needs: 2, fallThrough: -1)
        case .unaryNegative, .unaryInvert, .unaryNot, .toBool: StackEffect(needs: 1, fallThrough: 0)
        case .jump: StackEffect(needs: 0, fallThrough: nil, jump: 0)
        case .popJumpIfFalse, .popJumpIfTrue: StackEffect(needs: 1, fallThrough: -1, jump: -1)
        case .jumpIfFalseOrPop, .jumpIfTrueOrPop: StackEffect(needs: 1, fallThrough: -1, jump: 0)
        case .forRange: StackEffect(needs: 3, fallThrough: 1, jump: -3)
        case .call(_, let argc): StackEffect(needs: argc, fallThrough: 1 - argc)
        case .returnValue: StackEffect(needs: 1, fallThrough: nil)
        }
    }

    /// The operand as written in `.sbc` text, without jump targets (empty when there is none).
    var operandText: String {
        switch self {
        case .loadFast(let n), .storeFast(let n): n
        case .loadConst(let k): String(k)
        case .copy(let n), .swap(let n): String(n)
        case .binaryOp(let o): o.rawValue
        case .compareOp(let o): o.rawValue
        case .call(let f, let argc): "\(f) \(argc)"
        default: ""
        }
    }
}
