import CLLVM
import JitIR
import NativeCode

/// Lowers one IR function, or one piece of it (`OutlinePlan`), into its (already declared)
/// LLVM function.
///
/// Registers are not SSA, so each becomes an `alloca` in the entry block, read with `load` and
/// written with `store`; mem2reg/SROA in the pass pipeline turn them into SSA values.
final class FunctionLowering {
    let m: ModuleLowering
    let types: LLVMTypes
    let function: Function
    let target: LLVMValueRef
    let b: LLVMBuilderRef
    /// The pieces of the function and the one this lowers.
    let plan: OutlinePlan
    let piece: Int
    /// The piece's loop entry this lowers alone; nil for the piece itself.
    let loopEntry: Int?
    /// What this lowers: the piece, or the region of its loop entry.
    let own: OutlinePlan.Piece

    private var slots: [LLVMValueRef] = []
    /// The LLVM blocks of the IR blocks this piece lowers, and of the places it continues at
    /// elsewhere: calls of the pieces inside it, and its own exits (see FunctionLowering+Pieces).
    var blocks: [Int: LLVMBasicBlockRef] = [:]
    var continuations: [Int: LLVMBasicBlockRef] = [:]
    /// Continuations made but not yet filled in, as (block, IR block it stands for).
    var pendingContinuations: [(LLVMBasicBlockRef, Int)] = []
    /// The position of the instruction being lowered, for trap sites.
    var loc = SourceLoc.unknown
    /// The store being lowered is the access of the probe right before it (see `lower()`).
    private var volatileStore = false
    /// How many more calls may start (the last parameter of every lowered function); mem2reg
    /// makes it an SSA value.
    var budget: LLVMValueRef!
    /// The trap block new sites branch to, and its site phi.
    private var sharedTrap: (block: LLVMBasicBlockRef, phi: LLVMValueRef)?
    /// One phi over every site of a huge function makes the code generator slower than a
    /// block per site did (optimtease, 270k instructions: 32 s against 22 s); a phi of this
    /// many sites keeps the gain on smaller functions without that cost.
    static let sitesPerTrapBlock: UInt32 = 256

    init(module: ModuleLowering, function: Function, target: Callee, plan: OutlinePlan? = nil, piece: Int = 0,
         loopEntry: Int? = nil) {
        m = module
        types = module.types
        self.function = function
        self.target = target.value
        let plan = plan ?? .whole(function)
        self.plan = plan
        self.piece = piece
        self.loopEntry = loopEntry
        own = loopEntry.map { plan.pieces[piece].loopEntries[$0].region } ?? plan.pieces[piece]
        b = LLVMCreateBuilderInContext(module.context)
    }

    deinit { LLVMDisposeBuilder(b) }

