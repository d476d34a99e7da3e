import JitIR

/// How one instruction is turned into machine code: on its own, or fused with
/// its neighbours into a single x86 idiom.
enum InstructionShape: UInt8 {
    /// Emitted by itself.
    case plain
    /// Part of a pattern emitted at a later instruction of the same block (its anchor).
    case folded
    /// A pure instruction whose result nobody reads: emits nothing.
    case dead
    /// A store that completes `v = load [b+o]; w = v op x; store w, [b+o]`:
    /// one read-modify-write instruction, `add byte [mem + b + o], x` (the BF `+`/`-` run).
    case memoryUpdate
    /// A `trapIf` on the compare just before it: `cmp; jcc stub`. When the compare tests
    /// `a = p + k` against a constant and `a` dies there (a bounds check), the add is folded
    /// in too: `lea rax, [p + k]; cmp rax, L; jcc stub`, and `a` needs no register.
    case compareTrap
    /// A `branch` terminator on the block's last instruction, a compare: `cmp; jcc`; with the
    /// compare's `a = p + k` folded in as for `compareTrap`.
    case compareBranch
    /// A `branch` on `compare(load [b+o], imm)`: `cmp byte [mem + b + o], imm; jcc`.
    case loadCompareBranch
    /// A `select` of two registers on the compare just before it: `cmp; mov; cmovcc`, with no
    /// `setcc` and `test` between the compare and the `cmov` (BF's multiplies pick their target's
    /// base this way, and the target's address waits for it).
    case compareSelect
}

/// Decides, before register allocation, which instructions fuse.
///
/// A fused value (the loaded cell, the compare result, ...) is produced and
/// consumed inside one pattern and is dead afterwards, so it is never written
/// to its register: the producer's definition and the consumer's read of it do
/// not count for live intervals. Registers are not SSA and frontends reuse them,
/// so "dead afterwards" is decided per instruction from liveness, not per register.
struct SelectionPlan {
    /// The shape of each linear index (see `LinearNumbering`); `dead` is filled in later by the interval builder.
    var shapes: [InstructionShape]
    /// The linear index whose code carries each instruction's operands (itself unless folded).
    var anchors: [Int32]
    /// Per linear index: the register this instruction reads from a fused producer
    /// rather than from its location, or -1.
    var fusedRead: [Int32]
    /// Per block: the instruction index of a read-modify-write (`memoryUpdate`) to emit
    /// last in the block, because the block's branch tests the same cell against zero
    /// and can use the flags it sets instead of reloading the cell; -1 for none.
    var flagSource: [Int32]

