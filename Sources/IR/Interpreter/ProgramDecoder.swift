/// Turns a module into a `DecodedProgram`: checks every index the interpreter
/// will follow without bounds checks, resolves calls and block targets,
/// normalises immediates, and picks specialised or fused opcodes
/// (ProgramDecoder+Instructions.swift, ProgramDecoder+Fusion.swift).
struct ProgramDecoder {
    let module: Module
    /// Pick specialised and fused opcodes; false keeps every data operation on the general path.
    let specialize: Bool
    var program = DecodedProgram()
    var constantIndex: [Int64: Int] = [:]
    let functionIndex: [String: Int]

    /// Blocks of at most this many decoded instructions are copied into the
    /// blocks that jump to them, which saves the jump (typically a loop's back edge).
    static let duplicationLimit = 4

    init(module: Module, specialize: Bool) {
        self.module = module
        self.specialize = specialize
        var index: [String: Int] = [:]
        for (i, f) in module.functions.enumerated() where index[f.name] == nil { index[f.name] = i }
        functionIndex = index
    }

    static func decode(_ module: Module, specialize: Bool) throws -> DecodedProgram {
        var decoder = ProgramDecoder(module: module, specialize: specialize)
        try decoder.decodeSignatures()
        for i in module.functions.indices { try decoder.decodeBody(of: i) }
        return decoder.program
    }

    private mutating func decodeSignatures() throws {
        for f in module.functions {
            guard f.registerTypes.count < Int(Int32.max) / 2 else { throw error(f, f.loc, "too many registers") }
            program.functions.append(DecodedFunction(
                entry: 0, frameSize: Int32(f.registerTypes.count),
                firstParameter: Int32(program.parameters.count), parameterCount: Int32(f.parameters.count)))
            for p in f.parameters {
                try checkRegister(p, f, f.loc)
                program.parameters.append(DecodedParameter(register: Int32(p.index), type: f.type(of: p)))
            }
        }
    }

    /// Decodes every block, then lays them out in order, followed by the
    /// function's trap stubs, and turns block and stub references into instruction indices.
    private mutating func decodeBody(of index: Int) throws {
        let f = module.functions[index]
        guard !f.blocks.isEmpty else { throw error(f, f.loc, "function has no blocks") }
        var stubs: [(TrapKind, SourceLoc)] = []
        var blocks: [[PendingInstruction]] = []
        for (b, block) in f.blocks.enumerated() {
            let decoded = try decodeBlock(block, index: b, in: f, stubs: &stubs)
            for p in decoded {
                for target in p.link.blocks where target < 0 || target >= f.blocks.count {
                    throw error(f, p.loc, "branch to missing block b\(target)")
                }
            }
            blocks.append(decoded)
        }

        program.functions[index].entry = Int32(program.code.count)
        var blockStart: [Int32] = []
        var fixups: [(pc: Int, link: PendingInstruction.Link)] = []
        for (b, var list) in blocks.enumerated() {
            blockStart.append(Int32(program.code.count))
            if specialize, let last = list.last, last.instruction.op == .jump, case .jump(let target) = last.link,
               target != b,
               blocks[target].count <= Self.duplicationLimit, blocks[target].last?.continuesInNextBlock == false,
               blocks[target].allSatisfy({ if case .jump = $0.link { false } else { true } }) {
                list.removeLast()
                list += blocks[target]
            }
            for p in list {
                if !p.link.isNone { fixups.append((program.code.count, p.link)) }
                append(p.instruction, p.loc, owner: index)
            }
        }
        let stubStart = program.code.count
        for (kind, loc) in stubs { append(DecodedInstruction(.trap, t: Int32(kind.code)), loc, owner: index) }

        for (pc, link) in fixups {
            switch link {
            case .none: break
            case .jump(let target):
                program.code[pc].t = blockStart[target]
            case .branch(let ifTrue, let ifFalse):
                program.code[pc].t = blockStart[ifTrue]
                program.code[pc].f = blockStart[ifFalse]
            case .trapStub(let stub):
                program.code[pc].t = Int32(stubStart + stub)
            case .trapStubElseNext(let stub):
                program.code[pc].t = Int32(stubStart + stub)
                program.code[pc].f = Int32(pc + 1)
            }
        }
    }

