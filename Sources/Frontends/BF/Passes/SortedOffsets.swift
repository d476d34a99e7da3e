/// Sets of cell offsets as sorted arrays without repeats: the passes' sets
/// are small, and hashing every offset cost more than searching them.
extension Array where Element == Int {
    /// The index of the first element at least `x` in a sorted array (`count` if none).
    func firstIndexSorted(atLeast x: Int) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Whether a sorted array holds `x`.
    func containsSorted(_ x: Int) -> Bool {
        let i = firstIndexSorted(atLeast: x)
        return i < count && self[i] == x
    }

    /// Adds `x` to a sorted array without repeats, keeping it so.
    mutating func insertSorted(_ x: Int) {
        let i = firstIndexSorted(atLeast: x)
        if i == count || self[i] != x { insert(x, at: i) }
    }

    /// Removes `x` from a sorted array, if there.
    mutating func removeSorted(_ x: Int) {
        let i = firstIndexSorted(atLeast: x)
        if i < count && self[i] == x { remove(at: i) }
    }

    /// The union of two sorted arrays without repeats, sorted without repeats.
    func unionSorted(_ other: [Int]) -> [Int] {
        if other.isEmpty { return self }
        if isEmpty { return other }
        var out: [Int] = []
        out.reserveCapacity(count + other.count)
        var i = 0, j = 0
        while i < count && j < other.count {
            let x = self[i], y = other[j]
            if x < y {
                out.append(x); i += 1
            } else if y < x {
                out.append(y); j += 1
            } else {
                out.append(x); i += 1; j += 1
            }
        }
        out.append(contentsOf: self[i...])
        out.append(contentsOf: other[j...])
        return out
    }
}
