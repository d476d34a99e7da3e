import TestSupport
/// SplitMix64: a small seeded generator, so that every run tests the same programs.
struct SeededRandom {
    private var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) < p * 1_000_000 }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

/// Random Python functions within the supported subset, rendered twice: plain
/// (what the importer compiles) and checked (what CPython runs as the oracle:
/// every arithmetic result passes through `_c`, which raises when it leaves
/// int64 or is a float, so that Python's bignums become the overflow trap).
struct RandomPython {
    indirect enum Expr {
        case literal(Int64)
        case name(String)
        case binary(String, Expr, Expr)
        case unary(String, Expr)
        case compare([Expr], [String])
        case logic(String, Expr, Expr)
        case call(String, [Expr])
        case conditional(Expr, Expr, Expr)
    }

    indirect enum Stmt {
        case assign(String, Expr)
        case augmented(String, String, Expr)
        case tuple([String], [Expr])
        case ifElse([(Expr, [Stmt])], [Stmt]?)
        case whileLoop(counter: String, bound: Int, condition: Expr?, body: [Stmt])
        case forRange(String, [Expr], [Stmt])
        case breakLoop, continueLoop
        case ret(Expr)
    }

    struct Function {
        var name: String
        var parameters: [String]
        var body: [Stmt]
    }

    var random: SeededRandom
    /// Functions already generated, which later ones may call: name and parameter count.
    var callable: [(String, Int)] = []
    private var counters = 0

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    // MARK: Generation

    mutating func function(name: String) -> Function {
        let parameters = Array(["a", "b", "c"].prefix(random.int(1...3)))
        var scope = parameters
        var body: [Stmt] = []
        for v in ["x", "y", "z"] {
            body.append(.assign(v, expr(scope, depth: 2)))
            scope.append(v)
        }
        for _ in 0..<random.int(2...5) { body.append(statement(scope, depth: 2, loops: 0)) }
        body.append(.ret(expr(scope, depth: 3)))
        callable.append((name, parameters.count))
        return Function(name: name, parameters: parameters, body: body)
    }

    private mutating func assignable(_ scope: [String]) -> String {
        random.pick(scope.filter { !$0.hasPrefix("w") })
    }

    private mutating func statement(_ scope: [String], depth: Int, loops: Int) -> Stmt {
        let roll = random.int(0...99)
        if depth > 0 && roll < 14 {
            var branches: [(Expr, [Stmt])] = []
            for _ in 0..<random.int(1...2) { branches.append((expr(scope, depth: 2), block(scope, depth: depth - 1, loops: loops))) }
            return .ifElse(branches, random.chance(0.5) ? block(scope, depth: depth - 1, loops: loops) : nil)
        }
        if depth > 0 && roll < 24 {
            counters += 1
            let counter = "w\(counters)"
            return .whileLoop(counter: counter, bound: random.int(1...6),
                              condition: random.chance(0.5) ? expr(scope, depth: 1) : nil,
                              body: block(scope + [counter], depth: depth - 1, loops: loops + 1))
        }
        if depth > 0 && roll < 34 {
            counters += 1
            let variable = "i\(counters)"
            let args: [Expr]
            switch random.int(0...3) {
            case 0: args = [.binary("%", expr(scope, depth: 1), .literal(7))]
            case 1: args = [.binary("%", expr(scope, depth: 1), .literal(5)), .binary("%", expr(scope, depth: 1), .literal(9))]
            case 2:
                args = [.binary("%", expr(scope, depth: 1), .literal(9)), .binary("-", .binary("%", expr(scope, depth: 1), .literal(9)), .literal(4)),
                        .literal(random.pick([1, 2, 3, -1, -2, -3]))]
            default:
                let step = Expr.binary("+", .binary("%", expr(scope, depth: 1), .literal(3)), .literal(1))
                args = [.binary("%", expr(scope, depth: 1), .literal(11)), .binary("-", .binary("%", expr(scope, depth: 1), .literal(11)), .literal(5)),
                        random.chance(0.5) ? step : .unary("-", step)]
            }
            return .forRange(variable, args, block(scope + [variable], depth: depth - 1, loops: loops + 1))
        }
        if loops > 0 && roll < 40 { return random.chance(0.5) ? .breakLoop : .continueLoop }
        if roll < 44 { return .ret(expr(scope, depth: 2)) }
        if roll < 52 {
            var names: [String] = []
            for _ in 0..<random.int(2...4) {
                let n = assignable(scope)
                if !names.contains(n) { names.append(n) }
            }
            return .tuple(names, names.map { _ in expr(scope, depth: 2) })
        }
        if roll < 70 {
            let op = random.pick(["+", "-", "*", "//", "%", "&", "|", "^", ">>", "<<", "**"])
            return .augmented(assignable(scope), op, boundedRight(op, scope))
        }
        return .assign(assignable(scope), expr(scope, depth: 3))
    }

