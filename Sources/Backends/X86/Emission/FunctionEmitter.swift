import JitIR
import NativeCode

/// Where an operand can be read from by one x86 instruction.
enum Source: Hashable {
    case reg(Reg)
    case mem(Mem)
    case imm(Int64)
}

/// Emits the machine code of one function into a shared `Assembler`, from the
/// IR, its register allocation and its selection plan.
///
/// rax and r11 are never allocated: they are the temporaries for spilled
/// operands, constants, and results on their way to a spill slot.
struct FunctionEmitter {
    var asm: Assembler
    let function: Function
    let allocation: Allocation
    let plan: SelectionPlan
    let layout: BlockLayout
    let numbering: LinearNumbering
    let frame: FrameLayout
    let runtime: RuntimeAddresses
    let functionLabels: [Label]
    let functionIndex: [String: Int]
    /// The shared tail that calls the trap hook with the site index in esi.
    let commonTrap: Label
    /// Index the first site of this function gets in the module's table.
    let siteBase: Int
    let uninitialized: [Var]

    /// Trap sites of this function, in index order from `siteBase`.
    private(set) var sites: [Trap] = []
    private var stubs: [(label: Label, site: Int)] = []
    var blockLabels: [Label] = []
    /// The blocks a back edge leads to, in layout order (`BlockLayout.loopHeaders`).
    private(set) var loopHeaders: [Int] = []
    /// Where the out-of-line trap stubs begin, once emitted.
    private(set) var stubsStart: Label?
    let memoryBase: Reg?
    /// Registers whose upper bits may be left as they come (see `NarrowValues`).
    let narrow: NarrowValues
    /// The register holding the call budget, when the module keeps it in one.
    var budgetRegister: Reg?
    /// The width of the module's guard regions (`Module.guardBytes`), 0 when it has none.
    var guardBytes = 0
    /// The module has guard regions: every memory access is a possible trap site.
    var guardedMemory: Bool { guardBytes > 0 }
    /// Each memory access's position and trap site, when `guardedMemory`.
    private(set) var faultSites: [(label: Label, site: Int)] = []
    /// The function's tier-up sites, when the module is compiled for tier-up.
    var tierUp: TierUpEmission?
    var pendingTierUps: [PendingTierUp] = []

    static let temp = Reg.rax
    static let temp2 = Reg.r11
    /// Frames up to this size fit `CallDepth.limit` times on the native stack, so only
    /// bigger ones check the stack pointer in their prologue.
    static let frameWithoutStackCheck = 4096

    init(asm: Assembler, function: Function, allocation: Allocation, plan: SelectionPlan, layout: BlockLayout,
         numbering: LinearNumbering, frame: FrameLayout, runtime: RuntimeAddresses, functionLabels: [Label],
         functionIndex: [String: Int], commonTrap: Label, siteBase: Int, uninitialized: [Var]) {
        self.asm = asm
        self.function = function
        self.allocation = allocation
        self.plan = plan
        self.layout = layout
        self.numbering = numbering
        self.frame = frame
        self.runtime = runtime
        self.functionLabels = functionLabels
        self.functionIndex = functionIndex
        self.commonTrap = commonTrap
        self.siteBase = siteBase
        self.uninitialized = uninitialized
        memoryBase = allocation.memoryBase.map { Reg(number: Int($0), size: .qword) }
        narrow = NarrowValues(function)
    }

    // MARK: Driving

    /// Where a loop's first instruction starts: a loop whose branches and first instructions
    /// share as few 16-byte fetch blocks as they can runs faster (awib 0.297 s → 0.235, mandelbrot
    /// 0.512 → 0.486 on an AMD EPYC). The padding before it runs once per entry to the loop.
    static let loopAlignment = 16

