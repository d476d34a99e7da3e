import JitIR

/// The `i8`, `i16` and `i32` registers whose value only ever matters in its low bits, so that
/// the emitter may leave the upper bits as they come: a cell loaded with `movzx` alone, or the
/// sum of two cells without the `movsx` that makes it canonical (sign-extended), which every
/// other register holds.
///
/// A register qualifies when every read of it is one of: a comparison at its own type (the
/// emitter compares at that width), a store of it, an unchecked `add`, `sub`, `mul`, `and`, `or`,
/// `xor` or `neg` (whose low bits depend only on the operands' low bits; the emitter makes the
/// result canonical unless the result qualifies too), `putbyte`, or a copy or `select` into a
/// register that qualifies. Anything else (conversions, checked arithmetic, shifts, division,
/// calls, returns) needs the canonical value, and then the register does not qualify.
struct NarrowValues {
    private(set) var isNarrow: [Bool]

    init(_ function: Function) {
        isNarrow = function.registerTypes.map { $0 == .i8 || $0 == .i16 || $0 == .i32 }
        func exclude(_ o: Operand) {
            if case .reg(let v) = o, v.index < isNarrow.count { isNarrow[v.index] = false }
        }
        for block in function.blocks {
            for instruction in block.instructions {
                switch instruction.op {
                case .compare:
                    break
                case .unary(.neg, _, _, false):
                    break
                case .store(_, _, let base, _):
                    exclude(.reg(base))
                case .binary(let op, _, _, _, let checked)
                    where !checked && [.add, .sub, .mul, .and, .or, .xor].contains(op):
                    break
                case .hostCall(.putByte, _, _):
                    break
                case .select(_, let c, _, _):
                    exclude(c)  // the values pass through: see the fixpoint below
                case .copy:
                    break
                default:
                    instruction.op.forEachOperand(exclude)
                }
            }
            block.terminator.operands.forEach(exclude)
        }
        // A copy or select hands its operand's upper bits on to its result, so its operands
        // qualify only while its result does.
        var changed = true
        while changed {
            changed = false
            for block in function.blocks {
                for instruction in block.instructions {
                    let passed: (Var, [Operand])
                    switch instruction.op {
                    case .copy(let d, let s): passed = (d, [s])
                    case .select(let d, _, let t, let f): passed = (d, [t, f])
                    default: continue
                    }
                    guard !isNarrow[passed.0.index] else { continue }
                    for case .reg(let v) in passed.1 where isNarrow[v.index] {
                        isNarrow[v.index] = false
                        changed = true
                    }
                }
            }
        }
        // Parameters arrive canonical, which is fine; nothing to exclude for them.
    }

    func contains(_ v: Var) -> Bool { isNarrow[v.index] }
}
