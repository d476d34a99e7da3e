/// Inlines a small function's calls to itself, a level per round, so that a
/// recursive function like `fib` makes a fraction of the calls it did.
///
/// Each inlined call keeps the call's meaning (docs/IR.md §7): `enter` at the
/// call's position counts the activation the call would have started and traps
/// where the call would have, the callee's blocks run on fresh registers, and each
/// of their `ret`s becomes `leave` and a jump back. Only calls of a function to
/// itself are inlined, so a trap inside the inlined body still names the function
/// it names without inlining. The interpreter, which defines what programs mean,
/// never runs this pass; the native backends do, so comparing them tests it.
public enum RecursiveInlining {
    /// Functions with more instructions than this keep their calls: the body is
    /// copied once per call site, and the gain is in call overhead, which matters
    /// only when the body is small.
    /// A round inlines every self-call of a function that is still within `sizeLimit`,
    /// so the second round copies the first round's result into its own calls.
    public static let sizeLimit = 48

    public static func run(_ module: Module, rounds: Int = 2) -> Module {
        var module = module
        for _ in 0..<rounds {
            for i in module.functions.indices where shouldInline(module.functions[i]) {
                module.functions[i] = inliningSelfCalls(module.functions[i])
            }
        }
        return module
    }

    /// Whether `run` changes `f` (the native backends then run other blocks than the IR's).
    public static func shouldInline(_ f: Function) -> Bool {
        f.instructionCount <= sizeLimit && f.blocks.contains { $0.instructions.contains { isSelfCall($0, f.name) } }
    }

    static func inliningSelfCalls(_ original: Function) -> Function {
        var f = original
        var inlined = 0
        var labels = Set(original.blocks.map(\.label))
        // Labels stay unique however often the pass runs over its own output.
        func uniqueLabel(_ label: String) -> String {
            var n = inlined
            while labels.contains("\(label).\(n)") { n += 1 }
            labels.insert("\(label).\(n)")
            return "\(label).\(n)"
        }
        var b = 0
        // The rest of a block after an inlined call is scanned too (a block may hold several
        // calls); inlined copies are never scanned.
        var scan = Array(original.blocks.indices)
        while b < scan.count {
            let index = scan[b]
            b += 1
            guard let k = f.blocks[index].instructions.firstIndex(where: { isSelfCall($0, original.name) }),
                  case .call(let dst, _, let args) = f.blocks[index].instructions[k].op
            else { continue }
            let call = f.blocks[index].instructions[k]
            inlined += 1

            // The copy goes right after the blocks so far and the rest of the block after the
            // copy, so that a layout in block order runs forwards through the inlined call.
            let blockBase = f.blocks.count
            let continuation = blockBase + original.blocks.count
            let rest = Block(
                label: uniqueLabel("\(f.blocks[index].label).after"),
                instructions: Array(f.blocks[index].instructions[(k + 1)...]),
                terminator: f.blocks[index].terminator,
                terminatorLoc: f.blocks[index].terminatorLoc)

            let registerBase = f.registerTypes.count
            f.registerTypes += original.registerTypes
            func fresh(_ v: Var) -> Var { Var(registerBase + v.index) }

            var head = Array(f.blocks[index].instructions[..<k])
            head.append(Instruction(.enter, loc: call.loc))
            for (p, a) in zip(original.parameters, args) {
                head.append(Instruction(.copy(dst: fresh(p), src: a), loc: call.loc))
            }
            f.blocks[index].instructions = head
            f.blocks[index].terminator = .jump(BlockRef(blockBase))
            f.blocks[index].terminatorLoc = call.loc

            for block in original.blocks {
                var copy = Block(
                    label: uniqueLabel("\(block.label).inline"),
                    instructions: block.instructions.map { Instruction($0.op.renamingRegisters(fresh), loc: $0.loc) },
                    terminator: block.terminator.renamingRegisters(fresh),
                    terminatorLoc: block.terminatorLoc)
                switch copy.terminator {
                case .jump(let t):
                    copy.terminator = .jump(BlockRef(blockBase + t.index))
                case .branch(let c, let t, let e):
                    copy.terminator = .branch(cond: c, ifTrue: BlockRef(blockBase + t.index), ifFalse: BlockRef(blockBase + e.index))
                case .ret(let value):
                    if let dst, let value {
                        copy.instructions.append(Instruction(.copy(dst: dst, src: value), loc: block.terminatorLoc))
                    }
                    copy.instructions.append(Instruction(.leave, loc: call.loc))
                    copy.terminator = .jump(BlockRef(continuation))
                case .trap:
                    break
                }
                f.blocks.append(copy)
            }
            f.blocks.append(rest)
            scan.append(continuation)
        }
        return f
    }

    private static func isSelfCall(_ i: Instruction, _ name: String) -> Bool {
        if case .call(_, let callee, _) = i.op { callee == name } else { false }
    }
}
