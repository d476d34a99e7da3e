"""An unsupported function raises jitctl.UnsupportedError at decoration, naming file:LINE and
the construct; the other functions of the same file still compile."""

import os

import pytest

import jitctl
import mixed_support
from conftest import BACKENDS

FILE = os.path.abspath(mixed_support.__file__)

UNSUPPORTED = {
    "uses_float": (6, "float constant 1.5"),
    "calls_print": (11, "global name 'print'"),
    "with_try": (16, "try/except"),
    "calls_bad": (6, "float constant 1.5"),  # the callee's line: that is what cannot compile
    "reads_constant": (45, "global name 'LIMIT'"),
    "uses_list": (49, "list"),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_unsupported_names_file_line_and_construct(name, backend):
    line, construct = UNSUPPORTED[name]
    with pytest.raises(jitctl.UnsupportedError) as raised:
        jitctl.jit(getattr(mixed_support, name), backend=backend)
    message = str(raised.value)
    assert message.startswith("%s:%d:" % (FILE, line)), message
    assert construct in message, message
    assert "unsupported" in message or "error" in message


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_other_functions_of_the_file_compile(backend):
    square = jitctl.jit(mixed_support.good_square, backend=backend)
    total = jitctl.jit(mixed_support.good_sum, backend=backend)
    assert square(-12) == 144
    assert total(100) == mixed_support.good_sum(100)
    assert total(3 * 10**6) == mixed_support.good_sum(3 * 10**6)  # overflows int64: CPython's big int


def test_decorator_raises_at_decoration():
    with pytest.raises(jitctl.UnsupportedError, match=r":\d+:\d+: error: unsupported"):
        @jitctl.jit
        def half(x):
            return x / 2  # true division: a float