    func lower() throws {
        guard !function.blocks.isEmpty else {
            throw InternalError("LLVM lowering: function @\(function.name) has no blocks")
        }
        // A separate entry block holds the allocas: IR block 0 may be a branch target, an LLVM entry may not.
        let entry = LLVMAppendBasicBlockInContext(types.context, target, "entry")!
        for i in own.blocks {
            blocks[i] = LLVMAppendBasicBlockInContext(types.context, target, function.blocks[i].label)!
        }
        LLVMPositionBuilderAtEnd(b, entry)
        for (i, t) in function.registerTypes.enumerated() {
            slots.append(LLVMBuildAlloca(b, types.int(t), "r\(i)")!)
        }
        // Every register starts at zero, as in the interpreter; mem2reg folds the stores away.
        let inputs = piece == 0 ? function.parameters : own.parameters
        let parameters = Set(inputs.map(\.index))
        for (i, t) in function.registerTypes.enumerated() where !parameters.contains(i) {
            LLVMBuildStore(b, LLVMConstInt(types.int(t), 0, 0), slots[i])
        }
        for (i, p) in inputs.enumerated() {
            LLVMBuildStore(b, LLVMGetParam(target, UInt32(i)), try slot(p))
        }
        budget = LLVMBuildAlloca(b, types.i64, "call.budget")!
        LLVMBuildStore(b, LLVMGetParam(target, UInt32(inputs.count)), budget)
        guard let root = blocks[own.root] else {
            throw InternalError("LLVM lowering: piece \(piece) of @\(function.name) does not hold its root")
        }
        LLVMBuildBr(b, root)

        for i in own.blocks {
            let block = function.blocks[i]
            LLVMPositionBuilderAtEnd(b, blocks[i])
            for (k, inst) in block.instructions.enumerated() {
                loc = inst.loc
                // A probe right before a store of the same bytes becomes that store, volatile: LLVM
                // must keep it where it is, so it faults exactly where the probe would, and it is
                // one instruction fewer for every pass and the code generator (mandelbrot: 364
                // of its 723 probes; whole process 0.488 s to 0.475, hanoi 0.180 to 0.175).
                // A probe before a load stays: EarlyCSE merges that load into it already.
                if case .probe(let t, let base, let offset) = inst.op, k + 1 < block.instructions.count,
                   case .store(t, _, base, offset) = block.instructions[k + 1].op {
                    volatileStore = true
                    continue
                }
                try lower(inst.op)
            }
            loc = block.terminatorLoc
            try lower(block.terminator)
        }
        try fillContinuations()
    }

    // MARK: Operands and registers

    func int(_ t: IntType) -> LLVMTypeRef { types.int(t) }

    func constant(_ value: Int64, _ t: IntType) -> LLVMValueRef {
        LLVMConstInt(int(t), UInt64(bitPattern: value), 0)
    }

    func slot(_ v: Var) throws -> LLVMValueRef {
        guard v.index >= 0 && v.index < slots.count else {
            throw InternalError("LLVM lowering: @\(function.name) uses undeclared register \(v)")
        }
        return slots[v.index]
    }

    /// The value of `op`, whose type is `t` (an immediate takes it; a register has it).
    func value(_ op: Operand, _ t: IntType) throws -> LLVMValueRef {
        switch op {
        case .imm(let k): return constant(k, t)
        case .reg(let v): return LLVMBuildLoad2(b, int(function.type(of: v)), try slot(v), "")
        }
    }

    func assign(_ v: Var, _ x: LLVMValueRef) throws {
        LLVMBuildStore(b, x, try slot(v))
    }

    private func type(of v: Var) throws -> IntType {
        _ = try slot(v)
        return function.type(of: v)
    }

    // MARK: Instructions