    init(_ function: Function, layout: BlockLayout, numbering: LinearNumbering, liveness: BlockLiveness) {
        shapes = [InstructionShape](repeating: .plain, count: numbering.count)
        anchors = (0..<numbering.count).map { Int32($0) }
        fusedRead = [Int32](repeating: -1, count: numbering.count)
        flagSource = [Int32](repeating: -1, count: function.blocks.count)
        let survives = Self.operandsLiveAfter(function, layout: layout, numbering: numbering, liveness: liveness)
        /// Whether the value operand `i` of linear index `k` reads is still needed after `k`.
        func needed(_ k: Int, _ i: Int) -> Bool { survives[k] & (1 << UInt8(min(i, 7))) != 0 }

        for b in layout.order {
            let block = function.blocks[b]
            let insts = block.instructions
            let base = numbering.first[b]
            let term = base + insts.count
            /// Whether the store at `k` is followed only by `compare eq/ne w, 0` of its value `w`
            /// (of the stored type, dead after it), on which the block's branch depends alone.
            func testedByBranch(_ k: Int) -> Bool {
                guard k + 2 == insts.count, case .store(let type, .reg(let w), _, _) = insts[k].op,
                      case .compare(let p, type, let c, .reg(w), .imm(0)) = insts[k + 1].op, p == .eq || p == .ne,
                      case .branch(.reg(c), _, _) = block.terminator, c != w,
                      !needed(base + k + 1, 0), !needed(term, 0) else { return false }
                return true
            }

            // Read-modify-write of one memory cell.
            var testedUpdate = -1  // a read-modify-write whose new value only the branch tests
            var j = 0
            while j + 2 < insts.count {
                if let v = Self.memoryUpdate(insts[j].op, insts[j + 1].op, insts[j + 2].op, function: function),
                   !needed(base + j + 1, Self.operandIndex(of: v, in: insts[j + 1].op)),
                   !needed(base + j + 2, 0) || testedByBranch(j + 2) {
                    if needed(base + j + 2, 0) { testedUpdate = j + 2 }
                    shapes[base + j] = .folded
                    shapes[base + j + 1] = .folded
                    shapes[base + j + 2] = .memoryUpdate
                    anchors[base + j] = Int32(base + j + 2)
                    anchors[base + j + 1] = Int32(base + j + 2)
                    fusedRead[base + j + 1] = Int32(v.index)
                    fusedRead[base + j + 2] = Int32(insts[j + 1].defined!.index)
                    j += 3
                } else {
                    j += 1
                }
            }

            // Compare feeding a trapIf right after it.
            for j in 0..<max(0, insts.count - 1) where shapes[base + j] == .plain && shapes[base + j + 1] == .plain {
                guard case .compare(_, _, let c, let lhs, let rhs) = insts[j].op,
                      case .trapIf(.reg(let cond), _) = insts[j + 1].op,
                      cond == c, lhs != .reg(c), rhs != .reg(c), !needed(base + j + 1, 0) else { continue }
                shapes[base + j] = .folded
                shapes[base + j + 1] = .compareTrap
                anchors[base + j] = Int32(base + j + 1)
                fusedRead[base + j + 1] = Int32(c.index)
                if j > 0, shapes[base + j - 1] == .plain, let a = Self.offsetAddress(insts[j - 1].op, in: function),
                   lhs == .reg(a), rhs.register == nil, !needed(base + j, 0) {
                    shapes[base + j - 1] = .folded
                    anchors[base + j - 1] = Int32(base + j + 1)
                    fusedRead[base + j] = Int32(a.index)
                }
            }

            // Compare feeding a select of two registers right after it.
            for j in 0..<max(0, insts.count - 1) where shapes[base + j] == .plain && shapes[base + j + 1] == .plain {
                guard case .compare(_, _, let c, let lhs, let rhs) = insts[j].op,
                      case .select(_, .reg(c), .reg(let t), .reg(let f)) = insts[j + 1].op,
                      lhs != .reg(c), rhs != .reg(c), t != c, f != c, !needed(base + j + 1, 0) else { continue }
                shapes[base + j] = .folded
                shapes[base + j + 1] = .compareSelect
                anchors[base + j] = Int32(base + j + 1)
                fusedRead[base + j + 1] = Int32(c.index)
            }

            // Compare (possibly of a loaded value) feeding the block's branch.
            if testedUpdate >= 0, case .compare(_, _, let c, _, _) = insts[testedUpdate + 1].op,
               let w = insts[testedUpdate - 1].defined {
                // `add byte [m], k; jne`: the branch uses the flags of the update's own result.
                let last = testedUpdate + 1
                shapes[base + last] = .folded
                anchors[base + last] = Int32(term)
                shapes[term] = .loadCompareBranch
                fusedRead[term] = Int32(c.index)
                fusedRead[base + last] = Int32(w.index)
                flagSource[b] = Int32(testedUpdate)
                continue
            }
            guard case .branch(.reg(let cond), _, _) = block.terminator, let last = insts.indices.last,
                  shapes[base + last] == .plain,
                  case .compare(_, let type, let c, let lhs, let rhs) = insts[last].op, c == cond,
                  lhs != .reg(c), rhs != .reg(c), !needed(term, 0)
            else { continue }
            shapes[base + last] = .folded
            anchors[base + last] = Int32(term)
            shapes[term] = .compareBranch
            fusedRead[term] = Int32(c.index)
            if last > 0, shapes[base + last - 1] == .plain, let a = Self.offsetAddress(insts[last - 1].op, in: function),
               lhs == .reg(a), rhs.register == nil, !needed(base + last, 0) {
                // A bounds check that branches to a trap path: `lea rax, [p + k]; cmp rax, L; jcc`.
                shapes[base + last - 1] = .folded
                anchors[base + last - 1] = Int32(term)
                fusedRead[base + last] = Int32(a.index)
                continue
            }
            guard last > 0, shapes[base + last - 1] == .plain, type != .i1,
                  case .load(let v, let address, _) = insts[last - 1].op, v != address,
                  let side = Self.loadComparandSide(v, lhs, rhs), !needed(base + last, side)
            else { continue }
            shapes[base + last - 1] = .folded
            anchors[base + last - 1] = Int32(term)
            shapes[term] = .loadCompareBranch
            fusedRead[base + last] = Int32(v.index)
            flagSource[b] = Int32(flagSourceUpdate(block, base: base))
        }
    }

