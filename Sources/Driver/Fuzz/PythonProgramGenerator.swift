/// The random source of `PythonProgramGenerator`: `FuzzRandom` with the
/// helpers the generator was written against (a probability as a fraction).
struct PythonRandom {
    private var generator: FuzzRandom

    init(seed: UInt64) { generator = FuzzRandom(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    mutating func int(_ range: ClosedRange<Int>) -> Int { generator.int(range) }

    mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) < p * 1_000_000 }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

/// Random Python functions within the supported subset, rendered twice: plain
/// (what the importer compiles) and checked (what CPython runs as the oracle:
/// every arithmetic result passes through `_c`, which raises when it leaves
/// int64 or is a float, so that Python's bignums become the overflow trap).
public struct PythonProgramGenerator {
    public indirect enum Expr: Sendable {
        case literal(Int64)
        case name(String)
        case binary(String, Expr, Expr)
        case unary(String, Expr)
        case compare([Expr], [String])
        case logic(String, Expr, Expr)
        case call(String, [Expr])
        case conditional(Expr, Expr, Expr)
    }

    public indirect enum Stmt: Sendable {
        case assign(String, Expr)
        case augmented(String, String, Expr)
        case tuple([String], [Expr])
        case ifElse([(Expr, [Stmt])], [Stmt]?)
        case whileLoop(counter: String, bound: Int, condition: Expr?, body: [Stmt])
        case forRange(String, [Expr], [Stmt])
        case breakLoop, continueLoop
        case ret(Expr)
    }

    public struct Function: Sendable {
        public var name: String
        public var parameters: [String]
        public var body: [Stmt]
    }

    var random: PythonRandom
    /// Functions already generated, which later ones may call: name and parameter count.
    public var callable: [(String, Int)] = []
    private var counters = 0
    /// Also generate, now and then, a recursive helper `f_r(d, a)` that later
    /// functions call with a depth of `e % 8` (off by default, so that the
    /// programs of a seed stay what they were before the option existed).
    public var recursion = false
    /// The recursive helpers generated so far (rendered by `extraFunctions`).
    public private(set) var helpers: [Function] = []
    private var recursive: Set<String> = []

    public init(seed: UInt64) { random = PythonRandom(seed: seed) }

    // MARK: Generation

    public mutating func function(name: String) -> Function {
        if recursion && callable.isEmpty && random.chance(0.5) { helpers.append(recursiveHelper(name: name + "_r")) }
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
        // Loop counters (`w…`) and a recursive helper's depth (`d`) are never reassigned.
        random.pick(scope.filter { !$0.hasPrefix("w") && $0 != "d" })
    }

    /// `def name(d, a)`: returns at depth 0, otherwise recurses once on `d - 1`.
    private mutating func recursiveHelper(name: String) -> Function {
        var scope = ["d", "a"]
        var body: [Stmt] = [.ifElse([(.compare([.name("d"), .literal(0)], ["<="]), [.ret(expr(["a"], depth: 2))])], nil)]
        body.append(.assign("x", expr(scope, depth: 2)))
        scope.append("x")
        for _ in 0..<random.int(1...2) { body.append(statement(scope, depth: 1, loops: 0)) }
        let call = Expr.call(name, [.binary("-", .name("d"), .literal(1)), expr(scope, depth: 1)])
        body.append(.ret(.binary(random.pick(["+", "-", "^", "*"]), expr(scope, depth: 1), call)))
        callable.append((name, 2))
        recursive.insert(name)
        return Function(name: name, parameters: ["d", "a"], body: body)
    }

    /// The recursive helpers, rendered; they belong with the functions `function(name:)` returned.
    public func extraFunctions(checked: Bool) -> String {
        helpers.map { Self.render($0, checked: checked) }.joined()
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

    public mutating func expr(_ scope: [String], depth: Int) -> Expr {
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
            if recursive.contains(f) {
                // A depth of 0...7: Python's `%` by a positive number is never negative.
                return .call(f, [.binary("%", expr(scope, depth: depth - 1), .literal(8)), expr(scope, depth: depth - 1)])
            }
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
}
