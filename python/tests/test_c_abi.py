"""The C ABI (include/jitctl.h) on its own: through ctypes on the libJitCtlC.so the package
ships, and through a C program compiled against the header."""

import ctypes
import os
import shutil
import subprocess

import pytest

import jitctl

LIBRARY = os.path.join(os.path.dirname(jitctl.__file__), "libJitCtlC.so")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BACKENDS = {"x86": 1, "llvm": 2}

# The same program the Swift tests of the C ABI compile.
with open(os.path.join(ROOT, "Tests", "CABITests", "abi.sbc"), "rb") as f:
    SBC = f.read()


@pytest.fixture(scope="module")
def lib():
    c = ctypes.CDLL(LIBRARY)
    c.jitctl_module_from_sbc.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_int,
                                         ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p, ctypes.c_size_t]
    c.jitctl_module_from_cpython_export.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p,
                                                    ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p,
                                                    ctypes.c_size_t]
    c.jitctl_module_function.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    c.jitctl_module_function.restype = ctypes.c_void_p
    c.jitctl_function_arity.argtypes = [ctypes.c_void_p]
    c.jitctl_call.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int64), ctypes.c_size_t, ctypes.c_int64,
                              ctypes.POINTER(ctypes.c_int64)]
    c.jitctl_trap_message.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.c_char_p, ctypes.c_size_t]
    c.jitctl_module_free.argtypes = [ctypes.c_void_p]
    c.jitctl_cpython_exporter_script.restype = ctypes.c_char_p
    return c


def compile_sbc(lib, text, backend, capacity=256):
    module = ctypes.c_void_p(12345)
    message = ctypes.create_string_buffer(capacity)
    status = lib.jitctl_module_from_sbc(text, len(text), b"t.sbc", backend, ctypes.byref(module), message, capacity)
    return status, module, message.value.decode()


def call(lib, function, args, depth=0):
    array = (ctypes.c_int64 * max(1, len(args)))(*args)
    result = ctypes.c_int64(0)
    status = lib.jitctl_call(function, array, len(args), depth, ctypes.byref(result))
    return status, result.value


def on_thread(body, stack_size):
    """body() on a new thread with a stack of `stack_size` bytes."""
    import threading
    results = []
    old = threading.stack_size(stack_size)
    try:
        worker = threading.Thread(target=lambda: results.append(body()))
        worker.start()
        worker.join()
    finally:
        threading.stack_size(old)
    return results[0]


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_calls_traps_and_depth(lib, backend):
    status, module, message = compile_sbc(lib, SBC, BACKENDS[backend])
    assert (status, message) == (0, "")
    wide = lib.jitctl_module_function(module, b"wide", None)
    down = lib.jitctl_module_function(module, b"down", None)
    divide = lib.jitctl_module_function(module, b"divide", None)
    assert lib.jitctl_function_arity(wide) == 8 and lib.jitctl_function_arity(down) == 1
    assert call(lib, wide, [10, 0, 0, 3, 0, 0, 0, 4]) == (0, 18)  # more arguments than registers
    assert call(lib, divide, [-7, 2]) == (0, -4)
    status, site = call(lib, divide, [1, 0])
    assert status == 4
    text = ctypes.create_string_buffer(200)
    assert lib.jitctl_trap_message(module, site, text, 200) == 4
    assert text.value.decode().startswith("t.sbc:") and "ZeroDivisionError" in text.value.decode()
    assert call(lib, divide, [-2**63, -1])[0] == 5
    # max_depth counts live activations, the entry's included.
    assert call(lib, down, [99], depth=100) == (0, 99)
    assert call(lib, down, [100], depth=100)[0] == 7
    # The IR's limit, 100,000 activations, where the thread's stack holds them (64 MiB does).
    fits, too_deep = on_thread(lambda: (call(lib, down, [99_999]), call(lib, down, [100_000])), 64 << 20)
    assert fits == (0, 99_999) and too_deep[0] == 7
    # Errors, not crashes.
    assert call(lib, down, [99_999])[0] in (0, 7)  # on this thread's stack: as many as fit
    assert call(lib, divide, [1])[0] == -1
    assert lib.jitctl_call(divide, None, 2, 0, None) == -1
    lib.jitctl_module_free(module)


def test_errors_are_codes_and_messages(lib):
    status, module, message = compile_sbc(lib, b"def f(x):\n    BOGUS\n", 1)
    assert status == -2 and module.value is None
    assert message.startswith("t.sbc:2:5: error:")
    status, _, message = compile_sbc(lib, SBC, 7)
    assert status == -1 and "backend" in message
    status, _, message = compile_sbc(lib, b"def f(x):\n    BOGUS\n", 1, capacity=8)
    assert status == -2 and message == "t.sbc:2"  # truncated to the buffer, NUL-terminated
    out = ctypes.c_void_p()
    message = ctypes.create_string_buffer(200)
    assert lib.jitctl_module_from_cpython_export(b"{", 1, b"x.py", b"f", 1, ctypes.byref(out), message, 200) == -2
    assert b"not the exporter's JSON" in message.value
    status, module, _ = compile_sbc(lib, SBC, 1)
    missing = ctypes.c_int(0)
    assert lib.jitctl_module_function(module, b"nope", ctypes.byref(missing)) is None and missing.value == -3
    lib.jitctl_module_free(module)
    lib.jitctl_module_free(None)
    assert lib.jitctl_abi_version() == 1
    assert b"def export_function" in lib.jitctl_cpython_exporter_script()


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler")
@pytest.mark.skipif(not os.path.isfile(os.path.join(ROOT, "include", "jitctl.h")), reason="needs the repository")
@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_a_c_program_against_the_header(tmp_path, backend):
    exe = tmp_path / "embed"
    subprocess.run(["cc", "-Wall", "-Werror", "-I", os.path.join(ROOT, "include"),
                    os.path.join(ROOT, "examples", "embed", "embed.c"), "-L", os.path.dirname(LIBRARY),
                    "-lJitCtlC", "-Wl,-rpath," + os.path.dirname(LIBRARY), "-o", str(exe)], check=True)
    out = subprocess.run([str(exe), backend], check=True, stdout=subprocess.PIPE, text=True).stdout
    assert "gcd(1071, 462) = 21 (status 0)" in out
    assert "square(4000000000): trap 5: embed.sbc:17:5: trap: OverflowError" in out
    assert "square with 2 arguments: status -1" in out
    assert "lookup of 'nope': NULL, status -3" in out
    assert "bad program: status -2, module NULL: bad.sbc:1:7: error:" in out


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_a_small_thread_stack_traps_instead_of_crashing(lib, backend):
    _, module, _ = compile_sbc(lib, SBC, BACKENDS[backend])
    down = lib.jitctl_module_function(module, b"down", None)
    deep, shallow = on_thread(lambda: (call(lib, down, [99_999]), call(lib, down, [500])), 512 << 10)
    assert deep[0] == 7  # the stack check: RECURSION, not a segmentation fault
    assert shallow == (0, 500)
    lib.jitctl_module_free(module)
