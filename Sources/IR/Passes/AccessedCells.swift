/// The memory a function has accessed, on every path, through its pointer register: the cells a
/// later access of the same place cannot trap on, since the first access would have trapped (or
/// faulted in a guard region) at its own position.
///
/// The pointer is the base register of the function's first memory access, and the cells are
/// accesses of that access's width; it may move by constants (`p = add p, k`), as a Brainfuck tape
/// pointer does, and any other assignment forgets what was known through it. A forward data flow
/// over the blocks, met by intersection.
struct AccessedCells {
    let pointer: Var
    let width: Int
    /// Per block: the offsets from the pointer at the block's start that every path there has
    /// accessed; nil for a block no path reaches.
    private(set) var atEntry: [Cells?]

    /// What is known at one point of a block: offsets from the pointer at the block's start (or
    /// where the pointer was last assigned otherwise), and how far it has moved since.
    struct State {
        var cells: Cells
        var moved: Int64 = 0

        func contains(_ offset: Int64) -> Bool { cells.contains(offset &+ moved) }
        /// The cells as offsets from the pointer here.
        var here: Cells { cells.shifted(by: 0 &- moved) }
    }

    /// A set of offsets, sorted: small, and met and shifted without hashing.
    struct Cells: Equatable {
        private(set) var offsets: [Int64] = []

        func contains(_ x: Int64) -> Bool { index(of: x).found }

        mutating func insert(_ x: Int64) {
            let (i, found) = index(of: x)
            if !found { offsets.insert(x, at: i) }
        }

        /// The offsets within `reach` of 0.
        func near(_ reach: Int64) -> Cells {
            offsets.allSatisfy({ abs($0) <= reach }) ? self : Cells(offsets: offsets.filter { abs($0) <= reach })
        }

        func shifted(by k: Int64) -> Cells {
            k == 0 ? self : Cells(offsets: offsets.map { $0 &+ k })
        }

        func intersection(_ other: Cells) -> Cells {
            var out: [Int64] = []
            var i = 0, j = 0
            while i < offsets.count && j < other.offsets.count {
                if offsets[i] == other.offsets[j] {
                    out.append(offsets[i])
                    i += 1
                    j += 1
                } else if offsets[i] < other.offsets[j] {
                    i += 1
                } else {
                    j += 1
                }
            }
            return Cells(offsets: out)
        }

        private func index(of x: Int64) -> (Int, found: Bool) {
            var lo = 0, hi = offsets.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if offsets[mid] < x { lo = mid + 1 } else { hi = mid }
            }
            return (lo, lo < offsets.count && offsets[lo] == x)
        }
    }

    /// Nil when the function accesses no memory.
    init?(_ f: Function) {
        var first: (Var, Int)?
        search: for block in f.blocks {
            for inst in block.instructions {
                if let access = Self.access(inst.op, types: f.registerTypes) {
                    first = (access.base, access.width)
                    break search
                }
            }
        }
        guard let (pointer, width) = first else { return nil }
        self.pointer = pointer
        self.width = width
        atEntry = []
        atEntry = solve(f)
    }

    /// The base, offset and width of a load or store.
    static func access(_ op: Op, types: [IntType]) -> (base: Var, offset: Int64, width: Int)? {
        switch op {
        case .store(let t, _, let base, let offset): (base, offset, t.bytes)
        case .load(let d, let base, let offset): types.indices.contains(d.index) ? (base, offset, types[d.index].bytes) : nil
        default: nil
        }
    }

    /// The offset of `op`'s cell from the pointer, when it is a load or store of a tracked cell.
    func cell(_ op: Op, types: [IntType]) -> Int64? {
        guard let a = Self.access(op, types: types), a.base == pointer, a.width == width else { return nil }
        return a.offset
    }

    /// The state after `inst`.
    func step(_ state: inout State, _ inst: Instruction, types: [IntType]) {
        if let offset = cell(inst.op, types: types) { state.cells.insert(offset &+ state.moved) }
        guard inst.defined == pointer else { return }
        if let amount = inst.op.constantMove(of: pointer) {
            state.moved = state.moved &+ amount
        } else {
            state = State(cells: Cells())
        }
    }

    /// Cells farther than this many bytes from the pointer are not carried from block to block,
    /// and a block met more often than `visitsBeforeGivingUp` starts knowing nothing: the analysis
    /// stays linear in practice, for what a nearby access needs.
    static let reach: Int64 = 256
    static let visitsBeforeGivingUp: UInt8 = 2

    private func solve(_ f: Function) -> [Cells?] {
        let n = f.blocks.count
        var predecessors = [[Int]](repeating: [], count: n)
        for (b, block) in f.blocks.enumerated() {
            block.terminator.forEachSuccessor { s in if s >= 0 && s < n { predecessors[s].append(b) } }
        }
        var entries = [Cells?](repeating: nil, count: n)
        var exits = [Cells?](repeating: nil, count: n)
        var work = [0], queued = [Bool](repeating: false, count: n)
        var visits = [UInt8](repeating: 0, count: n)
        queued[0] = true
        while let b = work.popLast() {
            queued[b] = false
            visits[b] &+= 1
            var entry: Cells? = b == 0 ? Cells() : nil
            if visits[b] > Self.visitsBeforeGivingUp {
                entry = Cells()  // knowing nothing here is always sound, and ends the iteration
            } else {
                for p in predecessors[b] {
                    guard let out = exits[p] else { continue }
                    entry = entry.map { $0.intersection(out) } ?? out
                }
            }
            guard let start = entry else { continue }
            entries[b] = start
            var state = State(cells: start)
            for inst in f.blocks[b].instructions { step(&state, inst, types: f.registerTypes) }
            let exit = state.here.near(Self.reach)
            guard exit != exits[b] else { continue }
            exits[b] = exit
            f.blocks[b].terminator.forEachSuccessor { s in
                if s >= 0 && s < n && !queued[s] {
                    queued[s] = true
                    work.append(s)
                }
            }
        }
        return entries
    }
}

extension Op {
    /// How far `d = add d, k` (or `d = sub d, k`) moves `d`; nil for any other operation.
    func constantMove(of d: Var) -> Int64? {
        guard case .binary(let k, d, .reg(d), .imm(let amount), false) = self, k == .add || k == .sub else { return nil }
        return k == .add ? amount : 0 &- amount
    }
}
