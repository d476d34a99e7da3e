"""Pure int functions for the differential tests: each is called with CPython and through
jitctl.jit with the same arguments, and the outcomes must be the same. They were written for
these tests, not taken from jitctl's examples, and reach every trap the subset has."""

INT64_MAX = 2**63 - 1
INT64_MIN = -2**63


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def fib_iter(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def gcd(a, b):
    while b:
        a, b = b, a % b
    return abs(a)


def factorial(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def collatz_steps(n):
    steps = 0
    while n != 1 and n > 0:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def power_mod(base, exp, mod):
    result = 1
    base %= mod
    while exp > 0:
        if exp & 1:
            result = result * base % mod
        exp >>= 1
        base = base * base % mod
    return result


def isqrt(n):
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


def stepped_sum(start, stop, step):
    s = 0
    for i in range(start, stop, step):
        s += i * i - i
    return s


def clamp3(a, b, c):
    return max(min(a, b), min(max(a, b), c))


def chained(a, b, c):
    return a < b <= c


def pick(a, b):
    return a and b or -1


def negate(a):
    return not a


def bits(a, b):
    return (a & b) ^ (a | ~b) ^ (a >> 3)


def shift(a, b):
    return a << b


def rshift(a, b):
    return a >> b


def power(a, b):
    return a ** b


def divide(a, b):
    return a // b + a % b


def is_even(n):
    return True if n == 0 else is_odd(n - 1)


def is_odd(n):
    return False if n == 0 else is_even(n - 1)


def depth(n):
    return 0 if n <= 0 else depth(n - 1) + 1


def mul_chain(a, b):
    x = a * b
    y = x * 3 - a
    return -y


def nested_loops(n):
    total = 0
    i = 0
    while i < n:
        for j in range(i):
            if j % 3 == 0:
                continue
            if j > 50:
                break
            total += j * i
        else:
            total -= 1
        i += 1
    return total


def range_step(a, b, c):
    n = 0
    for _ in range(a, b, c):
        n += 1
    return n


def seven_args(a, b, c, d, e, f, g):
    return a - b + c * d - e // (f | 1) + g


def uses_default(a, b=10):
    return a * b


def identity(a):
    return a
