import JitIR

/// A function that passed verification, with what the lowering needs to know.
struct VerifiedFunction {
    let function: BytecodeFunction
    /// The stack depth before each instruction; nil for instructions no path reaches.
    let depth: [Int?]
    /// Every local: parameters first.
    let locals: [String]
}

/// Static checks of a module (docs/bytecode.md, "Verification"): names and
/// calls resolve, jumps land inside the function, the stack never underflows
/// and has one depth wherever paths join, execution cannot run past the last
/// instruction, and no local is read before it is assigned on some path.
enum BytecodeVerifier {
    static func verify(_ m: BytecodeModule) throws -> [VerifiedFunction] {
        let file = m.sourceFile
        var byName: [String: BytecodeFunction] = [:]
        for f in m.functions {
            if let first = byName[f.name] {
                throw SourceError(file: file, loc: f.loc,
                                  message: "function '\(f.name)' is defined twice (first at \(first.loc))")
            }
            byName[f.name] = f
        }
        return try m.functions.map { try verify($0, file: file, functions: byName) }
    }

    private static func verify(_ f: BytecodeFunction, file: String,
                               functions: [String: BytecodeFunction]) throws -> VerifiedFunction {
        func error(_ loc: SourceLoc, _ message: String) -> SourceError {
            SourceError(file: file, loc: loc, message: message)
        }
        var seen = Set<String>()
        for p in f.parameters where !seen.insert(p).inserted {
            throw error(f.loc, "parameter '\(p)' of '\(f.name)' appears twice")
        }
        let code = f.instructions
        guard !code.isEmpty else { throw error(f.loc, "function '\(f.name)' has no instructions") }

        for i in code {
            if let t = i.op.jumpTarget, !code.indices.contains(t) {
                throw error(i.loc, "\(i.op.opcode) jumps to instruction \(t), outside '\(f.name)' (0...\(code.count - 1))")
            }
            switch i.op {
            case .copy(let n) where n < 1:
                throw error(i.loc, "COPY needs a count of at least 1, found \(n)")
            case .swap(let n) where n < 2:
                throw error(i.loc, "SWAP needs a count of at least 2, found \(n)")
            case .call(let name, let argc):
                if let callee = functions[name] {
                    if callee.parameters.count != argc {
                        throw error(i.loc, "'\(name)' takes \(callee.parameters.count) argument(s), but CALL passes \(argc)")
                    }
                } else if let builtin = BuiltinFunction(rawValue: name) {
                    if !builtin.accepts(argumentCount: argc) {
                        throw error(i.loc, "builtin \(name)() takes \(builtin.arityDescription), but CALL passes \(argc)")
                    }
                } else {
                    throw error(i.loc, "CALL of unknown function '\(name)' (not defined in the module, and not one of abs, min, max)")
                }
            default:
                break
            }
        }

        let depth = try depths(f, error)
        let locals = f.locals
        try checkAssignments(f, locals: locals, reachable: depth.map { $0 != nil }, error)
        return VerifiedFunction(function: f, depth: depth, locals: locals)
    }

    /// The stack depth before every reachable instruction.
    private static func depths(_ f: BytecodeFunction,
                               _ error: (SourceLoc, String) -> SourceError) throws -> [Int?] {
        let code = f.instructions
        var depth = [Int?](repeating: nil, count: code.count)
        depth[0] = 0
        var work = [0]
        while let i = work.popLast() {
            let d = depth[i]!
            let op = code[i].op
            let effect = op.stackEffect
            if d < effect.needs {
                throw error(code[i].loc, "stack underflow: \(op.opcode) needs \(effect.needs) value(s), but the stack holds \(d)")
            }
            func flow(to t: Int, depth nd: Int) throws {
                guard t < code.count else {
                    throw error(code[i].loc, "execution can run past the end of '\(f.name)' (end it with RETURN_VALUE or JUMP)")
                }
                if let old = depth[t] {
                    if old != nd {
                        throw error(code[t].loc, "stack depth differs where paths join: \(old) on one path, \(nd) on the path from line \(code[i].loc.line)")
                    }
                } else {
                    depth[t] = nd
                    work.append(t)
                }
            }
            if let e = effect.fallThrough { try flow(to: i + 1, depth: d + e) }
            if let e = effect.jump, let t = op.jumpTarget { try flow(to: t, depth: d + e) }
        }
        return depth
    }

    /// Rejects reads of locals that some path reaches without assigning them
    /// (Python would raise UnboundLocalError there).
    private static func checkAssignments(_ f: BytecodeFunction, locals: [String], reachable: [Bool],
                                         _ error: (SourceLoc, String) -> SourceError) throws {
        let code = f.instructions
        let index = Dictionary(uniqueKeysWithValues: locals.enumerated().map { ($1, $0) })
        var stored = Set<String>()
        for i in code { if case .storeFast(let n) = i.op { stored.insert(n) } }
        // assigned[i]: the locals assigned on every path to instruction i; nil until reached.
        var assigned = [[Bool]?](repeating: nil, count: code.count)
        var entry = [Bool](repeating: false, count: locals.count)
        for p in f.parameters { entry[index[p]!] = true }
        assigned[0] = entry
        var work = [0]
        while let i = work.popLast() {
            var s = assigned[i]!
            if case .storeFast(let n) = code[i].op { s[index[n]!] = true }
            var successors: [Int] = []
            if code[i].op.fallsThrough, i + 1 < code.count { successors.append(i + 1) }
            if let t = code[i].op.jumpTarget { successors.append(t) }
            for t in successors {
                if let old = assigned[t] {
                    let meet = zip(old, s).map { $0 && $1 }
                    if meet != old { assigned[t] = meet; work.append(t) }
                } else {
                    assigned[t] = s
                    work.append(t)
                }
            }
        }
        for (i, instruction) in code.enumerated() where reachable[i] {
            guard case .loadFast(let n) = instruction.op, let s = assigned[i], !s[index[n]!] else { continue }
            if stored.contains(n) {
                throw error(instruction.loc, "local '\(n)' may be used before it is assigned")
            }
            throw error(instruction.loc, "'\(n)' is neither a parameter of '\(f.name)' nor assigned anywhere in it")
        }
    }
}
