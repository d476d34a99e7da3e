import JitIR

/// What a stack slot holds while a block is lowered. Nothing is pushed or
/// popped at run time: the stack exists only at compile time, its slots
/// naming IR values.
enum StackValue: Equatable {
    case imm(Int64)
    /// An i64 register: a temporary, a local's register, or a slot register.
    case reg(Var)
    /// An i1 register holding a truth value that reads as 1 or 0; kept as i1
    /// so that a comparison feeding a jump becomes a plain branch.
    case bool(Var)

    func reads(_ v: Var) -> Bool {
        switch self {
        case .reg(let r), .bool(let r): r == v
        case .imm: false
        }
    }
}
