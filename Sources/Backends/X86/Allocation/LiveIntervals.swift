import JitIR

/// The stretch of code during which a register's value must be kept: one
/// range `[start, end]` of positions (see `LinearNumbering`) with no holes.
///
/// Where a register is live around a loop's back edge, liveness makes it live
/// on entry to the loop header and on exit from the latch, so the range spans
/// the whole loop body.
struct LiveInterval: Hashable {
    let register: Var
    var start: Int32
    var end: Int32
    /// Live across a call or host call: only a callee-saved register survives it.
    var crossesCall = false
    /// Live around a loop back edge: kept in a callee-saved register when one is free.
    var isLoopCarried = false
    /// Registers this interval may not use (clobbered by an instruction it spans).
    var forbidden = RegisterSet.empty
    /// A register that would save a move (the argument register of a parameter).
    var hint: UInt8?
    /// A register whose location would save a move: the operand an instruction
    /// overwrites in two-address form (`d = a + b` is `mov d, a; add d, b`).
    var hintRegister: Var?
    /// What keeping it out of a register would cost: its reads and writes, each counted
    /// 10^(loop depth) times, so the allocator spills what hot loops touch least.
    var spillWeight: Double = 0

    func overlaps(_ other: LiveInterval) -> Bool { start <= other.end && other.start <= end }
}

/// Live intervals of every register of one function that needs a location at
/// run time, built in one backward pass per block; the pass also marks pure
/// instructions whose result is never read as dead.
struct LiveIntervals {
    /// Sorted by start, then register.
    private(set) var intervals: [LiveInterval] = []
    /// Index into `intervals` for each register, or -1 (fused, dead or unused).
    private(set) var intervalIndex: [Int32]
    /// Read before any assignment (the verifier normally rejects this); zeroed on entry.
    private(set) var uninitialized: [Var] = []
    /// Whether some emitted instruction loads or stores: the function needs the memory base register.
    private(set) var accessesMemory = false
    /// Whether some emitted instruction calls: the function must keep the stack aligned for it.
    private(set) var makesCalls = false
    /// The most arguments any call passes on the stack.
    private(set) var stackArguments = 0

    /// With `loadsMayTrap` (a module with guard regions), a load whose value is unused is kept:
    /// it is still the access that traps if it lies outside the memory.
    init(_ function: Function, layout: BlockLayout, numbering: LinearNumbering, liveness: BlockLiveness,
         plan: inout SelectionPlan, loadsMayTrap: Bool = false) {
        let registerCount = function.registerTypes.count
        var range = Ranges(count: registerCount)
        let entryDefinition = LinearNumbering.definePosition(0)
        for p in function.parameters { range.extend(p, entryDefinition) }

        var calls: [Int] = [], divisions: [Int] = [], variableShifts: [Int] = []
        let depth = Self.loopDepths(function, layout: layout)
        var weights = [Double](repeating: 0, count: registerCount)
        var sourceHints = [Var?](repeating: nil, count: registerCount)
        var live = [Bool](repeating: false, count: registerCount)
        var touched: [Int] = []

        for b in layout.order {
            let block = function.blocks[b]
            let base = numbering.first[b]
            let term = base + block.instructions.count
            let frequency = Self.frequency(depth[layout.position[b]])
            if let v = block.terminator.readRegister { weights[v.index] += frequency }
            liveness.forEachLiveOut(b) { v in
                range.extend(v, LinearNumbering.definePosition(term))
                live[v.index] = true
                touched.append(v.index)
            }
            if let v = block.terminator.readRegister, Int32(v.index) != plan.fusedRead[term] {
                range.extend(v, LinearNumbering.usePosition(term))
                live[v.index] = true
                touched.append(v.index)
            }
            for j in stride(from: block.instructions.count - 1, through: 0, by: -1) {
                let k = base + j
                let inst = block.instructions[j]
                if plan.shapes[k] != .folded, let d = inst.defined {
                    if !live[d.index] && Self.isPure(inst.op, loadsMayTrap: loadsMayTrap) {
                        plan.shapes[k] = .dead
                        continue
                    }
                    range.extend(d, LinearNumbering.definePosition(k))
                    weights[d.index] += frequency
                    live[d.index] = false
                    if sourceHints[d.index] == nil, let s = Self.twoAddressSource(inst.op) { sourceHints[d.index] = s }
                }
                let usePosition = LinearNumbering.usePosition(Int(plan.anchors[k]))
                let fused = plan.fusedRead[k]
                inst.op.forEachRegister { _, v in
                    guard Int32(v.index) != fused else { return }
                    weights[v.index] += frequency
                    range.extend(v, usePosition)
                    live[v.index] = true
                    touched.append(v.index)
                }
                switch inst.op {
                case .call(_, _, let args):
                    calls.append(k)
                    makesCalls = true
                    stackArguments = max(stackArguments, args.count - RegisterRoles.arguments.count)
                case .hostCall:
                    calls.append(k)
                    makesCalls = true
                case .binary(let op, _, _, let rhs, _):
                    if op.isDivision { divisions.append(k) }
                    if [.shl, .lshr, .ashr].contains(op), rhs.register != nil { variableShifts.append(k) }
                case .load, .store, .scan:
                    accessesMemory = true
                default:
                    break
                }
            }
            for i in touched { live[i] = false }
            touched.removeAll(keepingCapacity: true)
            let blockStart = LinearNumbering.usePosition(base)
            liveness.forEachLiveIn(b) { range.extend($0, blockStart) }
        }

        // Registers read before any assignment start out as zero.
        if let entry = layout.order.first {
            for v in liveness.liveInRegisters(entry) where !function.parameters.contains(v) {
                uninitialized.append(v)
                range.extend(v, entryDefinition)
            }
        }

        var loopCarried = [Bool](repeating: false, count: registerCount)
        for b in layout.order {
            function.blocks[b].terminator.forEachSuccessor { s in
                if layout.isBackEdge(from: b, to: s) { liveness.forEachLiveIn(s) { loopCarried[$0.index] = true } }
            }
        }

        calls.sort()
        divisions.sort()
        variableShifts.sort()
        var hints = [UInt8?](repeating: nil, count: registerCount)
        for (i, p) in function.parameters.enumerated() where i < RegisterRoles.arguments.count {
            hints[p.index] = RegisterRoles.arguments[i]
        }

        intervalIndex = [Int32](repeating: -1, count: registerCount)
        for i in 0..<registerCount where range.end[i] >= 0 {
            var interval = LiveInterval(register: Var(i), start: range.start[i], end: range.end[i])
            interval.crossesCall = Self.spans(calls, interval)
            if interval.crossesCall { interval.forbidden = interval.forbidden | RegisterRoles.callerSaved }
            if Self.spans(divisions, interval) { interval.forbidden.insert(RegisterRoles.rdx) }
            if Self.spans(variableShifts, interval) { interval.forbidden.insert(RegisterRoles.rcx) }
            interval.isLoopCarried = loopCarried[i]
            interval.hint = hints[i]
            interval.hintRegister = sourceHints[i]
            interval.spillWeight = weights[i]
            intervals.append(interval)
        }
        intervals.sort { ($0.start, $0.register.index) < ($1.start, $1.register.index) }
        for (n, interval) in intervals.enumerated() { intervalIndex[interval.register.index] = Int32(n) }
    }

