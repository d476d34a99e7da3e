/// Writes a module in the `.sbc` text format; `SBCParser` reads it back to an
/// equal module (positions aside).
enum SBCPrinter {
    static func print(_ m: BytecodeModule) -> String {
        var out = ".sbc \(BytecodeModule.formatVersion)\n"
        for f in m.functions {
            out += "\n" + print(f)
        }
        return out
    }

    static func print(_ f: BytecodeFunction) -> String {
        var targets = Set<Int>()
        for i in f.instructions { if let t = i.op.jumpTarget { targets.insert(t) } }
        var used = Set<String>()
        var names: [Int: String] = [:]
        for t in targets.sorted() {
            var name = f.labelNames[t].flatMap { SBCParser.isIdentifier($0) ? $0 : nil } ?? "L\(t)"
            while used.contains(name) { name += "_" }
            used.insert(name)
            names[t] = name
        }
        var out = "def \(f.name)(\(f.parameters.joined(separator: ", "))):\n"
        for (k, i) in f.instructions.enumerated() {
            if let label = names[k] { out += "\(label):\n" }
            var line = "    \(i.op.opcode.rawValue)"
            let operand = i.op.operandText
            if !operand.isEmpty { line += " " + operand }
            if let t = i.op.jumpTarget { line += " " + (names[t] ?? "L\(t)") }
            out += line + "\n"
        }
        return out
    }
}
