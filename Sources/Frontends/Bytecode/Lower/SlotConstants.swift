/// What the lowering knows about a stack slot where a block starts.
enum SlotState: Equatable {
    /// The same constant arrives on every path: the slot needs no register.
    case constant(Int64)
    /// The slot lives in its stack-slot register.
    case varying

    func merged(with other: SlotState) -> SlotState { self == other ? self : .varying }
}

/// Finds the stack slots that hold one known constant at the start of each
/// block (a forward dataflow to a fixpoint). Constants reach a slot only
/// through LOAD_CONST, COPY and SWAP; this is what lets `FOR_RANGE` see a
/// constant step inside the loop and emit a single comparison per iteration.
/// The lowering must produce an immediate in every slot found constant here,
/// which it does because it treats these instructions the same way.
enum SlotConstants {
    static func analyse(_ vf: VerifiedFunction, _ blocks: BasicBlocks) -> [[SlotState]?] {
        let code = vf.function.instructions
        var entry = [[SlotState]?](repeating: nil, count: blocks.blocks.count)
        entry[0] = []
        var work = [0]
        var queued = Set([0])
        func flow(_ stack: [Int64?], into target: Int) {
            let b = blocks.block(startingAt: target)
            let incoming = stack.map { $0.map(SlotState.constant) ?? .varying }
            if let old = entry[b] {
                let merged = zip(old, incoming).map { $0.merged(with: $1) }
                guard merged != old else { return }
                entry[b] = merged
            } else {
                entry[b] = incoming
            }
            if queued.insert(b).inserted { work.append(b) }
        }
        while let b = work.popLast() {
            queued.remove(b)
            var stack: [Int64?] = entry[b]!.map { if case .constant(let k) = $0 { k } else { nil } }
            let block = blocks.blocks[b]
            for i in block.range {
                let op = code[i].op
                switch op {
                case .jump(let t):
                    flow(stack, into: t)
                case .popJumpIfFalse(let t), .popJumpIfTrue(let t):
                    stack.removeLast()
                    flow(stack, into: t)
                case .jumpIfFalseOrPop(let t), .jumpIfTrueOrPop(let t):
                    flow(stack, into: t)
                    stack.removeLast()
                case .forRange(let t):
                    flow(Array(stack.dropLast(3)), into: t)
                    stack[stack.count - 3] = nil
                    stack.append(nil)
                case .returnValue:
                    break
                default:
                    transfer(op, &stack)
                }
            }
            if code[block.last].op.fallsThrough { flow(stack, into: block.range.upperBound) }
        }
        return entry
    }

    /// The effect of a non-jumping instruction on what is known of the slots.
    private static func transfer(_ op: BytecodeOp, _ stack: inout [Int64?]) {
        switch op {
        case .loadConst(let k): stack.append(k)
        case .copy(let n): stack.append(stack[stack.count - n])
        case .swap(let n): stack.swapAt(stack.count - 1, stack.count - n)
        default:
            let e = op.stackEffect
            stack.removeLast(e.needs)
            stack.append(contentsOf: Array(repeating: nil, count: e.needs + (e.fallThrough ?? 0)))
        }
    }
}
