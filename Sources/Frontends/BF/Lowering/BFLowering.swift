import JitIR

/// Translates BF ops into the `@main` function of an IR module.
///
/// The tape pointer lives in one i64 register as a byte address (cell index ×
/// cell bytes), which may lag behind the Brainfuck pointer by `lag` cells: a cell
/// is `load`/`store iN [p + (lag + offset)×bytes]`. Every touched
/// cell is guarded by `trapIf (addr >u memorySize - cellBytes), out_of_bounds`
/// at the position of the command that touched it, unless the cell is known to
/// be on the tape already (see `KnownRange`, `LoopFacts`). The function uses a
/// handful of registers, reassigned throughout: pointer, cell value, condition,
/// address, loop count, product, input byte.
struct BFLowering {
    let options: BFOptions
    let cellType: IntType
    let cellBytes: Int
    /// The largest valid byte address of a cell.
    let lastCell: Int64
    let eliminateChecks: Bool
    /// The module's guard regions (`Module.guardBytes`), 0 when it has none.
    let guardBytes: Int
    let hooks: BFTestHooks
    private var guardCells: Int { hooks.guardCells }

    var b = FunctionBuilder(name: "main")
    var known = KnownRange.empty
    private let loopFacts: [KnownRange]
    private var nextLoop = 0
    /// The body of the innermost loop being emitted, and how far one iteration of it moves the
    /// pointer when that is the same every time (`step`, worked out when first asked).
    var loopBody: [BFOp]?
    var loopStepFound: Int??
    private var coldBlocks: Set<Int> = []
    /// Cells held in registers (`CellCache`), and every register ever used for one.
    var cellCache = CellCache.empty
    private var cellRegisters: [Var] = []
    /// The offset of a cell known not to hold 0, for the next op only: a loop body's own cell,
    /// just tested. A multiply on it then runs for sure (no branch, no select on its count).
    var nonZeroCell: Int?

    let pointer: Var
    /// How many cells the Brainfuck pointer lies past the `pointer` register. A move only
    /// changes this; the register catches up where paths meet (`settle`), so code between
    /// loops keeps one base register and folds its moves into displacements (counter.bf's
    /// `>>>[>>]<[…]>+<<[-<<]<` ran in 0.50 s, and in 0.43 s with its moves folded, on an AMD EPYC).
    private(set) var lag = 0
    private var registers: [Register: Var] = [:]

    enum Register { case value, condition, address, count, product, byte, fuel }

    init(ops: [BFOp], options: BFOptions, cellType: IntType, eliminateChecks: Bool, guardBytes: Int = 0,
         hooks: BFTestHooks = BFTestHooks()) {
        self.options = options
        self.cellType = cellType
        self.cellBytes = cellType.bytes
        self.lastCell = Int64(options.tapeSize - 1) * Int64(cellType.bytes)
        self.eliminateChecks = eliminateChecks
        self.guardBytes = guardBytes
        self.hooks = hooks
        self.loopFacts = LoopFacts(ops).endOfBody
        pointer = b.newRegister(.i64)
        b.assign(pointer, .imm(Int64(hooks.guardCells) * Int64(cellBytes)))
        if let limit = hooks.loopIterationLimit { b.assign(reg(.fuel), .imm(Int64(limit))) }
    }

    /// The finished function.
    /// - Throws: `InternalError` if the lowering misused its builder (a bug in jitctl).
    mutating func finish(_ ops: [BFOp]) throws -> Function {
        emit(ops)
        b.loc = .unknown
        b.ret(nil)
        do {
            return try b.finish().movingToEnd(coldBlocks)
        } catch {
            throw InternalError("BF lowering: \(error)")
        }
    }

    mutating func reg(_ r: Register) -> Var {
        if let v = registers[r] { return v }
        let type: IntType = switch r {
        case .value, .count, .product: cellType
        case .condition: .i1
        case .address, .fuel: .i64
        case .byte: .i32
        }
        let v = b.newRegister(type)
        registers[r] = v
        return v
    }

    /// The byte offset from the `pointer` register of the cell `offset` cells from the Brainfuck pointer.
    func address(_ offset: Int) -> Int64 { bytes(lag + offset) }

