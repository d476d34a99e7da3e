/// A fixed-size set of register indices.
struct RegisterSet: Equatable {
    private(set) var words: [UInt64]

    init(count: Int, full: Bool) {
        words = Array(repeating: full ? ~0 : 0, count: (count + 63) / 64)
    }

    func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }

    mutating func formIntersection(_ other: RegisterSet) {
        for k in words.indices { words[k] &= other.words[k] }
    }
}

/// Finds reads of registers that are not assigned on every path from the
/// entry to the read (parameters count as assigned on entry). The classic
/// forward "must" dataflow: a register is assigned at the start of a block
/// when it is assigned at the end of every reachable predecessor. Unreachable
/// blocks never execute, so their reads are not checked.
struct DefiniteAssignment {
    /// A read of `register` before any assignment; `instruction` is nil for the terminator.
    struct Violation: Equatable {
        var block: Int
        var instruction: Int?
        var register: Var
    }

    static func violations(in f: Function) -> [Violation] {
        let n = f.registerTypes.count
        let blockCount = f.blocks.count
        guard blockCount > 0 else { return [] }
        func inRange(_ v: Var) -> Bool { v.index >= 0 && v.index < n }
        func successors(_ b: Int) -> [Int] {
            f.blocks[b].terminator.successors.map(\.index).filter { $0 >= 0 && $0 < blockCount }
        }

        // Reverse post-order of the reachable blocks makes the iteration converge fast.
        var visited = Array(repeating: false, count: blockCount)
        var postOrder: [Int] = []
        var stack: [(block: Int, next: Int)] = [(0, 0)]
        visited[0] = true
        while let top = stack.last {
            let succ = successors(top.block)
            if top.next < succ.count {
                stack[stack.count - 1].next += 1
                let s = succ[top.next]
                if !visited[s] {
                    visited[s] = true
                    stack.append((s, 0))
                }
            } else {
                postOrder.append(top.block)
                stack.removeLast()
            }
        }
        let order = postOrder.reversed()
        var predecessors = Array(repeating: [Int](), count: blockCount)
        for b in order { for s in successors(b) { predecessors[s].append(b) } }

        // Only registers read before any assignment in their own block can be
        // unassigned; the dataflow tracks just those, densely renumbered, which
        // keeps it small for frontends that use most registers block-locally.
        var tracked: [Int: Int] = [:]
        for b in order {
            var local = Set<Int>()
            func read(_ v: Var) {
                if inRange(v) && !local.contains(v.index) && tracked[v.index] == nil { tracked[v.index] = tracked.count }
            }
            for i in f.blocks[b].instructions {
                i.used.forEach(read)
                if let d = i.defined { local.insert(d.index) }
            }
            f.blocks[b].terminator.operands.compactMap(\.register).forEach(read)
        }
        if tracked.isEmpty { return [] }
        let m = tracked.count
        var assigns = Array(repeating: [Int](), count: blockCount)
        for b in order {
            for i in f.blocks[b].instructions {
                if let d = i.defined, let t = tracked[d.index] { assigns[b].append(t) }
            }
        }

        var onEntry = RegisterSet(count: m, full: false)
        for p in f.parameters { if let t = tracked[p.index] { onEntry.insert(t) } }
        var atEnd = Array(repeating: RegisterSet(count: m, full: true), count: blockCount)
        func atStart(_ b: Int) -> RegisterSet {
            var s = b == 0 ? onEntry : RegisterSet(count: m, full: true)
            for p in predecessors[b] { s.formIntersection(atEnd[p]) }
            return s
        }

        var changed = true
        while changed {
            changed = false
            for b in order {
                var s = atStart(b)
                for t in assigns[b] { s.insert(t) }
                if s != atEnd[b] {
                    atEnd[b] = s
                    changed = true
                }
            }
        }

        var found: [Violation] = []
        for b in order.sorted() {
            var s = atStart(b)
            func unassigned(_ v: Var) -> Bool {
                guard let t = tracked[v.index] else { return false }
                return !s.contains(t)
            }
            for (k, i) in f.blocks[b].instructions.enumerated() {
                var reported: Set<Var> = []
                for v in i.used where unassigned(v) && reported.insert(v).inserted {
                    found.append(Violation(block: b, instruction: k, register: v))
                }
                if let d = i.defined, let t = tracked[d.index] { s.insert(t) }
            }
            for case .reg(let v) in f.blocks[b].terminator.operands where unassigned(v) {
                found.append(Violation(block: b, instruction: nil, register: v))
            }
        }
        return found
    }
}
