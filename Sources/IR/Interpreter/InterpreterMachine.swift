/// How a run of the machine ended.
enum InterpreterStop: Equatable {
    case returned(Int64)
    /// `pc` is the index of the trapping instruction.
    case trapped(TrapKind, pc: Int)
}

/// The interpreter loop over a `DecodedProgram` held in raw memory. Registers
/// always hold canonical values of their types, so most operations need no
/// normalisation (see `Opcode`). Every pointer is owned by `InterpretedProgram`
/// and outlives the run; the decoder has checked every index followed here.
struct InterpreterMachine {
    let code: UnsafePointer<DecodedInstruction>
    let functions: UnsafePointer<DecodedFunction>
    let parameters: UnsafePointer<DecodedParameter>
    let arguments: UnsafePointer<Int32>
    let constants: UnsafePointer<Int64>
    /// `memorySize` zeroed bytes (at least one byte is allocated).
    let memory: UnsafeMutablePointer<UInt8>
    let memorySize: Int
    /// Most function activations live at once.
    let maxCallDepth: Int
    /// Most registers, summed over all live activations.
    let maxRegisters: Int

    /// Runs function `entry` with `args` (one per parameter) to its return or a trap.
    func run(entry: Int, arguments args: [Int64], io: ProgramIO) -> InterpreterStop {
        let entryFunction = functions[entry]
        guard Int(entryFunction.frameSize) <= maxRegisters,
              var stack = InterpreterStack(initialRegisters: Int(entryFunction.frameSize))
        else { return .trapped(.recursionLimit, pc: Int(entryFunction.entry)) }
        let r = stack.registers
        r.update(repeating: 0, count: Int(entryFunction.frameSize))
        for j in 0..<Int(entryFunction.parameterCount) {
            let p = parameters[Int(entryFunction.firstParameter) + j]
            r[Int(p.register)] = p.type.normalize(args[j])
        }
        let stop = execute(from: Int(entryFunction.entry), stack: &stack, io: io)
        stack.deallocate()
        return stop
    }

