import Foundation
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
        switch (path as NSString).pathExtension.lowercased() {
        case "sbc": self = .bytecode
        case "py": self = .python
        case "ir": self = .ir
        default: self = .brainfuck
        }
    }

    /// Whether programs in this language are functions called with `--call`.
    public var needsCall: Bool { self == .bytecode || self == .python }
}

/// Reads a program file, turning every failure into a `SourceError` naming the file.
public enum SourceFile {
    public static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SourceError(file: path, loc: .unknown, message: "no such file")
        }
        if isDirectory.boolValue {
            throw SourceError(file: path, loc: .unknown, message: "is a directory, not a program file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SourceError(file: path, loc: .unknown, message: "cannot read the file (permission denied?)")
        }
        return [UInt8](data)
    }

    /// The file as UTF-8 text (for the text formats).
    public static func readText(_ path: String) throws -> String {
        let bytes = try read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SourceError(file: path, loc: .unknown, message: "the file is not valid UTF-8 text")
        }
        return text
    }
}
