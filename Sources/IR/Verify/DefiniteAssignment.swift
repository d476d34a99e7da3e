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
        // The successors of block b are successors[successorStart[b]..<successorStart[b + 1]]:
        // built once, since the walk below asks for them at every step.
        var successorStart = [Int]()
        successorStart.reserveCapacity(blockCount + 1)
        var successors = [Int]()
        for block in f.blocks {
            successorStart.append(successors.count)
            for s in block.terminator.successors where s.index >= 0 && s.index < blockCount { successors.append(s.index) }
        }
        successorStart.append(successors.count)

        // Reverse post-order of the reachable blocks makes the iteration converge fast.
        var visited = Array(repeating: false, count: blockCount)
        var postOrder: [Int] = []
        var stack: [(block: Int, next: Int)] = [(0, successorStart[0])]
        visited[0] = true
        while let top = stack.last {
            if top.next < successorStart[top.block + 1] {
                stack[stack.count - 1].next += 1
                let s = successors[top.next]
                if !visited[s] {
                    visited[s] = true
                    stack.append((s, successorStart[s]))
                }
            } else {
                postOrder.append(top.block)
                stack.removeLast()
            }
        }
        let order = Array(postOrder.reversed())
        var predecessors = Array(repeating: [Int](), count: blockCount)
        for b in order { for s in successors[successorStart[b]..<successorStart[b + 1]] { predecessors[s].append(b) } }

        // What each reachable instruction reads and assigns, gathered once in
        // flat arrays, in one pass over the blocks: the checks below visit every
        // instruction twice. Instruction j of block b is i = instructionStart[b] + j
        // (unreachable blocks have none); it reads reads[readStart[i]..<readStart[i + 1]]
        // and assigns defined[i] (-1: nothing, or a register out of range).
        var instructionStart = Array(repeating: 0, count: blockCount + 1)
        var readStart: [Int] = [0]
        var reads: [Var] = []
        var defined: [Int] = []
        // Block b's terminator reads terminatorReads[terminatorStart[b]..<terminatorStart[b + 1]].
        var terminatorStart = Array(repeating: 0, count: blockCount + 1)
        var terminatorReads: [Var] = []
        for (b, block) in f.blocks.enumerated() {
            instructionStart[b] = defined.count
            terminatorStart[b] = terminatorReads.count
            guard visited[b] else { continue }
            for i in block.instructions {
                i.forEachRead { reads.append($0) }
                readStart.append(reads.count)
                defined.append(i.defined.map { inRange($0) ? $0.index : -1 } ?? -1)
            }
            for case .reg(let v) in block.terminator.operands { terminatorReads.append(v) }
        }
        instructionStart[blockCount] = defined.count
        terminatorStart[blockCount] = terminatorReads.count

        // Only registers read before any assignment in their own block can be
        // unassigned; the dataflow tracks just those, densely renumbered, which
        // keeps it small for frontends that use most registers block-locally.
        // `tracked` and `assignedIn` are indexed by register (-1: none), as every
        // register is looked up for every instruction.
        var tracked = Array(repeating: -1, count: n)
        var trackedCount = 0
        var assignedIn = Array(repeating: -1, count: n)
        for b in order {
            func read(_ v: Var) {
                if inRange(v) && assignedIn[v.index] != b && tracked[v.index] < 0 {
                    tracked[v.index] = trackedCount
                    trackedCount += 1
                }
            }
            for i in instructionStart[b]..<instructionStart[b + 1] {
                for v in reads[readStart[i]..<readStart[i + 1]] { read(v) }
                if defined[i] >= 0 { assignedIn[defined[i]] = b }
            }
            for v in terminatorReads[terminatorStart[b]..<terminatorStart[b + 1]] { read(v) }
        }
        if trackedCount == 0 { return [] }
        func trackedIndex(_ v: Var) -> Int? { inRange(v) && tracked[v.index] >= 0 ? tracked[v.index] : nil }
        var assigns = Array(repeating: [Int](), count: blockCount)
        for b in order {
            for i in instructionStart[b]..<instructionStart[b + 1] where defined[i] >= 0 && tracked[defined[i]] >= 0 {
                assigns[b].append(tracked[defined[i]])
            }
        }

        var onEntry = BitMatrix(rows: 1, columns: trackedCount, full: false)
        for p in f.parameters { if let t = trackedIndex(p) { onEntry.insert(row: 0, t) } }
        var atEnd = BitMatrix(rows: blockCount, columns: trackedCount, full: true)
        /// Row 0 of `s` becomes what holds at the start of block b.
        func atStart(_ b: Int, into s: inout BitMatrix) {
            if b == 0 { s.copy(row: 0, from: onEntry, row: 0) } else { s.fill(row: 0, full: true) }
            for p in predecessors[b] { s.intersect(row: 0, with: atEnd, row: p) }
        }

        var s = BitMatrix(rows: 1, columns: trackedCount, full: false)
        var changed = true
        while changed {
            changed = false
            for b in order {
                atStart(b, into: &s)
                for t in assigns[b] { s.insert(row: 0, t) }
                if !atEnd.equals(row: b, s, row: 0) {
                    atEnd.copy(row: b, from: s, row: 0)
                    changed = true
                }
            }
        }

        var found: [Violation] = []
        for b in order.sorted() {
            atStart(b, into: &s)
            func unassigned(_ v: Var) -> Bool {
                guard let t = trackedIndex(v) else { return false }
                return !s.contains(row: 0, t)
            }
            let first = instructionStart[b]
            for i in first..<instructionStart[b + 1] {
                let k = i - first
                var reported: Set<Var> = []
                for v in reads[readStart[i]..<readStart[i + 1]] where unassigned(v) && reported.insert(v).inserted {
                    found.append(Violation(block: b, instruction: k, register: v))
                }
                if defined[i] >= 0 && tracked[defined[i]] >= 0 { s.insert(row: 0, tracked[defined[i]]) }
            }
            for v in terminatorReads[terminatorStart[b]..<terminatorStart[b + 1]] where unassigned(v) {
                found.append(Violation(block: b, instruction: nil, register: v))
            }
        }
        return found
    }
}
