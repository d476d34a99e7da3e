"""jitctl: compile pure int Python functions to native x86-64 code, in-process.

    import jitctl

    @jitctl.jit
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    fib(35)      # native code; exactly what CPython would return

`jit` reads the bytecode of the function, and of the functions of its module it calls, with
`dis` (the same mapping as `jitctl run file.py`), compiles it through jitctl's C ABI
(include/jitctl.h, libJitCtlC.so) and returns a callable. Calls that native code cannot answer
exactly run the original Python function instead (see `jit`).
"""

import functools
import types

from . import _export, _native, _results
from ._native import UnsupportedError

__all__ = ["jit", "UnsupportedError", "BACKENDS"]

# The C ABI's backend numbers. "auto" is x86 for now: choosing a backend per function (tiering)
# is not done yet.
BACKENDS = {"auto": 0, "x86": 1, "llvm": 2}


def jit(fn=None, *, backend="auto"):
    """Compiles `fn`, a pure function of ints, and returns a callable that runs it natively.

    Usable as `jit(fn)`, `@jit` or `@jit(backend="llvm")`. `backend` is "x86" (jitctl's own
    backend, which compiles in microseconds), "llvm" (LLVM -O2, slower to compile), or "auto"
    (x86 for now).

    The supported subset is that of `jitctl run file.py` (docs/bytecode.md, "Python import"):
    int parameters and locals, arithmetic, comparisons, if/while/for over range(), calls of
    functions of the same module, abs/min/max. Calls to other functions of the module go to
    what their names are bound to at decoration time (or, for a function defined further down
    the file, to its `def`).

    Calls give exactly what the original function gives under CPython: an int64 overflow, a
    division by zero, a negative shift, recursion deeper than CPython would allow, ints beyond
    int64, bools, keyword arguments or a wrong argument count all make the call run the
    original function with the same arguments (a big int result, or the same exception).
    An argument that is not an int raises TypeError. A function that returns a bool on some
    paths and an int on others has its results 0 and 1 computed by CPython too, to get the type.

    Raises `UnsupportedError` ("file.py:LINE:COL: error: unsupported ...") when `fn`, or a
    function it calls, uses something outside the subset; `TypeError` when `fn` is not a
    Python function; `ValueError` for an unknown backend.
    """
    if backend not in BACKENDS:
        raise ValueError("jitctl.jit: backend must be one of %s, not %r" % (", ".join(BACKENDS), backend))
    if fn is None:
        return functools.partial(jit, backend=backend)
    if isinstance(fn, _native.Function):
        fn = fn.__wrapped__
    if not isinstance(fn, types.FunctionType):
        raise TypeError("jitctl.jit compiles Python functions, not %s" % type(fn).__name__)
    entry = fn.__name__ if fn.__name__.isidentifier() else "_jitctl_entry"
    document, functions = _export.document(fn, entry)
    module = _native.compile_export(document, fn.__code__.co_filename, entry, BACKENDS[backend])
    result_kind = _results.kind(_results.result_types(functions)[entry])
    compiled = _native.Function(module, entry, _fallback(fn), result_kind)
    functools.update_wrapper(compiled, fn)
    compiled.backend = "x86" if backend == "auto" else backend
    return compiled


def _fallback(fn):
    """What answers a call that native code cannot: `fn` under CPython, with the functions of
    its module that are jitted replaced by their originals, so that a call that trapped is not
    re-entered into native code level by level down a recursion. The extension calls this to
    get the function, then calls the function itself: no frame of ours lies in between."""
    return lambda: _pure(fn)


def _pure(fn):
    module_globals = fn.__globals__
    jitted = [(name, value) for name, value in module_globals.items()
              if isinstance(value, _native.Function) and value.__wrapped__.__globals__ is module_globals]
    if not jitted:
        return fn
    copy = dict(module_globals)
    for name, value in jitted:
        copy[name] = _rebind(value.__wrapped__, copy)
    return _rebind(fn, copy)


def _rebind(fn, module_globals):
    clone = types.FunctionType(fn.__code__, module_globals, fn.__name__, fn.__defaults__, fn.__closure__)
    clone.__kwdefaults__ = fn.__kwdefaults__
    clone.__qualname__ = fn.__qualname__
    return clone
