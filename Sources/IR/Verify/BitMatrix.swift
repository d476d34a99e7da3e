/// `rows` sets of indices below `columns`, stored in one flat array of words:
/// a dataflow updates one set per block per pass, and a separate array per set
/// would cost an allocation at each update.
struct BitMatrix {
    /// Words per row.
    let width: Int
    private(set) var words: [UInt64]

    init(rows: Int, columns: Int, full: Bool) {
        width = (columns + 63) / 64
        words = Array(repeating: full ? ~0 : 0, count: rows * width)
    }

    func contains(row r: Int, _ i: Int) -> Bool { words[r * width + i >> 6] & (1 << UInt64(i & 63)) != 0 }

    mutating func insert(row r: Int, _ i: Int) { words[r * width + i >> 6] |= 1 << UInt64(i & 63) }

    /// Row `r` becomes all indices (`full`) or none.
    mutating func fill(row r: Int, full: Bool) {
        for k in r * width..<(r + 1) * width { words[k] = full ? ~0 : 0 }
    }

    /// Row `r` becomes a copy of row `s` of `other` (of the same width).
    mutating func copy(row r: Int, from other: BitMatrix, row s: Int) {
        for k in 0..<width { words[r * width + k] = other.words[s * width + k] }
    }

    /// Row `r` keeps only the indices also in row `s` of `other`.
    mutating func intersect(row r: Int, with other: BitMatrix, row s: Int) {
        for k in 0..<width { words[r * width + k] &= other.words[s * width + k] }
    }

    /// Whether row `r` equals row `s` of `other`.
    func equals(row r: Int, _ other: BitMatrix, row s: Int) -> Bool {
        for k in 0..<width where words[r * width + k] != other.words[s * width + k] { return false }
        return true
    }
}
