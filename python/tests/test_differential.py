"""jitctl.jit(f)(*args) gives what f(*args) gives under CPython: the same value of the same
type, or an exception of the same type, on both backends, for values that overflow int64 too."""

import pytest

import jitctl
import corpus
from conftest import BACKENDS

BIG = [0, 1, -1, 2, -3, 7, 40, 2**31, -2**31, 2**62, corpus.INT64_MAX, corpus.INT64_MIN, 2**63, -2**63 - 1, 2**100]
SMALL = [0, 1, 2, -1, -5, 5, 63, 64, 65, -64]

CASES = {
    "fib": [(n,) for n in (0, 1, 2, 10, 20, -4)],
    "fib_iter": [(n,) for n in (0, 1, 50, 92, 93, 200, -3)],
    "gcd": [(a, b) for a in (0, 12, -18, corpus.INT64_MIN, 2**70) for b in (0, 8, -6, corpus.INT64_MIN)],
    "factorial": [(n,) for n in (0, 1, 5, 20, 21, 30, -2)],
    "collatz_steps": [(n,) for n in (1, 6, 27, 97, 0, -5, 2**61 + 1)],
    "power_mod": [(b, e, m) for b in (2, -3, corpus.INT64_MAX) for e in (0, 5, 1000) for m in (7, -7, 2**40, 0)],
    "isqrt": [(n,) for n in (0, 1, 15, 16, 10**12, corpus.INT64_MAX, -4)],
    "stepped_sum": [(a, b, c) for a in (-5, 0, 3) for b in (10, -10, 0) for c in (1, 2, -1, -3, 0)]
                   + [(0, 10**7, 3), (corpus.INT64_MIN, corpus.INT64_MIN + 10, 1), (0, 2**62, 2**61)],
    "clamp3": [(a, b, c) for a in (-1, 5, 2**64) for b in (0, 3) for c in (4, -2)],
    "chained": [(a, b, c) for a in (1, 2, 3) for b in (1, 2, 3) for c in (1, 2, 3)] + [(1, 2**64, 2**65)],
    "pick": [(a, b) for a in (0, 1, -2) for b in (0, 3)],
    "negate": [(a,) for a in (0, 1, -9, 2**64)],
    "bits": [(a, b) for a in BIG for b in (0, -1, 12345)],
    "shift": [(a, b) for a in (0, 1, -1, 3, 2**40, corpus.INT64_MIN) for b in SMALL] + [(0, 10**20), (1, 10**20)],
    "rshift": [(a, b) for a in (0, 1, -1, corpus.INT64_MIN, corpus.INT64_MAX) for b in SMALL],
    "power": [(a, b) for a in (0, 1, -1, 2, -3, 10) for b in (0, 1, 5, 62, 63, 64, -1, -2)],
    "divide": [(a, b) for a in (7, -7, 0, corpus.INT64_MIN, corpus.INT64_MAX) for b in (2, -2, 1, -1, 0, 3)],
    "is_even": [(n,) for n in (0, 1, 10, 301, -1)],
    "depth": [(n,) for n in (0, 1, 50, 400)],
    "mul_chain": [(a, b) for a in (0, 3, -2**31, 2**31, 2**40) for b in (1, 2**31, -2**32, 2**30)],
    "nested_loops": [(n,) for n in (0, 1, 10, 100)],
    "range_step": [(a, b, c) for a in (0, 5) for b in (0, 9) for c in (1, -1, 4, 0)],
    "seven_args": [(1, 2, 3, 4, 5, 6, 7), (corpus.INT64_MAX, -1, 0, 0, 0, 0, 0), (0, 0, 2**40, 2**40, 0, 0, 0)],
    "uses_default": [(3,), (3, 4), (2**62, 4)],
    "identity": [(0,), (-5,), (2**64,)],
}


def outcome(f, args, kwargs=None):
    """What a call gives: its value's type and value, or the type of what it raised."""
    try:
        value = f(*args, **(kwargs or {}))
    except Exception as e:  # the type is what must match
        return ("raised", type(e))
    return ("returned", type(value), value)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_same_outcome_as_cpython(name, backend):
    f = getattr(corpus, name)
    jitted = jitctl.jit(f, backend=backend)
    for args in CASES[name]:
        assert outcome(jitted, args) == outcome(f, args), "%s%r on %s" % (name, args, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_traps_and_big_ints_are_exercised(backend):
    # The corpus must really reach the fallback paths, or the test above proves little.
    assert isinstance(jitctl.jit(corpus.factorial, backend=backend)(30), int)
    assert jitctl.jit(corpus.factorial, backend=backend)(30) == corpus.factorial(30) > 2**63
    assert jitctl.jit(corpus.power, backend=backend)(2, -1) == 0.5
    with pytest.raises(ZeroDivisionError):
        jitctl.jit(corpus.divide, backend=backend)(1, 0)
    with pytest.raises(ValueError):
        jitctl.jit(corpus.shift, backend=backend)(1, -1)
    with pytest.raises(ValueError):
        jitctl.jit(corpus.range_step, backend=backend)(0, 5, 0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_arguments_like_cpython(backend):
    f = jitctl.jit(corpus.uses_default, backend=backend)
    assert outcome(f, (3,), {"b": 5}) == outcome(corpus.uses_default, (3,), {"b": 5})
    assert outcome(f, (1, 2, 3)) == outcome(corpus.uses_default, (1, 2, 3))
    assert outcome(f, ()) == outcome(corpus.uses_default, ())
    g = jitctl.jit(corpus.chained, backend=backend)
    for args in [(True, 2, 3), (False, False, True), (1, True, 1)]:
        assert outcome(g, args) == outcome(corpus.chained, args)
    # bool arguments run CPython: the same value *and* type.
    assert outcome(jitctl.jit(corpus.identity, backend=backend), (True,)) == ("returned", bool, True)
    assert outcome(jitctl.jit(corpus.pick, backend=backend), (True, False)) == outcome(corpus.pick, (True, False))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("bad", [1.0, "1", None, [1], 1j])
def test_non_int_argument_is_a_type_error(backend, bad):
    f = jitctl.jit(corpus.gcd, backend=backend)
    with pytest.raises(TypeError, match="must be int"):
        f(bad, 3)
    with pytest.raises(TypeError, match="must be int"):
        f(3, b=bad)


@pytest.mark.parametrize("backend", BACKENDS)
def test_recursion_limit_like_cpython(backend):
    import sys
    f = jitctl.jit(corpus.depth, backend=backend)
    limit = sys.getrecursionlimit()
    # Around the depth where CPython stops, called from this same frame depth.
    for n in list(range(limit - 120, limit + 5)) + [limit * 3, 10**6]:
        assert outcome(f, (n,)) == outcome(corpus.depth, (n,)), n
    sys.setrecursionlimit(5000)
    try:
        assert outcome(f, (3000,)) == outcome(corpus.depth, (3000,)) == ("returned", int, 3000)
        assert outcome(f, (6000,)) == outcome(corpus.depth, (6000,))
    finally:
        sys.setrecursionlimit(limit)
