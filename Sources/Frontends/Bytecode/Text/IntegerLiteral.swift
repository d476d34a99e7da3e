/// Python-style integer literals: an optional sign, then decimal digits or a
/// `0x`/`0o`/`0b` prefix with its digits, `_` allowed between digits; also
/// `True` and `False`.
enum IntegerLiteral {
    enum Parsed: Equatable {
        case value(Int64)
        /// A well-formed integer outside the int64 range.
        case outOfRange
        case invalid
    }

    static func parse<S: StringProtocol>(_ text: S) -> Parsed {
        if text == "True" { return .value(1) }
        if text == "False" { return .value(0) }
        var chars = Substring(text)
        var negative = false
        if let c = chars.first, c == "+" || c == "-" {
            negative = c == "-"
            chars = chars.dropFirst()
        }
        var radix: UInt64 = 10
        let lower = chars.lowercased()
        if lower.hasPrefix("0x") { radix = 16 } else if lower.hasPrefix("0o") { radix = 8 } else if lower.hasPrefix("0b") { radix = 2 }
        if radix != 10 {
            chars = chars.dropFirst(2)
            if chars.first == "_" { chars = chars.dropFirst() }  // Python allows 0x_ff
        }
        guard let first = chars.first, first != "_", chars.last != "_", !chars.contains("__") else { return .invalid }
        if radix == 10 && first == "0" && chars.contains(where: { $0 != "0" && $0 != "_" }) {
            return .invalid  // Python rejects leading zeros such as 007
        }
        var magnitude: UInt64 = 0
        var overflow = false
        for c in chars where c != "_" {
            guard let d = c.hexDigitValue, UInt64(d) < radix else { return .invalid }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: radix)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            overflow = overflow || o1 || o2
            magnitude = s
        }
        let limit: UInt64 = negative ? 1 << 63 : (1 << 63) - 1
        if overflow || magnitude > limit { return .outOfRange }
        return .value(negative ? Int64(bitPattern: 0 &- magnitude) : Int64(magnitude))
    }
}