    /// `cells` cells in bytes: a distance, not a position.
    func bytes(_ cells: Int) -> Int64 { Int64(cells) * Int64(cellBytes) }

    /// Moves the `pointer` register so that it lags the Brainfuck pointer by `target` cells.
    mutating func settle(to target: Int) {
        guard lag != target else { return }
        b.append(.binary(.add, dst: pointer, lhs: .reg(pointer), rhs: .imm(bytes(lag - target)), checked: false))
        lag = target
    }

    func normalized(_ x: Int) -> Int64 { cellType.normalize(Int64(x)) }

    // MARK: Ops

    mutating func emit(_ ops: [BFOp]) {
        for op in ops { emit(op) }
    }

    mutating func emit(_ op: BFOp) {
        let nonZero = nonZeroCell
        nonZeroCell = nil
        switch op {
        case .add(let o, let d, let loc):
            let delta = normalized(d)
            check(o, loc, accessFollows: delta != 0)
            if delta != 0 { addToCell(o, .imm(delta), loc) }
        case .set(let o, let v, let loc):
            check(o, loc, accessFollows: true)
            b.loc = loc
            b.store(cellType, .imm(normalized(v)), base: pointer, offset: address(o))
            cellCache.forget(o)
        case .move(let n, _):
            movePointer(n)
        case .output(let o, let loc):
            check(o, loc, accessFollows: true)
            b.loc = loc
            let value = cellValue(o)
            b.append(.hostCall(.putByte, dst: nil, args: [.reg(value)]))
            // No cell register lives across a host call: x86 would have to save it.
            cellCache = .empty
        case .write(let bytes, let loc):
            b.loc = loc
            // One call per 8 bytes: lostkingdom's text was 18,700 calls, an eighth of its IR.
            for start in stride(from: bytes.startIndex, to: bytes.endIndex, by: 8) {
                let chunk = bytes[start..<min(start + 8, bytes.endIndex)]
                if chunk.count == 1 {
                    b.append(.hostCall(.putByte, dst: nil, args: [.imm(Int64(chunk.first!))]))
                } else {
                    b.append(.hostCall(.putBytes, dst: nil, args: [.imm(Semantics.putBytesWord(chunk)), .imm(Int64(chunk.count))]))
                }
            }
            cellCache = .empty
        case .input(let o, let loc):
            check(o, loc)
            emitInput(o, loc)
        case .loop(let body, let open, let close):
            let facts = loopFacts[nextLoop]
            nextLoop += 1
            if let ladder = Ladder(body: body), fitsCellWidth(ladder) {
                nextLoop += ladder.nestedLoops
                emitLoop(open: open, close: close, bodyFacts: facts, runsOnce: true) { $0.emitLadder(ladder, open) }
                return
            }
            if FirstIterationPeeling.worthPeeling(body) && multipliesUseHeldCells(body) {
                return emitFirstIterationApart(body, open: open, close: close)
            }
            let outer = (loopBody, loopStepFound)
            (loopBody, loopStepFound) = (body, nil)
            emitLoop(open: open, close: close, bodyFacts: facts, runsOnce: BFOp.leavesItsCellZero(body)) {
                $0.nonZeroCell = 0
                $0.emit(body)
            }
            (loopBody, loopStepFound) = outer
        case .scan(let step, let open, let close):
            // Test hooks that shift the tape or count iterations keep the scan an ordinary loop.
            // So does a guarded tape, for a step that no engine searches many cells at a time
            // (only byte strides of 1, 2, 4 and 8 are): the loop's test needs no check, as
            // the guards catch it, where a scan checks every cell it tests (mandelbrot's `[<<<<<<<<<]`).
            let searchable = [1, 2, 4, 8].contains(abs(step) * cellBytes)
            let asScan = hooks.guardCells == 0 && hooks.loopIterationLimit == nil
                && (searchable || guardBytes < abs(step) * cellBytes)
            emitLoop(open: open, close: close, bodyFacts: LoopFacts.scanEndOfBody(step: step),
                     scanStep: asScan ? step : nil) {
                $0.movePointer(step)
            }
        case .multiply(let m):
            emitMultiply(m, countIsNonZero: nonZero == m.offset)
        case .divmod(let d):
            emitDivmod(d)
        }
    }