    private mutating func block(_ scope: [String], depth: Int, loops: Int) -> [Stmt] {
        (0..<random.int(1...3)).map { _ in statement(scope, depth: depth, loops: loops) }
    }

    /// The right operand of `<<` and `**` stays small (or a small negative, to trap):
    /// CPython would otherwise build enormous numbers.
    /// Divisors are mostly `(e or k)`, and shift counts mostly `e % 66`, so that
    /// most runs return a value; the rest still trap now and then.
    private mutating func boundedRight(_ op: String, _ scope: [String]) -> Expr {
        switch op {
        case "<<", ">>": random.chance(0.1) ? .literal(Int64(random.int(-2...70))) : .binary("%", expr(scope, depth: 1), .literal(66))
        case "**": random.chance(0.1) ? .literal(Int64(random.int(-2...5))) : .binary("%", expr(scope, depth: 1), .literal(5))
        case "//", "%":
            random.chance(0.7) ? .logic("or", expr(scope, depth: 1), .literal(Int64(random.pick([1, 2, 3, 7, -3])))) : expr(scope, depth: 2)
        default: expr(scope, depth: 2)
        }
    }

    private mutating func literal() -> Int64 {
        switch random.int(0...39) {
        case 0: random.pick([Int64.max, .min, .max - 1, .min + 1, 1 << 62, -(1 << 62), 1 << 32, 3_037_000_500])
        case 1...5: Int64(random.int(-100_000...100_000))
        default: Int64(random.int(-12...12))
        }
    }

    mutating func expr(_ scope: [String], depth: Int) -> Expr {
        if depth <= 0 || random.chance(0.25) {
            return random.chance(0.6) ? .name(random.pick(scope)) : .literal(literal())
        }
        switch random.int(0...99) {
        case 0..<40:
            let op = random.pick(["+", "-", "*", "//", "%", "&", "|", "^", ">>", "<<", "**", "+", "-", "*"])
            let right = ["<<", ">>", "**", "//", "%"].contains(op) ? boundedRight(op, scope) : expr(scope, depth: depth - 1)
            var left = expr(scope, depth: depth - 1)
            if isConstant(left) && isConstant(right) { left = .name(random.pick(scope)) }
            return .binary(op, left, right)
        case 40..<50:
            var operand = expr(scope, depth: depth - 1)
            if isConstant(operand) { operand = .name(random.pick(scope)) }
            return .unary(random.pick(["-", "~", "not ", "+"]), operand)
        case 50..<65:
            let n = random.chance(0.3) ? 3 : 2
            return .compare((0..<n).map { _ in expr(scope, depth: depth - 1) },
                            (1..<n).map { _ in random.pick(["<", "<=", "==", "!=", ">", ">="]) })
        case 65..<75:
            return .logic(random.pick(["and", "or"]), expr(scope, depth: depth - 1), expr(scope, depth: depth - 1))
        case 75..<85:
            switch random.int(0...2) {
            case 0: return .call("abs", [expr(scope, depth: depth - 1)])
            default: return .call(random.pick(["min", "max"]), (0..<random.int(2...3)).map { _ in expr(scope, depth: depth - 1) })
            }
        case 85..<93 where !callable.isEmpty:
            let (f, n) = random.pick(callable)
            return .call(f, (0..<n).map { _ in expr(scope, depth: depth - 1) })
        default:
            return .conditional(expr(scope, depth: depth - 1), expr(scope, depth: depth - 1), expr(scope, depth: depth - 1))
        }
    }

    /// Whether CPython could fold `e` into a constant (which might not fit in int64).
    private func isConstant(_ e: Expr) -> Bool {
        switch e {
        case .literal: true
        case .name, .call: false
        case .binary(_, let a, let b), .logic(_, let a, let b): isConstant(a) && isConstant(b)
        case .unary(_, let a): isConstant(a)
        case .compare(let items, _): items.allSatisfy(isConstant)
        case .conditional(let c, let a, let b): isConstant(c) && isConstant(a) && isConstant(b)
        }
    }

    // MARK: Rendering

    static func render(_ e: Expr, checked: Bool) -> String {
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

    static func render(_ s: Stmt, indent: String, checked: Bool) -> String {
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

    static func render(_ f: Function, checked: Bool) -> String {
        "def \(f.name)(\(f.parameters.joined(separator: ", "))):\n"
            + f.body.map { render($0, indent: "    ", checked: checked) }.joined() + "\n"
    }

    /// The checked rendering's helper and the names of its exceptions.
    static let checkPrelude = """
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