    /// The loop. The entry frame's registers are at the start of `stack`.
    private func execute(from entryPC: Int, stack: inout InterpreterStack, io: ProgramIO) -> InterpreterStop {
        let code = self.code, constants = self.constants, mem = self.memory
        // Valid start addresses for 1-, 2-, 4- and 8-byte accesses: address < limit.
        let limit1 = UInt64(memorySize)
        let limit2 = UInt64(max(0, memorySize - 1))
        let limit4 = UInt64(max(0, memorySize - 3))
        let limit8 = UInt64(max(0, memorySize - 7))

        var r = stack.registers
        var base = 0
        var depth = 0  // suspended callers
        var inlined = 0  // activations opened by `enter` and not yet left, in every frame
        var ip = code + entryPC

        while true {
            let i = ip
            switch i.op {
            // MARK: General forms
            case .gMove:
                r[Int(i.d)] = Self.fetch(i.a, r, constants)
            case .gBinary:
                switch Semantics.binary(DecodedTables.binary[Int(i.t)], IntType(decodedCode: i.w),
                                        Self.fetch(i.a, r, constants), Self.fetch(i.b, r, constants),
                                        checked: i.f != 0) {
                case .value(let v): r[Int(i.d)] = v
                case .trap(let kind): return .trapped(kind, pc: (ip - code))
                }
            case .gUnary:
                switch Semantics.unary(DecodedTables.unary[Int(i.t)], IntType(decodedCode: i.w),
                                       Self.fetch(i.a, r, constants), checked: i.f != 0) {
                case .value(let v): r[Int(i.d)] = v
                case .trap(let kind): return .trapped(kind, pc: (ip - code))
                }
            case .gCompare:
                let holds = Semantics.compare(DecodedTables.predicates[Int(i.t)], IntType(decodedCode: i.w),
                                              Self.fetch(i.a, r, constants), Self.fetch(i.b, r, constants))
                r[Int(i.d)] = holds ? 1 : 0
            case .gSelect:
                r[Int(i.d)] = Self.fetch(i.a, r, constants) & 1 != 0
                    ? Self.fetch(i.b, r, constants) : Self.fetch(i.t, r, constants)
            case .gConvert:
                r[Int(i.d)] = Semantics.convert(DecodedTables.conversions[Int(i.t)], Self.fetch(i.a, r, constants),
                                                from: IntType(decodedCode: UInt8(i.f)), to: IntType(decodedCode: i.w))
            case .gLoad:
                let type = IntType(decodedCode: i.w)
                let address = r[Int(i.a)] &+ i.k
                guard address >= 0 && address <= memorySize - type.bytes else {
                    return .trapped(.outOfBounds, pc: (ip - code))
                }
                r[Int(i.d)] = type.normalize(Self.loadLittleEndian(mem + Int(address), bytes: type.bytes))
            case .gStore:
                let type = IntType(decodedCode: i.w)
                let address = r[Int(i.a)] &+ i.k
                guard address >= 0 && address <= memorySize - type.bytes else {
                    return .trapped(.outOfBounds, pc: (ip - code))
                }
                Self.storeLittleEndian(Self.fetch(i.b, r, constants), mem + Int(address), bytes: type.bytes)
            case .gBranch:
                ip = code + Self.target(Self.fetch(i.a, r, constants) & 1 != 0, i)
                continue

            // MARK: Moves and wrapping arithmetic
            case .movR: r[Int(i.d)] = r[Int(i.a)]
            case .movI: r[Int(i.d)] = i.k
            case .add64RR: r[Int(i.d)] = r[Int(i.a)] &+ r[Int(i.b)]
            case .add64RI: r[Int(i.d)] = r[Int(i.a)] &+ i.k
            case .addNRR: r[Int(i.d)] = Self.narrow(r[Int(i.a)] &+ r[Int(i.b)], i.w)
            case .addNRI: r[Int(i.d)] = Self.narrow(r[Int(i.a)] &+ i.k, i.w)
            case .sub64RR: r[Int(i.d)] = r[Int(i.a)] &- r[Int(i.b)]
            case .subNRR: r[Int(i.d)] = Self.narrow(r[Int(i.a)] &- r[Int(i.b)], i.w)
            case .mul64RR: r[Int(i.d)] = r[Int(i.a)] &* r[Int(i.b)]
            case .mul64RI: r[Int(i.d)] = r[Int(i.a)] &* i.k
            case .mulNRR: r[Int(i.d)] = Self.narrow(r[Int(i.a)] &* r[Int(i.b)], i.w)
            case .mulNRI: r[Int(i.d)] = Self.narrow(r[Int(i.a)] &* i.k, i.w)
            case .andRR: r[Int(i.d)] = r[Int(i.a)] & r[Int(i.b)]
            case .andRI: r[Int(i.d)] = r[Int(i.a)] & i.k
            case .orRR: r[Int(i.d)] = r[Int(i.a)] | r[Int(i.b)]
            case .orRI: r[Int(i.d)] = r[Int(i.a)] | i.k
            case .xorRR: r[Int(i.d)] = r[Int(i.a)] ^ r[Int(i.b)]
            case .xorRI: r[Int(i.d)] = r[Int(i.a)] ^ i.k
            case .shl64RI: r[Int(i.d)] = r[Int(i.a)] &<< i.k
            case .shlNRI: r[Int(i.d)] = Self.narrow(r[Int(i.a)] &<< i.k, i.w)
            case .lshr64RI: r[Int(i.d)] = Int64(bitPattern: UInt64(bitPattern: r[Int(i.a)]) &>> UInt64(i.k))
            case .lshrNRI:
                // The count is at least 1, so the result is below 2^(bits-1): already canonical.
                let unsigned = UInt64(bitPattern: r[Int(i.a)]) & (UInt64.max &>> UInt64(i.w))
                r[Int(i.d)] = Int64(bitPattern: unsigned &>> UInt64(i.k))
            case .ashrRI: r[Int(i.d)] = r[Int(i.a)] &>> i.k

            // MARK: Checked 64-bit arithmetic
            case .addChk64RR:
                let (v, o) = r[Int(i.a)].addingReportingOverflow(r[Int(i.b)])
                if o { return .trapped(.overflow, pc: (ip - code)) }
                r[Int(i.d)] = v
            case .addChk64RI:
                let (v, o) = r[Int(i.a)].addingReportingOverflow(i.k)
                if o { return .trapped(.overflow, pc: (ip - code)) }
                r[Int(i.d)] = v
            case .subChk64RR:
                let (v, o) = r[Int(i.a)].subtractingReportingOverflow(r[Int(i.b)])
                if o { return .trapped(.overflow, pc: (ip - code)) }
                r[Int(i.d)] = v
            case .subChk64RI:
                let (v, o) = r[Int(i.a)].subtractingReportingOverflow(i.k)
                if o { return .trapped(.overflow, pc: (ip - code)) }
                r[Int(i.d)] = v
            case .mulChk64RR:
                let (v, o) = r[Int(i.a)].multipliedReportingOverflow(by: r[Int(i.b)])
                if o { return .trapped(.overflow, pc: (ip - code)) }
                r[Int(i.d)] = v
            case .mulChk64RI:
                let (v, o) = r[Int(i.a)].multipliedReportingOverflow(by: i.k)
                if o { return .trapped(.overflow, pc: (ip - code)) }
                r[Int(i.d)] = v

            // MARK: Division and select
            case .sdiv64RR:
                let x = r[Int(i.a)], y = r[Int(i.b)]
                if y == 0 { return .trapped(.divisionByZero, pc: ip - code) }
                if y == -1 {
                    if x == .min { return .trapped(.overflow, pc: ip - code) }
                    r[Int(i.d)] = 0 &- x
                } else {
                    r[Int(i.d)] = x / y
                }
            case .srem64RR:
                let x = r[Int(i.a)], y = r[Int(i.b)]
                if y == 0 { return .trapped(.divisionByZero, pc: ip - code) }
                r[Int(i.d)] = y == -1 ? 0 : x % y
            case .sdiv64RI: r[Int(i.d)] = r[Int(i.a)] / i.k
            case .srem64RI: r[Int(i.d)] = r[Int(i.a)] % i.k
            case .selRRR: r[Int(i.d)] = r[Int(i.a)] & 1 != 0 ? r[Int(i.b)] : r[Int(i.t)]
            case .selRIR: r[Int(i.d)] = r[Int(i.a)] & 1 != 0 ? i.k : r[Int(i.t)]
            case .selRRI: r[Int(i.d)] = r[Int(i.a)] & 1 != 0 ? r[Int(i.b)] : i.k

            // MARK: Comparisons
            case .eqRR: r[Int(i.d)] = r[Int(i.a)] == r[Int(i.b)] ? 1 : 0
            case .neRR: r[Int(i.d)] = r[Int(i.a)] != r[Int(i.b)] ? 1 : 0
            case .sltRR: r[Int(i.d)] = r[Int(i.a)] < r[Int(i.b)] ? 1 : 0
            case .sleRR: r[Int(i.d)] = r[Int(i.a)] <= r[Int(i.b)] ? 1 : 0
            case .sgtRR: r[Int(i.d)] = r[Int(i.a)] > r[Int(i.b)] ? 1 : 0
            case .sgeRR: r[Int(i.d)] = r[Int(i.a)] >= r[Int(i.b)] ? 1 : 0
            case .ultRR: r[Int(i.d)] = Self.u(r[Int(i.a)]) < Self.u(r[Int(i.b)]) ? 1 : 0
            case .uleRR: r[Int(i.d)] = Self.u(r[Int(i.a)]) <= Self.u(r[Int(i.b)]) ? 1 : 0
            case .ugtRR: r[Int(i.d)] = Self.u(r[Int(i.a)]) > Self.u(r[Int(i.b)]) ? 1 : 0
            case .ugeRR: r[Int(i.d)] = Self.u(r[Int(i.a)]) >= Self.u(r[Int(i.b)]) ? 1 : 0
            case .eqRI: r[Int(i.d)] = r[Int(i.a)] == i.k ? 1 : 0
            case .neRI: r[Int(i.d)] = r[Int(i.a)] != i.k ? 1 : 0
            case .sltRI: r[Int(i.d)] = r[Int(i.a)] < i.k ? 1 : 0
            case .sleRI: r[Int(i.d)] = r[Int(i.a)] <= i.k ? 1 : 0
            case .sgtRI: r[Int(i.d)] = r[Int(i.a)] > i.k ? 1 : 0
            case .sgeRI: r[Int(i.d)] = r[Int(i.a)] >= i.k ? 1 : 0
            case .ultRI: r[Int(i.d)] = Self.u(r[Int(i.a)]) < Self.u(i.k) ? 1 : 0
            case .uleRI: r[Int(i.d)] = Self.u(r[Int(i.a)]) <= Self.u(i.k) ? 1 : 0
            case .ugtRI: r[Int(i.d)] = Self.u(r[Int(i.a)]) > Self.u(i.k) ? 1 : 0
            case .ugeRI: r[Int(i.d)] = Self.u(r[Int(i.a)]) >= Self.u(i.k) ? 1 : 0

            // MARK: Comparison and branch
            case .brEqRR: ip = code + Self.branch(r[Int(i.a)] == r[Int(i.b)], i, r); continue
            case .brNeRR: ip = code + Self.branch(r[Int(i.a)] != r[Int(i.b)], i, r); continue
            case .brSltRR: ip = code + Self.branch(r[Int(i.a)] < r[Int(i.b)], i, r); continue
            case .brSleRR: ip = code + Self.branch(r[Int(i.a)] <= r[Int(i.b)], i, r); continue
            case .brSgtRR: ip = code + Self.branch(r[Int(i.a)] > r[Int(i.b)], i, r); continue
            case .brSgeRR: ip = code + Self.branch(r[Int(i.a)] >= r[Int(i.b)], i, r); continue
            case .brUltRR: ip = code + Self.branch(Self.u(r[Int(i.a)]) < Self.u(r[Int(i.b)]), i, r); continue
            case .brUleRR: ip = code + Self.branch(Self.u(r[Int(i.a)]) <= Self.u(r[Int(i.b)]), i, r); continue
            case .brUgtRR: ip = code + Self.branch(Self.u(r[Int(i.a)]) > Self.u(r[Int(i.b)]), i, r); continue
            case .brUgeRR: ip = code + Self.branch(Self.u(r[Int(i.a)]) >= Self.u(r[Int(i.b)]), i, r); continue
            case .brEqRI: ip = code + Self.branch(r[Int(i.a)] == i.k, i, r); continue
            case .brNeRI: ip = code + Self.branch(r[Int(i.a)] != i.k, i, r); continue
            case .brSltRI: ip = code + Self.branch(r[Int(i.a)] < i.k, i, r); continue
            case .brSleRI: ip = code + Self.branch(r[Int(i.a)] <= i.k, i, r); continue
            case .brSgtRI: ip = code + Self.branch(r[Int(i.a)] > i.k, i, r); continue
            case .brSgeRI: ip = code + Self.branch(r[Int(i.a)] >= i.k, i, r); continue
            case .brUltRI: ip = code + Self.branch(Self.u(r[Int(i.a)]) < Self.u(i.k), i, r); continue
            case .brUleRI: ip = code + Self.branch(Self.u(r[Int(i.a)]) <= Self.u(i.k), i, r); continue
            case .brUgtRI: ip = code + Self.branch(Self.u(r[Int(i.a)]) > Self.u(i.k), i, r); continue
            case .brUgeRI: ip = code + Self.branch(Self.u(r[Int(i.a)]) >= Self.u(i.k), i, r); continue

            // MARK: Memory
            case .ld1:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit1 else { return .trapped(.outOfBounds, pc: (ip - code)) }
                r[Int(i.d)] = Int64(mem[Int(address)] & 1)
            case .ld8:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit1 else { return .trapped(.outOfBounds, pc: (ip - code)) }
                r[Int(i.d)] = Int64(Int8(bitPattern: mem[Int(address)]))
            case .ld16:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit2 else { return .trapped(.outOfBounds, pc: (ip - code)) }
                r[Int(i.d)] = Int64(Self.load(Int16.self, mem + Int(address)))
            case .ld32:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit4 else { return .trapped(.outOfBounds, pc: (ip - code)) }
                r[Int(i.d)] = Int64(Self.load(Int32.self, mem + Int(address)))
            case .ld64:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit8 else { return .trapped(.outOfBounds, pc: (ip - code)) }
                r[Int(i.d)] = Self.load(Int64.self, mem + Int(address))
            case .st8R:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit1 else { return .trapped(.outOfBounds, pc: ip - code) }
                mem[Int(address)] = UInt8(truncatingIfNeeded: r[Int(i.b)])
            case .st8I:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit1 else { return .trapped(.outOfBounds, pc: ip - code) }
                mem[Int(address)] = UInt8(truncatingIfNeeded: i.t)
            case .st16R:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit2 else { return .trapped(.outOfBounds, pc: ip - code) }
                Self.store(Int16(truncatingIfNeeded: r[Int(i.b)]), mem + Int(address))
            case .st16I:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit2 else { return .trapped(.outOfBounds, pc: ip - code) }
                Self.store(Int16(truncatingIfNeeded: i.t), mem + Int(address))
            case .st32R:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit4 else { return .trapped(.outOfBounds, pc: ip - code) }
                Self.store(Int32(truncatingIfNeeded: r[Int(i.b)]), mem + Int(address))
            case .st32I:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit4 else { return .trapped(.outOfBounds, pc: ip - code) }
                Self.store(i.t, mem + Int(address))
            case .st64R:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit8 else { return .trapped(.outOfBounds, pc: ip - code) }
                Self.store(r[Int(i.b)], mem + Int(address))
            case .st64I:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit8 else { return .trapped(.outOfBounds, pc: ip - code) }
                Self.store(Int64(i.t), mem + Int(address))

            // MARK: Fused memory operations
            // The load's register is written before the sum's: the two may be one register.
            case .addMem8:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit1 else { return .trapped(.outOfBounds, pc: ip - code) }
                let old = Int8(bitPattern: mem[Int(address)])
                let new = old &+ Int8(truncatingIfNeeded: i.t)
                r[Int(i.d)] = Int64(old)
                r[Int(i.b)] = Int64(new)
                mem[Int(address)] = UInt8(bitPattern: new)
            case .addMem16:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit2 else { return .trapped(.outOfBounds, pc: ip - code) }
                let old = Self.load(Int16.self, mem + Int(address))
                let new = old &+ Int16(truncatingIfNeeded: i.t)
                r[Int(i.d)] = Int64(old)
                r[Int(i.b)] = Int64(new)
                Self.store(new, mem + Int(address))
            case .addMem32:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit4 else { return .trapped(.outOfBounds, pc: ip - code) }
                let old = Self.load(Int32.self, mem + Int(address))
                let new = old &+ i.t
                r[Int(i.d)] = Int64(old)
                r[Int(i.b)] = Int64(new)
                Self.store(new, mem + Int(address))
            case .addMemR8:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit1 else { return .trapped(.outOfBounds, pc: ip - code) }
                let old = Int8(bitPattern: mem[Int(address)])
                r[Int(i.d)] = Int64(old)
                let x = Int8(truncatingIfNeeded: r[Int(i.t)])
                let new = i.w == 0 ? old &+ x : old &- x
                r[Int(i.b)] = Int64(new)
                mem[Int(address)] = UInt8(bitPattern: new)
            case .addMemR16:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit2 else { return .trapped(.outOfBounds, pc: ip - code) }
                let old = Self.load(Int16.self, mem + Int(address))
                r[Int(i.d)] = Int64(old)
                let x = Int16(truncatingIfNeeded: r[Int(i.t)])
                let new = i.w == 0 ? old &+ x : old &- x
                r[Int(i.b)] = Int64(new)
                Self.store(new, mem + Int(address))
            case .addMemR32:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit4 else { return .trapped(.outOfBounds, pc: ip - code) }
                let old = Self.load(Int32.self, mem + Int(address))
                r[Int(i.d)] = Int64(old)
                let x = Int32(truncatingIfNeeded: r[Int(i.t)])
                let new = i.w == 0 ? old &+ x : old &- x
                r[Int(i.b)] = Int64(new)
                Self.store(new, mem + Int(address))
            case .addCheckUgt:
                let sum = r[Int(i.a)] &+ i.k
                r[Int(i.d)] = sum
                if _slowPath(Self.u(sum) > UInt64(UInt32(bitPattern: i.f))) {
                    r[Int(i.b)] = 1
                    ip = code + Int(i.t)
                    continue
                }
                r[Int(i.b)] = 0
            case .addStore8:
                let v = Int8(truncatingIfNeeded: r[Int(i.a)]) &+ Int8(truncatingIfNeeded: i.t)
                r[Int(i.d)] = Int64(v)
                let address = r[Int(i.b)] &+ i.k
                guard Self.u(address) < limit1 else { return .trapped(.outOfBounds, pc: ip - code) }
                mem[Int(address)] = UInt8(bitPattern: v)
            case .addStore16:
                let v = Int16(truncatingIfNeeded: r[Int(i.a)]) &+ Int16(truncatingIfNeeded: i.t)
                r[Int(i.d)] = Int64(v)
                let address = r[Int(i.b)] &+ i.k
                guard Self.u(address) < limit2 else { return .trapped(.outOfBounds, pc: ip - code) }
                Self.store(v, mem + Int(address))
            case .addStore32:
                let v = Int32(truncatingIfNeeded: r[Int(i.a)]) &+ i.t
                r[Int(i.d)] = Int64(v)
                let address = r[Int(i.b)] &+ i.k
                guard Self.u(address) < limit4 else { return .trapped(.outOfBounds, pc: ip - code) }
                Self.store(v, mem + Int(address))
            case .ld8BrNz:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit1 else { return .trapped(.outOfBounds, pc: ip - code) }
                let v = Int64(Int8(bitPattern: mem[Int(address)]))
                r[Int(i.d)] = v
                ip = code + Self.branch((v != 0) != (i.w != 0), i, r, flag: i.b)
                continue
            case .ld16BrNz:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit2 else { return .trapped(.outOfBounds, pc: ip - code) }
                let v = Int64(Self.load(Int16.self, mem + Int(address)))
                r[Int(i.d)] = v
                ip = code + Self.branch((v != 0) != (i.w != 0), i, r, flag: i.b)
                continue
            case .ld32BrNz:
                let address = r[Int(i.a)] &+ i.k
                guard Self.u(address) < limit4 else { return .trapped(.outOfBounds, pc: ip - code) }
                let v = Int64(Self.load(Int32.self, mem + Int(address)))
                r[Int(i.d)] = v
                ip = code + Self.branch((v != 0) != (i.w != 0), i, r, flag: i.b)
                continue

            // MARK: Control
            case .jump:
                ip = code + Int(i.t)
                continue
            case .branchR:
                ip = code + Self.target(r[Int(i.a)] & 1 != 0, i)
                continue
            case .trapIfR:
                if r[Int(i.a)] & 1 != 0 { return .trapped(DecodedTables.trapKinds[Int(i.t)], pc: (ip - code)) }
            case .trapIfI, .trap:
                return .trapped(DecodedTables.trapKinds[Int(i.t)], pc: (ip - code))
            case .retR, .retI:
                let v = i.op == .retR ? r[Int(i.a)] : i.k
                if depth == 0 { return .returned(v) }
                depth -= 1
                let caller = stack.frames[depth]
                base = caller.base
                r = stack.registers + base
                if caller.destination >= 0 { r[Int(caller.destination)] = v }
                ip = code + Int(caller.returnPC)
                continue
            case .call:
                let callee = functions[Int(i.a)]
                let calleeBase = base + Int(i.f)
                let top = calleeBase + Int(callee.frameSize)
                guard depth + inlined + 2 <= maxCallDepth, top <= maxRegisters,
                      stack.reserveRegisters(top), stack.reserveFrames(depth + 1)
                else { return .trapped(.recursionLimit, pc: (ip - code)) }
                let caller = stack.registers + base
                let frame = stack.registers + calleeBase
                frame.update(repeating: 0, count: Int(callee.frameSize))
                for j in 0..<Int(i.t) {
                    let p = parameters[Int(callee.firstParameter) + j]
                    frame[Int(p.register)] = p.type.normalize(Self.fetch(arguments[Int(i.b) + j], caller, constants))
                }
                stack.frames[depth] = SuspendedCall(returnPC: Int32((ip - code) + 1), destination: i.d, base: base)
                depth += 1
                base = calleeBase
                r = frame
                ip = code + Int(callee.entry)
                continue
            case .enter:
                guard depth + inlined + 2 <= maxCallDepth else { return .trapped(.recursionLimit, pc: (ip - code)) }
                inlined += 1
            case .leave:
                inlined -= 1
            case .putByte:
                io.write(UInt8(truncatingIfNeeded: Self.fetch(i.a, r, constants)))
            case .putBytes:
                Semantics.putBytes(Self.fetch(i.a, r, constants), count: Self.fetch(i.b, r, constants)) { io.write($0) }
            case .scan:
                let bytes = IntType(decodedCode: i.w).bytes
                let highest = Self.u(constants[Int(~i.b)])
                var x = r[Int(i.a)]
                while true {
                    guard Self.u(x) <= highest else { return .trapped(.outOfBounds, pc: ip - code) }
                    if Self.loadLittleEndian(mem + Int(x), bytes: bytes) == 0 { break }
                    x = x &+ i.k
                }
                r[Int(i.d)] = x
            case .getByte:
                let byte = Int64(io.read())
                if i.d >= 0 { r[Int(i.d)] = IntType(decodedCode: i.w).normalize(byte) }
            }
            ip += 1
        }
    }

