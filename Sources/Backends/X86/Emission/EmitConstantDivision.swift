import JitIR
import NativeCode

/// Signed division and remainder by a constant without `idiv`: a shift for a power of two, a
/// multiplication by a "magic" reciprocal otherwise (Granlund and Montgomery's method, as in
/// Hacker's Delight, chapter 10). `idiv` takes tens of cycles; these take a few. Every operand
/// type is computed in 64 bits: narrower values are held sign-extended, and their quotient and
/// remainder by a divisor other than -1 fit their type.
extension FunctionEmitter {
    /// `d = a / k` or `a % k`, truncating, for a constant `k` other than 0, -1 and `Int64.min`
    /// (which `emitDivision` handles). Uses rax, rdx and r11, like `idiv`.
    mutating func emitDivision(_ op: BinaryOp, _ d: Var, _ a: Operand, byConstant k: Int64) {
        let n = Self.temp2
        load(n, a)
        let magnitude = k.magnitude
        if magnitude == 1 {
            // x / 1 is x, x % 1 is 0.
            if op == .srem { asm.xor(n.d, n.d) }
            assign(d, from: n)
            return
        }
        // rdx = the quotient by |k|, truncated.
        if magnitude & (magnitude - 1) == 0 {
            // A negative dividend is biased by 2^s - 1 first, so that the shift rounds to zero.
            let s = magnitude.trailingZeroBitCount
            asm.mov(.rdx, n)
            asm.sar(.rdx, 63)
            asm.shr(.rdx, UInt8(64 - s))
            asm.add(.rdx, n)
            asm.sar(.rdx, UInt8(s))
        } else {
            let (multiplier, shift) = Self.magic(magnitude)
            asm.mov(.rax, multiplier)
            asm.imul(n)  // rdx:rax = n × multiplier
            if multiplier < 0 { asm.add(.rdx, n) }
            if shift > 0 { asm.sar(.rdx, UInt8(shift)) }
            asm.mov(.rax, n)
            asm.shr(.rax, 63)
            asm.add(.rdx, .rax)  // one more for a negative dividend
        }
        if op == .sdiv {
            if k < 0 { asm.neg(.rdx) }
            assign(d, from: .rdx)
            return
        }
        // a % k = a - (a / |k|) × |k|: the remainder takes the dividend's sign, whatever k's.
        if let m = Int32(exactly: Int64(magnitude)) {
            asm.imul(.rax, .rdx, Int64(m))
        } else {
            asm.mov(.rax, Int64(magnitude))
            asm.imul(.rax, .rdx)
        }
        asm.sub(n, .rax)
        assign(d, from: n)
    }

    /// The multiplier and shift whose `(n × multiplier) >> (64 + shift)`, plus `n` when the
    /// multiplier is negative, is `n / d` truncated for non-negative `n` (and one less for
    /// negative `n`), for 2 ≤ `d` < 2^63 not a power of two.
    static func magic(_ d: UInt64) -> (multiplier: Int64, shift: Int) {
        let two63: UInt64 = 1 << 63
        let anc = two63 - 1 - two63 % d  // |nc|: the largest multiple of d, less one, below 2^63
        var p = 63
        var q1 = two63 / anc, r1 = two63 - q1 * anc
        var q2 = two63 / d, r2 = two63 - q2 * d
        var delta: UInt64
        repeat {
            p += 1
            q1 = q1 &* 2
            r1 = r1 &* 2
            if r1 >= anc {
                q1 &+= 1
                r1 &-= anc
            }
            q2 = q2 &* 2
            r2 = r2 &* 2
            if r2 >= d {
                q2 &+= 1
                r2 &-= d
            }
            delta = d - r2
        } while q1 < delta || (q1 == delta && r1 == 0)
        return (Int64(bitPattern: q2 &+ 1), p - 64)
    }
}
