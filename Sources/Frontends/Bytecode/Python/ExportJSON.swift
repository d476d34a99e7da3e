/// The JSON that `ExporterScript` prints (Python's `json.dumps`), read without Foundation: this
/// module is linked into `jitctl`, and FoundationEssentials alone costs every start about half a
/// millisecond. Numbers stay text until a field asks for an `Int`.
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// What is wrong with a document, at which byte.
    struct SyntaxError: Error, CustomStringConvertible {
        var message: String
        var offset: Int
        var description: String { "\(message) at byte \(offset)" }
    }

    /// The one value `text` holds (whitespace around it allowed).
    static func parse(_ text: [UInt8]) throws(SyntaxError) -> JSONValue {
        var parser = Parser(bytes: text)
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.at == text.count else { throw SyntaxError(message: "text after the value", offset: parser.at) }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0

        /// Deeper nesting than the exporter ever prints is an error, not a stack overflow.
        static let maximumDepth = 64

        mutating func skipWhitespace() {
            while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
        }

        func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: at) }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth < Self.maximumDepth else { throw error("nesting too deep") }
            skipWhitespace()
            guard at < bytes.count else { throw error("unexpected end") }
            switch bytes[at] {
            case UInt8(ascii: "{"):
                at += 1
                var object: [String: JSONValue] = [:]
                skipWhitespace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(object) }
                while true {
                    skipWhitespace()
                    let key = try string()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    object[key] = try value(depth: depth + 1)
                    skipWhitespace()
                    if try endOrComma(UInt8(ascii: "}")) { return .object(object) }
                }
            case UInt8(ascii: "["):
                at += 1
                var array: [JSONValue] = []
                skipWhitespace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(array) }
                while true {
                    array.append(try value(depth: depth + 1))
                    skipWhitespace()
                    if try endOrComma(UInt8(ascii: "]")) { return .array(array) }
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default:
                let start = at
                while at < bytes.count, "+-0123456789.eE".utf8.contains(bytes[at]) { at += 1 }
                guard at > start else { throw error("unexpected character") }
                return .number(String(decoding: bytes[start..<at], as: UTF8.self))
            }
        }

        mutating func expect(_ byte: UInt8) throws(SyntaxError) {
            guard at < bytes.count, bytes[at] == byte else { throw error("expected '\(Character(Unicode.Scalar(byte)))'") }
            at += 1
        }

        /// After an element: true at the closing bracket, false after a comma.
        mutating func endOrComma(_ close: UInt8) throws(SyntaxError) -> Bool {
            guard at < bytes.count else { throw error("unexpected end") }
            at += 1
            if bytes[at - 1] == close { return true }
            guard bytes[at - 1] == UInt8(ascii: ",") else { at -= 1; throw error("expected ',' or '\(Character(Unicode.Scalar(close)))'") }
            return false
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            for byte in word.utf8 { try expect(byte) }
        }

        mutating func string() throws(SyntaxError) -> String {
            try expect(UInt8(ascii: "\""))
            var scalars = String.UnicodeScalarView()
            var run = at
            func flush(_ end: Int) { scalars.append(contentsOf: String(decoding: bytes[run..<end], as: UTF8.self).unicodeScalars) }
            while true {
                guard at < bytes.count else { throw error("unterminated string") }
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    flush(at)
                    at += 1
                    return String(scalars)
                }
                guard byte == UInt8(ascii: "\\") else { at += 1; continue }
                flush(at)
                at += 1
                guard at < bytes.count else { throw error("unterminated string") }
                let escape = bytes[at]
                at += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escape))
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") {
                        at += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    // A lone surrogate (which Python can print) has no scalar: it reads as U+FFFD.
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default:
                    throw error("unknown escape")
                }
                run = at
            }
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard at + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16) else {
                throw error("bad \\u escape")
            }
            at += 4
            return code
        }
    }
}