    /// For a block ending in `branch (load [b+o]) ==/!= 0`: the last read-modify-write of
    /// that cell with an immediate, if only stores to other cells of the same base follow it.
    private func flagSourceUpdate(_ block: Block, base: Int) -> Int {
        let insts = block.instructions
        let n = insts.count
        guard case .load(_, let address, let offset) = insts[n - 2].op,
              case .compare(let p, let type, _, let lhs, let rhs) = insts[n - 1].op,
              p == .eq || p == .ne, lhs == .imm(0) || rhs == .imm(0) else { return -1 }
        func disjoint(_ o: Int64, _ t: IntType) -> Bool {
            o + Int64(t.bytes) <= offset || offset + Int64(type.bytes) <= o
        }
        var i = n - 3
        while i >= 0 {
            switch (shapes[base + i], insts[i].op) {
            case (.folded, _), (.dead, _):
                break
            case (.memoryUpdate, .store(let t, _, address, let o)):
                guard i >= 2, case .binary(_, _, let x, let y, _) = insts[i - 1].op else { return -1 }
                if o == offset && t == type {
                    // An immediate operand keeps every register's lifetime as the allocator saw it.
                    return x.register == nil || y.register == nil ? i : -1
                }
                if !disjoint(o, t) { return -1 }
            case (.plain, .store(let t, _, address, let o)):
                if !disjoint(o, t) { return -1 }
            default:
                return -1
            }
            i -= 1
        }
        return -1
    }

    /// Per linear index, bit `i`: whether the register operand `i` reads holds a
    /// value that is still needed after the instruction (it is live afterwards
    /// and the instruction does not overwrite it).
    private static func operandsLiveAfter(_ function: Function, layout: BlockLayout, numbering: LinearNumbering,
                                          liveness: BlockLiveness) -> [UInt8] {
        var survives = [UInt8](repeating: 0, count: numbering.count)
        var live = [Bool](repeating: false, count: function.registerTypes.count)
        var touched: [Int] = []
        for b in layout.order {
            let block = function.blocks[b]
            let base = numbering.first[b]
            liveness.forEachLiveOut(b) { v in
                live[v.index] = true
                touched.append(v.index)
            }
            let term = base + block.instructions.count
            if let v = block.terminator.readRegister {
                survives[term] = live[v.index] ? 1 : 0
                live[v.index] = true
                touched.append(v.index)
            }
            for j in stride(from: block.instructions.count - 1, through: 0, by: -1) {
                let op = block.instructions[j].op
                let defined = block.instructions[j].defined
                var bits: UInt8 = 0
                op.forEachRegister { i, v in
                    if live[v.index] && v != defined { bits |= 1 << UInt8(min(i, 7)) }
                }
                survives[base + j] = bits
                if let d = defined { live[d.index] = false }
                op.forEachRegister { _, v in
                    live[v.index] = true
                    touched.append(v.index)
                }
            }
            for i in touched { live[i] = false }
            touched.removeAll(keepingCapacity: true)
        }
        return survives
    }

    /// The position of `v` among the operands of `op` (0 if absent).
    /// The destination of `a = p + k` (unchecked, 64-bit, `k` an imm32, `a` not `p`), or nil.
    static func offsetAddress(_ op: Op, in function: Function) -> Var? {
        guard case .binary(.add, let a, .reg(let p), .imm(let k), false) = op, a != p, Int32(exactly: k) != nil,
              function.type(of: a) == .i64 else { return nil }
        return a
    }

    private static func operandIndex(of v: Var, in op: Op) -> Int {
        var index = -1
        op.forEachRegister { i, r in if r == v && index < 0 { index = i } }
        return max(index, 0)
    }

    /// For `load; op; store` that x86 can do as one read-modify-write instruction, the loaded register.
    private static func memoryUpdate(_ first: Op, _ second: Op, _ third: Op, function: Function) -> Var? {
        guard case .load(let v, let base, let offset) = first,
              case .binary(let op, let w, let lhs, let rhs, let checked) = second,
              case .store(let type, .reg(let stored), let storeBase, let storeOffset) = third,
              !checked, [.add, .sub, .and, .or, .xor].contains(op), type != .i1,
              stored == w, storeBase == base, storeOffset == offset, Int32(exactly: offset) != nil,
              v != base, w != base, function.type(of: v) == type, function.type(of: w) == type
        else { return nil }
        // The other operand: an immediate, or a register other than the fused ones.
        func other(_ o: Operand) -> Bool { o.register.map { $0 != v && $0 != w } ?? true }
        if lhs == .reg(v) && other(rhs) { return v }
        if op != .sub && rhs == .reg(v) && other(lhs) { return v }
        return nil
    }

    /// Which operand of a compare is `v`, when the other is an immediate that fits an x86 immediate.
    private static func loadComparandSide(_ v: Var, _ lhs: Operand, _ rhs: Operand) -> Int? {
        switch (lhs, rhs) {
        case (.reg(v), .imm(let k)): Int32(exactly: k) != nil ? 0 : nil
        case (.imm(let k), .reg(v)): Int32(exactly: k) != nil ? 1 : nil
        default: nil
        }
    }
}
