/// Builds a `Function` block by block. Frontends use it; so can library users.
///
///     var b = FunctionBuilder(name: "square", parameters: [.i64], result: .i64)
///     let x = b.parameter(0)
///     let y = b.binary(.mul, .i64, .reg(x), .reg(x), checked: true)
///     b.ret(.reg(y))
///     let f = try b.finish()
///
/// Misuse never stops the process: appending to a block that already has its terminator
/// or positioning at a block that does not exist is remembered, the request is ignored,
/// and `finish()` throws a `FunctionBuilderError` naming the first such mistake. What the builder cannot see
/// (operand types, undefined registers, calls) is `IRVerifier`'s business.
public struct FunctionBuilder {
    public private(set) var function: Function
    /// The block instructions are appended to.
    public private(set) var current: BlockRef
    /// The position given to instructions appended from now on.
    public var loc: SourceLoc = .unknown
    /// Whether each block has its terminator, by index (a set cost a hash at every append).
    private var sealed: [Bool] = [false]
    /// The first misuse, reported by `finish()`.
    private var misuse: FunctionBuilderError?

    public init(name: String, parameters: [IntType] = [], result: IntType? = nil, loc: SourceLoc = .unknown) {
        function = Function(name: name, resultType: result, loc: loc)
        current = BlockRef(0)
        for t in parameters { function.parameters.append(newRegister(t)) }
        function.blocks.append(Block(label: "entry"))
    }

    /// The register holding parameter `i`. For an index out of range it is a register the
    /// function does not declare, which `IRVerifier` rejects.
    public func parameter(_ i: Int) -> Var {
        function.parameters.indices.contains(i) ? function.parameters[i] : Var(function.registerTypes.count + i)
    }

    /// A fresh register of type `t`.
    public mutating func newRegister(_ t: IntType) -> Var {
        function.registerTypes.append(t)
        return Var(function.registerTypes.count - 1)
    }

    /// A new empty block (not yet current).
    public mutating func newBlock(_ label: String? = nil) -> BlockRef {
        let ref = BlockRef(function.blocks.count)
        function.blocks.append(Block(label: label ?? "b\(ref.index)"))
        sealed.append(false)
        return ref
    }

    /// Whether the current block already has its terminator.
    public var isTerminated: Bool { sealed[current.index] }

    public mutating func append(_ op: consuming Op) {
        guard !isTerminated else {
            return record("an instruction was appended to block '\(currentLabel)' after its terminator")
        }
        function.blocks[current.index].instructions.append(Instruction(op, loc: loc))
    }

    public mutating func terminate(_ t: Terminator) {
        guard !isTerminated else { return record("block '\(currentLabel)' was terminated twice") }
        function.blocks[current.index].terminator = t
        function.blocks[current.index].terminatorLoc = loc
        sealed[current.index] = true
    }

    private var currentLabel: String { function.blocks[current.index].label }

    private mutating func record(_ message: String) {
        if misuse == nil { misuse = FunctionBuilderError(function: function.name, loc: loc, message: message) }
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

    /// Makes `b` current. Appending to it continues where it left off. A block this builder
    /// did not make is a misuse, and the current block stays as it was.
    public mutating func position(at b: BlockRef) {
        guard function.blocks.indices.contains(b.index) else {
            return record("there is no block #\(b.index) to position at; @\(function.name) has \(function.blocks.count)")
        }
        current = b
    }

    /// The finished function.
    /// - Throws: `FunctionBuilderError` for the first misuse of this builder.
    public func finish() throws(FunctionBuilderError) -> Function {
        if let misuse { throw misuse }
        return function
    }
}

/// A `FunctionBuilder` was used in a way that cannot make a function.
public struct FunctionBuilderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The function being built.
    public var function: String
    /// The builder's `loc` when the mistake happened.
    public var loc: SourceLoc
    public var message: String

    public init(function: String, loc: SourceLoc, message: String) {
        self.function = function
        self.loc = loc
        self.message = message
    }

    public var description: String { "building @\(function): \(message)" }
}
