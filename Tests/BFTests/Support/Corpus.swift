import BFFrontend
import Foundation
import TestSupport

/// One program of the shared BF corpus with its side files.
struct CorpusProgram: CustomStringConvertible, Sendable {
    var name: String
    var source: [UInt8]
    var input: [UInt8]
    var expectedOutput: [UInt8]?
    /// From `NAME.args`, on top of the defaults.
    var arguments: String
    /// `error` or `trap` from `NAME.expect`, nil for a normal run.
    var expectation: String?

    var description: String { name }

    static func load(_ name: String, from dir: URL) -> CorpusProgram? {
        func bytes(_ ext: String) -> [UInt8]? {
            (try? Data(contentsOf: dir.appendingPathComponent("\(name).\(ext)"))).map { [UInt8]($0) }
        }
        func text(_ ext: String) -> String? {
            bytes(ext).map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        guard let source = bytes("bf") else { return nil }
        return CorpusProgram(name: name, source: source, input: bytes("in") ?? [], expectedOutput: bytes("out"),
                             arguments: text("args") ?? "", expectation: text("expect"))
    }

    /// Names of the corpus programs, sorted; empty when the corpus is absent.
    static var allNames: [String] {
        guard let dir = SharedData.bfCorpus,
              let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return files.filter { $0.hasSuffix(".bf") }.map { String($0.dropLast(3)) }.sorted()
    }

    /// Cost figures from the corpus's SOURCES.md table: steps (BF commands
    /// executed by a naive interpreter) and `ref` (seconds of the naive
    /// translation compiled by gcc). Either is nil where it says `n/m` or `-`.
    struct Cost: Sendable {
        var steps: Int?
        var seconds: Double?
    }

    static let costs: [String: Cost] = {
        guard let dir = SharedData.bfCorpus,
              let text = try? String(contentsOf: dir.appendingPathComponent("SOURCES.md"), encoding: .utf8) else { return [:] }
        var result: [String: Cost] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            // | name | source | author | stdin | needs | .out bytes | steps | max cell | ref | opt | notes |
            guard cells.count > 9, cells[1] != "name" else { continue }
            let steps = Int(cells[7].replacingOccurrences(of: ",", with: ""))
            let seconds = cells[9].split(separator: " ").first.flatMap { Double($0) }
            result[cells[1]] = Cost(steps: steps, seconds: seconds)
        }
        return result
    }()
}
