import JitIR
import NativeCode

/// The hand-written x86-64 backend: a baseline compiler with linear-scan
/// register allocation that turns IR into machine code in microseconds.
public struct X86Backend: ExecutionEngine, Sendable {
    /// Registers the allocator may use; nil for all of them. Tests shrink it to force spilling.
    var allocatableRegisters: RegisterSet?

    public init() {}

    init(allocatableRegisters: RegisterSet?) {
        self.allocatableRegisters = allocatableRegisters
    }

    public var name: String { "x86" }

    public func compile(_ module: Module) throws -> any CompiledProgram {
        try compileProgram(module)
    }

    /// Like `compile`, with the concrete type (for code dumps and timings).
    public func compileProgram(_ module: Module) throws -> X86Program {
        try compileProgram(module, tierUp: nil)
    }

    /// Compiles `module` so that its activations can move to other code while they run: each of
    /// `sites` (from `tierUpSites`) polls its byte in `slots` (see `TierUpSlots`) and passes the
    /// registers live there (`X86Program.tierUpParameters`). A site whose registers the allocator
    /// did not keep is left out; it then never calls the hook.
    public func compileProgram(_ module: Module, tierUp slots: TierUpSlots, sites: [LoopEntry.Site]) throws -> X86Program {
        try compileProgram(module, tierUp: (slots, sites))
    }

    /// The most loop heads of one function that get a site (optimtease has 10,000 loops).
    static let maximumSitesPerFunction = 1_024

    /// The places where code compiled for tier-up can move an activation to other code: the
    /// entry of every function that loops or may recur, and its loop heads (`LoopEntry.loopHeads`) but those of the innermost
    /// loops of a nest, unless this backend runs other blocks than the IR's there
    /// (`RecursiveInlining`). Their registers are left empty: the compile names the ones each
    /// site passes (`X86Program.tierUpParameters`), from the liveness it computes anyway.
    public static func tierUpSites(_ module: Module) -> [LoopEntry.Site] {
        var sites: [LoopEntry.Site] = []
        var seen = Set<String>()
        var recursive: Set<String>?  // found when a function without loops asks
        for f in module.functions where !f.blocks.isEmpty && seen.insert(f.name).inserted {
            // Innermost loops of a nest get no poll: their enclosing loop polls each time one starts,
            // and their iterations are where a poll would cost most.
            let nest = LoopEntry.loopNest(f)
            var heads = RecursiveInlining.shouldInline(f) ? [] : nest.heads.filter { $0 != 0 && !nest.innermostNested.contains($0) }
            if heads.count > maximumSitesPerFunction {
                // Each site costs compile time (its poll and its way out); a huge program keeps
                // those of its outermost loops.
                heads = Array(heads.sorted { (nest.depth[$0] ?? 0, $0) < (nest.depth[$1] ?? 0, $1) }
                    .prefix(maximumSitesPerFunction)).sorted()
            }
            // A call of a function without loops or recursion ends soon: it runs long only as part
            // of a caller's loop or recursion, whose own site moves it too (a compile takes in every
            // function the compiled one may call). Its entry then gets no poll, which would cost
            // every call (arith's `foo`, 6 million calls: 20%).
            var entry = [0]
            if nest.heads.isEmpty {
                if recursive == nil { recursive = recursiveFunctions(module) }
                if recursive?.contains(f.name) == false { entry = [] }
            }
            for b in entry + heads { sites.append(LoopEntry.Site(function: f.name, block: b, live: [])) }
        }
        return sites
    }

    /// The functions of `module` that a chain of calls can lead back to: those in a cycle of the
    /// call graph (Tarjan's strongly connected components, in one pass).
    static func recursiveFunctions(_ module: Module) -> Set<String> {
        var index: [String: Int] = [:]
        var names: [String] = []
        for f in module.functions where index[f.name] == nil {
            index[f.name] = names.count
            names.append(f.name)
        }
        var callees = [[Int]](repeating: [], count: names.count)
        var callsItself = [Bool](repeating: false, count: names.count)
        for f in module.functions {
            guard let k = index[f.name] else { continue }
            for block in f.blocks {
                for inst in block.instructions {
                    guard case .call(_, let callee, _) = inst.op, let c = index[callee] else { continue }
                    callees[k].append(c)
                    if c == k { callsItself[k] = true }
                }
            }
        }
        var order = [Int](repeating: -1, count: names.count), low = order
        var onStack = [Bool](repeating: false, count: names.count)
        var stack: [Int] = []
        var next = 0
        var recursive = Set<String>()
        for root in names.indices where order[root] < 0 {
            // Each frame: a function and how many of its callees it has visited.
            var frames = [(function: root, edge: 0)]
            order[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            while let (v, edge) = frames.last {
                if edge < callees[v].count {
                    frames[frames.count - 1].edge += 1
                    let w = callees[v][edge]
                    if order[w] < 0 {
                        order[w] = next; low[w] = next; next += 1
                        stack.append(w); onStack[w] = true
                        frames.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], order[w])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last?.function { low[parent] = min(low[parent], low[v]) }
                guard low[v] == order[v] else { continue }
                var component: [Int] = []
                while let w = stack.popLast() {
                    onStack[w] = false
                    component.append(w)
                    if w == v { break }
                }
                if component.count > 1 || callsItself[v] { for w in component { recursive.insert(names[w]) } }
            }
        }
        return recursive
    }

    private func compileProgram(_ module: Module, tierUp: (slots: TierUpSlots, sites: [LoopEntry.Site])?) throws -> X86Program {
        let context = try NativeContext(memorySize: module.memorySize, guardBytes: module.guardBytes)
        let runtime = RuntimeAddresses(context)
        let clock = ContinuousClock()
        let start = clock.now
        let code = try ModuleCompiler.compile(module, runtime: runtime, allocatable: allocatableRegisters, tierUp: tierUp)
        let elapsed = clock.now - start
        let memory: ExecutableMemory
        do {
            memory = try ExecutableMemory(code: code.bytes)
        } catch {
            throw InternalError("x86: \(error)")
        }
        let program = X86Program(module: module, code: code, memory: memory, context: context, codegenTime: elapsed)
        program.tierUpSlots = tierUp?.slots
        program.tierUpParameters = code.tierUpParameters
        return program
    }
}
