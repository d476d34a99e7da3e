"""The project's Python benchmarks (../shared/bench/py/bench.py, beside the repository) give
CPython's results through jitctl.jit on both backends, at small sizes. (They keep to int64 at
any size that finishes: overflow is test_differential.py's.)"""

import importlib.util
import os

import pytest

import jitctl
from conftest import BACKENDS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(os.path.dirname(ROOT), "shared", "bench", "py", "bench.py")

SMALL = {
    "arith": (2000,), "fib": (20,), "tak": (12, 8, 4), "sum_sq_mod": (20000, 1000003), "collatz_total": (3000,),
    "gcd_sum": (60,), "isqrt_sum": (4000,), "count_primes": (10000,), "mandel": (30, 50), "pythag": (60,),
    "floordiv_mix": (50000,),
}

@pytest.fixture(scope="module")
def bench():
    if not os.path.isfile(BENCH):
        pytest.skip("needs %s (the shared folder beside the repository)" % BENCH)
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(SMALL))
def test_bench_function(bench, name, backend):
    f = getattr(bench, name)
    jitted = jitctl.jit(f, backend=backend)
    assert jitted(*SMALL[name]) == f(*SMALL[name])
