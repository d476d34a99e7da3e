import JitIR

/// Translates the exported CPython bytecode of a function, and of every
/// function it calls, into our opcode set (docs/bytecode.md, "Python import").
///
/// Each CPython instruction is translated once, along the paths from the
/// function's start, while a symbolic copy of CPython's stack (`CPythonEntry`)
/// tells what each entry is: ints become slots of our stack, callables and
/// NULLs vanish, `range(...)` becomes three slots that `FOR_RANGE` steps.
/// Jump targets come from `dis` (byte offsets), so the versions' different
/// jump encodings never matter.
struct CPythonTranslator {
    let export: CPythonExport
    let file: String
    let minor: Int
    let functions: [String: CPythonExport.Function]

    init(export: CPythonExport, file: String) {
        self.export = export
        self.file = file
        minor = export.version.count > 1 ? export.version[1] : 0
        var byName: [String: CPythonExport.Function] = [:]
        for f in export.functions { byName[f.name] = f }
        functions = byName
    }

    /// The module holding `entry` first, then the functions it calls, transitively.
    func translate(entry: String) throws -> BytecodeModule {
        guard functions[entry] != nil else {
            let known = export.functions.map(\.name).sorted().joined(separator: ", ")
            let message = export.bindings[entry] != nil
                ? "'\(entry)' is not a function defined by a plain `def` at the top level of the file"
                : "no function '\(entry)' in the file" + (known.isEmpty ? "" : " (functions: \(known))")
            throw SourceError(file: file, loc: .unknown, message: message)
        }
        var module = BytecodeModule(sourceFile: file)
        var queue = [entry]
        var seen: Set<String> = [entry]
        while !queue.isEmpty {
            let name = queue.removeFirst()
            var t = FunctionTranslation(function: functions[name]!, translator: self)
            module.functions.append(try t.run())
            for callee in t.callees where seen.insert(callee).inserted { queue.append(callee) }
        }
        return module
    }

    /// Whether `name` called at module level means a function of the file.
    func isModuleFunction(_ name: String) -> Bool {
        export.bindings[name] == "function" && functions[name] != nil
    }

    /// Whether `name` means one of the supported builtins (nothing in the file rebinds it).
    func isBuiltin(_ name: String) -> Bool {
        ["range", "abs", "min", "max"].contains(name) && export.bindings[name] == nil && export.bindings["*"] == nil
    }
}

/// The translation of one function.
struct FunctionTranslation {
    let function: CPythonExport.Function
    let translator: CPythonTranslator
    var callees: [String] = []

    private var code: [CPythonExport.Instruction] { function.code }
    private var locs: [SourceLoc] = []
    private var indexOfOffset: [Int: Int] = [:]
    /// CPython's stack before each instruction; nil until a path reaches it.
    private var states: [[CPythonEntry]?] = []
    /// Our instructions for each CPython instruction; jump targets are CPython instruction indices.
    private var emitted: [[BytecodeInstruction]] = []

    init(function: CPythonExport.Function, translator: CPythonTranslator) {
        self.function = function
        self.translator = translator
        var line = function.line
        for (k, i) in function.code.enumerated() {
            if let l = i.line { line = l }
            locs.append(SourceLoc(line: line, column: i.col.map { $0 + 1 } ?? 0))
            indexOfOffset[i.off] = k
        }
        states = Array(repeating: nil, count: function.code.count)
        emitted = Array(repeating: [], count: function.code.count)
    }

    private var file: String { translator.file }

    mutating func run() throws -> BytecodeFunction {
        let defLoc = SourceLoc(line: function.line, column: 1)  // top-level `def`s start the line
        if let problem = function.problem {
            throw SourceError(file: file, loc: defLoc, message: "unsupported \(problem) in '\(function.name)'")
        }
        guard !code.isEmpty else { throw SourceError(file: file, loc: defLoc, message: "'\(function.name)' has no bytecode") }
        states[0] = []
        var work = [0]
        while let i = work.popLast() {
            var step = CPythonStep(translation: self, index: i, stack: states[i]!)
            try step.translate()
            emitted[i] = step.out
            callees += step.callees
            for (target, state) in step.successors {
                guard let j = target else {
                    throw SourceError(file: file, loc: locs[i], message: "execution runs past the end of '\(function.name)'")
                }
                if let old = states[j] {
                    if old != state {
                        throw SourceError(file: file, loc: locs[j], message:
                            "unsupported control flow: the stack holds [\(old.map(\.description).joined(separator: ", "))] on one path and [\(state.map(\.description).joined(separator: ", "))] on another")
                    }
                } else {
                    states[j] = state
                    work.append(j)
                }
            }
        }
        // Lay the translations out in CPython's order; a jump to an instruction
        // that produced nothing lands on the next one that did.
        var start = Array(repeating: 0, count: code.count + 1)
        var count = 0
        for k in code.indices {
            start[k] = count
            count += emitted[k].count
        }
        start[code.count] = count
        var out = BytecodeFunction(name: function.name, parameters: function.args, loc: defLoc)
        for k in code.indices {
            for var i in emitted[k] {
                if let t = i.op.jumpTarget { i.op = i.op.retargeted(start[t]) }
                out.instructions.append(i)
            }
        }
        return out
    }

    func loc(_ i: Int) -> SourceLoc { locs[i] }
    func instruction(_ i: Int) -> CPythonExport.Instruction { code[i] }
    func index(ofOffset o: Int?) -> Int? { o.flatMap { indexOfOffset[$0] } }
    /// Where the `try` (or `with`) statement protecting instruction `i` is, if one does:
    /// the NOP CPython 3.11+ places for the statement just before the protected range.
    func protectingStatement(_ i: Int) -> SourceLoc? {
        guard let range = function.protected.first(where: { $0.count == 2 && ($0[0]..<$0[1]).contains(code[i].off) })
        else { return nil }
        if let start = indexOfOffset[range[0]], start > 0, code[start - 1].op == "NOP" { return locs[start - 1] }
        return locs[i]
    }
    var instructionCount: Int { code.count }
}
