/// Lexical rules shared by the IR printer and parser, so that whatever the
/// printer writes the parser reads back unchanged.
enum IRSyntax {
    /// The suffix that marks a `checked` binary or unary operation (`add.ovf`).
    static let checkedSuffix = ".ovf"

    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" || c == "."
    }

    static func isIdentifierContinue(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || isDigit(c)
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    /// Whether `s` can be written bare (as a label or after `@`); otherwise it is quoted.
    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, isIdentifierStart(first) else { return false }
        return s.unicodeScalars.allSatisfy(isIdentifierContinue)
    }

    /// `s` bare when it is an identifier, else as a quoted string.
    static func name(_ s: String) -> String { isIdentifier(s) ? s : quoted(s) }

    /// `s` in double quotes with `\\`, `\"`, `\n`, `\t`, `\r` and `\u{X}` escapes,
    /// so that any string survives a round trip.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if c.value < 0x20 || c.value == 0x7F {
                    out += "\\u{" + String(c.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }

    /// `!line:col`, or nothing for `SourceLoc.unknown`.
    static func loc(_ l: SourceLoc) -> String? {
        l == .unknown ? nil : "!\(l.line):\(l.column)"
    }

    /// Parses the mnemonic of a binary or unary operation with its optional `.ovf`.
    static func splitChecked(_ mnemonic: String) -> (base: String, checked: Bool) {
        if mnemonic.hasSuffix(checkedSuffix) {
            return (String(mnemonic.dropLast(checkedSuffix.count)), true)
        }
        return (mnemonic, false)
    }
}
