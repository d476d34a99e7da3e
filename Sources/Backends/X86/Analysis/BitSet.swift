/// A fixed-capacity set of small non-negative integers, one bit each.
/// Liveness keeps one per block, so it is a plain value type with in-place operations.
struct BitSet: Hashable {
    private(set) var words: [UInt64]

    init(capacity: Int) {
        words = [UInt64](repeating: 0, count: (capacity + 63) >> 6)
    }

    var capacity: Int { words.count << 6 }

    @inline(__always)
    func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    @inline(__always)
    mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }

    @inline(__always)
    mutating func remove(_ i: Int) { words[i >> 6] &= ~(1 << UInt64(i & 63)) }

    var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// `self ∪= other`; returns whether `self` grew.
    @discardableResult
    mutating func formUnion(_ other: BitSet) -> Bool {
        var changed = false
        for k in words.indices {
            let merged = words[k] | other.words[k]
            if merged != words[k] {
                words[k] = merged
                changed = true
            }
        }
        return changed
    }

    /// `self = gen ∪ (self − kill)`, the liveness transfer function.
    mutating func transfer(gen: BitSet, kill: BitSet) {
        for k in words.indices { words[k] = gen.words[k] | (words[k] & ~kill.words[k]) }
    }

    /// Calls `body` with every member, in increasing order.
    @inline(__always)
    func forEach(_ body: (Int) -> Void) {
        for (k, word) in words.enumerated() {
            var w = word
            while w != 0 {
                body(k << 6 + w.trailingZeroBitCount)
                w &= w - 1
            }
        }
    }

    /// The members, in increasing order.
    var elements: [Int] {
        var out: [Int] = []
        forEach { out.append($0) }
        return out
    }
}