    /// `cell[p + offset] += amount`: its register updated, then stored.
    mutating func addToCell(_ offset: Int, _ amount: Operand, _ loc: SourceLoc, subtract: Bool = false) {
        b.loc = loc
        let value = cellValue(offset)
        b.append(.binary(subtract ? .sub : .add, dst: value, lhs: .reg(value), rhs: amount, checked: false))
        b.store(cellType, .reg(value), base: pointer, offset: address(offset))
    }

    /// `cell[p + offset] += k × count` (nothing for k = 0; an add or subtract of `count` for ±1).
    mutating func addMultiple(_ k: Int64, of count: Var, toCell offset: Int, _ loc: SourceLoc) {
        if k == 1 || k == -1 {
            addToCell(offset, .reg(count), loc, subtract: k == -1)
        } else if k != 0 {
            b.loc = loc
            let product = reg(.product)
            b.append(.binary(.mul, dst: product, lhs: .reg(count), rhs: .imm(k), checked: false))
            addToCell(offset, .reg(product), loc)
        }
    }

    /// The register holding `cell[p + offset]`, loaded into one first when none does.
    mutating func cellValue(_ offset: Int) -> Var {
        if let r = cellCache.register(for: offset) { return r }
        let r = cellRegister(offset)
        b.append(.load(dst: r, base: pointer, offset: address(offset)))
        return r
    }

    /// A register that holds `cell[p + offset]` from now on: the caller gives it the cell's
    /// value (a load, or a value it stores to the cell).
    mutating func cellRegister(_ offset: Int) -> Var {
        if let r = cellCache.register(for: offset) { return r }
        let r: Var
        if let free = cellCache.freeRegister(in: cellRegisters) {
            r = free
        } else {
            r = b.newRegister(cellType)
            cellRegisters.append(r)
        }
        cellCache.hold(offset, in: r)
        return r
    }

    private mutating func movePointer(_ cells: Int) {
        guard cells != 0 else { return }
        lag += cells
        known = known.shifted(by: cells)
        cellCache = cellCache.shifted(by: cells)
    }

    private mutating func emitInput(_ o: Int, _ loc: SourceLoc) {
        b.loc = loc
        let byte = reg(.byte), value = reg(.value)
        b.append(.hostCall(.getByte, dst: byte, args: []))
        // getbyte gives 0...255 or -1; narrowing -1 gives the all-ones cell.
        let narrowed: Op = cellType == .i32
            ? .copy(dst: value, src: .reg(byte))
            : .convert(.trunc, dst: value, src: .reg(byte), from: .i32)
        switch options.eof {
        case .minusOne:
            b.append(narrowed)
        case .zero, .unchanged:
            let atEnd = reg(.condition)
            b.append(.compare(.eq, type: .i32, dst: atEnd, lhs: .reg(byte), rhs: .imm(-1)))
            b.append(narrowed)
            let fallback: Operand
            if options.eof == .zero {
                fallback = .imm(0)
            } else {
                let old = reg(.count)
                b.append(.load(dst: old, base: pointer, offset: address(o)))
                fallback = .reg(old)
            }
            b.append(.select(dst: value, cond: .reg(atEnd), ifTrue: fallback, ifFalse: .reg(value)))
        }
        b.store(cellType, .reg(value), base: pointer, offset: address(o))
        cellCache = .empty  // after a host call (see `.output`)
    }

    // MARK: Bounds checks

    /// Guards `cell[p + offset]` with a trap at `loc`, unless it is known to be on the tape, or
    /// `accessFollows` (the next memory access, at `loc`, is of this cell) and the guard regions
    /// cover it: the access then traps itself if it misses the tape.
    mutating func check(_ offset: Int, _ loc: SourceLoc, accessFollows: Bool = false) {
        if eliminateChecks && known.contains(offset) { return }
        if eliminateChecks && cellCache.holds(offset) {
            known.include(offset)  // it was read or written on every path here
            return
        }
        if accessFollows && guardCovers(offset) {
            // The probe marks the access that follows (IR invariant I12) as one the guards catch.
            b.loc = loc
            b.append(.probe(type: cellType, base: pointer, offset: address(offset)))
            known.include(offset)
            return
        }
        b.loc = loc
        b.trapIf(.reg(outOfRange(offset)), .outOfBounds)
        known.include(offset)
    }