    private func lower(_ op: Op) throws {
        switch op {
        case .copy(let dst, let src):
            try assign(dst, try value(src, try type(of: dst)))

        case .binary(let o, let dst, let lhs, let rhs, let checked):
            let t = try type(of: dst)
            try assign(dst, try binary(o, t, try value(lhs, t), try value(rhs, t), checked: checked))

        case .unary(let o, let dst, let src, let checked):
            let t = try type(of: dst)
            let x = try value(src, t)
            switch o {
            case .not:
                try assign(dst, LLVMBuildNot(b, x, ""))
            case .neg:
                try assign(dst, checked ? try checkedArithmetic("ssub", t, constant(0, t), x)
                                        : LLVMBuildNeg(b, x, ""))
            }

        case .compare(let p, let t, let dst, let lhs, let rhs):
            try assign(dst, LLVMBuildICmp(b, Self.predicate(p), try value(lhs, t), try value(rhs, t), ""))

        case .select(let dst, let cond, let ifTrue, let ifFalse):
            let t = try type(of: dst)
            try assign(dst, LLVMBuildSelect(b, try value(cond, .i1), try value(ifTrue, t), try value(ifFalse, t), ""))

        case .convert(let o, let dst, let src, let from):
            let to = try type(of: dst)
            let x = try value(src, from)
            if from == to {
                try assign(dst, x)
            } else {
                switch o {
                case .zext: try assign(dst, LLVMBuildZExt(b, x, int(to), ""))
                case .sext: try assign(dst, LLVMBuildSExt(b, x, int(to), ""))
                case .trunc: try assign(dst, LLVMBuildTrunc(b, x, int(to), ""))
                }
            }

        case .load(let dst, let base, let offset):
            let t = try type(of: dst)
            let memoryType = t == .i1 ? types.i8 : int(t)
            let load = LLVMBuildLoad2(b, memoryType, try address(base, offset, memoryType), "")!
            LLVMSetAlignment(load, 1)
            try assign(dst, t == .i1 ? LLVMBuildTrunc(b, load, types.i1, "")! : load)

        case .probe(let t, let base, let offset):
            // LLVM may drop or merge the access the probe stands for (an add of 256 to an i8
            // cell leaves it as it was); a volatile load of the same bytes it must keep, where
            // it is. It faults in the guard region exactly when the access would.
            let memoryType = t == .i1 ? types.i8 : int(t)
            let load = LLVMBuildLoad2(b, memoryType, try address(base, offset, memoryType), "")!
            LLVMSetAlignment(load, 1)
            LLVMSetVolatile(load, 1)

        case .store(let t, let v, let base, let offset):
            var x = try value(v, t)
            var memoryType = int(t)
            if t == .i1 {
                memoryType = types.i8
                x = LLVMBuildZExt(b, x, types.i8, "")
            }
            let store = LLVMBuildStore(b, x, try address(base, offset, memoryType))!
            LLVMSetAlignment(store, 1)
            if volatileStore {
                LLVMSetVolatile(store, 1)
                volatileStore = false
            }

        case .call(let dst, let name, let args):
            guard let (callee, ir) = m.functions[name] else {
                throw InternalError("LLVM lowering: call to unknown function @\(name)")
            }
            guard ir.parameters.count == args.count else {
                throw InternalError("LLVM lowering: @\(name) called with \(args.count) arguments")
            }
            var values: [LLVMValueRef?] = []
            for (a, p) in zip(args, ir.parameters) { values.append(try value(a, ir.type(of: p))) }
            enter()
            if m.recursion.isRecursive(from: function.name, to: name) { try checkStack() }
            values.append(LLVMBuildLoad2(b, types.i64, budget, "call.budget"))
            let result = call(callee, values)
            leave()
            if let dst { try assign(dst, result) }

        case .hostCall(let h, let dst, let args):
            switch h {
            case .putByte:
                guard let a = args.first else { throw InternalError("LLVM lowering: putbyte without argument") }
                _ = call(m.putByte, [m.hookContext, try byteArgument(a)])
            case .putBytes:
                guard args.count == 2 else { throw InternalError("LLVM lowering: putbytes without its two arguments") }
                _ = call(m.putBytes, [m.hookContext, try value(args[0], .i64), try value(args[1], .i64)])
            case .getByte:
                let result = call(m.getByte, [m.hookContext])
                if let dst { try assign(dst, LLVMBuildTrunc(b, result, int(try type(of: dst)), "")) }
            }

        case .trapIf(let cond, let kind):
            trap(if: try value(cond, .i1), kind)

        case .scan(let dst, let start, let t, let step, let limit):
            try scan(dst, start, t, step: step, limit: limit)

        case .enter:
            enter()

        case .leave:
            leave()
        }
    }

    /// The IR's recursion rule (CallDepth): one more activation starts, and the one that
    /// would exceed the limit traps here. A call does this before it enters its callee.
    private func enter() {
        let left = LLVMBuildLoad2(b, types.i64, budget, "call.budget")!
        trap(if: LLVMBuildICmp(b, LLVMIntEQ, left, constant(0, .i64), ""), .recursionLimit)
        LLVMBuildStore(b, LLVMBuildSub(b, left, constant(1, .i64), ""), budget)
    }

