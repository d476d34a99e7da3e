import JitIR

/// One instruction and the source position it came from (in the `.sbc` file,
/// or the Python line and column).
public struct BytecodeInstruction: Hashable, Sendable {
    public var op: BytecodeOp
    public var loc: SourceLoc

    public init(_ op: BytecodeOp, loc: SourceLoc = .unknown) {
        self.op = op
        self.loc = loc
    }
}

/// A function of int64 parameters returning an int64. Locals are the names
/// `STORE_FAST` assigns; parameters are locals assigned on entry.
public struct BytecodeFunction: Hashable, Sendable {
    public var name: String
    public var parameters: [String]
    public var instructions: [BytecodeInstruction]
    /// Where the function is defined.
    public var loc: SourceLoc
    /// Names for jump targets, by instruction index; used when printing.
    public var labelNames: [Int: String]

    public init(name: String, parameters: [String], instructions: [BytecodeInstruction] = [],
                loc: SourceLoc = .unknown, labelNames: [Int: String] = [:]) {
        self.name = name
        self.parameters = parameters
        self.instructions = instructions
        self.loc = loc
        self.labelNames = labelNames
    }

    /// Parameters first, then every other local in order of first mention.
    public var locals: [String] {
        var seen = Set(parameters)
        var out = parameters
        for i in instructions {
            switch i.op {
            case .loadFast(let n), .storeFast(let n):
                if seen.insert(n).inserted { out.append(n) }
            default:
                break
            }
        }
        return out
    }
}

/// A compilation unit of the stack bytecode: functions that may call each other.
public struct BytecodeModule: Hashable, Sendable {
    /// The version of the opcode set and of the `.sbc` format this library reads and writes.
    public static let formatVersion = 1

    /// The file the module came from, for diagnostics.
    public var sourceFile: String
    public var functions: [BytecodeFunction]

    public init(sourceFile: String = "<bytecode>", functions: [BytecodeFunction] = []) {
        self.sourceFile = sourceFile
        self.functions = functions
    }

    public func function(named name: String) -> BytecodeFunction? {
        functions.first { $0.name == name }
    }
}
