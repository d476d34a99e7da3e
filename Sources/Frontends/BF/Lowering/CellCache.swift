import JitIR

/// Cells whose current values the lowering holds in registers, by offset from the tape pointer.
///
/// A cell update then reads the register instead of the memory, and still stores the new value
/// (the tape stays exact at every trap and exit). Code like factor's `[->+<[->+<[…]]]` ladder
/// thus chains register operations, not loads that each wait for the store before them.
///
/// Invariant: wherever an entry `offset → register` is present, the register holds the current
/// value of `cell[p + offset]`. Entries only come from an access of the cell, so a cached cell is
/// always on the tape. At a join only the pairs present on every incoming path survive.
struct CellCache: Equatable {
    /// Least recently used first.
    private(set) var entries: [(offset: Int, register: Var)] = []

    /// How many cells stay in registers at once: enough for the cells a loop body works on,
    /// few enough that the x86 allocator need not spill them.
    static let capacity = 6

    static let empty = CellCache()

    static func == (a: CellCache, b: CellCache) -> Bool {
        a.entries.elementsEqual(b.entries) { $0.offset == $1.offset && $0.register == $1.register }
    }

    /// The register holding `cell[p + offset]`, marked as used most recently.
    mutating func register(for offset: Int) -> Var? {
        guard let i = entries.firstIndex(where: { $0.offset == offset }) else { return nil }
        let entry = entries.remove(at: i)
        entries.append(entry)
        return entry.register
    }

    /// `register` now holds `cell[p + offset]` (replacing what held it before).
    mutating func hold(_ offset: Int, in register: Var) {
        entries.removeAll { $0.offset == offset || $0.register == register }
        entries.append((offset, register))
    }

    func holds(_ offset: Int) -> Bool { entries.contains { $0.offset == offset } }

    /// The register holding `cell[p + offset]`, leaving the order of use as it is.
    func peek(_ offset: Int) -> Var? { entries.first { $0.offset == offset }?.register }

    mutating func forget(_ offset: Int) {
        entries.removeAll { $0.offset == offset }
    }

    /// A register for a newly loaded cell: one of `pool` that holds no cell, else the least
    /// recently used one's (forgotten). Nil when the pool may still grow.
    mutating func freeRegister(in pool: [Var]) -> Var? {
        if let free = pool.first(where: { r in !entries.contains { $0.register == r } }) { return free }
        guard pool.count >= Self.capacity, !entries.isEmpty else { return nil }
        return entries.removeFirst().register
    }

    /// The entries whose offsets pass `isIncluded`, in the same order.
    func filter(_ isIncluded: (Int) -> Bool) -> CellCache {
        var c = self
        c.entries = entries.filter { isIncluded($0.offset) }
        return c
    }

    /// The same cells, seen after the pointer moved by `cells`.
    func shifted(by cells: Int) -> CellCache {
        var c = self
        c.entries = entries.map { ($0.offset - cells, $0.register) }
        return c
    }

    /// What holds on both of two paths that meet.
    func intersection(_ other: CellCache) -> CellCache {
        var c = self
        c.entries = entries.filter { e in other.entries.contains { $0.offset == e.offset && $0.register == e.register } }
        return c
    }
}
