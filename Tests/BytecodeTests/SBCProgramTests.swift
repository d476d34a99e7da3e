import BytecodeFrontend
import JitIR
import Testing

/// Programs written in `.sbc` run through the lowering and the reference interpreter.
struct SBCProgramTests {
    static let programs = """
    .sbc 1
    # Euclid with a tuple swap
    def gcd(a, b):
    loop:
        LOAD_FAST b
        POP_JUMP_IF_FALSE done
        LOAD_FAST b
        LOAD_FAST a
        LOAD_FAST b
        BINARY_OP %     # a, b = b, a % b
        STORE_FAST b
        STORE_FAST a
        JUMP loop
    done:
        LOAD_FAST a
        RETURN_VALUE

    def fib(n):
        LOAD_FAST n
        LOAD_CONST 2
        COMPARE_OP <
        POP_JUMP_IF_FALSE recurse
        LOAD_FAST n
        RETURN_VALUE
    recurse:
        LOAD_FAST n
        LOAD_CONST 1
        BINARY_OP -
        CALL fib 1
        LOAD_FAST n
        LOAD_CONST 2
        BINARY_OP -
        CALL fib 1
        BINARY_OP +
        RETURN_VALUE

    def sum_range(a, b, c):   # sum(range(a, b, c))
        LOAD_CONST 0
        STORE_FAST s
        LOAD_FAST a
        LOAD_FAST b
        LOAD_FAST c
    top:
        FOR_RANGE end
        LOAD_FAST s
        BINARY_OP +
        STORE_FAST s
        JUMP top
    end:
        LOAD_FAST s
        RETURN_VALUE
    """

    @Test func gcdFibAndRange() throws {
        let p = try compileSBC(Self.programs)
        #expect(try run(p, "gcd", [12, 18]) == .value(6))
        #expect(try run(p, "gcd", [17, 5]) == .value(1))
        #expect(try run(p, "fib", [20]) == .value(6765))
        #expect(try run(p, "sum_range", [0, 10, 1]) == .value(45))
        #expect(try run(p, "sum_range", [10, 0, -3]) == .value(10 + 7 + 4 + 1))
        #expect(try run(p, "sum_range", [5, 5, 1]) == .value(0))
        #expect(try run(p, "sum_range", [0, 10, 0]) == .trap(.zeroRangeStep))
    }
}
