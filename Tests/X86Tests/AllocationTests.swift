import JitIR
import NativeCode
import Testing
@testable import X86Backend

/// Checks what every allocation must satisfy: two intervals that overlap never
/// share a register or a spill slot, no interval sits in a register it may not
/// use, and nothing live across a call sits in a caller-saved register.
func expectValidAllocation(_ analysis: FunctionAnalysis, sourceLocation: SourceLocation = #_sourceLocation) {
    let intervals = analysis.intervals.intervals
    let allocation = analysis.allocation
    for (i, a) in intervals.enumerated() {
        let la = allocation.location(a.register)
        #expect(la != .none, "\(a.register) has no location", sourceLocation: sourceLocation)
        if case .register(let r) = la {
            #expect(!a.forbidden.contains(r), "\(a.register) in forbidden register \(r)", sourceLocation: sourceLocation)
            #expect(!RegisterRoles.scratch.contains(r), sourceLocation: sourceLocation)
            #expect(r != RegisterRoles.rsp, sourceLocation: sourceLocation)
            if let base = allocation.memoryBase { #expect(r != base, sourceLocation: sourceLocation) }
            if a.crossesCall { #expect(RegisterRoles.calleeSaved.contains(r), sourceLocation: sourceLocation) }
        }
        for b in intervals[(i + 1)...] where b.start <= a.end {
            if a.overlaps(b) {
                #expect(la != allocation.location(b.register), "\(a.register) and \(b.register) overlap but share \(la)",
                        sourceLocation: sourceLocation)
            }
        }
    }
}

@Suite struct AllocationTests {
    /// A BF-style loop: `p` is live around the back edge; `c` lives inside one block.
    static func tapeLoop(withOutput: Bool) throws -> Function {
        var f = FunctionBuilder(name: "main")
        let p = f.copy(.i64, .imm(0))
        let head = f.newBlock("head"), body = f.newBlock("body"), exit = f.newBlock("exit")
        f.jump(head)
        f.position(at: head)
        let c = f.load(.i8, base: p)
        f.branch(.reg(f.compare(.ne, .i8, .reg(c), .imm(0))), body, exit)
        f.position(at: body)
        let v = f.load(.i8, base: p, offset: 1)
        f.store(.i8, .reg(f.binary(.add, .i8, .reg(v), .imm(1))), base: p, offset: 1)
        if withOutput { f.hostCall(.putByte, [.reg(f.load(.i8, base: p, offset: 1))]) }
        f.assign(p, .reg(f.binary(.add, .i64, .reg(p), .imm(1))))
        f.jump(head)
        f.position(at: exit)
        f.ret(nil)
        return try f.finish()
    }

    @Test func livenessAroundALoop() throws {
        let f = try Self.tapeLoop(withOutput: false)
        let analysis = FunctionAnalysis(f)
        let p = Var(0)
        #expect(analysis.liveness.globals == [p])
        #expect(analysis.liveness.isLiveIn(p, at: 1) && analysis.liveness.isLiveOut(p, at: 2))
        #expect(!analysis.liveness.isLiveIn(p, at: 3))
        let interval = analysis.intervals.interval(of: p)!
        #expect(interval.isLoopCarried)
        // Spans the whole loop: from before the header to the end of the body.
        #expect(interval.start <= LinearNumbering.usePosition(analysis.numbering.first[1]))
        #expect(interval.end >= LinearNumbering.definePosition(analysis.numbering.terminatorIndex(2, f)))
        expectValidAllocation(analysis)
    }

    @Test(arguments: [false, true])
    func tapePointerGetsCalleeSavedRegister(_ withOutput: Bool) throws {
        let analysis = FunctionAnalysis(try Self.tapeLoop(withOutput: withOutput))
        guard case .register(let r) = analysis.allocation.location(Var(0)) else {
            Issue.record("tape pointer not in a register")
            return
        }
        #expect(RegisterRoles.calleeSaved.contains(r))
        #expect(analysis.allocation.memoryBase == RegisterRoles.memoryBase)
        #expect(analysis.intervals.interval(of: Var(0))!.crossesCall == withOutput)
        // The load/add/store of the body fused into one instruction, its temporaries never materialised.
        #expect(analysis.plan.shapes.contains(.memoryUpdate))
        #expect(analysis.plan.shapes.contains(.loadCompareBranch))
        expectValidAllocation(analysis)
    }

    @Test func intervalAcrossACallGetsCalleeSavedRegister() throws {
        var f = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        let kept = f.binary(.mul, .i64, .reg(f.parameter(0)), .imm(3))
        let shortLived = f.binary(.add, .i64, .reg(f.parameter(0)), .imm(1))
        let r = f.call("main", [.reg(shortLived)], result: .i64)!
        f.ret(.reg(f.binary(.add, .i64, .reg(kept), .reg(r))))
        let analysis = FunctionAnalysis(try f.finish())
        #expect(analysis.intervals.interval(of: kept)!.crossesCall)
        #expect(!analysis.intervals.interval(of: shortLived)!.crossesCall)
        guard case .register(let k) = analysis.allocation.location(kept),
              case .register(let s) = analysis.allocation.location(shortLived) else {
            Issue.record("expected registers")
            return
        }
        #expect(RegisterRoles.calleeSaved.contains(k))
        #expect(RegisterRoles.callerSaved.contains(s))
        #expect(analysis.allocation.usedCalleeSaved.contains(k))
        expectValidAllocation(analysis)
    }

    @Test func divisionAndVariableShiftsKeepTheirRegistersFree() throws {
        var f = FunctionBuilder(name: "main", parameters: [.i64, .i64], result: .i64)
        let a = f.parameter(0), b = f.parameter(1)
        let acrossDivision = f.binary(.add, .i64, .reg(a), .imm(1))
        let q = f.binary(.sdiv, .i64, .reg(a), .reg(b))
        let acrossShift = f.binary(.add, .i64, .reg(q), .reg(acrossDivision))
        let s = f.binary(.shl, .i64, .reg(q), .reg(b))
        f.ret(.reg(f.binary(.add, .i64, .reg(s), .reg(acrossShift))))
        let function = try f.finish()
        // With only rcx, rdx and rbx available, the constraints decide.
        let pool = RegisterSet([RegisterRoles.rcx, RegisterRoles.rdx, RegisterRoles.rbx])
        let analysis = FunctionAnalysis(function, available: pool)
        #expect(analysis.intervals.interval(of: acrossDivision)!.forbidden.contains(RegisterRoles.rdx))
        #expect(analysis.intervals.interval(of: acrossShift)!.forbidden.contains(RegisterRoles.rcx))
        #expect(analysis.allocation.location(acrossDivision) != .register(RegisterRoles.rdx))
        #expect(analysis.allocation.location(acrossShift) != .register(RegisterRoles.rcx))
        expectValidAllocation(analysis)
    }

    /// More simultaneously live values than registers: some spill, and the program still computes the right thing.
    @Test(arguments: [14, 20, 40])
    func spillingManyLiveValues(_ count: Int) throws {
        var f = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        let x = f.parameter(0)
        let values = (0..<count).map { f.binary(.mul, .i64, .reg(x), .imm(Int64($0 * 7 + 1))) }
        // Every value stays live until the end; combine them so each one counts.
        var total = f.copy(.i64, .imm(0))
        for (i, v) in values.enumerated().reversed() {
            total = f.binary(i % 2 == 0 ? .add : .sub, .i64, .reg(total), .reg(f.binary(.xor, .i64, .reg(v), .imm(Int64(i)))))
        }
        f.ret(.reg(total))
        let function = try f.finish()
        let analysis = FunctionAnalysis(function)
        let registers = (RegisterRoles.callerSaved | RegisterRoles.calleeSaved).count
        #expect(analysis.allocation.spillSlotCount >= count + 1 - registers)
        expectValidAllocation(analysis)
        try expectSameAsInterpreter(Module(functions: [function]), argumentSets: [[1], [-3], [1 << 40]])
    }

    @Test func unusedPureInstructionsAreDropped() throws {
        var f = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        let unused = f.binary(.add, .i64, .reg(f.parameter(0)), .imm(1))
        let used = f.binary(.sub, .i64, .reg(f.parameter(0)), .imm(1))
        _ = f.binary(.sdiv, .i64, .reg(used), .reg(f.parameter(0)))  // may trap: kept although unused
        f.ret(.reg(used))
        let function = try f.finish()
        let analysis = FunctionAnalysis(function)
        let first = analysis.numbering.first[0]
        #expect(analysis.plan.shapes[first] == .dead)
        #expect(analysis.plan.shapes[first + 1] == .plain)
        #expect(analysis.plan.shapes[first + 2] == .plain)
        #expect(analysis.intervals.interval(of: unused) == nil)
    }

    @Test func compareFusion() throws {
        var f = FunctionBuilder(name: "main", parameters: [.i64, .i64], result: .i64)
        let a = f.parameter(0), b = f.parameter(1)
        f.trapIf(.reg(f.compare(.ult, .i64, .reg(a), .reg(b))), .outOfBounds)
        let kept = f.compare(.eq, .i64, .reg(a), .imm(3))  // used twice: not fused
        let yes = f.newBlock(), no = f.newBlock()
        f.branch(.reg(f.compare(.sgt, .i64, .reg(a), .reg(b))), yes, no)
        f.position(at: yes)
        f.ret(.reg(f.convert(.zext, .reg(kept), from: .i1, to: .i64)))
        f.position(at: no)
        f.ret(.reg(f.convert(.sext, .reg(kept), from: .i1, to: .i64)))
        let analysis = FunctionAnalysis(try f.finish())
        let first = analysis.numbering.first[0]
        #expect(analysis.plan.shapes[first ..< first + 5] == [.folded, .compareTrap, .plain, .folded, .compareBranch])
        #expect(analysis.intervals.interval(of: kept) != nil)
    }

    /// More values live across a call than there are callee-saved registers: the ones a hot
    /// loop uses keep their registers, and the ones used only outside it are spilled, even
    /// though the loop's values live longest (the rule "spill what ends last" once picked them).
    @Test func spillsWhatTheLoopUsesLeast() throws {
        var f = FunctionBuilder(name: "main", parameters: [], result: .i64)
        let cold = (0..<6).map { f.copy(.i64, .imm(Int64($0))) }
        let hot = (0..<3).map { f.copy(.i64, .imm(Int64(10 + $0))) }
        let head = f.newBlock("head"), body = f.newBlock("body"), exit = f.newBlock("exit")
        f.jump(head)
        f.position(at: head)
        f.hostCall(.putByte, [.reg(hot[0])])
        f.branch(.reg(f.compare(.ne, .i64, .reg(hot[0]), .imm(0))), body, exit)
        f.position(at: body)
        f.assign(hot[0], .reg(f.binary(.sub, .i64, .reg(hot[0]), .imm(1))))
        f.assign(hot[1], .reg(f.binary(.add, .i64, .reg(hot[1]), .reg(hot[2]))))
        f.jump(head)
        f.position(at: exit)
        var sum = cold[0]
        for c in cold.dropFirst() { sum = f.binary(.add, .i64, .reg(sum), .reg(c)) }
        f.hostCall(.putByte, [.reg(sum)])
        for h in hot { sum = f.binary(.add, .i64, .reg(sum), .reg(h)) }
        f.ret(.reg(sum))
        let analysis = FunctionAnalysis(try f.finish())
        expectValidAllocation(analysis)
        for v in hot {
            guard case .register = analysis.allocation.location(v) else {
                Issue.record("\(v), used in the loop, was spilled")
                continue
            }
        }
        let spilled = cold.filter { if case .stack = analysis.allocation.location($0) { true } else { false } }
        #expect(!spilled.isEmpty)
    }
}
