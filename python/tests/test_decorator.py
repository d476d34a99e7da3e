"""jitctl.jit as a decorator: recursion, functions defined further down, what the wrapper
looks like, and its arguments."""

import threading

import pytest

import jitctl
from conftest import BACKENDS


@jitctl.jit
def fib(n):
    """The n-th Fibonacci number."""
    return n if n < 2 else fib(n - 1) + fib(n - 2)


@jitctl.jit(backend="llvm")
def uses_later(n):
    return defined_later(n) * 2


def defined_later(n):
    return n + 1


@jitctl.jit
def tower(n):
    return 1 if n == 0 else 3 * tower(n - 1)


@jitctl.jit
def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


@jitctl.jit
def sign_or_flag(n):
    if n < 0:
        return False
    return n


def test_recursive_decorated_function():
    assert fib(25) == 75025
    assert fib.__name__ == "fib" and fib.__doc__ == "The n-th Fibonacci number."
    assert fib.__wrapped__.__name__ == "fib" and fib.__module__ == __name__
    assert fib.backend == "x86" and fib.arity == 1


def test_function_defined_further_down():
    assert uses_later.backend == "llvm"
    assert uses_later(20) == 42


def test_overflow_deep_in_a_decorated_recursion_gives_the_big_int():
    assert tower(30) == 3**30
    assert tower(200) == 3**200  # traps on overflow, then CPython all the way down


def test_bool_results():
    assert [is_prime(n) for n in (0, 1, 2, 9, 97)] == [False, False, True, False, True]
    assert all(type(is_prime(n)) is bool for n in range(20))


def test_mixed_results_have_cpythons_type():
    # False on one path, an int on the other: 0 and 1 are ambiguous, and CPython answers them.
    for n in (-3, 0, 1, 5):
        got, expected = sign_or_flag(n), sign_or_flag.__wrapped__(n)
        assert (type(got), got) == (type(expected), expected), n


def test_arguments_of_jit():
    with pytest.raises(ValueError, match="backend"):
        jitctl.jit(defined_later, backend="gpu")
    with pytest.raises(TypeError):
        jitctl.jit(len)
    again = jitctl.jit(fib, backend="llvm")
    assert again(20) == 6765 and again.backend == "llvm"


@pytest.mark.parametrize("backend", BACKENDS)
def test_calls_from_other_threads(backend):
    f = jitctl.jit(defined_later, backend=backend)
    results = []
    workers = [threading.Thread(target=lambda k=k: results.append(f(k))) for k in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(results) == [1, 2, 3, 4]
