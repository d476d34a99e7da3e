/// Shrinks a Brainfuck program while a predicate (the mismatch) still holds.
///
/// Delta debugging over the source: comments go first, then chunks of
/// commands from large to single characters, then bracket pairs (the pair
/// alone, keeping the body, or the whole loop). A candidate is only tried when
/// its brackets still match, so every candidate is a valid program.
public struct BFMinimizer {
    /// The most predicate evaluations to spend.
    public var budget: Int
    /// Called after every evaluation (the worker uses it as a heartbeat).
    public var onStep: () -> Void

    public init(budget: Int = 400, onStep: @escaping () -> Void = {}) {
        self.budget = budget
        self.onStep = onStep
    }

    /// The smallest variant of `source` found for which `failing` holds;
    /// `source` itself when nothing smaller does.
    public func minimize(_ source: [UInt8], failing: ([UInt8]) -> Bool) -> [UInt8] {
        var best = source
        var spent = 0
        func attempt(_ candidate: [UInt8]) -> Bool {
            guard spent < budget, candidate.count < best.count, Self.balanced(candidate) else { return false }
            spent += 1
            defer { onStep() }
            if failing(candidate) {
                best = candidate
                return true
            }
            return false
        }
        let commands = Set("+-<>[].,".utf8)
        _ = attempt(best.filter { commands.contains($0) })
        var progress = true
        while progress && spent < budget {
            progress = false
            // Chunks, halving the size down to one command.
            var size = max(1, best.count / 2)
            while size >= 1 && spent < budget {
                var start = 0
                while start < best.count && spent < budget {
                    let end = min(best.count, start + size)
                    if attempt(Array(best[..<start] + best[end...])) {
                        progress = true
                    } else {
                        start += size
                    }
                }
                size /= 2
            }
            // Bracket pairs: unwrap the loop, or drop it with its body.
            var i = 0
            while i < best.count && spent < budget {
                if best[i] == UInt8(ascii: "["), let j = Self.match(best, i) {
                    let unwrapped = Array(best[..<i] + best[(i + 1)..<j] + best[(j + 1)...])
                    let dropped = Array(best[..<i] + best[(j + 1)...])
                    if attempt(dropped) || attempt(unwrapped) {
                        progress = true
                        continue
                    }
                }
                i += 1
            }
        }
        return best
    }

    /// Whether every `[` has its `]` (comments ignored).
    static func balanced(_ s: [UInt8]) -> Bool {
        var depth = 0
        for c in s {
            if c == UInt8(ascii: "[") { depth += 1 }
            if c == UInt8(ascii: "]") {
                depth -= 1
                if depth < 0 { return false }
            }
        }
        return depth == 0
    }

    /// The index of the `]` matching the `[` at `i`.
    static func match(_ s: [UInt8], _ i: Int) -> Int? {
        var depth = 0
        for k in i..<s.count {
            if s[k] == UInt8(ascii: "[") { depth += 1 }
            if s[k] == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return k }
            }
        }
        return nil
    }
}
