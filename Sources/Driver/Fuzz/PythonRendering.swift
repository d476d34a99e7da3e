/// Rendering of generated Python: plain (what the importer compiles) and
/// checked (what CPython runs as the oracle, with every arithmetic result
/// passed through `_c`).
extension PythonProgramGenerator {
    public static func render(_ e: Expr, checked: Bool) -> String {
        func r(_ e: Expr) -> String { render(e, checked: checked) }
        func wrap(_ s: String) -> String { checked ? "_c(\(s))" : "(\(s))" }
        switch e {
        case .literal(let k): return k < 0 ? "(\(k))" : String(k)
        case .name(let n): return n
        case .binary(let op, let a, let b):
            let text = "\(r(a)) \(op) \(r(b))"
            return ["&", "|", "^", ">>"].contains(op) ? "(\(text))" : wrap(text)
        case .unary(let op, let a):
            return op == "-" ? wrap("-\(r(a))") : "(\(op)\(r(a)))"
        case .compare(let items, let ops):
            var text = r(items[0])
            for (op, item) in zip(ops, items.dropFirst()) { text += " \(op) \(r(item))" }
            return "(\(text))"
        case .logic(let op, let a, let b): return "(\(r(a)) \(op) \(r(b)))"
        case .call(let f, let args):
            let text = "\(f)(\(args.map(r).joined(separator: ", ")))"
            return f == "abs" && checked ? "_c(\(text))" : text
        case .conditional(let c, let a, let b): return "(\(r(a)) if \(r(c)) else \(r(b)))"
        }
    }

    public static func render(_ s: Stmt, indent: String, checked: Bool) -> String {
        func r(_ e: Expr) -> String { render(e, checked: checked) }
        func body(_ b: [Stmt]) -> String { b.map { render($0, indent: indent + "    ", checked: checked) }.joined() }
        switch s {
        case .assign(let v, let e): return "\(indent)\(v) = \(r(e))\n"
        case .augmented(let v, let op, let e):
            if checked && !["&", "|", "^", ">>"].contains(op) { return "\(indent)\(v) = _c(\(v) \(op) \(r(e)))\n" }
            return "\(indent)\(v) \(op)= \(r(e))\n"
        case .tuple(let names, let values):
            return "\(indent)\(names.joined(separator: ", ")) = \(values.map(r).joined(separator: ", "))\n"
        case .ifElse(let branches, let otherwise):
            var out = ""
            for (k, (c, b)) in branches.enumerated() { out += "\(indent)\(k == 0 ? "if" : "elif") \(r(c)):\n" + body(b) }
            if let o = otherwise { out += "\(indent)else:\n" + body(o) }
            return out
        case .whileLoop(let counter, let bound, let condition, let b):
            let test = condition.map { " and \(r($0))" } ?? ""
            return "\(indent)\(counter) = 0\n\(indent)while \(counter) < \(bound)\(test):\n\(indent)    \(counter) += 1\n" + body(b)
        case .forRange(let v, let args, let b):
            return "\(indent)for \(v) in range(\(args.map(r).joined(separator: ", "))):\n" + body(b)
        case .breakLoop: return "\(indent)break\n"
        case .continueLoop: return "\(indent)continue\n"
        case .ret(let e): return "\(indent)return \(r(e))\n"
        }
    }

    public static func render(_ f: Function, checked: Bool) -> String {
        "def \(f.name)(\(f.parameters.joined(separator: ", "))):\n"
            + f.body.map { render($0, indent: "    ", checked: checked) }.joined() + "\n"
    }

    /// The checked rendering's helper and the names of its exceptions.
    public static let checkPrelude = """
    class _Overflow(Exception): pass
    class _NegativePower(Exception): pass
    def _c(v):
        if isinstance(v, float):
            raise _NegativePower()
        if not (-2**63 <= v < 2**63):
            raise _Overflow()
        return v

    """
}
