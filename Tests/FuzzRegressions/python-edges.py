# Hand made: Python's integer semantics near the int64 edges (floor division
# and modulo of negative numbers, shifts, ranges with a negative start,
# recursion, builtins). CPython's answer is below; every engine must give it.
# call: edges(9223372036854775807, -3)
# cpython: -3074457345600487930

def helper(d, x):
    if d <= 0:
        return x
    return helper(d - 1, x * 3 % 1000003) + 1


def edges(a, b):
    q = a // b
    r = a % b
    s = 0
    for i in range(b, 0):
        s += i * (q >> 40)
    t = (a >> 62) << 3
    return q + r + s + t + helper(7, b) + min(a, b, 5) + abs(b)
