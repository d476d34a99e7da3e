import JitIR
import NativeCode

/// The machine code of a whole module, before it is mapped executable.
struct MachineCode {
    var bytes: [UInt8]
    /// Offset of each function's entry, by name.
    var functionOffsets: [String: Int]
    /// Offset of the entry adapter of each function with more than six parameters:
    /// it takes one argument, a pointer to all the arguments, and calls the function.
    var adapterOffsets: [String: Int]
    /// The trap sites, indexed by the number the trap hook receives.
    var sites: [Trap]
    /// Where each function, each loop in it and its trap stubs start, in address order.
    /// Named only when someone asks (`X86Program.codeSymbols`), so compiling builds no strings.
    var regions: [(offset: Int, region: CodeRegion)] = []
    /// In a module with guard regions: the trap site of each instruction that accesses the
    /// memory, by its offset (a fault in a guard region stops exactly there), in address order.
    /// An array, not a dictionary: lostkingdom has 100,000 of them, and a fault looks one up
    /// at most once per run (`X86Program.faultSite(at:)`).
    var faultSites: [(offset: Int, site: Int)] = []
    /// The most stack one activation of a function without a stack check uses: its frame, saved
    /// registers and return address (`FunctionEmitter.frameWithoutStackCheck` at most).
    var largestUncheckedFrame = 0
    /// The registers each tier-up site passes, by site index (`X86Program.tierUpParameters`).
    var tierUpParameters: [Int: [Var]] = [:]
}

/// A stretch of machine code a profiler can name.
enum CodeRegion {
    case function(String)
    case loop(function: String, at: SourceLoc)
    case traps(function: String)

    var name: String {
        switch self {
        case .function(let f): "@\(f)"
        case .loop(let f, let loc): "@\(f) loop at \(loc)"
        case .traps(let f): "@\(f) traps"
        }
    }
}

