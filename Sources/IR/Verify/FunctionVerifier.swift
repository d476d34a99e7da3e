/// Checks one function; see `IRVerifier`. Never traps on malformed input:
/// every index is range-checked before use.
struct FunctionVerifier {
    let function: Function
    let module: Module
    /// The function each name resolves to in a call (the first one with that name).
    let callees: [String: Function]
    private(set) var diagnostics: [SourceError] = []
    private var reportedMemory = false

    init(function: Function, module: Module, callees: [String: Function]) {
        self.function = function
        self.module = module
        self.callees = callees
    }

    private var name: String { "@" + IRSyntax.name(function.name) }

    // MARK: Reporting

    /// Where in the function a problem is: the function itself, an instruction, or a terminator.
    private enum Site {
        case function
        case instruction(block: Int, index: Int)
        case terminator(block: Int)
    }

    private mutating func report(_ site: Site, _ message: String) {
        let f = function
        func blockName(_ b: Int) -> String { "block '\(f.blocks[b].label)' (#\(b))" }
        let (loc, place): (SourceLoc, String)
        switch site {
        case .function:
            (loc, place) = (f.loc, "in \(name)")
        case .instruction(let b, let k):
            let i = f.blocks[b].instructions[k]
            (loc, place) = (i.loc, "in \(name), \(blockName(b)), instruction \(k) `\(IRText.print(i, in: f))`")
        case .terminator(let b):
            let t = f.blocks[b].terminator
            (loc, place) = (f.blocks[b].terminatorLoc, "in \(name), \(blockName(b)), terminator `\(IRText.print(t, in: f))`")
        }
        diagnostics.append(SourceError(file: module.sourceFile, loc: loc, message: "\(place): \(message)"))
    }

    private func type(_ v: Var) -> IntType? {
        function.registerTypes.indices.contains(v.index) ? function.registerTypes[v.index] : nil
    }

    /// Reports `operand` (called `role`) unless it has type `expected`; nil skips the check
    /// (the expected type depends on an out-of-range register, reported on its own).
    private mutating func expect(_ operand: Operand, _ expected: IntType?, _ role: @autoclosure () -> String, _ site: Site) {
        guard let expected else { return }
        switch operand {
        case .reg(let v):
            if let t = type(v), t != expected {
                report(site, "\(role()) \(v) has type \(t), expected \(expected)")
            }
        case .imm(let k):
            if expected.normalize(k) != k {
                let largest = Int64(expected.mask >> 1)
                let range = expected == .i1 ? "0 or 1" : "\(~largest)...\(largest)"
                report(site, "\(role()) \(k) does not fit in \(expected) (\(range))")
            }
        }
    }

    // MARK: Checks

    mutating func run() {
        let f = function
        if f.blocks.isEmpty { report(.function, "the function has no blocks; it needs at least an entry block") }
        var firstUse: [Var: Int] = [:]
        for (k, p) in f.parameters.enumerated() {
            if type(p) == nil {
                report(.function, "parameter \(k) is \(p), which is not declared (\(registerCount))")
            } else if let first = firstUse[p] {
                report(.function, "parameter \(k) repeats \(p) (already parameter \(first))")
            } else {
                firstUse[p] = k
            }
        }
        var firstBlock: [String: Int] = [:]
        firstBlock.reserveCapacity(f.blocks.count)
        for (b, block) in f.blocks.enumerated() {
            if let first = firstBlock[block.label] {
                report(.function, "blocks #\(first) and #\(b) are both labelled '\(block.label)'")
            } else {
                firstBlock[block.label] = b
            }
        }
        for b in f.blocks.indices {
            for k in f.blocks[b].instructions.indices {
                instruction(.instruction(block: b, index: k), f.blocks[b].instructions[k].op)
                probe(.instruction(block: b, index: k), f.blocks[b].instructions, at: k)
            }
            terminator(b, f.blocks[b].terminator)
        }
        for v in DefiniteAssignment.violations(in: f) {
            let site: Site = v.instruction.map { .instruction(block: v.block, index: $0) } ?? .terminator(block: v.block)
            report(site, "\(v.register) is read before it is assigned on some path from the entry")
        }
        for v in ActivationBalance.violations(in: f) {
            report(v.instruction.map { .instruction(block: v.block, index: $0) } ?? .terminator(block: v.block), v.message)
        }
    }

