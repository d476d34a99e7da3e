import JitIR

/// Where a register's value lives for its whole lifetime.
enum Location: Hashable, Sendable {
    /// The register is never materialised (fused into an instruction pattern, or unused).
    case none
    /// A general-purpose register, by hardware number.
    case register(UInt8)
    /// A spill slot: 8 bytes in the frame.
    case stack(Int)
}

/// The result of register allocation for one function.
struct Allocation {
    /// Per IR register.
    var locations: [Location]
    /// Callee-saved registers the function writes, to save in the prologue.
    var usedCalleeSaved: RegisterSet
    /// Number of 8-byte spill slots.
    var spillSlotCount: Int
    /// The register pinned to the module memory's address, when the function accesses memory.
    var memoryBase: UInt8?

    func location(_ v: Var) -> Location { locations[v.index] }
}

/// Linear-scan register allocation (Poletto & Sarkar) over whole-lifetime intervals.
///
/// Intervals are visited by increasing start; those that have ended free their
/// register. An interval that crosses a call may only take a callee-saved
/// register, a loop-carried one prefers them, and short-lived ones prefer
/// caller-saved registers (which need no save/restore). With no register free,
/// whichever of the new interval and the active ones that could give up a register
/// has the least spill weight (uses weighted by loop depth; on a tie, the one that
/// ends last) goes to a stack slot; spill slots are then shared by intervals that
/// do not overlap.
enum LinearScan {
    static func allocate(_ intervals: LiveIntervals, registerCount: Int,
                         available: RegisterSet? = nil) -> Allocation {
        var pool = available ?? (RegisterRoles.callerSaved | RegisterRoles.calleeSaved)
        var memoryBase: UInt8?
        if intervals.accessesMemory {
            memoryBase = RegisterRoles.memoryBase
            pool.remove(RegisterRoles.memoryBase)
        }
        let calleeOrder = RegisterRoles.calleeSavedOrder.filter { pool.contains($0) }
        let callerOrder = RegisterRoles.callerSavedOrder.filter { pool.contains($0) }
        let callee = RegisterSet(calleeOrder), caller = RegisterSet(callerOrder)

        var locations = [Location](repeating: .none, count: registerCount)
        var free = pool
        var usedCalleeSaved = RegisterSet.empty
        if let memoryBase { usedCalleeSaved.insert(memoryBase) }
        /// Active intervals holding a register, sorted by increasing end.
        var active: [(end: Int32, register: UInt8, interval: Int)] = []
        var spilled: [Int] = []
        let all = intervals.intervals

        for (n, current) in all.enumerated() {
            // Expire intervals that ended before this one starts.
            var expired = 0
            while expired < active.count && active[expired].end < current.start {
                free.insert(active[expired].register)
                expired += 1
            }
            if expired > 0 { active.removeFirst(expired) }

            let allowed = free & ~current.forbidden
            var choice: UInt8?
            var hint = current.hint
            if hint == nil, let source = current.hintRegister, case .register(let r) = locations[source.index],
               !(current.isLoopCarried && !callee.contains(r)) {
                hint = r
            }
            if let hint, allowed.contains(hint), !(current.crossesCall && !callee.contains(hint)) {
                choice = hint
            } else if current.crossesCall {
                choice = (allowed & callee).first(in: calleeOrder)
            } else if current.isLoopCarried {
                choice = (allowed & callee).first(in: calleeOrder) ?? (allowed & caller).first(in: callerOrder)
            } else {
                choice = (allowed & caller).first(in: callerOrder) ?? (allowed & callee).first(in: calleeOrder)
            }

            if choice == nil {
                // Evict the cheapest active interval whose register fits, if it is cheaper to spill than this one.
                let fits = pool & ~current.forbidden & (current.crossesCall ? callee : pool)
                func cheaper(_ a: LiveInterval, than b: LiveInterval) -> Bool {
                    a.spillWeight != b.spillWeight ? a.spillWeight < b.spillWeight : a.end > b.end
                }
                if let victim = active.indices.filter({ fits.contains(active[$0].register) })
                    .min(by: { cheaper(all[active[$0].interval], than: all[active[$1].interval]) }),
                   cheaper(all[active[victim].interval], than: current) {
                    let (_, register, evicted) = active.remove(at: victim)
                    locations[all[evicted].register.index] = .none
                    spilled.append(evicted)
                    choice = register
                    free.insert(register)
                }
            }

            guard let register = choice else {
                spilled.append(n)
                continue
            }
            free.remove(register)
            if callee.contains(register) { usedCalleeSaved.insert(register) }
            locations[current.register.index] = .register(register)
            let position = active.firstIndex { $0.end > current.end } ?? active.count
            active.insert((current.end, register, n), at: position)
        }

        // Spill slots: a second linear scan with an unbounded supply of slots.
        spilled.sort { all[$0].start < all[$1].start }
        var slotEnds: [Int32] = []
        for n in spilled {
            let interval = all[n]
            let slot = slotEnds.firstIndex { $0 < interval.start } ?? slotEnds.count
            if slot == slotEnds.count { slotEnds.append(interval.end) } else { slotEnds[slot] = interval.end }
            locations[interval.register.index] = .stack(slot)
        }
        return Allocation(locations: locations, usedCalleeSaved: usedCalleeSaved, spillSlotCount: slotEnds.count,
                          memoryBase: memoryBase)
    }
}
