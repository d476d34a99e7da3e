import JitIR

/// Fuel: an IR-level bound on how long a generated program may run.
///
/// Random programs may loop forever, and a native engine cannot be interrupted
/// safely in the middle of generated code. Instead of touching the engines, the
/// fuzzer rewrites each module before compiling it: every function entry and
/// every block that control can jump to (which includes every loop header)
/// increments a 64-bit counter kept in 8 extra bytes after the module's own
/// memory, and traps once it passes the budget. Since this is ordinary IR, every
/// engine runs out at exactly the same instruction, so native code cannot hang
/// and the interpreter needs no special step limit.
///
/// The trap is `unreachable` at the reserved position `Fuel.trapLoc`, which no
/// frontend or generator produces; `Fuel.isExhausted` recognises it.
public enum Fuel {
    /// The position of the out-of-fuel trap: line `Int32.max`, column 0.
    public static let trapLoc = SourceLoc(line: Int(Int32.max), column: 0)

    /// The default budget: block entries per run.
    /// Enough for a recursion past the IR's limit of 100,000 activations (`CallDepth`).
    public static let defaultBudget: Int64 = 250_000

    /// Whether `trap` is the out-of-fuel trap of an instrumented module.
    public static func isExhausted(_ trap: Trap?) -> Bool {
        guard let trap else { return false }
        return trap.kind == .unreachable && trap.loc == trapLoc
    }

    /// The byte address of the counter in an instrumented `module`'s memory:
    /// the original size rounded up to 8, so the counter is aligned.
    public static func counterAddress(memorySize: Int) -> Int { (max(0, memorySize) + 7) & ~7 }

    /// `module` with the fuel counter added to every function. The module's
    /// own memory keeps its addresses (the counter comes after it), so accesses
    /// that were in range stay in range and guards keep their meaning.
    ///
    /// A module with guard regions (docs/safety.md) cannot grow its memory: the right guard must
    /// begin where the program's memory ends. Without calls (the BF frontend's modules), each
    /// function counts in a register instead; otherwise every access gets an explicit check
    /// (`MemoryGuards`) and the module loses its guards.
    public static func instrument(_ module: Module, budget: Int64 = defaultBudget) -> Module {
        if module.guardBytes > 0 {
            if let counted = countingInRegisters(module, budget: budget) { return counted }
            var checked = MemoryGuards.run(module)
            checked.guardBytes = 0
            return instrument(checked, budget: budget)
        }
        var module = module
        let address = Int64(counterAddress(memorySize: module.memorySize))
        module.memorySize = Int(address) + 8
        for f in module.functions.indices {
            module.functions[f] = instrument(module.functions[f], address: address, budget: budget)
        }
        return module
    }

    /// `module` with a fuel counter in a register of each function, or nil when a function calls
    /// (the count would start afresh in each activation) or jumps back to its entry block (where
    /// the counter starts).
    static func countingInRegisters(_ module: Module, budget: Int64) -> Module? {
        var module = module
        for f in module.functions.indices {
            let function = module.functions[f]
            let calls = function.blocks.contains { $0.instructions.contains { if case .call = $0.op { true } else { false } } }
            if calls || function.blocks.contains(where: { $0.terminator.successors.contains { $0.index == 0 } }) { return nil }
            guard !function.blocks.isEmpty else { continue }
            var counted = function
            let count = Var(counted.registerTypes.count), exhausted = Var(counted.registerTypes.count + 1)
            counted.registerTypes += [.i64, .i1]
            let loc = trapLoc
            let sequence: [Instruction] = [
                Instruction(.binary(.add, dst: count, lhs: .reg(count), rhs: .imm(1), checked: false), loc: loc),
                Instruction(.compare(.ugt, type: .i64, dst: exhausted, lhs: .reg(count), rhs: .imm(budget)), loc: loc),
                Instruction(.trapIf(cond: .reg(exhausted), kind: .unreachable), loc: loc),
            ]
            var targets = Set([0])
            for block in counted.blocks { for s in block.terminator.successors { targets.insert(s.index) } }
            for b in targets.sorted() where b < counted.blocks.count {
                counted.blocks[b].instructions.insert(contentsOf: sequence, at: 0)
            }
            counted.blocks[0].instructions.insert(Instruction(.copy(dst: count, src: .imm(0)), loc: loc), at: 0)
            module.functions[f] = counted
        }
        return module
    }

    static func instrument(_ function: Function, address: Int64, budget: Int64) -> Function {
        var function = function
        guard !function.blocks.isEmpty else { return function }
        func newRegister(_ t: IntType) -> Var {
            function.registerTypes.append(t)
            return Var(function.registerTypes.count - 1)
        }
        // Shared scratch registers: the sequence assigns all three before reading
        // them, so it never disturbs definite assignment or the program's values.
        let base = newRegister(.i64), count = newRegister(.i64), exhausted = newRegister(.i1)
        var targets = Set([0])
        for block in function.blocks {
            for s in block.terminator.successors { targets.insert(s.index) }
        }
        let loc = trapLoc
        let sequence: [Instruction] = [
            Instruction(.copy(dst: base, src: .imm(address)), loc: loc),
            Instruction(.load(dst: count, base: base, offset: 0), loc: loc),
            Instruction(.binary(.add, dst: count, lhs: .reg(count), rhs: .imm(1), checked: false), loc: loc),
            Instruction(.store(type: .i64, value: .reg(count), base: base, offset: 0), loc: loc),
            Instruction(.compare(.ugt, type: .i64, dst: exhausted, lhs: .reg(count), rhs: .imm(budget)), loc: loc),
            Instruction(.trapIf(cond: .reg(exhausted), kind: .unreachable), loc: loc),
        ]
        for b in targets.sorted() where b < function.blocks.count {
            function.blocks[b].instructions.insert(contentsOf: sequence, at: 0)
        }
        return function
    }
}