    private var registerCount: String {
        let n = function.registerTypes.count
        return n == 0 ? "\(name) has no registers" : "\(name) has registers %0...%\(n - 1)"
    }

    private mutating func instruction(_ site: Site, _ op: Op) {
        let i = Instruction(op)
        // Registers read, then the one assigned, each reported once; the list of
        // those reported is almost always empty, and then allocates nothing.
        var seen: [Var] = []
        i.forEachRead { v in if type(v) == nil && !seen.contains(v) { seen.append(v) } }
        for v in seen { report(site, "\(v) is not a register of the function (\(registerCount))") }
        if let d = i.defined, type(d) == nil, !seen.contains(d) {
            report(site, "\(d) is not a register of the function (\(registerCount))")
        }
        switch op {
        case .copy(let d, let s):
            expect(s, type(d), "the source", site)
        case .binary(let o, let d, let a, let b, let checked):
            expect(a, type(d), "the left operand", site)
            expect(b, type(d), "the right operand", site)
            if checked && !o.canBeChecked {
                report(site, "'\(o.rawValue)' cannot be checked (.ovf); only add, sub, mul and neg can")
            }
        case .unary(let o, let d, let s, let checked):
            expect(s, type(d), "the operand", site)
            if checked && o != .neg {
                report(site, "'\(o.rawValue)' cannot be checked (.ovf); only add, sub, mul and neg can")
            }
        case .compare(_, let t, let d, let a, let b):
            if let dt = type(d), dt != .i1 { report(site, "the result \(d) of a comparison has type \(dt), expected i1") }
            expect(a, t, "the left operand", site)
            expect(b, t, "the right operand", site)
        case .select(let d, let c, let a, let b):
            expect(c, .i1, "the condition", site)
            expect(a, type(d), "the value if true", site)
            expect(b, type(d), "the value if false", site)
        case .convert(let o, let d, let s, let from):
            expect(s, from, "the source", site)
            if let to = type(d) {
                switch o {
                case .zext where to.bits <= from.bits, .sext where to.bits <= from.bits:
                    report(site, "\(o.rawValue) must widen, but converts \(from) to \(to)")
                case .trunc where to.bits >= from.bits:
                    report(site, "trunc must narrow, but converts \(from) to \(to)")
                default:
                    break
                }
            }
        case .load(_, let base, _):
            expect(.reg(base), .i64, "the base address", site)
            memoryAccess(site)
        case .store(let t, let v, let base, _):
            expect(v, t, "the stored value", site)
            expect(.reg(base), .i64, "the base address", site)
            memoryAccess(site)
        case .call(let d, let callee, let args):
            call(site, d, callee, args)
        case .hostCall(let h, let d, let args):
            if args.count != h.parameterCount {
                report(site, "hostcall \(h.rawValue) takes \(h.parameterCount) argument(s), but \(args.count) are passed")
            }
            for (a, t) in zip(args, h.parameterTypes) { expect(a, t, "a \(h.rawValue) argument", site) }
            switch (h.resultType, d) {
            case (nil, let d?):
                report(site, "hostcall \(h.rawValue) returns nothing, but the instruction assigns \(d)")
            case (let r?, nil):
                report(site, "hostcall \(h.rawValue) returns \(r), but the instruction has no destination")
            case (let r?, let d?):
                if let t = type(d), t != r { report(site, "hostcall \(h.rawValue) returns \(r), but \(d) has type \(t)") }
            case (nil, nil):
                break
            }
        case .trapIf(let c, _):
            expect(c, .i1, "the condition", site)
        case .scan(let d, let start, let t, let step, let limit):
            expect(.reg(d), .i64, "the result", site)
            expect(.reg(start), .i64, "the start address", site)
            memoryAccess(site)
            if t == .i1 { report(site, "scan looks for a zero i8, i16, i32 or i64, not an i1") }
            if step == 0 { report(site, "scan needs a step other than 0") }
            if limit < 0 || limit > Int64(module.memorySize) - Int64(t.bytes) {
                report(site, "scan's limit \(limit) must lie in 0...\(Int64(module.memorySize) - Int64(t.bytes)), so that every \(t) it reads is in memory")
            }
        case .probe(_, let base, _):
            expect(.reg(base), .i64, "the base address", site)
            memoryAccess(site)
        case .enter, .leave:
            break  // their pairing is a dataflow fact, checked by ActivationBalance
        }
    }