    /// Emits the function, starting at `entry` (already created, bound here).
    mutating func emit(entry: Label) throws {
        blockLabels = function.blocks.map { _ in asm.newLabel() }
        asm.bind(entry)
        let passed = emitEarlyReturn()
        emitPrologue()
        if layout.order.isEmpty { asm.jmp(stub(.unreachable, function.loc)) }  // no blocks: nothing to run
        loopHeaders = layout.loopHeaders(in: function)
        var isLoopHeader = [Bool](repeating: false, count: function.blocks.count)
        for h in loopHeaders { isLoopHeader[h] = true }
        for b in layout.order {
            if isLoopHeader[b] { asm.align(Self.loopAlignment) }
            asm.bind(blockLabels[b])
            if b == 0, let passed {
                // The test before the prologue chose this side already. The entry's poll comes after
                // it: a call that returns early never moves, and needs none.
                emitTierUpPoll(block: 0)
                if layout.next(after: 0) != passed { asm.jmp(blockLabels[passed]) }
                continue
            }
            emitTierUpPoll(block: b)
            let block = function.blocks[b]
            let base = numbering.first[b]
            let deferred = Int(plan.flagSource[b])
            for (j, inst) in block.instructions.enumerated() where j != deferred {
                switch plan.shapes[base + j] {
                case .folded, .dead: continue
                case .memoryUpdate: emitMemoryUpdate(block.instructions[j - 2], block.instructions[j - 1], inst)
                case .compareTrap:
                    let folded = j >= 2 && plan.shapes[base + j - 2] == .folded && plan.anchors[base + j - 2] == Int32(base + j)
                    emitCompareTrap(block.instructions[j - 1], inst, address: folded ? block.instructions[j - 2] : nil)
                case .compareSelect: emitCompareSelect(block.instructions[j - 1], inst)
                default: try emit(inst)
                }
            }
            if deferred >= 0 {
                let insts = block.instructions
                emitMemoryUpdate(insts[deferred - 2], insts[deferred - 1], insts[deferred])
            }
            emitTerminator(block: b)
        }
        emitTierUpPaths()
        let traps = asm.newLabel()
        asm.bind(traps)
        stubsStart = traps
        for (label, site) in stubs {
            asm.bind(label)
            asm.mov(.esi, Int64(site))
            asm.jmp(commonTrap)
        }
    }

    private mutating func emit(_ inst: Instruction) throws {
        switch inst.op {
        case .copy(let d, let s): copy(d, s)
        case .binary(let op, let d, let a, let b, let checked): emitBinary(op, d, a, b, checked: checked, loc: inst.loc)
        case .unary(let op, let d, let a, let checked): emitUnary(op, d, a, checked: checked, loc: inst.loc)
        case .compare(let p, let t, let d, let a, let b): emitCompareValue(p, t, d, a, b)
        case .select(let d, let c, let t, let f): emitSelect(d, c, t, f)
        case .convert(let op, let d, let s, let from): emitConvert(op, d, s, from: from)
        case .load(let d, let base, let offset): emitLoad(d, base, offset, loc: inst.loc)
        case .store(let t, let v, let base, let offset): emitStore(t, v, base, offset, loc: inst.loc)
        case .call(let d, let callee, let args): try emitCall(d, callee, args, loc: inst.loc)
        case .hostCall(let h, let d, let args): emitHostCall(h, d, args)
        case .trapIf(let c, let kind): emitTrapIf(c, kind, loc: inst.loc)
        case .scan(let d, let start, let t, let step, let limit):
            emitScan(d, start, t, step: step, limit: limit, loc: inst.loc)
        case .probe: break  // the access right after it faults in its place (I12), and is never dropped
        case .enter: emitEnter(loc: inst.loc)
        case .leave: emitLeave()
        }
    }

    // MARK: Prologue and epilogue

    private mutating func emitPrologue() {
        for r in frame.saved { asm.push(Self.reg(r)) }
        if frame.frameSize > 0 { asm.sub(.rsp, Int64(frame.frameSize)) }
        if Int(frame.frameSize) + 8 * (frame.saved.count + 1) > Self.frameWithoutStackCheck {
            // A frame this big could run out of native stack before the call budget runs out.
            asm.mov(Self.temp, Int64(bitPattern: runtime.context))
            asm.cmp(.rsp, .qword(Self.temp, ContextLayout.stackLimit))
            asm.jcc(.b, stub(.recursionLimit, function.loc))
        }
        if let memoryBase { asm.mov(memoryBase, Int64(bitPattern: runtime.memoryBase)) }
        var moves = ParallelMove()
        for (i, p) in function.parameters.enumerated() {
            guard let destination = operandLocation(p) else { continue }
            if i < RegisterRoles.arguments.count {
                moves.add(destination, .reg(Self.reg(RegisterRoles.arguments[i])))
            } else {
                moves.add(destination, .mem(.qword(.rsp, frame.incomingOffset(i - RegisterRoles.arguments.count))))
            }
        }
        for v in uninitialized {
            if let destination = operandLocation(v) { moves.add(destination, .imm(0)) }
        }
        moves.emit(&asm, temp: Self.temp2, memoryTemp: Self.temp)
    }

    mutating func emitEpilogue() {
        if frame.frameSize > 0 { asm.add(.rsp, Int64(frame.frameSize)) }
        for r in frame.saved.reversed() { asm.pop(Self.reg(r)) }
        asm.ret()
    }

    // MARK: Traps

    /// The out-of-line stub that reports `kind` at `loc`. (Sites are nearly always
    /// distinct, so they are not looked up for sharing; a repeat of the latest one is.)
    mutating func stub(_ kind: TrapKind, _ loc: SourceLoc) -> Label {
        if let last = stubs.last, last.site == siteBase + sites.count - 1, sites.last?.kind == kind, sites.last?.loc == loc {
            return last.label
        }
        let label = asm.newLabel()
        stubs.append((label, siteBase + sites.count))
        sites.append(Trap(kind: kind, loc: loc, function: function.name))
        return label
    }