    private mutating func append(_ instruction: DecodedInstruction, _ loc: SourceLoc, owner: Int) {
        program.code.append(instruction)
        program.locations.append(loc)
        program.owners.append(Int32(owner))
    }

    /// One block's instructions and terminator, fusing where a pattern matches.
    private mutating func decodeBlock(_ block: Block, index: Int, in f: Function,
                                      stubs: inout [(TrapKind, SourceLoc)]) throws -> [PendingInstruction] {
        var out: [PendingInstruction] = []
        let body = block.instructions
        let next = index + 1 < f.blocks.count ? index + 1 : nil
        var i = 0
        while i < body.count {
            if specialize, let fused = try fuseMemoryAdd(body, at: i, in: f) {
                out.append(PendingInstruction(fused, body[i].loc))
                i += 3
            } else if specialize, let fused = try fuseAddStore(body, at: i, in: f) {
                out.append(PendingInstruction(fused, body[i + 1].loc))
                i += 2
            } else if specialize, let (fused, tail) = try fuseAddCheck(body, at: i, block.terminator, next: next, in: f) {
                switch tail {
                case .trapIf(let kind, let loc):
                    out.append(PendingInstruction(fused, body[i].loc, .trapStub(stubs.count)))
                    stubs.append((kind, loc))
                    i += 3
                case .branch(let target):
                    var p = PendingInstruction(fused, body[i].loc, .jump(target))
                    p.continuesInNextBlock = true
                    out.append(p)
                    return out
                }
            } else if specialize, i == body.count - 2,
                      let fused = try fuseLoadBranch(body[i], body[i + 1], block.terminator, in: f) {
                out.append(PendingInstruction(fused.0, body[i].loc, fused.1))
                return out
            } else if specialize, i == body.count - 1,
                      let fused = try fuseCompareBranch(body[i], block.terminator, in: f) {
                out.append(PendingInstruction(fused.0, body[i].loc, fused.1))
                return out
            } else if specialize, i + 1 < body.count, let fused = try fuseCompareTrap(body[i], body[i + 1], in: f) {
                out.append(PendingInstruction(fused.0, body[i].loc, .trapStubElseNext(stubs.count)))
                stubs.append((fused.1, body[i + 1].loc))
                i += 2
            } else {
                if let d = try decode(body[i], in: f) { out.append(PendingInstruction(d, body[i].loc)) }
                i += 1
            }
        }
        out.append(try decode(block.terminator, in: f, loc: block.terminatorLoc))
        return out
    }

    func error(_ f: Function, _ loc: SourceLoc, _ message: String) -> SourceError {
        SourceError(file: module.sourceFile, loc: loc, message: "in @\(f.name): \(message)")
    }
}

/// A decoded instruction before layout: its targets still name blocks or trap stubs.
struct PendingInstruction {
    enum Link {
        case none
        /// `t` is block `target`.
        case jump(Int)
        /// `t` and `f` are these blocks.
        case branch(Int, Int)
        /// `t` is the function's trap stub `index`.
        case trapStub(Int)
        /// `t` is the function's trap stub `index`, `f` the next instruction.
        case trapStubElseNext(Int)

        var blocks: [Int] {
            switch self {
            case .jump(let b): [b]
            case .branch(let t, let f): [t, f]
            case .none, .trapStub, .trapStubElseNext: []
            }
        }

        var isNone: Bool { if case .none = self { true } else { false } }
    }

    var instruction: DecodedInstruction
    var loc: SourceLoc
    var link: Link
    /// Ends its block and may continue with the next instruction, which must
    /// then be the next block's first: the block cannot be copied elsewhere.
    var continuesInNextBlock = false

    init(_ instruction: DecodedInstruction, _ loc: SourceLoc, _ link: Link = .none) {
        self.instruction = instruction
        self.loc = loc
        self.link = link
    }
}