    /// I12: a probe stands for the access right after it, in a module with guard regions.
    private mutating func probe(_ site: Site, _ instructions: [Instruction], at k: Int) {
        guard case .probe(let t, let base, let offset) = instructions[k].op else { return }
        if module.guardBytes == 0 { report(site, "probe needs a module with guard regions ('guard')") }
        let next = instructions.indices.contains(k + 1) ? instructions[k + 1] : nil
        let covered: Bool
        switch next?.op {
        case .load(let d, base, offset)?: covered = type(d) == t
        case .store(t, _, base, offset)?: covered = true
        default: covered = false
        }
        if !covered || next?.loc != instructions[k].loc {
            report(site, "probe must be followed by a load or store of \(t) at the same address and position")
        }
    }

    private mutating func memoryAccess(_ site: Site) {
        guard module.memorySize == 0, !reportedMemory else { return }
        reportedMemory = true
        report(site, "the function accesses memory, but the module has none (memory 0)")
    }

    private mutating func call(_ site: Site, _ d: Var?, _ callee: String, _ args: [Operand]) {
        let target = "@" + IRSyntax.name(callee)
        guard let g = callees[callee] else {
            report(site, "call to \(target), which is not defined in the module")
            return
        }
        if args.count != g.parameters.count {
            report(site, "\(target) takes \(g.parameters.count) argument(s), but \(args.count) are passed")
        }
        for (k, (a, p)) in zip(args, g.parameters).enumerated() where g.registerTypes.indices.contains(p.index) {
            expect(a, g.registerTypes[p.index], "argument \(k)", site)
        }
        switch (g.resultType, d) {
        case (nil, let d?):
            report(site, "\(target) returns nothing, but the call assigns \(d)")
        case (let r?, nil):
            report(site, "\(target) returns \(r), but the call has no destination")
        case (let r?, let d?):
            if let t = type(d), t != r { report(site, "\(target) returns \(r), but \(d) has type \(t)") }
        case (nil, nil):
            break
        }
    }

    private mutating func terminator(_ b: Int, _ t: Terminator) {
        let site = Site.terminator(block: b)
        for s in t.successors where !function.blocks.indices.contains(s.index) {
            report(site, "the target #\(s.index) is not a block (\(name) has \(function.blocks.count))")
        }
        switch t {
        case .branch(let c, _, _):
            if case .reg(let v) = c, type(v) == nil {
                report(site, "\(v) is not a register of the function (\(registerCount))")
            }
            expect(c, .i1, "the condition", site)
        case .ret(let v):
            switch (function.resultType, v) {
            case (nil, let v?):
                report(site, "the function returns nothing, but ret gives \(v)")
            case (let r?, nil):
                report(site, "the function returns \(r), but ret gives no value")
            case (let r?, let v?):
                if case .reg(let x) = v, type(x) == nil {
                    report(site, "\(x) is not a register of the function (\(registerCount))")
                }
                expect(v, r, "the returned value", site)
            case (nil, nil):
                break
            }
        case .jump, .trap:
            break
        }
    }
}