    // MARK: Helpers

    @inline(__always)
    private static func fetch(_ operand: Int32, _ r: UnsafeMutablePointer<Int64>, _ constants: UnsafePointer<Int64>) -> Int64 {
        operand >= 0 ? r[Int(operand)] : constants[Int(~operand)]
    }

    /// Sign-extends from bit `64 - shift - 1`.
    @inline(__always)
    private static func narrow(_ x: Int64, _ shift: UInt8) -> Int64 {
        (x &<< Int64(shift)) &>> Int64(shift)
    }

    @inline(__always)
    private static func u(_ x: Int64) -> UInt64 { UInt64(bitPattern: x) }

    /// Records a fused comparison's result in its register (`d` unless `flag`
    /// names another) and picks the target.
    @inline(__always)
    private static func branch(_ holds: Bool, _ i: UnsafePointer<DecodedInstruction>, _ r: UnsafeMutablePointer<Int64>,
                               flag: Int32? = nil) -> Int {
        // A real branch, not a select: the hardware predicts it, so the next
        // dispatch need not wait for the compared data. (`_fastPath` only keeps LLVM from
        // turning the branch into a data-dependent select; the taken side is not known.)
        if _fastPath(holds) {
            r[Int(flag ?? i.d)] = 1
            return Int(i.t)
        } else {
            r[Int(flag ?? i.d)] = 0
            return Int(i.f)
        }
    }