/// Compiles every function of a module into one code blob: functions call
/// each other with direct rel32 calls, and share one trap tail.
enum ModuleCompiler {
    /// With `tierUp`, every site of `tierUp.sites` (see `X86Backend.tierUpSites`) polls its slot.
    static func compile(_ source: Module, runtime: RuntimeAddresses, allocatable: RegisterSet? = nil,
                        tierUp: (slots: TierUpSlots, sites: [LoopEntry.Site])? = nil) throws -> MachineCode {
        let module = RecursiveInlining.run(source)
        var sitesOfFunction: [String: [(site: Int, at: LoopEntry.Site)]] = [:]
        for (k, site) in (tierUp?.sites ?? []).enumerated() { sitesOfFunction[site.function, default: []].append((k, site)) }
        var asm = Assembler()
        let labels = module.functions.map { _ in asm.newLabel() }
        var index: [String: Int] = [:]
        for (i, f) in module.functions.enumerated() where index[f.name] == nil { index[f.name] = i }
        let commonTrap = asm.newLabel()
        var sites: [Trap] = []
        var regionLabels: [(Label, CodeRegion)] = []
        var faultLabels: [(label: Label, site: Int)] = []
        var tierUpParameters: [Int: [Var]] = [:]

        let budgetInRegister = module.functions.contains { f in
            f.blocks.contains { $0.instructions.contains { i in
                switch i.op {
                case .call, .enter: true
                default: false
                }
            } }
        }
        var available = allocatable
        if budgetInRegister {
            available = available ?? (RegisterRoles.callerSaved | RegisterRoles.calleeSaved)
            available?.remove(RegisterRoles.callBudget)
        }

        var largestUncheckedFrame = 0
        for (i, original) in module.functions.enumerated() {
            let function = ConstantOperands.materialize(original)
            let analysis = FunctionAnalysis(function, available: available, guardedMemory: module.guardBytes > 0)
            var emission: TierUpEmission?
            if let tierUp, index[function.name] == i, let sites = sitesOfFunction[function.name] {
                // A site passes the registers live at its block. One the allocator gave no place
                // could pass no value, and one this compile added (`RecursiveInlining`,
                // `ConstantOperands`) is none of the source's, so such a site is left out.
                let sourceRegisters = source.functions[i].registerTypes.count
                var usable: [(site: Int, block: Int, live: [Var])] = []
                for s in sites where analysis.layout.isReachable(s.at.block) {
                    let live = analysis.liveness.liveInRegisters(s.at.block)
                    guard live.allSatisfy({ $0.index < sourceRegisters && analysis.allocation.location($0) != .none })
                    else { continue }
                    usable.append((s.site, s.at.block, live))
                    tierUpParameters[s.site] = live
                }
                emission = TierUpEmission(slots: tierUp.slots,
                                          siteOfBlock: Dictionary(usable.map { ($0.block, $0.site) }) { a, _ in a },
                                          live: Dictionary(usable.map { ($0.block, $0.live) }) { a, _ in a })
            }
            let frame = analysis.frame(function, callsOut: emission.map { !$0.siteOfBlock.isEmpty } ?? false)
            let frameBytes = Int(frame.frameSize) + 8 * (frame.saved.count + 1)
            if frameBytes <= FunctionEmitter.frameWithoutStackCheck {
                largestUncheckedFrame = max(largestUncheckedFrame, frameBytes)
            }
            var emitter = FunctionEmitter(
                asm: Assembler(), function: function, allocation: analysis.allocation, plan: analysis.plan,
                layout: analysis.layout, numbering: analysis.numbering, frame: frame,
                runtime: runtime, functionLabels: labels, functionIndex: index, commonTrap: commonTrap,
                siteBase: sites.count, uninitialized: analysis.intervals.uninitialized)
            emitter.guardBytes = module.guardBytes
            emitter.tierUp = emission
            if budgetInRegister { emitter.budgetRegister = Reg(number: Int(RegisterRoles.callBudget), size: .qword) }
            // Hand the assembler over without copying its buffers.
            swap(&emitter.asm, &asm)
            defer { swap(&emitter.asm, &asm) }
            try emitter.emit(entry: labels[i])
            sites.append(contentsOf: emitter.sites)
            faultLabels.append(contentsOf: emitter.faultSites)
            regionLabels.append((labels[i], .function(function.name)))
            for b in emitter.loopHeaders {
                regionLabels.append((emitter.blockLabels[b], .loop(function: function.name, at: Self.position(of: b, in: function))))
            }
            if let traps = emitter.stubsStart { regionLabels.append((traps, .traps(function: function.name))) }
        }

        // The trap tail: esi holds the site index.
        asm.bind(commonTrap)
        asm.mov(.rdi, Int64(bitPattern: runtime.context))
        asm.call(address: runtime.hooks.trap, via: .rax)
        asm.ud2()

        var adapters: [(String, Label)] = []
        for (i, function) in module.functions.enumerated()
        where function.parameters.count > NativeContext.maxArguments && index[function.name] == i {
            let label = asm.newLabel()
            emitAdapter(&asm, label: label, target: labels[i], parameterCount: function.parameters.count)
            adapters.append((function.name, label))
        }

        let bytes: [UInt8]
        do {
            bytes = try asm.finish()
        } catch {
            throw InternalError("x86: \(error)")
        }
        var offsets: [String: Int] = [:]
        for (name, i) in index { offsets[name] = asm.offset(of: labels[i]) }
        var adapterOffsets: [String: Int] = [:]
        for (name, label) in adapters { adapterOffsets[name] = asm.offset(of: label) }
        let regions = regionLabels.compactMap { label, region in asm.offset(of: label).map { ($0, region) } }
        // Labels bound in emission order: their offsets only grow.
        let faultSites = faultLabels.compactMap { label, site in asm.offset(of: label).map { (offset: $0, site: site) } }
        return MachineCode(bytes: bytes, functionOffsets: offsets, adapterOffsets: adapterOffsets, sites: sites,
                           regions: regions.sorted { $0.0 < $1.0 }, faultSites: faultSites,
                           largestUncheckedFrame: largestUncheckedFrame, tierUpParameters: tierUpParameters)
    }

    /// A block's source position: its first instruction's, else its terminator's.
    private static func position(of block: Int, in f: Function) -> SourceLoc {
        let b = f.blocks[block]
        return b.instructions.first(where: { $0.loc.isKnown })?.loc ?? b.terminatorLoc
    }

    /// `adapter(const int64 *args)`: loads the first six arguments into registers,
    /// copies the rest to the stack, and calls `target`.
    private static func emitAdapter(_ asm: inout Assembler, label: Label, target: Label, parameterCount: Int) {
        let registers = RegisterRoles.arguments.map { Reg(number: Int($0), size: .qword) }
        let stackCount = parameterCount - registers.count
        // rsp = 8 mod 16 on entry; keep it 0 mod 16 at the call.
        let frame = Int64(8 * stackCount + (stackCount % 2 == 0 ? 8 : 0))
        asm.bind(label)
        asm.sub(.rsp, frame)
        for j in 0..<stackCount {
            asm.mov(.rax, .qword(.rdi, Int32(8 * (registers.count + j))))
            asm.mov(.qword(.rsp, Int32(8 * j)), .rax)
        }
        asm.mov(.r11, .rdi)
        for (j, r) in registers.enumerated() { asm.mov(r, .qword(.r11, Int32(8 * j))) }
        asm.call(target)
        asm.add(.rsp, frame)
        asm.ret()
    }
}
