/// Builds a `Function` block by block. Frontends use it; so can library users.
///
///     var b = FunctionBuilder(name: "square", parameters: [.i64], result: .i64)
///     let x = b.parameter(0)
///     let y = b.binary(.mul, .i64, .reg(x), .reg(x), checked: true)
///     b.ret(.reg(y))
///     let f = b.finish()
public struct FunctionBuilder {
    public private(set) var function: Function
    /// The block instructions are appended to.
    public var current: BlockRef
    /// The position given to instructions appended from now on.
    public var loc: SourceLoc = .unknown
    private var sealed: Set<Int> = []

    public init(name: String, parameters: [IntType] = [], result: IntType? = nil, loc: SourceLoc = .unknown) {
        function = Function(name: name, resultType: result, loc: loc)
        current = BlockRef(0)
        for t in parameters { function.parameters.append(newRegister(t)) }
        function.blocks.append(Block(label: "entry"))
    }

    public func parameter(_ i: Int) -> Var { function.parameters[i] }

    /// A fresh register of type `t`.
    public mutating func newRegister(_ t: IntType) -> Var {
        function.registerTypes.append(t)
        return Var(function.registerTypes.count - 1)
    }

    /// A new empty block (not yet current).
    public mutating func newBlock(_ label: String? = nil) -> BlockRef {
        let ref = BlockRef(function.blocks.count)
        function.blocks.append(Block(label: label ?? "b\(ref.index)"))
        return ref
    }

    /// Whether the current block already has its terminator.
    public var isTerminated: Bool { sealed.contains(current.index) }

    public mutating func append(_ op: Op) {
        precondition(!isTerminated, "appending to terminated block \(function.blocks[current.index].label)")
        function.blocks[current.index].instructions.append(Instruction(op, loc: loc))
    }

    public mutating func terminate(_ t: Terminator) {
        precondition(!isTerminated, "block \(function.blocks[current.index].label) terminated twice")
        function.blocks[current.index].terminator = t
        function.blocks[current.index].terminatorLoc = loc
        sealed.insert(current.index)
    }

    // MARK: Conveniences that allocate the destination register.

    @discardableResult
    public mutating func copy(_ t: IntType, _ src: Operand) -> Var {
        let d = newRegister(t); append(.copy(dst: d, src: src)); return d
    }

    public mutating func assign(_ dst: Var, _ src: Operand) { append(.copy(dst: dst, src: src)) }

    public mutating func binary(_ o: BinaryOp, _ t: IntType, _ a: Operand, _ b: Operand, checked: Bool = false) -> Var {
        let d = newRegister(t); append(.binary(o, dst: d, lhs: a, rhs: b, checked: checked)); return d
    }

    public mutating func unary(_ o: UnaryOp, _ t: IntType, _ a: Operand, checked: Bool = false) -> Var {
        let d = newRegister(t); append(.unary(o, dst: d, src: a, checked: checked)); return d
    }

    public mutating func compare(_ p: ComparePredicate, _ t: IntType, _ a: Operand, _ b: Operand) -> Var {
        let d = newRegister(.i1); append(.compare(p, type: t, dst: d, lhs: a, rhs: b)); return d
    }

    public mutating func select(_ t: IntType, _ c: Operand, _ a: Operand, _ b: Operand) -> Var {
        let d = newRegister(t); append(.select(dst: d, cond: c, ifTrue: a, ifFalse: b)); return d
    }

    public mutating func convert(_ o: ConvertOp, _ src: Operand, from: IntType, to: IntType) -> Var {
        let d = newRegister(to); append(.convert(o, dst: d, src: src, from: from)); return d
    }

    public mutating func load(_ t: IntType, base: Var, offset: Int64 = 0) -> Var {
        let d = newRegister(t); append(.load(dst: d, base: base, offset: offset)); return d
    }

    public mutating func store(_ t: IntType, _ v: Operand, base: Var, offset: Int64 = 0) {
        append(.store(type: t, value: v, base: base, offset: offset))
    }

    @discardableResult
    public mutating func call(_ callee: String, _ args: [Operand], result: IntType?) -> Var? {
        let d = result.map { newRegister($0) }
        append(.call(dst: d, callee: callee, args: args))
        return d
    }

    @discardableResult
    public mutating func hostCall(_ h: HostFunction, _ args: [Operand]) -> Var? {
        let d = h.resultType.map { newRegister($0) }
        append(.hostCall(h, dst: d, args: args))
        return d
    }

    public mutating func trapIf(_ c: Operand, _ kind: TrapKind) { append(.trapIf(cond: c, kind: kind)) }

    public mutating func jump(_ b: BlockRef) { terminate(.jump(b)) }
    public mutating func branch(_ c: Operand, _ t: BlockRef, _ f: BlockRef) { terminate(.branch(cond: c, ifTrue: t, ifFalse: f)) }
    public mutating func ret(_ v: Operand?) { terminate(.ret(v)) }
    public mutating func trap(_ k: TrapKind) { terminate(.trap(k)) }

    /// Makes `b` current. Appending to it continues where it left off.
    public mutating func position(at b: BlockRef) { current = b }

    /// The finished function.
    public func finish() -> Function { function }
}
