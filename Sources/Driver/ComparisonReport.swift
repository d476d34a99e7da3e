import Foundation
import JitIR

/// Renderings of a `Comparison`: the terminal table, JSON and Markdown.
extension Comparison {
    /// The table `jitctl compare` prints: one row per backend and phase.
    public func table() -> String {
        var rows: [[String]] = [["backend", "phase", "mean ± σ", "min … max", "outcome"]]
        for b in backends {
            for (i, phase) in Phase.allCases.enumerated() {
                guard let t = b.timings[phase]?.summary else { continue }
                rows.append([
                    i == 0 ? b.name : "",
                    phase.title,
                    t.max == 0 ? "—" : "\(formatSeconds(t.mean)) ± \(formatSeconds(t.stddev))",
                    t.max == 0 ? "(no such phase)" : "\(formatSeconds(t.min)) … \(formatSeconds(t.max))",
                    i == 0 ? b.outcome.summary + (b.matchesReference ? "" : "  ✗ differs") : "",
                ])
            }
            if let row = tierUpRow(b) { rows.append(["", "moved to LLVM at", row.mean, row.range, row.note]) }
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        return ([lines[0], rule] + lines.dropFirst()).joined(separator: "\n")
    }

    /// The JSON document `--export-json` writes (schema in the README).
    public func json() throws -> Data {
        func phases(_ b: BackendReport) -> [String: Any] {
            var out: [String: Any] = [:]
            for (phase, t) in b.timings {
                out[phase.rawValue] = [
                    "runs": t.runs, "mean": t.summary.mean, "stddev": t.summary.stddev,
                    "min": t.summary.min, "max": t.summary.max,
                ] as [String: Any]
            }
            return out
        }
        let doc: [String: Any] = [
            "schema": "jitctl-compare/1",
            "program": path,
            "runs": runs,
            "warmup": warmup,
            "allMatch": allMatch,
            "summary": summaryLines,
            "mismatch": mismatch.map { m -> Any in
                [
                    "reference": m.reference, "other": m.other, "aspect": m.aspect,
                    "offset": m.offset.map { $0 as Any } ?? NSNull(),
                    "referenceContext": m.referenceContext, "otherContext": m.otherContext,
                ] as [String: Any]
            } ?? NSNull(),
            "backends": backends.map { b -> [String: Any] in
                [
                    "name": b.name,
                    "exitStatus": b.outcome.exitStatus,
                    "returnValue": b.outcome.value.map { $0 as Any } ?? NSNull(),
                    "trap": b.outcome.trap.map { t -> Any in
                        ["kind": t.kind.rawValue, "line": Int(t.loc.line), "column": Int(t.loc.column),
                         "function": t.function, "message": t.kind.message] as [String: Any]
                    } ?? NSNull(),
                    "stdoutBytes": b.outcome.stdout.count,
                    "stdoutSHA256": SHA256.hex(b.outcome.stdout),
                    "matchesReference": b.matchesReference,
                    "phases": phases(b),
                    "tierUp": b.tierUp.map { t -> Any in
                        ["movedAt": t.runs, "runsThatMoved": b.tierUpRuns, "mean": t.summary.mean] as [String: Any]
                    } ?? NSNull(),
                ]
            },
        ]
        return try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
    }

    /// A Markdown table of the same figures (`--export-markdown`).
    public func markdown() -> String {
        var s = "| backend | phase | mean ± σ | min … max | outcome |\n|---|---|---|---|---|\n"
        for b in backends {
            for phase in Phase.allCases {
                guard let t = b.timings[phase]?.summary else { continue }
                s += "| \(b.name) | \(phase.title) | \(formatSeconds(t.mean)) ± \(formatSeconds(t.stddev)) | "
                s += "\(formatSeconds(t.min)) … \(formatSeconds(t.max)) | \(b.outcome.summary)\(b.matchesReference ? "" : " ✗") |\n"
            }
            if let row = tierUpRow(b) { s += "| \(b.name) | moved to LLVM at | \(row.mean) | \(row.range) | \(row.note) |\n" }
        }
        if !summaryLines.isEmpty { s += "\n" + summaryLines.map { "- \($0)" }.joined(separator: "\n") + "\n" }
        if let mismatch { s += "\n**Mismatch:** \(mismatch.description)\n" }
        return s
    }
}

extension Comparison {
    /// The `auto` row: when runs moved to LLVM's code (from the start of the run phase).
    func tierUpRow(_ b: BackendReport) -> (mean: String, range: String, note: String)? {
        guard b.name == BackendKind.auto.rawValue || b.tierUp != nil else { return nil }
        guard let t = b.tierUp?.summary else { return ("—", "—", "no run moved (nothing ran long enough)") }
        return ("\(formatSeconds(t.mean)) ± \(formatSeconds(t.stddev))", "\(formatSeconds(t.min)) … \(formatSeconds(t.max))",
                "in \(b.tierUpRuns) of \(runs) runs")
    }
}

extension Outcome {
    /// `exit 0, 6240 B, sha256 1f2e…` or `trap out_of_bounds at 3:4`.
    public var summary: String {
        var parts = ["exit \(exitStatus)"]
        if let value { parts.append("returned \(value)") }
        if let trap { parts.append("trap \(trap.kind.rawValue) at \(trap.loc)") }
        parts.append("\(stdout.count) B out, sha256 \(SHA256.hex(stdout).prefix(8))")
        return parts.joined(separator: ", ")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
