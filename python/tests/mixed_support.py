# Functions for test_unsupported.py: some jitctl cannot compile, next to some it can. The line
# numbers are part of the test: keep each unsupported construct where the test expects it.


def uses_float(x):
    y = x * 1.5
    return y


def calls_print(x):
    print(x)
    return x


def with_try(x):
    try:
        return x // 2
    except ZeroDivisionError:
        return 0


def calls_bad(x):
    return uses_float(x) + 1


def good_square(x):
    return x * x


def good_sum(n):
    return sum_to(n)


def sum_to(n):
    t = 0
    for i in range(n):
        t += good_square(i)
    return t


LIMIT = 10


def reads_constant(x):
    return x + LIMIT


def uses_list(x):
    return [x][0]
