import BFFrontend
import Foundation
import JitIR

/// The standalone files the fuzzer saves and the regression corpus replays.
///
/// - `.ir`: the module in IR text form (docs/IR.md §9), preceded by `;`
///   comment lines: `; run: @main(1, -2)` (the call, as in §10) and
///   `; input: "\x01a"` (what `getbyte` reads).
/// - `.bf`: the program, preceded by one header line such as
///   `jitctl fuzz: cell bits 16 eof minusone tape size 9 input hex 01ff`. It
///   holds none of the eight command characters, so it is a comment to every
///   Brainfuck implementation and the file runs as it is.
/// - `.py`: the functions, preceded by `# call: f(1, 2)` and, when CPython's
///   answer is known, `# cpython: 42` (or the name of the trap it implies).
public enum ReproducerFormat {
    // MARK: IR

    /// The `.ir` file: `notes` as comments, the call, the input, the module.
    public static func irText(_ p: GeneratedIRProgram, notes: [String] = []) -> String {
        var s = notes.map { "; \($0)\n" }.joined()
        let args = p.arguments.map(String.init).joined(separator: ", ")
        s += "; run: @\(p.entry)(\(args))\n"
        if !p.input.isEmpty { s += "; input: \"\(escape(p.input))\"\n" }
        s += "; reproduce: jitctl compare FILE --call '\(p.entry)(\(args))' --backends interp,x86,llvm\n"
        return s + IRText.print(p.module)
    }

    /// Reads an `.ir` reproducer back: the module is verified, never guarded
    /// (a fuzzer's modules keep their accesses in range by construction).
    public static func parseIR(_ text: String, file: String) throws -> GeneratedIRProgram {
        let module = try IRText.parse(text, file: file)
        try IRVerifier.verify(module)
        var entry = "main", arguments: [Int64] = [], input: [UInt8] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("; run:") {
                let call = t.dropFirst("; run:".count).trimmingCharacters(in: .whitespaces)
                guard call.hasPrefix("@"), let open = call.firstIndex(of: "("), let close = call.lastIndex(of: ")") else {
                    throw SourceError(file: file, loc: .unknown, message: "malformed '; run:' line: \(t)")
                }
                entry = String(call[call.index(after: call.startIndex)..<open])
                let inner = call[call.index(after: open)..<close]
                arguments = try inner.split(separator: ",").map {
                    guard let v = Int64($0.trimmingCharacters(in: .whitespaces)) else {
                        throw SourceError(file: file, loc: .unknown, message: "bad argument '\($0)' in: \(t)")
                    }
                    return v
                }
            } else if t.hasPrefix("; input:") {
                let quoted = t.dropFirst("; input:".count).trimmingCharacters(in: .whitespaces)
                guard quoted.count >= 2, quoted.hasPrefix("\""), quoted.hasSuffix("\"") else {
                    throw SourceError(file: file, loc: .unknown, message: "malformed '; input:' line: \(t)")
                }
                input = unescape(String(quoted.dropFirst().dropLast()))
            }
        }
        return GeneratedIRProgram(module: module, entry: entry, arguments: arguments, input: input)
    }

    // MARK: Brainfuck

    static let bfHeaderPrefix = "jitctl fuzz:"

    /// The `.bf` file: the header line with the dialect and input, then the source.
    public static func bfText(_ p: GeneratedBFProgram, note: String = "") -> [UInt8] {
        let eof = p.options.eof == .minusOne ? "minusone" : p.options.eof.rawValue
        let hex = p.input.map { String(format: "%02x", $0) }.joined()
        var header = "\(bfHeaderPrefix) cell bits \(p.options.cellBits) eof \(eof) tape size \(p.options.tapeSize)"
        if !hex.isEmpty { header += " input hex \(hex)" }
        let commands = Set("+-<>[].,")
        let cleanNote = String(note.filter { !commands.contains($0) && $0 != "\n" })
        if !cleanNote.isEmpty { header += " (\(cleanNote))" }
        return Array((header + "\n").utf8) + p.source
    }

    /// Reads a `.bf` file: the dialect and input from its header line when it
    /// has one (otherwise the defaults, with a 30,000-cell tape and no input).
    public static func parseBF(_ bytes: [UInt8]) -> GeneratedBFProgram {
        var options = BFOptions(tapeSize: 30_000)
        var input: [UInt8] = []
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        if let line = text.split(separator: "\n").first(where: { $0.contains(bfHeaderPrefix) }) {
            let words = line.split(separator: " ").map(String.init)
            func after(_ a: String, _ b: String) -> String? {
                guard let i = words.indices.first(where: { $0 + 2 < words.count && words[$0] == a && words[$0 + 1] == b })
                else { return nil }
                return words[i + 2]
            }
            if let bits = after("cell", "bits").flatMap({ Int($0) }) { options.cellBits = bits }
            if let size = after("tape", "size").flatMap({ Int($0) }) { options.tapeSize = size }
            if let i = words.firstIndex(of: "eof"), i + 1 < words.count {
                options.eof = words[i + 1] == "minusone" ? .minusOne : BFOptions.EOFMode(rawValue: words[i + 1]) ?? .unchanged
            }
            if let hex = after("input", "hex") {
                var bytes: [UInt8] = []
                var chars = Array(hex)
                while chars.count >= 2, let b = UInt8(String(chars[0...1]), radix: 16) {
                    bytes.append(b)
                    chars.removeFirst(2)
                }
                input = bytes
            }
        }
        return GeneratedBFProgram(source: bytes, options: options, input: input)
    }

    // MARK: Python

    /// The `.py` file: the call, CPython's answer, notes, then the functions.
    public static func pythonText(functions: String, call: String, expected: String?, notes: [String] = []) -> String {
        var s = notes.map { "# \($0)\n" }.joined()
        s += "# call: \(call)\n"
        if let expected { s += "# cpython: \(expected)\n" }
        return s + "\n" + functions
    }

    /// The `# call:` and `# cpython:` lines of a `.py` reproducer.
    public static func parsePython(_ text: String) -> (call: String?, expected: String?) {
        var call: String?, expected: String?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# call:") { call = line.dropFirst("# call:".count).trimmingCharacters(in: .whitespaces) }
            if line.hasPrefix("# cpython:") { expected = line.dropFirst("# cpython:".count).trimmingCharacters(in: .whitespaces) }
        }
        return (call, expected)
    }

    // MARK: Escapes

    /// Bytes as a string literal body: printable ASCII as is, `\n \t \r \\ \"`, else `\xNN`.
    public static func escape(_ bytes: [UInt8]) -> String { bytes.map { Comparer.escape($0) }.joined() }

    /// The inverse of `escape`.
    public static func unescape(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var chars = Array(s.utf8)[...]
        while let c = chars.popFirst() {
            guard c == UInt8(ascii: "\\"), let e = chars.popFirst() else { out.append(c); continue }
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "x"):
                let hex = String(decoding: chars.prefix(2), as: UTF8.self)
                chars = chars.dropFirst(2)
                out.append(UInt8(hex, radix: 16) ?? 0)
            default: out.append(e)
            }
        }
        return out
    }
}