    /// The activation the matching `enter` started has ended.
    private func leave() {
        let left = LLVMBuildLoad2(b, types.i64, budget, "call.budget")!
        LLVMBuildStore(b, LLVMBuildAdd(b, left, constant(1, .i64), ""), budget)
    }

    /// `scan`: the C library's `memchr`/`memrchr` for byte cells one apart (they search many
    /// bytes at a time), and a loop otherwise (`scanLoop`, vectorised where the step allows).
    /// Either way every address tested is checked against the limit first, and the first one
    /// outside traps.
    private func scan(_ dst: Var, _ start: Var, _ t: IntType, step: Int64, limit: Int64) throws {
        let i64 = types.i64
        let x0 = try value(.reg(start), .i64)
        let highest = constant(limit, .i64)
        let librarySearch = NativeContext.memchrAddress != 0 && NativeContext.memrchrAddress != 0
        if t == .i8 && (step == 1 || step == -1) && librarySearch {
            trap(if: LLVMBuildICmp(b, LLVMIntUGT, x0, highest, ""), .outOfBounds)
            let base = LLVMBuildPtrToInt(b, m.memoryBase, i64, "")!
            let found: LLVMValueRef
            if step == 1 {
                let count = LLVMBuildSub(b, LLVMBuildAdd(b, highest, constant(1, .i64), ""), x0, "")
                found = call(m.memchr, [LLVMBuildAdd(b, base, x0, ""), constant(0, .i32), count])
            } else {
                found = call(m.memrchr, [base, constant(0, .i32), LLVMBuildAdd(b, x0, constant(1, .i64), "")])
            }
            // No zero before the edge: the next address tested is past it.
            trap(if: LLVMBuildICmp(b, LLVMIntEQ, found, constant(0, .i64), ""), .outOfBounds)
            try assign(dst, LLVMBuildSub(b, found, base, ""))
            return
        }
        try assign(dst, scanLoop(from: x0, t, step: step, limit: limit))
    }

    /// Before a call that may recurse without bound: traps `recursion_limit` at the call when the
    /// stack pointer is below the runtime's limit. This is a backstop for frames too big to fit
    /// `CallDepth.limit` times on the native stack; the call budget normally fires first.
    private func checkStack() throws {
        let readRegister = try m.intrinsic("read_register", .i64)
        let sp = call(readRegister, [m.stackPointerName])
        let limit = LLVMBuildLoad2(b, types.i64, m.stackLimitAddress, "stack.limit")!
        trap(if: LLVMBuildICmp(b, LLVMIntULT, sp, limit, ""), .recursionLimit)
    }

    /// `putbyte` writes the low 8 bits, so any extension of the operand does.
    private func byteArgument(_ a: Operand) throws -> LLVMValueRef {
        switch a {
        case .imm(let k): return constant(k, .i64)
        case .reg(let v):
            let t = try type(of: v)
            let x = try value(a, t)
            return t == .i64 ? x : LLVMBuildZExt(b, x, types.i64, "")
        }
    }

    @discardableResult
    func call(_ callee: Callee, _ args: [LLVMValueRef?]) -> LLVMValueRef {
        var args = args
        let instruction = args.withUnsafeMutableBufferPointer {
            LLVMBuildCall2(b, callee.type, callee.value, $0.baseAddress, UInt32($0.count), "")!
        }
        ModuleLowering.addCallAttributes(of: callee, to: instruction)
        return instruction
    }

