/// What one entry of CPython's value stack holds, as far as the translation
/// needs to know. Ints map to slots of our stack; a range occupies three
/// (`[current, stop, step]`, what `FOR_RANGE` steps); names of callables and
/// CPython's NULL markers exist only at translation time.
enum CPythonEntry: Hashable, CustomStringConvertible {
    case value
    case null
    case callable(String)
    /// The result of `range(...)`.
    case range
    /// `iter(range(...))`: the same three slots.
    case iterator
    /// What FOR_ITER leaves for END_FOR when a loop ends (3.12+): our FOR_RANGE has already popped it.
    case spent
    /// `BUILD_TUPLE n` of ints, kept as n slots until unpacked.
    case tuple(Int)

    var slots: Int {
        switch self {
        case .value: 1
        case .range, .iterator: 3
        case .tuple(let n): n
        case .null, .callable, .spent: 0
        }
    }

    var description: String {
        switch self {
        case .value: "int"
        case .null: "NULL"
        case .callable(let f): "function \(f)"
        case .range: "range object"
        case .iterator: "range iterator"
        case .spent: "finished iterator"
        case .tuple: "tuple"
        }
    }
}

/// SWAP sequences that rearrange the top slots of our stack.
enum SlotPermutation {
    /// SWAPs turning the slot order `current` into `target` (both bottom to top,
    /// the same elements): each step swaps the top with a deeper slot.
    static func swaps<T: Equatable>(from current: [T], to target: [T]) -> [BytecodeOp] {
        var cur = current
        let w = cur.count
        var ops: [BytecodeOp] = []
        for p in 0..<w where cur[p] != target[p] {
            guard let q = cur.firstIndex(of: target[p]) else { continue }
            if q != w - 1 {
                ops.append(.swap(w - q))
                cur.swapAt(q, w - 1)
            }
            ops.append(.swap(w - p))
            cur.swapAt(p, w - 1)
        }
        return ops
    }
}
