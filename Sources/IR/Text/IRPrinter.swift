/// Writes modules in the IR text form (docs/IR.md). The printer is total: it
/// prints every `Module` value, valid or not, in a form `IRParser` reads back
/// to an equal value — that is what lets verifier tests be written as text.
struct IRPrinter {
    private(set) var output = ""

    /// Instructions are padded to this width before their `!line:col`.
    private static let locColumn = 40
    private static let registersPerLine = 8

    mutating func module(_ m: Module) {
        output += "source \(IRSyntax.quoted(m.sourceFile))\n"
        output += "memory \(m.memorySize)\n"
        if m.guardBytes != 0 { output += "guard \(m.guardBytes)\n" }
        for f in m.functions {
            output += "\n"
            function(f)
        }
    }

    mutating func function(_ f: Function) {
        let params = f.parameters.map { p in
            f.registerTypes.indices.contains(p.index) ? "\(p): \(f.registerTypes[p.index])" : p.description
        }
        var header = "func @\(IRSyntax.name(f.name))(\(params.joined(separator: ", ")))"
        if let r = f.resultType { header += " -> \(r)" }
        if let l = IRSyntax.loc(f.loc) { header += " \(l)" }
        output += header + " {\n"

        let parameterSet = Set(f.parameters)
        let locals = f.registerTypes.indices.filter { !parameterSet.contains(Var($0)) }
        var start = 0
        while start < locals.count {
            let chunk = locals[start..<min(start + Self.registersPerLine, locals.count)]
            output += "  regs " + chunk.map { "%\($0): \(f.registerTypes[$0])" }.joined(separator: ", ") + "\n"
            start += Self.registersPerLine
        }

        let targets = TargetNamer(f)
        for b in f.blocks {
            output += IRSyntax.name(b.label) + ":\n"
            for i in b.instructions {
                line(Self.instruction(i.op, in: f), i.loc)
            }
            line(Self.terminator(b.terminator, targets: targets), b.terminatorLoc)
        }
        output += "}\n"
    }

    private mutating func line(_ text: String, _ loc: SourceLoc) {
        output += "  " + text
        if let l = IRSyntax.loc(loc) {
            let pad = Self.locColumn - text.count
            output += String(repeating: " ", count: max(1, pad)) + l
        }
        output += "\n"
    }

    // MARK: Instructions

    /// ` T` when `v` has a declared type; nothing when it is out of range.
    private static func annotation(_ v: Var, _ f: Function) -> String {
        f.registerTypes.indices.contains(v.index) ? " \(f.registerTypes[v.index])" : ""
    }

    private static func checked(_ name: String, _ c: Bool) -> String {
        c ? name + IRSyntax.checkedSuffix : name
    }

    private static func address(_ base: Var, _ offset: Int64) -> String {
        if offset == 0 { return "[\(base)]" }
        if offset < 0 { return "[\(base) - \(offset.magnitude)]" }
        return "[\(base) + \(offset)]"
    }

    private static func list(_ ops: [Operand]) -> String {
        "(" + ops.map(\.description).joined(separator: ", ") + ")"
    }

    static func instruction(_ op: Op, in f: Function) -> String {
        switch op {
        case .copy(let d, let s):
            "\(d) = copy\(annotation(d, f)) \(s)"
        case .binary(let o, let d, let a, let b, let c):
            "\(d) = \(checked(o.rawValue, c))\(annotation(d, f)) \(a), \(b)"
        case .unary(let o, let d, let s, let c):
            "\(d) = \(checked(o.rawValue, c))\(annotation(d, f)) \(s)"
        case .compare(let p, let t, let d, let a, let b):
            "\(d) = cmp \(p.rawValue) \(t) \(a), \(b)"
        case .select(let d, let c, let t, let e):
            "\(d) = select\(annotation(d, f)) \(c), \(t), \(e)"
        case .convert(let o, let d, let s, let from):
            "\(d) = \(o.rawValue) \(from) \(s)" + (annotation(d, f).isEmpty ? "" : " to\(annotation(d, f))")
        case .load(let d, let base, let offset):
            "\(d) = load\(annotation(d, f)) \(address(base, offset))"
        case .store(let t, let v, let base, let offset):
            "store \(t) \(v), \(address(base, offset))"
        case .call(let d, let callee, let args):
            (d.map { "\($0) = call\(annotation($0, f)) " } ?? "call ") + "@\(IRSyntax.name(callee))\(list(args))"
        case .hostCall(let h, let d, let args):
            (d.map { "\($0) = hostcall\(annotation($0, f)) " } ?? "hostcall ") + "\(h.rawValue)\(list(args))"
        case .trapIf(let c, let k):
            "trapif \(c), \(k.rawValue)"
        case .scan(let d, let start, let t, let step, let limit):
            "\(d) = scan \(t) [\(start)], step \(step), limit \(limit)"
        case .probe(let t, let base, let offset): "probe \(t) \(address(base, offset))"
        case .enter: "enter"
        case .leave: "leave"
        }
    }

    static func terminator(_ t: Terminator, targets: TargetNamer) -> String {
        switch t {
        case .jump(let b): "jump \(targets[b])"
        case .branch(let c, let a, let b): "br \(c), \(targets[a]), \(targets[b])"
        case .ret(nil): "ret"
        case .ret(let v?): "ret \(v)"
        case .trap(let k): "trap \(k.rawValue)"
        }
    }
}

/// How a terminator names a block: by its label when that is unambiguous, else
/// as `#index` (duplicate labels and out-of-range targets still print and parse).
struct TargetNamer {
    private let labels: [String]
    private let unique: [Bool]

    init(_ f: Function) {
        labels = f.blocks.map(\.label)
        var counts: [String: Int] = [:]
        for l in labels { counts[l, default: 0] += 1 }
        unique = labels.map { counts[$0] == 1 }
    }

    subscript(b: BlockRef) -> String {
        guard labels.indices.contains(b.index), unique[b.index] else { return "#\(b.index)" }
        return IRSyntax.name(labels[b.index])
    }
}
