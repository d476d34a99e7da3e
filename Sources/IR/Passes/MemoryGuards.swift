/// Makes every load and store of a module check its address against the
/// module memory first, trapping `out_of_bounds` at the access's position.
///
/// Frontends guard the accesses they emit (and prove many checks redundant);
/// IR that arrives as text has no such promise, so the driver runs this pass
/// on it. Afterwards no backend can touch memory outside the module's own,
/// and the result is what the interpreter gives for an out-of-range access.
public enum MemoryGuards {
    /// Probes (which only mark accesses for guard regions) are dropped, and so are the guards.
    public static func run(_ module: Module) -> Module {
        var module = module
        for f in module.functions.indices {
            module.functions[f] = guarded(module.functions[f], memorySize: Int64(module.memorySize))
        }
        module.guardBytes = 0
        return module
    }

    static func guarded(_ function: Function, memorySize: Int64) -> Function {
        var function = function
        var address: Var?
        var outside: Var?
        for b in function.blocks.indices {
            var rewritten: [Instruction] = []
            rewritten.reserveCapacity(function.blocks[b].instructions.count)
            for instruction in function.blocks[b].instructions {
                if case .probe = instruction.op { continue }
                let access: (base: Var, offset: Int64, bytes: Int)?
                switch instruction.op {
                case .load(let dst, let base, let offset):
                    access = (base, offset, function.type(of: dst).bytes)
                case .store(let type, _, let base, let offset):
                    access = (base, offset, type.bytes)
                default:
                    access = nil
                }
                if let access {
                    // Scratch registers are created once per function and shared by every guard.
                    let a = address ?? newRegister(&function, .i64)
                    let c = outside ?? newRegister(&function, .i1)
                    address = a
                    outside = c
                    let last = memorySize - Int64(access.bytes)
                    rewritten.append(Instruction(.binary(.add, dst: a, lhs: .reg(access.base), rhs: .imm(access.offset), checked: false),
                                                 loc: instruction.loc))
                    // Unsigned: a negative address reads as huge and fails the same test.
                    rewritten.append(Instruction(.compare(.ugt, type: .i64, dst: c, lhs: .reg(a), rhs: .imm(last)),
                                                 loc: instruction.loc))
                    rewritten.append(Instruction(.trapIf(cond: .reg(c), kind: .outOfBounds), loc: instruction.loc))
                }
                rewritten.append(instruction)
            }
            function.blocks[b].instructions = rewritten
        }
        return function
    }

    private static func newRegister(_ function: inout Function, _ type: IntType) -> Var {
        function.registerTypes.append(type)
        return Var(function.registerTypes.count - 1)
    }
}
