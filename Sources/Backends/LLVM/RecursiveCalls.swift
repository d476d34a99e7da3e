import JitIR

/// The call edges that can take part in unbounded recursion: those whose caller and callee lie
/// in one strongly connected component of the call graph (a cycle, self-calls included).
/// Only these calls need a stack check; every other chain of calls has bounded depth.
struct RecursiveCalls {
    private var component: [String: Int] = [:]
    private var cyclic: Set<Int> = []

    init(_ module: JitIR.Module) {
        var callees: [String: [String]] = [:]
        for f in module.functions {
            var out: [String] = []
            for block in f.blocks {
                for inst in block.instructions {
                    if case .call(_, let callee, _) = inst.op { out.append(callee) }
                }
            }
            callees[f.name] = out
        }
        // Tarjan's algorithm, iterative so deep call chains cannot overflow our own stack.
        var index: [String: Int] = [:], low: [String: Int] = [:]
        var stack: [String] = [], onStack: Set<String> = []
        var next = 0, components = 0
        for root in module.functions.map(\.name) where index[root] == nil {
            var work: [(node: String, edge: Int)] = [(root, 0)]
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack.insert(root)
            while let (node, edge) = work.last {
                let out = callees[node] ?? []
                if edge < out.count {
                    work[work.count - 1].edge += 1
                    let w = out[edge]
                    guard callees[w] != nil else { continue }
                    if index[w] == nil {
                        index[w] = next; low[w] = next; next += 1
                        stack.append(w); onStack.insert(w)
                        work.append((w, 0))
                    } else if onStack.contains(w) {
                        low[node] = min(low[node]!, index[w]!)
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last { low[parent.node] = min(low[parent.node]!, low[node]!) }
                if low[node] == index[node] {
                    var members: [String] = []
                    while let w = stack.popLast() {
                        onStack.remove(w)
                        members.append(w)
                        component[w] = components
                        if w == node { break }
                    }
                    if members.count > 1 || (callees[node] ?? []).contains(node) { cyclic.insert(components) }
                    components += 1
                }
            }
        }
    }

    /// Whether a call from `caller` to `callee` may recurse without bound.
    func isRecursive(from caller: String, to callee: String) -> Bool {
        guard let c = component[caller], c == component[callee] else { return false }
        return cyclic.contains(c)
    }
}
