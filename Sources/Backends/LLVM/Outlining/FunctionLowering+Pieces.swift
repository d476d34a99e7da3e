import CLLVM
import JitIR

/// Where a piece's control leaves its own blocks: into a piece outlined inside it (a call),
/// or out of its subtree (a return that says which exit).
extension FunctionLowering {
    /// The LLVM block that continues at IR block `ref` from this piece: its own block, or a
    /// continuation made on first use and filled in by `fillContinuations`.
    func block(_ ref: BlockRef) throws -> LLVMBasicBlockRef {
        let x = ref.index
        guard x >= 0 && x < function.blocks.count else {
            throw InternalError("LLVM lowering: @\(function.name) branches to missing block \(ref)")
        }
        if x == plan.pieces[piece].root && piece != 0 && m.quickTier && m.reenters(function, piece: piece) {
            // Back to the root in quick code: count the iteration first (`reenter`).
            if let made = continuations[-1] { return made }
            let made = LLVMAppendBasicBlockInContext(types.context, target, "reenter")!
            continuations[-1] = made
            pendingContinuations.append((made, -1))
            return made
        }
        if piece != 0 && m.quickTier && (m.lazy?.loopEntryIterations ?? 0) > 0,
           let k = plan.pieces[piece].loopEntries.firstIndex(where: { $0.head == x }) {
            // Into the head of another loop in quick code: to the loop compiled alone when it
            // is there, else counting the iteration (`enterLoop`).
            let key = -2 - k
            if let made = continuations[key] { return made }
            let made = LLVMAppendBasicBlockInContext(types.context, target, "loop\(k)")!
            continuations[key] = made
            pendingContinuations.append((made, key))
            return made
        }
        if let own = blocks[x] { return own }
        if let made = continuations[x] { return made }
        let made = LLVMAppendBasicBlockInContext(types.context, target, "to.\(function.blocks[x].label)")!
        continuations[x] = made
        pendingContinuations.append((made, x))
        return made
    }

    /// Fills in every continuation, including those that filling in others makes (a call's
    /// exits may lead to the next piece's call).
    func fillContinuations() throws {
        var exitIndex: [Int: Int] = [:]
        for (k, x) in own.exits.enumerated() { exitIndex[x] = k }
        while let (made, x) = pendingContinuations.popLast() {
            LLVMPositionBuilderAtEnd(b, made)
            if x == -1 {
                try countIteration()
            } else if x <= -2 {
                try enterLoop(-2 - x, at: made)
            } else if let child = plan.piece(rootedAt: x), plan.pieces[child].parent == piece {
                try callPiece(child, again: made)
            } else if piece != 0, let k = exitIndex[x] {
                try leave(through: k)
            } else {
                // Only unreachable IR blocks, which are not lowered, branch anywhere else.
                LLVMBuildUnreachable(b)
            }
        }
    }

    /// In quick code, a branch back to the root: counts it with the piece's calls, and when that
    /// makes the piece hot, has it compiled at the full level and, once that code is in the
    /// slot, returns through the extra exit, so that the caller calls it again, now at the full
    /// level, where it left off.
    private func countIteration() throws {
        guard let slot = m.pieceSlot(function: function.name, piece: piece),
              let root = blocks[plan.pieces[piece].root] else {
            throw InternalError("LLVM lowering: a quick piece of @\(function.name) without a slot")
        }
        try countTowardsFullLevel(slot: slot, threshold: m.lazy?.tierUpCalls ?? 0, otherwise: root)
        let signature = m.signature(of: plan.pieces[piece], number: piece, in: function)
        guard let again = signature.againExit else {
            throw InternalError("LLVM lowering: a quick piece of @\(function.name) cannot be called again")
        }
        try leave(through: again)
    }

