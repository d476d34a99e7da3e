/// Within each block, a store that a later store to the same cell overwrites is dropped, when
/// nothing between them can read it or stop the program, and when the store cannot trap itself;
/// so is a store of the value the cell already holds.
///
/// - A store cannot trap when its cell was accessed before on every path to it (`AccessedCells`).
///   A probe that marked it goes with it: the guard regions have nothing left to catch there.
/// - Everything that could observe memory ends the search: a load through another register (it
///   may alias) or of the same cell, a call, a host call, a scan, and anything that may trap (a
///   trap shows the memory as it is there), an access of a cell not known to be in memory included.
///
/// Output, memory at every trap and exit, and traps and their positions are therefore unchanged.
public enum OverwrittenStores {
    public static func run(_ f: Function) -> Function {
        guard let accessed = AccessedCells(f) else { return f }
        var f = f
        for b in f.blocks.indices {
            guard let entry = accessed.atEntry[b] else { continue }
            f.blocks[b].instructions = run(f.blocks[b].instructions, accessed: accessed, entry: entry, types: f.registerTypes)
        }
        return f
    }

    private static func run(_ instructions: [Instruction], accessed: AccessedCells, entry: AccessedCells.Cells,
                            types: [IntType]) -> [Instruction] {
        // Forward: which accesses are of a cell accessed before (they cannot trap).
        var state = AccessedCells.State(cells: entry)
        var proven = [Bool](repeating: false, count: instructions.count)
        for (i, inst) in instructions.enumerated() {
            if let offset = accessed.cell(inst.op, types: types) { proven[i] = state.contains(offset) }
            accessed.step(&state, inst, types: types)
        }
        var dropped = [Bool](repeating: false, count: instructions.count)  // by index: looked up for every instruction
        // Backward: the cells a later store overwrites before anything can look at them, as
        // offsets from the pointer at the block's end (`moved`: how far it moves from here to there).
        var overwritten: [Int64] = []  // few at a time: a list
        var moved: Int64 = 0
        for i in instructions.indices.reversed() where !dropped[i] {
            let inst = instructions[i]
            let cell = accessed.cell(inst.op, types: types)
            switch inst.op {
            case .store:
                guard let offset = cell, proven[i] else {
                    overwritten.removeAll()  // it may trap, or it is through another register
                    if let offset = cell { overwritten.append(offset &- moved) }
                    break
                }
                if overwritten.contains(offset &- moved) {
                    dropped[i] = true
                    if i > 0, case .probe = instructions[i - 1].op { dropped[i - 1] = true }
                } else {
                    overwritten.append(offset &- moved)
                }
            case .load:
                if let offset = cell, proven[i] { overwritten.removeAll { $0 == offset &- moved } } else { overwritten.removeAll() }
            case .call, .hostCall, .scan, .probe, .trapIf, .enter, .leave:
                overwritten.removeAll()
            default:
                if inst.mayTrap { overwritten.removeAll() }
            }
            guard inst.defined == accessed.pointer else { continue }
            if let amount = inst.op.constantMove(of: accessed.pointer) {
                moved = moved &+ amount
            } else {
                overwritten.removeAll()
            }
        }
        // Forward again, over what is left: a store of the value its cell already holds (a
        // register just loaded from it or stored to it, or the same constant) changes nothing.
        state = AccessedCells.State(cells: entry)
        var holds: [(cell: Int64, value: Operand)] = []  // by offset from the block's start
        for (i, inst) in instructions.enumerated() {
            let key = accessed.cell(inst.op, types: types).map { $0 &+ state.moved }
            defer { accessed.step(&state, inst, types: types) }
            if dropped[i] { continue }
            switch inst.op {
            case .store(_, let value, _, _):
                if let key {
                    if proven[i], holds.contains(where: { $0.cell == key && $0.value == value }) {
                        dropped[i] = true
                        if i > 0, case .probe = instructions[i - 1].op { dropped[i - 1] = true }
                    }
                    holds.removeAll { $0.cell == key }
                    holds.append((key, value))
                } else {
                    holds.removeAll()  // through another register: it may alias any cell
                }
            case .load(let d, _, _):
                if let key {
                    holds.removeAll { $0.cell == key }
                    holds.append((key, .reg(d)))
                }
            case .call:
                holds.removeAll()  // the callee may write memory
            default:
                break
            }
            if let d = inst.defined {
                holds.removeAll { $0.value == .reg(d) && $0.cell != key }
                if d == accessed.pointer, inst.op.constantMove(of: d) == nil { holds.removeAll() }
            }
        }
        return instructions.without(dropped)
    }
}