    /// Whether `check(offset, _, accessFollows: true)` would leave that cell to the guard regions.
    func guardWouldCatch(_ offset: Int) -> Bool {
        eliminateChecks && !known.contains(offset) && !cellCache.holds(offset) && guardCovers(offset)
    }

    /// Whether an access of `cell[p + offset]` that misses the tape lands in a guard region. It
    /// does when it lies within `guardBytes` of a cell known to be on the tape: the pointer can
    /// only have moved that far from it since.
    func guardCovers(_ offset: Int) -> Bool {
        guard guardBytes > 0, !known.isEmpty else { return false }
        let distance = offset < known.lower ? known.lower - offset : offset - known.upper
        return distance * cellBytes <= guardBytes
    }

    /// Like `check`, but a failing check first applies `partialWrites` (cell
    /// offset, amount), in a cold block, so the tape at the trap is exactly
    /// what the original loop would have left.
    mutating func check(_ offset: Int, _ loc: SourceLoc, after partialWrites: [(Int, Int64)]) {
        if partialWrites.isEmpty { return check(offset, loc) }
        check(offset, loc) { l in
            for (o, amount) in partialWrites { l.addToCell(o, .imm(amount), loc) }
        }
    }

    /// Like `check`, but a failing check first does `partialWrites`, in a cold block.
    mutating func check(_ offset: Int, _ loc: SourceLoc, writingFirst partialWrites: (inout BFLowering) -> Void) {
        if eliminateChecks && known.contains(offset) { return }
        b.loc = loc
        trapInColdBlock(if: outOfRange(offset), at: loc, after: partialWrites)
        known.include(offset)
    }

    /// Branches to a cold block that does `partialWrites` (so the tape is what the original left
    /// at the trap) and traps out of bounds at `loc`, when `failed`; goes on in a new block.
    mutating func trapInColdBlock(if failed: Var, at loc: SourceLoc, after partialWrites: (inout BFLowering) -> Void) {
        let trapBlock = b.newBlock("oob\(b.function.blocks.count)")
        let cont = b.newBlock()
        b.branch(.reg(failed), trapBlock, cont)
        b.position(at: trapBlock)
        let continuing = cellCache
        partialWrites(&self)
        cellCache = continuing
        b.loc = loc
        b.trap(.outOfBounds)
        coldBlocks.insert(trapBlock.index)
        b.position(at: cont)
    }

    /// `base + offset×bytes >u lastCell` in the condition register (`base` the pointer by default).
    mutating func outOfRange(_ offset: Int, base: Var? = nil) -> Var {
        let base = base ?? pointer
        var addr = base
        if offset + lag != guardCells {
            addr = reg(.address)
            b.append(.binary(.add, dst: addr, lhs: .reg(base), rhs: .imm(address(offset - guardCells)), checked: false))
        }
        let failed = reg(.condition)
        b.append(.compare(.ugt, type: .i64, dst: failed, lhs: .reg(addr), rhs: .imm(lastCell)))
        return failed
    }

    // MARK: Loops

