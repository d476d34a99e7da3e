import JitIR
import NativeCode

/// Loads and stores: the IR address `base + offset` is a byte offset into the
/// module memory, whose address stays pinned in a register, so every access is
/// one `[memoryBase + base + disp32]` operand, or `[base + disp32]` with the memory's
/// address in the displacement when it lies low enough (`memoryOperand`).
extension FunctionEmitter {
    /// The operand for byte `disp` past `index` in the module memory. When the memory's
    /// address plus `disp` fits a 32-bit displacement (`NativeContext` maps it in the low 2 GiB
    /// when it can), that is `[index + address + disp]`: no index register, so a load
    /// is a cycle quicker on AMD Zen and Intel cores (counter.bf, whose every branch waits
    /// on a load: 0.50 s against 0.41 s on an AMD EPYC).
    func memoryOperand(index: Reg, disp: Int32, size: OperandSize?) -> Mem {
        if let absolute = Int32(exactly: Int64(bitPattern: runtime.memoryBase) + Int64(disp)) {
            return Mem(base: index, disp: absolute, size: size)
        }
        return Mem(base: memoryBase ?? .r15, index: index, disp: disp, size: size)
    }

    /// The x86 memory operand for IR address `base + offset`; may use `temp`.
    mutating func address(_ base: Var, _ offset: Int64, size: OperandSize, temp: Reg) -> Mem {
        let memory = memoryBase ?? .r15  // set whenever the function has memory instructions
        var index: Reg
        switch source(.reg(base)) {
        case .reg(let r): index = r
        case .mem(let m):
            asm.mov(temp, m)
            index = temp
        case .imm:
            asm.xor(temp.d, temp.d)
            index = temp
        }
        if let disp = Int32(exactly: offset) {
            return memoryOperand(index: index, disp: disp, size: size)
        }
        // An offset beyond 32 bits: fold it into the index (wrapping, like the IR address arithmetic).
        if index != temp { asm.mov(temp, index) }
        let other: Reg = temp == Self.temp ? Self.temp2 : Self.temp
        asm.mov(other, offset)
        asm.add(temp, other)
        return Mem(base: memory, index: temp, disp: 0, size: size)
    }

    mutating func emitLoad(_ d: Var, _ base: Var, _ offset: Int64, loc: SourceLoc) {
        let type = function.type(of: d)
        let dr = target(d)
        let m = address(base, offset, size: type.operandSize, temp: Self.temp2)
        markAccess(loc)
        switch type {
        case .i64: asm.mov(dr, m)
        case .i32 where narrow.contains(d): asm.mov(dr.d, m)
        // Measured on this AMD EPYC (the machine these figures come from): a word load that follows a store
        // to the same cell waits far less as `movsx` than as `movzx` (pidigits, 16-bit cells:
        // 1.73 s against 0.88 s); for bytes `movzx` is the faster one (mandelbrot: 0.53 s against
        // 0.61 s). A narrow register's upper bits are not read, so either extension is right.
        case .i8 where narrow.contains(d): asm.movzx(dr.d, m)
        case .i16 where narrow.contains(d): asm.movsx(dr.d, m)
        case .i32: asm.movsxd(dr, m)
        case .i16, .i8:
            // Zero-extend from memory, then sign-extend in the register: on some cores a sign-extending
            // load waits far longer for a just-stored byte than a zero-extending one does.
            asm.movzx(dr.d, m)
            asm.movsx(dr, type == .i8 ? dr.b : dr.w)
        case .i1:
            asm.movzx(dr.d, m)
            asm.and(dr.d, 1)
        }
        assign(d, from: dr)
    }

    mutating func emitStore(_ type: IntType, _ value: Operand, _ base: Var, _ offset: Int64, loc: SourceLoc) {
        let size = type.operandSize
        let m = address(base, offset, size: size, temp: Self.temp2)
        switch source(value) {
        case .imm(let k):
            let v = type == .i1 ? k & 1 : k
            if size == .qword && Int32(exactly: v) == nil {
                asm.mov(Self.temp, v)
                markAccess(loc)
                asm.mov(m, Self.temp)
            } else {
                markAccess(loc)
                asm.mov(m, v)
            }
        case .reg(let r):
            markAccess(loc)
            asm.mov(m, r.sized(size))
        case .mem(let slot):
            asm.mov(Self.temp, slot)
            markAccess(loc)
            asm.mov(m, Self.temp.sized(size))
        }
    }

    /// `v = load [b+o]; w = v op x; store w, [b+o]` as one `op size [mem], x`.
    mutating func emitMemoryUpdate(_ load: Instruction, _ binary: Instruction, _ store: Instruction) {
        guard case .load(let v, let base, let offset) = load.op, case .binary(let op, _, let lhs, let rhs, _) = binary.op,
              case .store(let type, _, _, _) = store.op else { return }
        let other = lhs == .reg(v) ? rhs : lhs
        let size = type.operandSize
        let m = address(base, offset, size: size, temp: Self.temp2)
        let aluOp: ALUOp = switch op {
        case .add: .add
        case .sub: .sub
        case .and: .and
        case .or: .or
        default: .xor
        }
        // The load's position: it is the update's first access.
        switch source(other) {
        case .imm(let k):
            if size == .qword && Int32(exactly: k) == nil {
                asm.mov(Self.temp, k)
                markAccess(load.loc)
                asm.alu(aluOp, m, Self.temp)
            } else {
                markAccess(load.loc)
                asm.alu(aluOp, m, k)
            }
        case .reg(let r):
            markAccess(load.loc)
            asm.alu(aluOp, m, r.sized(size))
        case .mem(let slot):
            asm.mov(Self.temp, slot)
            markAccess(load.loc)
            asm.alu(aluOp, m, Self.temp.sized(size))
        }
    }
}