    /// `memoryBase + base + offset` as a pointer to `type`: a byte GEP by the register, then a
    /// byte GEP by the constant, so the backend folds it into one `[reg + reg + disp]` operand.
    private func address(_ base: Var, _ offset: Int64, _ type: LLVMTypeRef) throws -> LLVMValueRef {
        guard try self.type(of: base) == .i64 else {
            throw InternalError("LLVM lowering: memory base \(base) in @\(function.name) is not i64")
        }
        var index: [LLVMValueRef?] = [try value(.reg(base), .i64)]
        var p = index.withUnsafeMutableBufferPointer {
            LLVMBuildGEP2(b, types.i8, m.memoryBase, $0.baseAddress, 1, "")!
        }
        if offset != 0 {
            var k: [LLVMValueRef?] = [constant(offset, .i64)]
            p = k.withUnsafeMutableBufferPointer { LLVMBuildGEP2(b, types.i8, p, $0.baseAddress, 1, "")! }
        }
        // A no-op with opaque pointers (LLVM 15+); a typed-pointer cast on LLVM 14.
        return LLVMBuildBitCast(b, p, LLVMPointerType(type, 0), "")
    }

    // MARK: Arithmetic

    private func binary(_ o: BinaryOp, _ t: IntType, _ x: LLVMValueRef, _ y: LLVMValueRef,
                        checked: Bool) throws -> LLVMValueRef {
        switch o {
        case .add: return checked ? try checkedArithmetic("sadd", t, x, y) : LLVMBuildAdd(b, x, y, "")
        case .sub: return checked ? try checkedArithmetic("ssub", t, x, y) : LLVMBuildSub(b, x, y, "")
        case .mul: return checked ? try checkedArithmetic("smul", t, x, y) : LLVMBuildMul(b, x, y, "")
        case .and: return LLVMBuildAnd(b, x, y, "")
        case .or: return LLVMBuildOr(b, x, y, "")
        case .xor: return LLVMBuildXor(b, x, y, "")
        // LLVM shifts by >= width are poison; the IR uses the count modulo the width.
        case .shl: return LLVMBuildShl(b, x, shiftCount(y, t), "")
        case .lshr: return LLVMBuildLShr(b, x, shiftCount(y, t), "")
        case .ashr: return LLVMBuildAShr(b, x, shiftCount(y, t), "")
        case .sdiv, .srem:
            trap(if: LLVMBuildICmp(b, LLVMIntEQ, y, constant(0, t), ""), .divisionByZero)
            let minusOne = LLVMBuildICmp(b, LLVMIntEQ, y, constant(-1, t), "")!
            if o == .sdiv {
                let isMin = LLVMBuildICmp(b, LLVMIntEQ, x, minimum(t), "")
                trap(if: LLVMBuildAnd(b, isMin, minusOne, ""), .overflow)
                return LLVMBuildSDiv(b, x, y, "")
            }
            // `srem MIN, -1` is undefined in LLVM but 0 in the IR; x rem 1 is 0 for every x.
            return LLVMBuildSRem(b, x, LLVMBuildSelect(b, minusOne, constant(1, t), y, ""), "")
        }
    }

    private func shiftCount(_ y: LLVMValueRef, _ t: IntType) -> LLVMValueRef {
        LLVMBuildAnd(b, y, constant(Int64(t.bits - 1), t), "")
    }

    /// The most negative value of `t`, as LLVM reads the type (for i1, the set bit).
    private func minimum(_ t: IntType) -> LLVMValueRef {
        LLVMConstInt(int(t), UInt64(1) << UInt64(t.bits - 1), 0)
    }

    /// `llvm.<op>.with.overflow`: the wrapped result, trapping `overflow` when the flag is set.
    private func checkedArithmetic(_ op: String, _ t: IntType, _ x: LLVMValueRef, _ y: LLVMValueRef) throws -> LLVMValueRef {
        if op == "smul" && t == .i1 {
            // LLVM 14's InstCombine wrongly drops the overflow of smul.with.overflow.i1 (-1 * -1 = 1
            // does not fit); at i1 the product is `x & y` and it overflows exactly when it is -1.
            let product = LLVMBuildAnd(b, x, y, "")!
            trap(if: product, .overflow)
            return product
        }
        let f = try m.intrinsic("\(op).with.overflow", t)
        let pair = call(f, [x, y])
        trap(if: LLVMBuildExtractValue(b, pair, 1, ""), .overflow)
        return LLVMBuildExtractValue(b, pair, 0, "")
    }

