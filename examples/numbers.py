"""Our example of importing real Python functions into jitctl.

    jitctl run --backend=llvm examples/numbers.py --call 'collatz_steps(27)'   -> 111
    jitctl run --backend=x86 examples/numbers.py --call 'gcd(1071, 462)'        -> 21
    jitctl run examples/numbers.py --call 'digit_sum(-9876543210)'              -> 45

Only the called function and what it calls must fit jitctl's int64 subset;
`describe` below uses strings and is never compiled.
"""


def gcd(a, b):
    while b:
        a, b = b, a % b
    return abs(a)


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def digit_sum(n):
    n = abs(n)
    total = 0
    while n > 0:
        total += n % 10
        n //= 10
    return total


def describe(n):
    return f"{n} takes {collatz_steps(n)} steps"


if __name__ == "__main__":
    print(describe(27), gcd(1071, 462), digit_sum(-9876543210))