    /// The smallest range of positions covering each register's uses, definitions and live block boundaries.
    private struct Ranges {
        var start: [Int32]
        var end: [Int32]

        init(count: Int) {
            start = [Int32](repeating: .max, count: count)
            end = [Int32](repeating: -1, count: count)
        }

        @inline(__always)
        mutating func extend(_ v: Var, _ p: Int32) {
            if p < start[v.index] { start[v.index] = p }
            if p > end[v.index] { end[v.index] = p }
        }
    }

    /// How many loops enclose each block, by layout position. Frontends lay a loop out as one
    /// contiguous run from its header to its latch, so every back edge `latch -> header`
    /// adds one level to the positions between them.
    static func loopDepths(_ function: Function, layout: BlockLayout) -> [Int] {
        var delta = [Int](repeating: 0, count: layout.order.count + 1)
        for b in layout.order {
            function.blocks[b].terminator.forEachSuccessor { s in
                guard s < layout.position.count, layout.isReachable(s), layout.isBackEdge(from: b, to: s) else { return }
                delta[layout.position[s]] += 1
                delta[layout.position[b] + 1] -= 1
            }
        }
        var depths: [Int] = [], running = 0
        for p in 0..<layout.order.count {
            running += delta[p]
            depths.append(running)
        }
        return depths
    }

    /// The weight of one access at loop depth `depth`.
    private static func frequency(_ depth: Int) -> Double {
        var f = 1.0
        for _ in 0..<min(depth, 12) { f *= 10 }
        return f
    }

    /// The interval of `v`, if it has one.
    func interval(of v: Var) -> LiveInterval? {
        let n = intervalIndex[v.index]
        return n >= 0 ? intervals[Int(n)] : nil
    }

    /// Whether the interval is live both before and after one of the instructions at `indices` (sorted).
    private static func spans(_ indices: [Int], _ interval: LiveInterval) -> Bool {
        // First instruction whose use position is at or after the interval's start.
        var lo = 0, hi = indices.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if LinearNumbering.usePosition(indices[mid]) < interval.start { lo = mid + 1 } else { hi = mid }
        }
        return lo < indices.count && LinearNumbering.definePosition(indices[lo]) < interval.end
    }

    /// The operand whose register the result would best share.
    static func twoAddressSource(_ op: Op) -> Var? {
        switch op {
        case .copy(_, .reg(let s)), .unary(_, _, .reg(let s), _), .convert(_, _, .reg(let s), _): s
        case .binary(let o, _, let a, let b, _):
            a.register ?? (o.isCommutative ? b.register : nil)
        case .select(_, _, _, .reg(let s)): s
        default: nil
        }
    }

    /// Instructions that may be dropped when their result is unused.
    static func isPure(_ op: Op, loadsMayTrap: Bool = false) -> Bool {
        switch op {
        case .copy, .compare, .select, .convert: true
        case .load: !loadsMayTrap
        case .binary(let o, _, _, _, let checked): !checked && !o.isDivision
        case .unary(_, _, _, let checked): !checked
        case .store, .call, .hostCall, .trapIf, .scan, .enter, .leave, .probe: false
        }
    }
}
