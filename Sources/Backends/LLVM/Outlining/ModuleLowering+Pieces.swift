import CLLVM
import JitIR

/// Where the code of lazily compiled pieces is found: a table of code addresses, one slot per
/// piece, 0 until the piece is compiled, and the `LazyPieces` the compile hook is given; and
/// with tiering, a table of call counts and the call that compiles a piece at the full level.
struct LazyLinkage {
    let tableAddress: UInt64
    let countsAddress: UInt64
    let compiler: UInt64
    let tierUpCalls: Int
    /// With tiering, the iterations after which a loop entry's code is asked for; 0 for none.
    let loopEntryIterations: Int

    /// The addresses of `slot`'s code address and of its count of calls or iterations.
    func codeAddress(ofSlot slot: Int) -> UInt64 { tableAddress &+ UInt64(slot) &* 8 }
    func countAddress(ofSlot slot: Int) -> UInt64 { countsAddress &+ UInt64(slot) &* 8 }
}

/// The LLVM signature of a piece: its parameters' types and the call budget in; out, which
/// exit it took (when it has more than one), its results, and the budget when it may change it.
/// A piece that can return to be called again (`againExit`, see `LazyPieces`) also gives back
/// its parameters, and that is one more exit.
struct PieceSignature {
    let type: LLVMTypeRef
    let returnType: LLVMTypeRef
    let returnFields: Int
    let hasExitIndex: Bool
    /// The registers it gives back, in order after the exit index.
    let returned: [Var]
    let againExit: Int?
}

extension ModuleLowering {
    /// Whether a piece loops back to its root and is compiled lazily with tiering: its quick
    /// code then returns through an extra exit, to be called again, when it gets hot.
    func reenters(_ function: Function, piece p: Int) -> Bool {
        guard let lazy, lazy.tierUpCalls > 0, let f = functionIndex[function.name], layout.slotOfPiece[f][p] != nil else {
            return false
        }
        return layout.plans[f].pieces[p].loopsToRoot
    }

    /// The signature of a piece, `p` of `function`; with `p` nil, of a loop entry's region (which
    /// is never called again).
    func signature(of piece: OutlinePlan.Piece, number p: Int?, in function: Function) -> PieceSignature {
        var fields: [LLVMTypeRef] = []
        let again = p.map { reenters(function, piece: $0) } == true ? piece.exits.count : nil
        let hasExitIndex = piece.exits.count + (again == nil ? 0 : 1) > 1
        if hasExitIndex { fields.append(types.i32) }
        let returned = again == nil ? piece.results : Array(Set(piece.results).union(piece.parameters)).sorted()
        fields += returned.map { types.int(function.type(of: $0)) }
        if piece.changesBudget { fields.append(types.i64) }
        let returnType: LLVMTypeRef
        switch fields.count {
        case 0: returnType = types.void
        case 1: returnType = fields[0]
        default:
            var elements: [LLVMTypeRef?] = fields
            returnType = elements.withUnsafeMutableBufferPointer {
                LLVMStructTypeInContext(context, $0.baseAddress, UInt32($0.count), 0)
            }
        }
        let parameters = piece.parameters.map { types.int(function.type(of: $0)) } + [types.i64]
        return PieceSignature(type: types.function(returnType, parameters), returnType: returnType,
                              returnFields: fields.count, hasExitIndex: hasExitIndex, returned: returned, againExit: again)
    }

    /// Declares the LLVM function of a piece (`p` nil: of a loop entry's region): internal when
    /// this module defines it and calls it directly, exported when it is compiled alone and found
    /// through the table.
    func declarePiece(_ f: Function, _ piece: OutlinePlan.Piece, number p: Int?, named name: String, exported: Bool) -> Callee {
        let type = signature(of: piece, number: p, in: f).type
        let value = LLVMAddFunction(module, name, type)!
        LLVMSetLinkage(value, exported ? LLVMExternalLinkage : LLVMInternalLinkage)
        addHostAttributes(value)
        addEnumAttribute("nounwind", to: value)
        // Pieces exist to keep functions small: inlining them back would undo that.
        addEnumAttribute("noinline", to: value)
        return Callee(value: value, type: type)
    }

    /// The address of the table slot of a lazily compiled piece, or nil when this module calls it directly.
    func lazySlotAddress(function: String, piece: Int) -> UInt64? {
        guard let lazy, let f = functionIndex[function], let slot = layout.slotOfPiece[f][piece] else { return nil }
        return lazy.codeAddress(ofSlot: slot)
    }

    func pieceSlot(function: String, piece: Int) -> Int? {
        guard let f = functionIndex[function] else { return nil }
        return layout.slotOfPiece[f][piece]
    }

    func loopEntrySlot(function: String, piece: Int, entry: Int) -> Int? {
        guard let f = functionIndex[function], let first = layout.firstLoopEntrySlot[f][piece] else { return nil }
        return first + entry
    }

    func directCallee(function: String, piece: Int) -> Callee? {
        guard let f = functionIndex[function] else { return nil }
        return pieceCallees[f][piece]
    }
}
