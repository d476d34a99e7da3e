#if canImport(Glibc)
import Glibc
#endif
import JitIR

/// The languages jitctl reads, chosen by file extension.
public enum SourceLanguage: String, Sendable, CaseIterable {
    /// Brainfuck: `.bf`, `.b`, and any file whose extension names no other language
    /// (every byte sequence is a valid BF program).
    case brainfuck = "bf"
    /// Our stack bytecode in text form: `.sbc`.
    case bytecode = "sbc"
    /// Python functions imported through CPython's `dis`: `.py`.
    case python = "py"
    /// The shared IR in text form: `.ir`.
    case ir

    public init(path: String) {
        switch Self.pathExtension(path).lowercased() {
        case "sbc": self = .bytecode
        case "py": self = .python
        case "ir": self = .ir
        default: self = .brainfuck
        }
    }

    /// What follows the last dot of the file name, or "" (as `NSString.pathExtension`: not for a
    /// dot that starts the name, as in `.bf`).
    static func pathExtension(_ path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// Whether programs in this language are functions called with `--call`.
    public var needsCall: Bool { self == .bytecode || self == .python }
}

/// Reads a program file, turning every failure into a `SourceError` naming the file.
public enum SourceFile {
    /// The whole file. `kind` names what the file is for in the message about a directory
    /// ("a program file", "an input file"). Pipes and devices (`/dev/null`, `/dev/stdin`) read too.
    public static func read(_ path: String, kind: String = "a program file") throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw openError(path, errno) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw SourceError(file: path, loc: .unknown, message: "is a directory, not \(kind)")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw SourceError(file: path, loc: .unknown, message: "cannot read the file: \(String(cString: strerror(errno)))")
            }
            bytes += chunk[0..<n]
        }
        return bytes
    }

    /// Fails unless `path` can be opened for reading and is not a directory.
    public static func checkReadable(_ path: String, kind: String = "a program file") throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw openError(path, errno) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw SourceError(file: path, loc: .unknown, message: "is a directory, not \(kind)")
        }
    }

    private static func openError(_ path: String, _ code: Int32) -> SourceError {
        let message = switch code {
        case ENOENT: "no such file"
        case ENOTDIR: "no such file (a component of the path is not a directory)"
        case EACCES: "cannot read the file: permission denied"
        default: "cannot read the file: \(String(cString: strerror(code)))"
        }
        return SourceError(file: path, loc: .unknown, message: message)
    }

    /// The file as UTF-8 text (for the text formats). Invalid UTF-8 is an error at the line
    /// and column (in characters, counting from 1) of the first byte that is not valid.
    public static func readText(_ path: String) throws -> String {
        try text(read(path), file: path)
    }

    /// `bytes` as UTF-8 text, or the error `readText` reports for a file `file` holding them.
    public static func text(_ bytes: [UInt8], file path: String) throws -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let offset = firstInvalidUTF8Offset(bytes)
        let lineStart = bytes[..<offset].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let line = 1 + bytes[..<lineStart].count { $0 == UInt8(ascii: "\n") }
        let column = 1 + String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count
        throw SourceError(file: path, loc: SourceLoc(line: line, column: column),
                          message: "invalid UTF-8 (byte 0x\(String(bytes[offset], radix: 16, uppercase: true))): the file must be UTF-8 text")
    }

    /// The offset of the first byte that does not begin or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return bytes.count
            case .error: return min(offset, bytes.count - 1)
            }
        }
    }
}