    /// In quick code, a branch into the head of loop entry `k`, at block `here`: when the loop
    /// alone is compiled at the full level, calls it with the registers live at the head and
    /// continues where it left the loop; otherwise counts the iteration, and when that makes the
    /// loop hot, asks for that code and looks again. Without this, a piece called once whose
    /// inner loop runs the whole program would stay in quick code.
    private func enterLoop(_ k: Int, at here: LLVMBasicBlockRef) throws {
        let entry = plan.pieces[piece].loopEntries[k]
        guard let lazy = m.lazy, let slot = m.loopEntrySlot(function: function.name, piece: piece, entry: k),
              let head = blocks[entry.head] else {
            throw InternalError("LLVM lowering: a loop of a quick piece of @\(function.name) without a slot")
        }
        let i64 = types.i64
        let code = LLVMBuildLoad2(b, i64, wordPointer(lazy.codeAddress(ofSlot: slot)), "loop.code")!
        let ready = LLVMAppendBasicBlockInContext(types.context, target, "loop.full")!
        let quick = LLVMAppendBasicBlockInContext(types.context, target, "loop.quick")!
        LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntNE, code, LLVMConstInt(i64, 0, 0), "")!, ready, quick)
        LLVMPositionBuilderAtEnd(b, quick)
        try countTowardsFullLevel(slot: slot, threshold: lazy.loopEntryIterations, otherwise: head)
        LLVMBuildBr(b, here)
        LLVMPositionBuilderAtEnd(b, ready)
        let signature = m.signature(of: entry.region, number: nil, in: function)
        var args: [LLVMValueRef?] = []
        for p in entry.region.parameters { args.append(try value(.reg(p), function.type(of: p))) }
        args.append(LLVMBuildLoad2(b, i64, budget, "call.budget"))
        let callee = LLVMBuildIntToPtr(b, code, LLVMPointerType(signature.type, 0), "")!
        let result = call(Callee(value: callee, type: signature.type), args)
        try takeResults(result, signature, of: entry.region, again: nil)
    }

    /// Counts an iteration in the counter of `slot`. At `threshold`, and every 1,024th
    /// iteration after it until the answer is yes, asks the hook for that slot's full level and
    /// continues in a new block (the builder is left there) when that code is ready; otherwise
    /// branches to `otherwise`.
    private func countTowardsFullLevel(slot: Int, threshold: Int, otherwise: LLVMBasicBlockRef) throws {
        guard let lazy = m.lazy else {
            throw InternalError("LLVM lowering: quick code of @\(function.name) without lazy compilation")
        }
        let i64 = types.i64
        let counter = wordPointer(lazy.countAddress(ofSlot: slot))
        let count = LLVMBuildAdd(b, LLVMBuildLoad2(b, i64, counter, "calls")!, LLVMConstInt(i64, 1, 0), "")!
        LLVMBuildStore(b, count, counter)
        // The threshold asks for the full level. When that compiles on another thread, the loop
        // goes on here meanwhile and asks again every 1,024 iterations: `count - threshold` has
        // its sign bit clear from the threshold on, and its low ten bits clear every 1,024th time.
        let past = LLVMBuildSub(b, count, LLVMConstInt(i64, UInt64(threshold), 0), "")!
        let mask = LLVMConstInt(i64, (1 << 63) | 1023, 0)!
        let hot = LLVMBuildICmp(b, LLVMIntEQ, LLVMBuildAnd(b, past, mask, "")!, LLVMConstInt(i64, 0, 0), "")!
        let tierUp = LLVMAppendBasicBlockInContext(types.context, target, "tierup")!
        LLVMBuildCondBr(b, hot, tierUp, otherwise)
        LLVMPositionBuilderAtEnd(b, tierUp)
        let ready = call(m.compilePiece, [LLVMConstInt(i64, lazy.compiler, 0),
                                          LLVMConstInt(i64, UInt64(slot) | UInt64(LazyPieces.tierUpFlag), 0)])
        let leaving = LLVMAppendBasicBlockInContext(types.context, target, "tierup.ready")!
        LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntNE, ready, LLVMConstInt(i64, 0, 0), "")!, leaving, otherwise)
        LLVMPositionBuilderAtEnd(b, leaving)
    }

    /// Calls the piece rooted at a block this piece branches to, takes back its results and
    /// continues at the exit it took (or calls it again, from `again`, when it asks to be).
    private func callPiece(_ child: Int, again: LLVMBasicBlockRef) throws {
        let piece = plan.pieces[child]
        let signature = m.signature(of: piece, number: child, in: function)
        var args: [LLVMValueRef?] = []
        for p in piece.parameters { args.append(try value(.reg(p), function.type(of: p))) }
        args.append(LLVMBuildLoad2(b, types.i64, budget, "call.budget"))
        loc = function.blocks[piece.root].instructions.first?.loc ?? function.blocks[piece.root].terminatorLoc
        let callee: LLVMValueRef
        if let direct = m.directCallee(function: function.name, piece: child) {
            callee = direct.value
        } else if let slot = m.pieceSlot(function: function.name, piece: child), let lazy = m.lazy {
            callee = lazyCallee(slot: slot, lazy: lazy, type: signature.type)
        } else {
            throw InternalError("LLVM lowering: no code for piece \(child) of @\(function.name)")
        }
        let result = call(Callee(value: callee, type: signature.type), args)
        try takeResults(result, signature, of: piece, again: signature.againExit == nil ? nil : again)
    }

    /// Takes back what a call of `piece` (or of a loop entry's region) returned, `result`, and
    /// continues at the exit it took, or at `again` when it asks to be called again.
    private func takeResults(_ result: LLVMValueRef, _ signature: PieceSignature, of piece: OutlinePlan.Piece,
                             again: LLVMBasicBlockRef?) throws {
        func field(_ i: Int) -> LLVMValueRef {
            signature.returnFields == 1 ? result : LLVMBuildExtractValue(b, result, UInt32(i), "")!
        }
        var next = signature.hasExitIndex ? 1 : 0
        for r in signature.returned {
            try assign(r, field(next))
            next += 1
        }
        if piece.changesBudget { LLVMBuildStore(b, field(next), budget) }
        let targets = try piece.exits.map { try block(BlockRef($0)) } + (again.map { [$0] } ?? [])
        switch targets.count {
        case 0:
            LLVMBuildUnreachable(b)
        case 1:
            LLVMBuildBr(b, targets[0])
        default:
            let exit = field(0)
            let dispatch = LLVMBuildSwitch(b, exit, targets[0], UInt32(targets.count - 1))!
            for (k, t) in targets.enumerated().dropFirst() {
                LLVMAddCase(dispatch, LLVMConstInt(types.i32, UInt64(k), 0), t)
            }
        }
    }

    /// The code address in a piece's table slot, compiling the piece first when the slot is
    /// still 0. A compile that failed leaves it 0 and traps; the run then reports the error
    /// (`LazyPieces.error`).
    private func lazyCallee(slot: Int, lazy: LazyLinkage, type: LLVMTypeRef) -> LLVMValueRef {
        let i64 = types.i64
        let compiler = LLVMConstInt(i64, lazy.compiler, 0)!
        if lazy.tierUpCalls > 0 {
            // Count the call; the one that reaches the threshold compiles the piece at the full level.
            let counter = wordPointer(lazy.countAddress(ofSlot: slot))
            let count = LLVMBuildAdd(b, LLVMBuildLoad2(b, i64, counter, "calls")!, LLVMConstInt(i64, 1, 0), "")!
            LLVMBuildStore(b, count, counter)
            let tierUp = LLVMAppendBasicBlockInContext(types.context, target, "piece.tierup")!
            let counted = LLVMAppendBasicBlockInContext(types.context, target, "piece.counted")!
            let hot = LLVMBuildICmp(b, LLVMIntEQ, count, LLVMConstInt(i64, UInt64(lazy.tierUpCalls), 0), "")!
            LLVMBuildCondBr(b, hot, tierUp, counted)
            LLVMPositionBuilderAtEnd(b, tierUp)
            call(m.compilePiece, [compiler, LLVMConstInt(i64, UInt64(slot) | UInt64(LazyPieces.tierUpFlag), 0)])
            LLVMBuildBr(b, counted)
            LLVMPositionBuilderAtEnd(b, counted)
        }
        let address = wordPointer(lazy.codeAddress(ofSlot: slot))
        let loaded = LLVMBuildLoad2(b, i64, address, "piece.code")!
        let here = LLVMGetInsertBlock(b)!
        let compile = LLVMAppendBasicBlockInContext(types.context, target, "piece.compile")!
        let ready = LLVMAppendBasicBlockInContext(types.context, target, "piece.ready")!
        let missing = LLVMBuildICmp(b, LLVMIntEQ, loaded, LLVMConstInt(i64, 0, 0), "")!
        LLVMBuildCondBr(b, missing, compile, ready)
        LLVMPositionBuilderAtEnd(b, compile)
        call(m.compilePiece, [compiler, LLVMConstInt(i64, UInt64(slot), 0)])
        let compiled = LLVMBuildLoad2(b, i64, address, "piece.code")!
        trap(if: LLVMBuildICmp(b, LLVMIntEQ, compiled, LLVMConstInt(i64, 0, 0), "")!, .unreachable)
        let compiledEnd = LLVMGetInsertBlock(b)!
        LLVMBuildBr(b, ready)
        LLVMPositionBuilderAtEnd(b, ready)
        let code = LLVMBuildPhi(b, i64, "piece.code")!
        var incoming: [LLVMValueRef?] = [loaded, compiled]
        var from: [LLVMBasicBlockRef?] = [here, compiledEnd]
        LLVMAddIncoming(code, &incoming, &from, 2)
        return LLVMBuildIntToPtr(b, code, LLVMPointerType(type, 0), "")!
    }

    /// A constant pointer to the i64 at `address` (a slot of the lazy tables).
    private func wordPointer(_ address: UInt64) -> LLVMValueRef {
        LLVMConstIntToPtr(LLVMConstInt(types.i64, address, 0), LLVMPointerType(types.i64, 0))!
    }

    /// Returns from this piece through its exit `k`, with its results and budget.
    private func leave(through k: Int) throws {
        let signature = m.signature(of: own, number: loopEntry == nil ? piece : nil, in: function)
        var fields: [LLVMValueRef] = []
        if signature.hasExitIndex { fields.append(LLVMConstInt(types.i32, UInt64(k), 0)) }
        for r in signature.returned { fields.append(try value(.reg(r), function.type(of: r))) }
        if own.changesBudget { fields.append(LLVMBuildLoad2(b, types.i64, budget, "call.budget")) }
        switch fields.count {
        case 0:
            LLVMBuildRetVoid(b)
        case 1:
            LLVMBuildRet(b, fields[0])
        default:
            var aggregate = LLVMGetUndef(signature.returnType)!
            for (i, x) in fields.enumerated() {
                aggregate = LLVMBuildInsertValue(b, aggregate, x, UInt32(i), "")!
            }
            LLVMBuildRet(b, aggregate)
        }
    }
}
