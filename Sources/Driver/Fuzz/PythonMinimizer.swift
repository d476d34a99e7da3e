/// Shrinks generated Python functions while a predicate (the mismatch) still
/// holds, by deleting the functions the entry does not need, then statements — compound ones with everything inside them
/// first, since the walk is in source order. A deletion that makes the file
/// invalid for the importer (an empty block, a variable read before it is
/// assigned, a missing `return`) fails the predicate and is simply not kept.
public struct PythonMinimizer {
    public typealias Function = PythonProgramGenerator.Function
    public typealias Stmt = PythonProgramGenerator.Stmt

    /// Evaluations to spend; each costs two CPython runs and a compile.
    public var budget: Int
    public var onStep: () -> Void

    public init(budget: Int = 60, onStep: @escaping () -> Void = {}) {
        self.budget = budget
        self.onStep = onStep
    }

    /// The last function is the entry and is always kept.
    public func minimize(_ functions: [Function], failing: ([Function]) -> Bool) -> [Function] {
        var best = functions
        var spent = 0
        var progress = true
        while progress && spent < budget {
            progress = false
            // Whole functions the entry turns out not to need.
            var f = best.count - 2
            while f >= 0 && spent < budget {
                var candidate = best
                candidate.remove(at: f)
                spent += 1
                onStep()
                if failing(candidate) {
                    best = candidate
                    progress = true
                }
                f -= 1
            }
            for f in best.indices {
                var n = 0
                while n < Self.count(best[f].body) && spent < budget {
                    var candidate = best
                    var k = n
                    candidate[f].body = Self.removing(best[f].body, &k)
                    spent += 1
                    onStep()
                    if failing(candidate) {
                        best = candidate
                        progress = true
                    } else {
                        n += 1
                    }
                }
            }
        }
        return best
    }

    /// Statements in `body`, nested ones included.
    static func count(_ body: [Stmt]) -> Int {
        body.reduce(0) { total, s in
            switch s {
            case .ifElse(let branches, let otherwise):
                total + 1 + branches.reduce(0) { $0 + count($1.1) } + count(otherwise ?? [])
            case .whileLoop(_, _, _, let inner), .forRange(_, _, let inner):
                total + 1 + count(inner)
            default:
                total + 1
            }
        }
    }

    /// `body` without its `n`-th statement in source order (counting nested
    /// ones); `n` is consumed as statements are passed.
    static func removing(_ body: [Stmt], _ n: inout Int) -> [Stmt] {
        var out: [Stmt] = []
        for s in body {
            if n == 0 {
                n = -1
                continue
            }
            if n < 0 {
                out.append(s)
                continue
            }
            n -= 1
            switch s {
            case .ifElse(let branches, let otherwise):
                var newBranches: [(PythonProgramGenerator.Expr, [Stmt])] = []
                for (c, b) in branches { newBranches.append((c, removing(b, &n))) }
                out.append(.ifElse(newBranches, otherwise.map { removing($0, &n) }))
            case .whileLoop(let counter, let bound, let condition, let inner):
                out.append(.whileLoop(counter: counter, bound: bound, condition: condition, body: removing(inner, &n)))
            case .forRange(let v, let args, let inner):
                out.append(.forRange(v, args, removing(inner, &n)))
            default:
                out.append(s)
            }
        }
        return out
    }
}
