import JitIR
import NativeCode

/// `scan`: the search for the next zero cell of a Brainfuck `[>]` or `[<<]`.
///
/// The first few cells are tested one at a time: most scans stop early, and a 16-byte load
/// over cells just written one byte at a time would wait for those stores to drain.
/// After that, steps of 1, 2, 4 or 8 bytes over cells of 1, 2 or 4 bytes test 16 bytes at a time with
/// SSE2 (`pcmpeq` against zero, `pmovmskb`, a mask that keeps the cells the step lands on,
/// then `bsf`/`bsr`), while the whole 16-byte block lies in `0...limit`. Near the edges,
/// and for every other step, a scalar loop tests one cell at a time with the bounds check
/// the IR defines, so a scan that runs off the end traps exactly where the IR says, and no
/// read ever leaves `0...limit + cell size - 1`.
extension FunctionEmitter {
    mutating func emitScan(_ d: Var, _ start: Var, _ type: IntType, step: Int64, limit: Int64, loc: SourceLoc) {
        let x = Self.temp, bits = Self.temp2
        let size = type.operandSize
        let done = asm.newLabel(), scalar = asm.newLabel()
        load(x, .reg(start))

        let e = Int64(type.bytes), magnitude = step.magnitude
        let vector = type != .i64 && [1, 2, 4, 8].contains(magnitude) && Int64(magnitude) % e == 0
            && limit >= 16 - e && Int32(exactly: limit) != nil
        // After the first cell, each cell tested lies `step` bytes from one just read, which was
        // in the memory (else the read had faulted): guard regions at least that wide catch it.
        let guarded = guardedMemory && magnitude <= UInt64(guardBytes - type.bytes)
        if vector {
            let loop = asm.newLabel(), found = asm.newLabel()
            for i in 0..<Self.scalarPrelude {
                scalarStep(x, type, step: step, limit: limit, done: done, loc: loc, checked: i == 0 || !guarded)
            }
            asm.pxor(.xmm1, .xmm1)
            asm.bind(loop)
            if step > 0 {
                // The block [x, x + 16) holds the cells at x, x + step, …; all of it must be in range.
                asm.cmp(x, limit + e - 16)
                asm.jcc(.a, scalar)
                asm.movdqu(.xmm0, memoryOperand(index: x, disp: 0, size: nil))
            } else {
                // The block [x + e - 16, x + e) holds the cells at x, x - |step|, …
                asm.lea(bits, .ptr(x, Int32(e - 16)))
                asm.cmp(bits, limit + e - 16)
                asm.jcc(.a, scalar)
                asm.movdqu(.xmm0, memoryOperand(index: x, disp: Int32(e - 16), size: nil))
            }
            asm.pcmpeq(size, .xmm0, .xmm1)
            asm.pmovmskb(bits.d, .xmm0)
            asm.and(bits.d, Self.strideMask(step: step, cellBytes: e))
            asm.jcc(.ne, found)
            asm.add(x, step > 0 ? 16 : -16)
            asm.jmp(loop)
            asm.bind(found)
            if step > 0 {
                asm.bsf(bits.d, bits.d)
                asm.add(x, bits)
            } else {
                asm.bsr(bits.d, bits.d)
                asm.lea(x, .ptr(x, index: bits, Int32(e - 16)))
            }
            asm.jmp(done)
        }

        asm.bind(scalar)
        // Reached after the prelude (whose last cell was read), from a block out of range (whose
        // first cell is the next after one read), or first thing: only then is `x` unknown.
        if guarded && !vector { scalarStep(x, type, step: step, limit: limit, done: done, loc: loc) }
        let rest = asm.newLabel()
        asm.bind(rest)
        scalarStep(x, type, step: step, limit: limit, done: done, loc: loc, checked: !guarded)
        asm.jmp(rest)
        asm.bind(done)
        assign(d, from: x)
    }

    /// Cells a vector scan tests one at a time before it starts on 16-byte blocks.
    static let scalarPrelude = 4

    /// One step of the scan's definition: check `x` against the limit, stop at a zero, move on.
    /// Unless `checked`, the guard regions catch a cell off the memory (`markAccess`).
    private mutating func scalarStep(_ x: Reg, _ type: IntType, step: Int64, limit: Int64, done: Label, loc: SourceLoc,
                                     checked: Bool = true) {
        if checked {
            if Int32(exactly: limit) != nil {
                asm.cmp(x, limit)
            } else {
                asm.mov(Self.temp2, limit)
                asm.cmp(x, Self.temp2)
            }
            asm.jcc(.a, stub(.outOfBounds, loc))
        } else {
            markAccess(loc)
        }
        asm.cmp(memoryOperand(index: x, disp: 0, size: type.operandSize), 0)
        asm.jcc(.e, done)
        if Int32(exactly: step) != nil {
            asm.add(x, step)
        } else {
            asm.mov(Self.temp2, step)
            asm.add(x, Self.temp2)
        }
    }

    /// The `pmovmskb` bits of the cells a scan visits within one 16-byte block: the low byte
    /// of each, at multiples of the step from the block's first cell (forwards) or last (backwards).
    static func strideMask(step: Int64, cellBytes e: Int64) -> Int64 {
        var mask: Int64 = 0
        let stride = Int64(step.magnitude)
        var offset: Int64 = step > 0 ? 0 : 16 - e
        while offset >= 0 && offset <= 16 - e {
            mask |= 1 << offset
            offset += step > 0 ? stride : -stride
        }
        return mask
    }
}