    /// Marks the instruction emitted next as an access of the memory at `loc`: in a module with
    /// guard regions, a fault there is the trap `out_of_bounds` at `loc`. Call it after any
    /// setup code, right before the instruction that touches the memory.
    mutating func markAccess(_ loc: SourceLoc) {
        guard guardedMemory else { return }
        if sites.last?.kind != .outOfBounds || sites.last?.loc != loc {
            sites.append(Trap(kind: .outOfBounds, loc: loc, function: function.name))
        }
        let label = asm.newLabel()
        asm.bind(label)
        faultSites.append((label, siteBase + sites.count - 1))
    }

    // MARK: Operands

    static func reg(_ number: UInt8) -> Reg { Reg(number: Int(number), size: .qword) }

    /// Where `v` lives as an x86 operand, or nil if it was never given a place.
    func operandLocation(_ v: Var) -> Source? {
        switch allocation.location(v) {
        case .register(let r): .reg(Self.reg(r))
        case .stack(let s): .mem(.qword(.rsp, frame.spillOffset(s)))
        case .none: nil
        }
    }

    /// How an instruction can read `o`: its register, its spill slot or the constant.
    func source(_ o: Operand) -> Source {
        switch o {
        case .imm(let k): return .imm(k)
        case .reg(let v): return operandLocation(v) ?? .imm(0)
        }
    }

    /// The register holding `v`, if it has one.
    func register(of o: Operand) -> Reg? {
        if case .reg(let v) = o, case .register(let r) = allocation.location(v) { return Self.reg(r) }
        return nil
    }

    /// `o` in a 64-bit register: its own, or `temp` after loading it there.
    mutating func inRegister(_ o: Operand, temp: Reg) -> Reg {
        switch source(o) {
        case .reg(let r): return r
        case .mem(let m):
            asm.mov(temp, m)
            return temp
        case .imm(let k):
            asm.mov(temp, k)
            return temp
        }
    }

    /// `r = o` (64-bit). Uses `xor` for zero unless `keepFlags`.
    mutating func load(_ r: Reg, _ o: Operand, keepFlags: Bool = false) {
        switch source(o) {
        case .reg(let s): if s != r { asm.mov(r, s) }
        case .mem(let m): asm.mov(r, m)
        case .imm(let k): materialize(r, k, keepFlags: keepFlags)
        }
    }

    mutating func materialize(_ r: Reg, _ k: Int64, keepFlags: Bool = false) {
        if k == 0 && !keepFlags { asm.xor(r.d, r.d) } else { asm.mov(r.q, k) }
    }

    /// The register to compute `v` into: its own, or `temp` when it lives in a spill slot.
    func target(_ v: Var, temp: Reg = FunctionEmitter.temp) -> Reg {
        if case .register(let r) = allocation.location(v) { return Self.reg(r) }
        return temp
    }

    /// Puts a value computed in `r` where `v` lives (no-op when `r` is `v`'s register).
    mutating func assign(_ v: Var, from r: Reg) {
        switch allocation.location(v) {
        case .register(let n): if n != r.number { asm.mov(Self.reg(n), r.q) }
        case .stack(let s): asm.mov(.qword(.rsp, frame.spillOffset(s)), r.q)
        case .none: break
        }
    }

    /// `v = o`.
    mutating func copy(_ v: Var, _ o: Operand) {
        switch (allocation.location(v), source(o)) {
        case (.none, _): break
        case (.register, _): load(target(v), o)
        case (.stack(let s), .imm(let k)) where Int32(exactly: k) != nil:
            asm.mov(.qword(.rsp, frame.spillOffset(s)), k)
        case (.stack(let s), .reg(let r)):
            asm.mov(.qword(.rsp, frame.spillOffset(s)), r)
        case (.stack, _):
            load(Self.temp, o)
            assign(v, from: Self.temp)
        }
    }

    /// Re-establishes the canonical form (sign-extended from `type`'s width) of the value in `r`.
    mutating func canonicalize(_ r: Reg, _ type: IntType) {
        switch type {
        case .i64: break
        case .i32: asm.movsxd(r.q, r.d)
        case .i16: asm.movsx(r.q, r.w)
        case .i8: asm.movsx(r.q, r.b)
        case .i1: asm.and(r.d, 1)
        }
    }
}

extension IntType {
    /// The x86 operand size that holds this type in memory.
    var operandSize: OperandSize {
        switch self {
        case .i1, .i8: .byte
        case .i16: .word
        case .i32: .dword
        case .i64: .qword
        }
    }

    /// The smallest signed value (for `i1`, the canonical 1 that reads as -1).
    var signedMinimum: Int64 {
        switch self {
        case .i1: 1
        case .i8: Int64(Int8.min)
        case .i16: Int64(Int16.min)
        case .i32: Int64(Int32.min)
        case .i64: Int64.min
        }
    }
}
