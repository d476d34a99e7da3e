import JitIR

/// The Brainfuck dialect a program is compiled for.
///
/// The defaults (8-bit wrapping cells, EOF leaves the cell unchanged, a tape of
/// 1,048,576 cells starting at cell 0) run every program of the shared corpus
/// that does not name other options in its `.args` file.
public struct BFOptions: Sendable, Hashable {
    /// What `,` stores when the input has ended.
    public enum EOFMode: String, Sendable, Hashable, CaseIterable {
        /// The cell keeps its value.
        case unchanged
        /// The cell becomes 0.
        case zero
        /// The cell becomes -1 (all bits set).
        case minusOne = "minus-one"
    }

    /// The cell widths the frontend supports.
    public static let supportedCellBits = [8, 16, 32]
    /// The default tape: 2^20 cells, enough for every program of the corpus.
    public static let defaultTapeSize = 1_048_576
    /// The largest tape memory (in bytes) the frontend accepts.
    public static let maximumMemoryBytes = 1 << 30

    /// Cell width in bits: 8, 16 or 32. Arithmetic wraps modulo 2^cellBits.
    public var cellBits: Int
    public var eof: EOFMode
    /// Number of cells. The pointer starts at cell 0; touching a cell outside
    /// `0..<tapeSize` traps `out_of_bounds`.
    public var tapeSize: Int
    /// Run the BF-level passes and remove provably redundant bounds checks.
    /// Turning it off gives the literal translation, the reference for testing.
    public var optimize: Bool

    public init(cellBits: Int = 8, eof: EOFMode = .unchanged, tapeSize: Int = BFOptions.defaultTapeSize,
                optimize: Bool = true) {
        self.cellBits = cellBits
        self.eof = eof
        self.tapeSize = tapeSize
        self.optimize = optimize
    }

    /// The IR type of a cell, or nil when `cellBits` is not supported.
    public var cellType: IntType? {
        Self.supportedCellBits.contains(cellBits) ? IntType(bytes: cellBits / 8) : nil
    }

    /// Bytes per cell (1, 2 or 4 for valid options).
    public var cellBytes: Int { max(1, cellBits / 8) }

    /// Why these options cannot be compiled, or nil when they can.
    public var problem: String? {
        if cellType == nil { return "unsupported cell width \(cellBits) bits (use 8, 16 or 32)" }
        if tapeSize < 1 { return "tape size must be at least 1 cell (got \(tapeSize))" }
        if tapeSize > Self.maximumMemoryBytes / cellBytes {
            return "tape of \(tapeSize) \(cellBits)-bit cells exceeds \(Self.maximumMemoryBytes) bytes"
        }
        return nil
    }
}

/// A malformed dialect option (`--cell-bits 12`, `--eof maybe`, ...).
public struct BFOptionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "error: \(message)" }
}

extension BFOptions {
    /// Parses the dialect flags used by the corpus `.args` files and the command
    /// line: `--cell-bits N`, `--eof unchanged|zero|minus-one`, `--tape-size N`,
    /// also written `--flag=value`. Other arguments are errors.
    public init(arguments: [String], base: BFOptions = BFOptions()) throws {
        self = base
        var i = 0
        func value(_ flag: String, inline: String?) throws -> String {
            if let inline { return inline }
            i += 1
            guard i < arguments.count else { throw BFOptionError("\(flag) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            let arg = arguments[i]
            let parts = arg.split(separator: "=", maxSplits: 1).map(String.init)
            let flag = parts[0]
            let inline = parts.count > 1 ? parts[1] : nil
            switch flag {
            case "--cell-bits":
                let v = try value(flag, inline: inline)
                guard let bits = Int(v), Self.supportedCellBits.contains(bits) else {
                    throw BFOptionError("--cell-bits must be 8, 16 or 32 (got '\(v)')")
                }
                cellBits = bits
            case "--eof":
                let v = try value(flag, inline: inline)
                guard let mode = EOFMode(rawValue: v) else {
                    throw BFOptionError("--eof must be unchanged, zero or minus-one (got '\(v)')")
                }
                eof = mode
            case "--tape-size":
                let v = try value(flag, inline: inline)
                guard let n = Int(v), n >= 1 else {
                    throw BFOptionError("--tape-size must be a positive number of cells (got '\(v)')")
                }
                tapeSize = n
            default:
                throw BFOptionError("unknown Brainfuck option '\(arg)'")
            }
            i += 1
        }
        if let problem { throw BFOptionError(problem) }
    }

    /// Parses the whitespace-separated contents of an `.args` file.
    public init(argumentsText: String, base: BFOptions = BFOptions()) throws {
        try self.init(arguments: argumentsText.split(whereSeparator: \.isWhitespace).map(String.init), base: base)
    }
}