    /// `t` or `f`, chosen by a real branch (see `branch`).
    @inline(__always)
    private static func target(_ holds: Bool, _ i: UnsafePointer<DecodedInstruction>) -> Int {
        if _fastPath(holds) { Int(i.t) } else { Int(i.f) }
    }

    /// A little-endian integer at `p` (any alignment).
    @inline(__always)
    private static func load<T: FixedWidthInteger>(_: T.Type, _ p: UnsafeMutablePointer<UInt8>) -> T {
        T(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: T.self))
    }

    @inline(__always)
    private static func store<T: FixedWidthInteger>(_ value: T, _ p: UnsafeMutablePointer<UInt8>) {
        UnsafeMutableRawPointer(p).storeBytes(of: value.littleEndian, as: T.self)
    }

    private static func loadLittleEndian(_ p: UnsafeMutablePointer<UInt8>, bytes: Int) -> Int64 {
        var v: UInt64 = 0
        for j in (0..<bytes).reversed() { v = v << 8 | UInt64(p[j]) }
        return Int64(bitPattern: v)
    }

    private static func storeLittleEndian(_ value: Int64, _ p: UnsafeMutablePointer<UInt8>, bytes: Int) {
        for j in 0..<bytes { p[j] = UInt8(truncatingIfNeeded: value >> (8 * j)) }
    }
}

/// Lazy field access, so the loop loads only the fields an opcode uses.
extension UnsafePointer where Pointee == DecodedInstruction {
    var op: Opcode { @inline(__always) get { pointee.op } }
    var w: UInt8 { @inline(__always) get { pointee.w } }
    var d: Int32 { @inline(__always) get { pointee.d } }
    var a: Int32 { @inline(__always) get { pointee.a } }
    var b: Int32 { @inline(__always) get { pointee.b } }
    var t: Int32 { @inline(__always) get { pointee.t } }
    var f: Int32 { @inline(__always) get { pointee.f } }
    var k: Int64 { @inline(__always) get { pointee.k } }
}

/// Enum values by the indices the decoder stores.
enum DecodedTables {
    static let binary = BinaryOp.allCases
    static let unary = UnaryOp.allCases
    static let predicates = ComparePredicate.allCases
    static let conversions = ConvertOp.allCases
    static let trapKinds = TrapKind.allCases
}
