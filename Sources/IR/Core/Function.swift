/// A straight run of instructions that ends in a terminator.
public struct Block: Hashable, Sendable {
    /// A name for printing; unique within the function.
    public var label: String
    public var instructions: [Instruction]
    public var terminator: Terminator
    public var terminatorLoc: SourceLoc

    public init(label: String, instructions: [Instruction] = [], terminator: Terminator = .trap(.unreachable),
                terminatorLoc: SourceLoc = .unknown) {
        self.label = label
        self.instructions = instructions
        self.terminator = terminator
        self.terminatorLoc = terminatorLoc
    }
}

/// A function: typed registers, parameters, and basic blocks. `blocks[0]` is the entry.
public struct Function: Hashable, Sendable {
    public var name: String
    /// The type of register `%i` is `registerTypes[i]`.
    public var registerTypes: [IntType]
    /// Parameters are registers that hold the arguments on entry.
    public var parameters: [Var]
    public var resultType: IntType?
    public var blocks: [Block]
    public var loc: SourceLoc

    public init(name: String, registerTypes: [IntType] = [], parameters: [Var] = [], resultType: IntType? = nil,
                blocks: [Block] = [], loc: SourceLoc = .unknown) {
        self.name = name
        self.registerTypes = registerTypes
        self.parameters = parameters
        self.resultType = resultType
        self.blocks = blocks
        self.loc = loc
    }

    public func type(of v: Var) -> IntType { registerTypes[v.index] }

    public var entry: BlockRef { BlockRef(0) }

    public subscript(b: BlockRef) -> Block {
        get { blocks[b.index] }
        set { blocks[b.index] = newValue }
    }

    /// The predecessors of every block, indexed by block.
    public func predecessors() -> [[BlockRef]] {
        var preds = Array(repeating: [BlockRef](), count: blocks.count)
        for (i, b) in blocks.enumerated() {
            for s in b.terminator.successors where s.index < blocks.count {
                preds[s.index].append(BlockRef(i))
            }
        }
        return preds
    }

    /// Number of instructions, terminators included.
    public var instructionCount: Int { blocks.reduce(0) { $0 + $1.instructions.count + 1 } }
}

/// A compilation unit: functions, and the size of the zero-initialised byte
/// memory their loads and stores address (for BF, the tape).
public struct Module: Hashable, Sendable {
    /// The file the module came from, for diagnostics.
    public var sourceFile: String
    /// Bytes of linear memory, all zero when a run starts. 0 means none.
    public var memorySize: Int
    /// Bytes on each side of the memory that native engines keep unmapped, so that an access
    /// there faults and traps `out_of_bounds` at its own position (docs/IR.md §5). A frontend
    /// that sets it promises that every access it did not guard with an explicit check lies
    /// within this distance of the memory. 0 means none: every access needs its check.
    public var guardBytes: Int
    public var functions: [Function]

    /// The page size guard regions and guarded memories are multiples of.
    public static let guardGranule = 4096

    public init(sourceFile: String = "<ir>", memorySize: Int = 0, guardBytes: Int = 0, functions: [Function] = []) {
        self.sourceFile = sourceFile
        self.memorySize = memorySize
        self.guardBytes = guardBytes
        self.functions = functions
    }

    public func function(named name: String) -> Function? {
        functions.first { $0.name == name }
    }

    public func functionIndex(named name: String) -> Int? {
        functions.firstIndex { $0.name == name }
    }
}
