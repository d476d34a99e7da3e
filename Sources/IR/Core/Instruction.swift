/// A virtual register, `%N` in text. Registers are not SSA: an instruction may
/// assign a register that was assigned before. Each register has one type,
/// declared by its function (`Function.registerTypes`).
public struct Var: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var index: Int
    public init(_ index: Int) { self.index = index }
    public var description: String { "%\(index)" }
    public static func < (a: Var, b: Var) -> Bool { a.index < b.index }
}

/// A basic block of the function that holds the reference: an index into `Function.blocks`.
public struct BlockRef: Hashable, Sendable, CustomStringConvertible {
    public var index: Int
    public init(_ index: Int) { self.index = index }
    public var description: String { "b\(index)" }
}

/// An input of an instruction: a register or an immediate. An immediate takes
/// the type the instruction gives its operands and is stored normalised
/// (sign-extended from that width).
public enum Operand: Hashable, Sendable, CustomStringConvertible {
    case reg(Var)
    case imm(Int64)

    public var register: Var? {
        if case .reg(let v) = self { return v }
        return nil
    }

    public var description: String {
        switch self {
        case .reg(let v): v.description
        case .imm(let k): String(k)
        }
    }
}

/// Two-operand integer arithmetic. Operands and result share one type.
/// - `add`, `sub`, `mul` wrap modulo 2^bits; with `checked` they trap `overflow`
///   when the signed result does not fit.
/// - `sdiv`, `srem` truncate towards zero; a zero divisor traps `division_by_zero`;
///   `sdiv MIN, -1` traps `overflow`; `srem MIN, -1` is 0.
/// - `shl`, `lshr`, `ashr` use the shift count modulo the width.
public enum BinaryOp: String, Sendable, CaseIterable, Hashable {
    case add, sub, mul, sdiv, srem, and, or, xor, shl, lshr, ashr

    /// Whether `checked` is meaningful (signed-overflow trapping) for this operator.
    public var canBeChecked: Bool { self == .add || self == .sub || self == .mul }
    /// Whether this operator can trap even when not `checked`.
    public var isDivision: Bool { self == .sdiv || self == .srem }
    public var isCommutative: Bool { [.add, .mul, .and, .or, .xor].contains(self) }
}

/// One-operand arithmetic: `neg` (two's complement; `checked` traps on MIN) and `not` (bitwise).
public enum UnaryOp: String, Sendable, CaseIterable, Hashable {
    case neg, not
}

/// Integer comparisons; the result is `i1`.
public enum ComparePredicate: String, Sendable, CaseIterable, Hashable {
    case eq, ne, slt, sle, sgt, sge, ult, ule, ugt, uge

    /// The predicate that holds exactly when this one does not.
    public var inverted: ComparePredicate {
        switch self {
        case .eq: .ne
        case .ne: .eq
        case .slt: .sge
        case .sle: .sgt
        case .sgt: .sle
        case .sge: .slt
        case .ult: .uge
        case .ule: .ugt
        case .ugt: .ule
        case .uge: .ult
        }
    }

    /// The predicate with its operands swapped (`a < b` ⇔ `b > a`).
    public var swapped: ComparePredicate {
        switch self {
        case .eq, .ne: self
        case .slt: .sgt
        case .sle: .sge
        case .sgt: .slt
        case .sge: .sle
        case .ult: .ugt
        case .ule: .uge
        case .ugt: .ult
        case .uge: .ule
        }
    }
}

/// Width changes. `zext`/`sext` widen, `trunc` narrows.
public enum ConvertOp: String, Sendable, CaseIterable, Hashable {
    case zext, sext, trunc
}

/// Functions provided by the runtime rather than by the program.
public enum HostFunction: String, Sendable, CaseIterable, Hashable {
    /// `putbyte(x)`: writes the low 8 bits of `x` to the output. No result.
    case putByte = "putbyte"
    /// `putbytes(word, count)`: writes the low `count` bytes of the i64 `word`, the least
    /// significant first; a count below 0 writes none, one above 8 writes 8. No result. Runs of
    /// constant output take one call per 8 bytes with it.
    case putBytes = "putbytes"
    /// `getbyte() -> i32`: the next input byte (0...255), or -1 at end of input.
    case getByte = "getbyte"

    /// The type each argument must have; nil admits any type (`putbyte` writes the low 8 bits
    /// of whatever it is given, and an immediate there is read as i64).
    public var parameterTypes: [IntType?] {
        switch self {
        case .putByte: [nil]
        case .putBytes: [.i64, .i64]
        case .getByte: []
        }
    }
    public var parameterCount: Int { parameterTypes.count }
    public var resultType: IntType? { self == .getByte ? .i32 : nil }
}

