import JitIR
import NativeCode

/// What a function needs to emit tier-up sites (see `TierUpSlots`).
struct TierUpEmission {
    let slots: TierUpSlots
    /// The site index of each block that has one.
    let siteOfBlock: [Int: Int]
    /// The registers each site passes on, in parameter order.
    let live: [Int: [Var]]
}

/// A site's out-of-line path, emitted after the function's blocks.
struct PendingTierUp {
    let slow: Label
    let resume: Label
    let site: Int
    let live: [Var]
}

extension FunctionEmitter {
    /// The poll at the start of block `b`: one test of the site's byte, taken only when armed.
    mutating func emitTierUpPoll(block b: Int) {
        guard let tierUp, let site = tierUp.siteOfBlock[b], let live = tierUp.live[b] else { return }
        let slow = asm.newLabel(), resume = asm.newLabel()
        asm.mov(Self.temp, Int64(bitPattern: tierUp.slots.armedAddress(site)))
        asm.cmp(.byte(Self.temp), 0)
        asm.jcc(.ne, slow)
        asm.bind(resume)
        pendingTierUps.append(PendingTierUp(slow: slow, resume: resume, site: site, live: live))
    }

    /// The slow paths of every poll: ask the hook (keeping every register the body may hold),
    /// and, given code, call it with the live registers and return what it returns.
    mutating func emitTierUpPaths() {
        guard let tierUp else { return }
        let callerSaved = RegisterRoles.callerSavedOrder.map { Self.reg($0) }
        for path in pendingTierUps {
            let transfer = asm.newLabel()
            asm.bind(path.slow)
            asm.mov(Self.temp, Int64(bitPattern: tierUp.slots.codeAddress(path.site)))
            asm.mov(Self.temp, .qword(Self.temp))
            asm.test(Self.temp, Self.temp)
            asm.jcc(.ne, transfer)
            // The body keeps rsp 16-byte aligned (the frame is aligned in functions with sites):
            // seven pushes and 8 bytes keep it so at the call.
            for r in callerSaved { asm.push(r) }
            asm.sub(.rsp, 8)
            asm.mov(.rdi, Int64(bitPattern: tierUp.slots.address))
            asm.mov(.esi, Int64(path.site))
            asm.call(address: TierUpSlots.hookAddress, via: Self.temp)
            asm.add(.rsp, 8)
            for r in callerSaved.reversed() { asm.pop(r) }
            asm.test(Self.temp, Self.temp)
            asm.jcc(.e, path.resume)
            asm.bind(transfer)
            emitTransfer(path)
        }
    }

    /// Calls the site's code with the live registers (C ABI: int64 arguments, or the address of
    /// an array of them when there are more than six) and returns its result from this function.
    private mutating func emitTransfer(_ path: PendingTierUp) {
        guard let tierUp else { return }
        if let budgetRegister {
            // The new code reads the call budget from the context, as its entry wrapper does.
            asm.mov(Self.temp, Int64(bitPattern: runtime.context))
            asm.mov(.qword(Self.temp, ContextLayout.callBudget), budgetRegister)
        }
        let registers = RegisterRoles.arguments.map { Self.reg($0) }
        var area: Int32 = 0
        if path.live.count <= registers.count {
            var moves = ParallelMove()
            for (j, v) in path.live.enumerated() { moves.add(.reg(registers[j]), operandLocation(v) ?? .imm(0)) }
            moves.emit(&asm, temp: Self.temp2, memoryTemp: Self.temp)
            for (j, v) in path.live.enumerated() { canonicalize(registers[j], function.type(of: v)) }
        } else {
            area = Int32((8 * path.live.count + 15) / 16 * 16)
            asm.sub(.rsp, Int64(area))
            for (j, v) in path.live.enumerated() {
                switch operandLocation(v) {
                case .reg(let r): asm.mov(Self.temp, r)
                case .mem(var m):
                    m.disp += area  // spill slots are rsp-relative, and rsp moved
                    asm.mov(Self.temp, m)
                case .imm(let k): asm.mov(Self.temp, k)
                case nil: asm.xor(Self.temp.d, Self.temp.d)
                }
                canonicalize(Self.temp, function.type(of: v))
                asm.mov(.qword(.rsp, Int32(8 * j)), Self.temp)
            }
            asm.mov(.rdi, .rsp)
        }
        asm.mov(Self.temp, Int64(bitPattern: tierUp.slots.codeAddress(path.site)))
        asm.call(.qword(Self.temp))
        if area > 0 { asm.add(.rsp, Int64(area)) }
        if let result = function.resultType { canonicalize(.rax, result) }
        emitEpilogue()
    }
}