    /// `while cell[p] != 0 { body }`, rotated: one test before the loop (at
    /// `open`) and one at the end of each iteration (at `close`).
    ///
    /// With `scanStep`, the loop is `[>]`, `[<<]`, …: after the body's first move, one IR
    /// `scan` takes the place of the rest (check, test, branch back). It checks every cell it
    /// tests against the tape at `close`, like the loop's own check, so it traps where the
    /// loop would.
    mutating func emitLoop(open: SourceLoc, close: SourceLoc, bodyFacts: KnownRange, scanStep: Int? = nil,
                                   runsOnce: Bool = false, body: (inout BFLowering) -> Void) {
        // A scan starts where the Brainfuck pointer is, and leaves the register there. (Scans
        // from a lagging register, with the lag in their displacements, ran counter.bf 3% faster
        // and collatz.bf 6% slower, with fewer instructions in both.)
        if scanStep != nil {
            b.loc = open
            settle(to: 0)
        }
        let headLag = lag
        check(0, open, accessFollows: true)
        testCell(0, open)
        let head = b.current
        let bodyBlock = b.newBlock("\(scanStep == nil ? "loop" : "scan")\(b.function.blocks.count)")
        let before = known
        let cachedAtHead = cellCache
        b.position(at: bodyBlock)
        known = before.intersection(bodyFacts)
        // A body entered only from the head keeps its cell registers. So does one entered again
        // from its own end when every iteration moves the pointer as far: its end puts the cells
        // back into those registers (`restoreCells`). Any other starts without.
        let carried = runsOnce || scanStep != nil ? nil
            : loopBody.flatMap { Self.carriedCells(cachedAtHead, body: $0, endOfBody: bodyFacts) }
        cellCache = runsOnce ? cachedAtHead : carried ?? .empty
        body(&self)
        let exit: BlockRef
        b.loc = close  // what follows the body belongs to `]`
        settle(to: headLag)  // every path to the exit, and the loop's head, lags as much
        if let scanStep {
            b.append(.scan(dst: pointer, start: pointer, type: cellType, step: bytes(scanStep), limit: lastCell))
            known.include(0)
            cellCache = .empty  // the pointer moved by an unknown amount
            exit = b.newBlock("exit\(b.function.blocks.count)")
            b.jump(exit)
        } else if runsOnce {
            // The test at `]` would read the 0 the body left, from a cell the body touched.
            rejoinCells(cachedAtHead)
            exit = b.newBlock("exit\(b.function.blocks.count)")
            b.jump(exit)
        } else {
            if hooks.loopIterationLimit != nil { burnFuel(close) }
            if let carried { restoreCells(carried) }
            check(0, close, accessFollows: true)
            testCell(0, close)
            exit = b.newBlock("exit\(b.function.blocks.count)")
            b.branch(.reg(reg(.condition)), bodyBlock, exit)
        }
        b.position(at: head)
        b.loc = open
        b.branch(.reg(reg(.condition)), bodyBlock, exit)
        b.position(at: exit)
        known = before.intersection(known)
        cellCache = cachedAtHead.intersection(cellCache)
    }

    /// `step` of the innermost loop being emitted (nil outside loops).
    mutating func loopStep() -> Int? {
        if let found = loopStepFound { return found }
        let step = loopBody.flatMap(Self.step)
        loopStepFound = .some(step)
        return step
    }

    /// How far one run of `body` moves the pointer, or nil when that may differ from run to run.
    private static func step(_ body: [BFOp]) -> Int? {
        var moved = 0
        for op in body {
            switch op {
            case .move(let n, _): moved += n
            case .scan, .divmod: return nil
            case .loop(let inner, _, _): if step(inner) != 0 { return nil }
            default: break
            }
        }
        return moved
    }

    /// Test hook: counts loop iterations down and traps `unreachable` at 0.
    private mutating func burnFuel(_ loc: SourceLoc) {
        b.loc = loc
        let fuel = reg(.fuel), cond = reg(.condition)
        b.append(.binary(.sub, dst: fuel, lhs: .reg(fuel), rhs: .imm(1), checked: false))
        b.append(.compare(.eq, type: .i64, dst: cond, lhs: .reg(fuel), rhs: .imm(0)))
        b.trapIf(.reg(cond), .unreachable)
    }

    /// `condition = cell[p + offset] != 0`, on the cell's register, or on a copy in the `.count`
    /// register for a multiply (whose counter must survive the cell registers it reuses).
    mutating func testCell(_ offset: Int, _ loc: SourceLoc, counter: Bool = false) {
        b.loc = loc
        var value = cellValue(offset)
        if counter {
            b.append(.copy(dst: reg(.count), src: .reg(value)))
            value = reg(.count)
        }
        b.append(.compare(.ne, type: cellType, dst: reg(.condition), lhs: .reg(value), rhs: .imm(0)))
    }
}
