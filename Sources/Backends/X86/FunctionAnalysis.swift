import JitIR

/// Everything the emitter needs to know about one function before it writes
/// code: block layout, liveness, fusion plan, live intervals and register allocation.
struct FunctionAnalysis {
    let layout: BlockLayout
    let numbering: LinearNumbering
    let liveness: BlockLiveness
    let plan: SelectionPlan
    let intervals: LiveIntervals
    let allocation: Allocation

    init(_ function: Function, available: RegisterSet? = nil, guardedMemory: Bool = false) {
        layout = BlockLayout(function)
        numbering = LinearNumbering(function, layout: layout)
        liveness = BlockLiveness(function, order: layout.order)
        var plan = SelectionPlan(function, layout: layout, numbering: numbering, liveness: liveness)
        intervals = LiveIntervals(function, layout: layout, numbering: numbering, liveness: liveness, plan: &plan,
                                  loadsMayTrap: guardedMemory)
        self.plan = plan
        allocation = LinearScan.allocate(intervals, registerCount: function.registerTypes.count, available: available)
    }

    /// The stack frame: saved registers, spill slots, outgoing stack arguments.
    /// `callsOut`: the function calls out even where its IR does not (tier-up sites).
    func frame(_ function: Function, callsOut: Bool = false) -> FrameLayout {
        let saved = RegisterRoles.calleeSavedOrder.filter { allocation.usedCalleeSaved.contains($0) }
        return FrameLayout(saved: saved, spillSlots: allocation.spillSlotCount, outgoingSlots: intervals.stackArguments,
                           aligned: intervals.makesCalls || callsOut)
    }
}
