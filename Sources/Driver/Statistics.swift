/// Summary of repeated timings: mean ± standard deviation and the range.
public struct TimingSummary: Sendable, Hashable, Codable {
    public var mean: Double
    public var stddev: Double
    public var min: Double
    public var max: Double
    public var count: Int

    /// Summarises `seconds` (sample standard deviation; 0 for a single run).
    public init(_ seconds: [Double]) {
        count = seconds.count
        guard !seconds.isEmpty else {
            mean = 0; stddev = 0; min = 0; max = 0
            return
        }
        let m = seconds.reduce(0, +) / Double(seconds.count)
        mean = m
        min = seconds.min()!
        max = seconds.max()!
        if seconds.count > 1 {
            let variance = seconds.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(seconds.count - 1)
            stddev = variance.squareRoot()
        } else {
            stddev = 0
        }
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}

/// Formats a time in seconds with a unit that keeps 3–4 significant digits: `812.3 µs`, `1.204 s`.
public func formatSeconds(_ s: Double) -> String {
    let a = abs(s)
    func fmt(_ v: Double, _ unit: String) -> String {
        let digits = v >= 100 ? 1 : (v >= 10 ? 2 : 3)
        return String(format: "%.\(digits)f %@", v, unit)
    }
    if a >= 1 { return fmt(s, "s") }
    if a >= 1e-3 { return fmt(s * 1e3, "ms") }
    if a >= 1e-6 { return fmt(s * 1e6, "µs") }
    return fmt(s * 1e9, "ns")
}
