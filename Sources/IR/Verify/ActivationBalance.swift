/// Checks that `enter` and `leave` pair up like the call they stand for (I11):
/// every path from the entry reaches a block with the same number of open
/// activations, no `leave` closes one that is not open, and none is open at a
/// `ret`. A forward walk over the reachable blocks, since the count must be a
/// single number per block.
struct ActivationBalance {
    /// A place where the count goes wrong; `instruction` is nil for the terminator.
    struct Violation: Equatable {
        var block: Int
        var instruction: Int?
        var message: String
    }

    static func violations(in f: Function) -> [Violation] {
        guard !f.blocks.isEmpty else { return [] }
        var open: [Int?] = Array(repeating: nil, count: f.blocks.count)
        open[0] = 0
        var work = [0]
        var found: [Violation] = []
        while let b = work.popLast() {
            guard var count = open[b] else { continue }
            for (k, i) in f.blocks[b].instructions.enumerated() {
                switch i.op {
                case .enter: count += 1
                case .leave:
                    if count == 0 {
                        found.append(Violation(block: b, instruction: k, message: "leave without an open enter"))
                    } else {
                        count -= 1
                    }
                default: break
                }
            }
            let terminator = f.blocks[b].terminator
            if case .ret = terminator, count != 0 {
                found.append(Violation(block: b, instruction: nil, message: "ret with \(count) enter(s) not left"))
            }
            for s in terminator.successors.map(\.index) where f.blocks.indices.contains(s) {
                switch open[s] {
                case nil:
                    open[s] = count
                    work.append(s)
                case let known? where known != count:
                    found.append(Violation(
                        block: b, instruction: nil,
                        message: "reaches block '\(f.blocks[s].label)' with \(count) enter(s) open, another path with \(known)"))
                default:
                    break
                }
            }
        }
        return found
    }
}