/// What an instruction does. Every instruction that defines a register names it `dst`.
public enum Op: Hashable, Sendable {
    /// `dst = src` (an immediate or a register of the same type).
    case copy(dst: Var, src: Operand)
    case binary(BinaryOp, dst: Var, lhs: Operand, rhs: Operand, checked: Bool)
    case unary(UnaryOp, dst: Var, src: Operand, checked: Bool)
    /// `dst: i1 = lhs <pred> rhs`, operands of type `type`.
    case compare(ComparePredicate, type: IntType, dst: Var, lhs: Operand, rhs: Operand)
    /// `dst = cond ? ifTrue : ifFalse`, `cond` an `i1`.
    case select(dst: Var, cond: Operand, ifTrue: Operand, ifFalse: Operand)
    /// `dst = convert src` from type `from` to the type of `dst`.
    case convert(ConvertOp, dst: Var, src: Operand, from: IntType)
    /// `dst = load [base + offset]`: reads `dst`'s type (little-endian) from the
    /// module memory at byte address `base + offset`; `base` is an `i64`.
    case load(dst: Var, base: Var, offset: Int64)
    /// `store type value, [base + offset]`.
    case store(type: IntType, value: Operand, base: Var, offset: Int64)
    /// Calls a function of the same module; `dst` receives its result.
    case call(dst: Var?, callee: String, args: [Operand])
    case hostCall(HostFunction, dst: Var?, args: [Operand])
    /// Traps with `kind` when `cond` (an `i1`) is true; otherwise does nothing.
    case trapIf(cond: Operand, kind: TrapKind)
    /// `dst = scan type [start], step, limit`: the first address `x = start + n * step`
    /// (n = 0, 1, …, wrapping) where a `type` value of 0 is stored, trapping `out_of_bounds`
    /// as soon as an `x` to test lies outside `0...limit` (unsigned). A Brainfuck `[>]` or `[<<]`.
    case scan(dst: Var, start: Var, type: IntType, step: Int64, limit: Int64)
    /// Starts one more live activation, exactly as a `call` does before it enters its
    /// callee, trapping `recursion_limit` here when that would exceed `CallDepth.limit`.
    /// An inlined call is `enter`, the callee's body, `leave`.
    case enter
    /// Ends the activation the matching `enter` started.
    case leave
    /// Traps `out_of_bounds` when the `type` at `base + offset` is not all in the module
    /// memory; otherwise does nothing. It marks the access right after it (I12) as one that
    /// may miss the memory by less than the module's `guardBytes`: native engines leave that
    /// access to fault in a guard region, and must not drop it (docs/safety.md).
    case probe(type: IntType, base: Var, offset: Int64)
}

/// An instruction: an operation and the source position that produced it.
public struct Instruction: Hashable, Sendable {
    public var op: Op
    public var loc: SourceLoc

    public init(_ op: Op, loc: SourceLoc = .unknown) {
        self.op = op
        self.loc = loc
    }

    /// The register this instruction assigns, if any.
    public var defined: Var? {
        switch op {
        case .copy(let d, _), .binary(_, let d, _, _, _), .unary(_, let d, _, _),
             .compare(_, _, let d, _, _), .select(let d, _, _, _), .convert(_, let d, _, _),
             .load(let d, _, _), .scan(let d, _, _, _, _):
            d
        case .call(let d, _, _), .hostCall(_, let d, _):
            d
        case .store, .trapIf, .enter, .leave, .probe:
            nil
        }
    }

    /// The operands this instruction reads, in order.
    public var operands: [Operand] {
        switch op {
        case .copy(_, let s), .unary(_, _, let s, _), .convert(_, _, let s, _):
            [s]
        case .binary(_, _, let a, let b, _), .compare(_, _, _, let a, let b):
            [a, b]
        case .select(_, let c, let t, let f):
            [c, t, f]
        case .load(_, let base, _), .scan(_, let base, _, _, _), .probe(_, let base, _):
            [.reg(base)]
        case .store(_, let v, let base, _):
            [v, .reg(base)]
        case .call(_, _, let args), .hostCall(_, _, let args):
            args
        case .trapIf(let c, _):
            [c]
        case .enter, .leave:
            []
        }
    }

    /// The registers this instruction reads.
    public var used: [Var] { operands.compactMap(\.register) }

    /// Whether the instruction may trap at run time.
    public var mayTrap: Bool {
        switch op {
        case .binary(let o, _, _, _, let checked): checked || o.isDivision
        case .unary(_, _, _, let checked): checked
        case .call, .trapIf, .scan, .enter, .probe: true
        default: false
        }
    }

    /// Whether removing the instruction could change what the program does
    /// (beyond the register it defines).
    public var hasSideEffects: Bool {
        switch op {
        case .store, .call, .hostCall, .trapIf, .enter, .leave: true
        default: mayTrap
        }
    }
}

/// How a basic block ends.
public enum Terminator: Hashable, Sendable {
    case jump(BlockRef)
    /// Goes to `ifTrue` when `cond` (an `i1`) is 1.
    case branch(cond: Operand, ifTrue: BlockRef, ifFalse: BlockRef)
    /// Returns; the operand's type is the function's result type.
    case ret(Operand?)
    case trap(TrapKind)

    public var successors: [BlockRef] {
        switch self {
        case .jump(let b): [b]
        case .branch(_, let t, let f): [t, f]
        case .ret, .trap: []
        }
    }

    public var operands: [Operand] {
        switch self {
        case .branch(let c, _, _): [c]
        case .ret(let v): v.map { [$0] } ?? []
        case .jump, .trap: []
        }
    }
}