    private static func predicate(_ p: ComparePredicate) -> LLVMIntPredicate {
        switch p {
        case .eq: LLVMIntEQ
        case .ne: LLVMIntNE
        case .slt: LLVMIntSLT
        case .sle: LLVMIntSLE
        case .sgt: LLVMIntSGT
        case .sge: LLVMIntSGE
        case .ult: LLVMIntULT
        case .ule: LLVMIntULE
        case .ugt: LLVMIntUGT
        case .uge: LLVMIntUGE
        }
    }

    // MARK: Traps

    /// Branches to the function's trap block with a new trap site when `cond` holds.
    /// A condition the builder folded to false needs no check at all.
    func trap(if cond: LLVMValueRef, _ kind: TrapKind) {
        if LLVMIsAConstantInt(cond) != nil && LLVMConstIntGetZExtValue(cond) == 0 { return }
        let current = LLVMGetInsertBlock(b)!
        let next = LLVMAppendBasicBlockInContext(types.context, target, "")!
        LLVMMoveBasicBlockAfter(next, current)
        LLVMBuildCondBr(b, cond, trapBlock(from: current, site: newSite(kind)), next)
        LLVMPositionBuilderAtEnd(b, next)
    }

    /// Jumps to the function's trap block with a new trap site.
    private func emitTrap(_ kind: TrapKind) {
        let current = LLVMGetInsertBlock(b)!
        LLVMBuildBr(b, trapBlock(from: current, site: newSite(kind)))
    }

    private func newSite(_ kind: TrapKind) -> LLVMValueRef {
        constant(Int64(m.sites.add(kind, loc, in: function.name)), .i64)
    }

    /// The block that calls the runtime trap hook, with the site index as a phi of its
    /// predecessors, shared by up to `sitesPerTrapBlock` sites: a block per site would make a
    /// third of all blocks trap blocks, which costs LLVM's passes and code generator time for
    /// code that almost never runs.
    private func trapBlock(from predecessor: LLVMBasicBlockRef, site: LLVMValueRef) -> LLVMBasicBlockRef {
        if let shared = sharedTrap, LLVMCountIncoming(shared.phi) >= Self.sitesPerTrapBlock { sharedTrap = nil }
        if sharedTrap == nil {
            let block = LLVMAppendBasicBlockInContext(types.context, target, "trap")!
            LLVMPositionBuilderAtEnd(b, block)
            let phi = LLVMBuildPhi(b, types.i64, "site")!
            call(m.trap, [m.hookContext, phi])
            LLVMBuildUnreachable(b)
            LLVMPositionBuilderAtEnd(b, predecessor)
            sharedTrap = (block, phi)
        }
        var value: LLVMValueRef? = site
        var from: LLVMBasicBlockRef? = predecessor
        LLVMAddIncoming(sharedTrap!.phi, &value, &from, 1)
        return sharedTrap!.block
    }

    // MARK: Terminators

    private func lower(_ t: Terminator) throws {
        switch t {
        case .jump(let target):
            LLVMBuildBr(b, try block(target))
        case .branch(let cond, let ifTrue, let ifFalse):
            LLVMBuildCondBr(b, try value(cond, .i1), try block(ifTrue), try block(ifFalse))
        case .ret(let v):
            switch (v, function.resultType) {
            case (let v?, let rt?): LLVMBuildRet(b, try value(v, rt))
            case (nil, nil): LLVMBuildRetVoid(b)
            default: throw InternalError("LLVM lowering: return in @\(function.name) does not match its result type")
            }
        case .trap(let kind):
            emitTrap(kind)
        }
    }
}
