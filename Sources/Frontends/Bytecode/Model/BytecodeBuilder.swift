import JitIR

/// A jump target handed out by `BytecodeBuilder.newLabel`, placed with `bind`.
public struct BytecodeLabel: Hashable, Sendable {
    fileprivate let id: Int
}

/// Builds a `BytecodeFunction` instruction by instruction, with labels for jumps.
///
///     var b = BytecodeBuilder(name: "countdown", parameters: ["n"])
///     let top = b.newLabel("top"), done = b.newLabel("done")
///     b.bind(top)
///     b.loadFast("n"); b.popJumpIfFalse(done)
///     b.loadFast("n"); b.loadConst(1); b.binaryOp(.subtract); b.storeFast("n")
///     b.jump(top)
///     b.bind(done)
///     b.loadFast("n"); b.returnValue()
///     let f = try b.finish()
public struct BytecodeBuilder {
    private var function: BytecodeFunction
    private var labelNames: [String?] = []
    private var labelPositions: [Int?] = []
    private var doubleBinds: [Int] = []
    private var pendingJumps: [(instruction: Int, label: Int)] = []
    /// The position given to instructions emitted from now on.
    public var loc: SourceLoc = .unknown

    /// Starts function `name`; `loc` is where it is defined.
    public init(name: String, parameters: [String], loc: SourceLoc = .unknown) {
        function = BytecodeFunction(name: name, parameters: parameters, loc: loc)
    }

    /// A label to jump to; `name` is used when the function is printed.
    public mutating func newLabel(_ name: String? = nil) -> BytecodeLabel {
        labelNames.append(name)
        labelPositions.append(nil)
        return BytecodeLabel(id: labelNames.count - 1)
    }

    /// Places `label` at the next instruction emitted.
    public mutating func bind(_ label: BytecodeLabel) {
        if labelPositions[label.id] != nil { doubleBinds.append(label.id) }
        labelPositions[label.id] = function.instructions.count
    }

    /// Appends an operation that does not jump (a jump's target would be taken as an instruction index).
    public mutating func emit(_ op: BytecodeOp) {
        function.instructions.append(BytecodeInstruction(op, loc: loc))
    }

    private mutating func emitJump(_ op: BytecodeOp, _ label: BytecodeLabel) {
        pendingJumps.append((function.instructions.count, label.id))
        emit(op)
    }

    // Each of these appends the instruction of the same name (docs/bytecode.md, "Opcodes");
    // jumps go to a label, bound before or after.

    public mutating func loadFast(_ name: String) { emit(.loadFast(name)) }
    public mutating func storeFast(_ name: String) { emit(.storeFast(name)) }
    public mutating func loadConst(_ value: Int64) { emit(.loadConst(value)) }
    public mutating func popTop() { emit(.popTop) }
    public mutating func copy(_ n: Int) { emit(.copy(n)) }
    public mutating func swap(_ n: Int) { emit(.swap(n)) }
    public mutating func binaryOp(_ op: BinaryOperator) { emit(.binaryOp(op)) }
    public mutating func compareOp(_ op: ComparisonOperator) { emit(.compareOp(op)) }
    public mutating func unaryNegative() { emit(.unaryNegative) }
    public mutating func unaryInvert() { emit(.unaryInvert) }
    public mutating func unaryNot() { emit(.unaryNot) }
    public mutating func toBool() { emit(.toBool) }
    public mutating func call(_ name: String, argc: Int) { emit(.call(name, argc: argc)) }
    public mutating func returnValue() { emit(.returnValue) }
    public mutating func jump(_ l: BytecodeLabel) { emitJump(.jump(0), l) }
    public mutating func popJumpIfFalse(_ l: BytecodeLabel) { emitJump(.popJumpIfFalse(0), l) }
    public mutating func popJumpIfTrue(_ l: BytecodeLabel) { emitJump(.popJumpIfTrue(0), l) }
    public mutating func jumpIfFalseOrPop(_ l: BytecodeLabel) { emitJump(.jumpIfFalseOrPop(0), l) }
    public mutating func jumpIfTrueOrPop(_ l: BytecodeLabel) { emitJump(.jumpIfTrueOrPop(0), l) }
    public mutating func forRange(_ l: BytecodeLabel) { emitJump(.forRange(0), l) }

    /// The function with every jump resolved.
    /// - Throws: `SourceError` when a label is used but never bound, bound twice,
    ///   or bound after the last instruction.
    public func finish(file: String = "<builder>") throws -> BytecodeFunction {
        var f = function
        func describe(_ id: Int) -> String { labelNames[id].map { "'\($0)'" } ?? "#\(id)" }
        if let id = doubleBinds.first {
            throw SourceError(file: file, loc: f.loc, message: "label \(describe(id)) is bound twice in '\(f.name)'")
        }
        for (id, position) in labelPositions.enumerated() {
            guard let position else { continue }
            if position >= f.instructions.count {
                throw SourceError(file: file, loc: f.loc,
                                  message: "label \(describe(id)) in '\(f.name)' is not followed by an instruction")
            }
            if let name = labelNames[id] { f.labelNames[position] = name }
        }
        for (k, id) in pendingJumps {
            guard let target = labelPositions[id] else {
                throw SourceError(file: file, loc: f.instructions[k].loc,
                                  message: "label \(describe(id)) in '\(f.name)' is never bound")
            }
            f.instructions[k].op = f.instructions[k].op.retargeted(target)
        }
        return f
    }
}
