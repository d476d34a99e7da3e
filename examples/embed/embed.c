/*
 * Embedding jitctl from C through its C ABI (include/jitctl.h): compile a `.sbc` program,
 * call its functions, and report traps and errors. Build and run from the repository root:
 *
 *     swift build -c release --product JitCtlC
 *     cc -Iinclude examples/embed/embed.c -L.build/release -lJitCtlC \
 *        -Wl,-rpath,"$PWD/.build/release" -o /tmp/embed && /tmp/embed
 *
 * The Python package's tests build and run it too (python/tests/test_c_abi.py).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "jitctl.h"

static const char program[] =
    "def gcd(a, b):\n"
    "loop: LOAD_FAST b\n"
    "    POP_JUMP_IF_FALSE done\n"
    "    LOAD_FAST b\n"
    "    LOAD_FAST a\n"
    "    LOAD_FAST b\n"
    "    BINARY_OP %\n"
    "    STORE_FAST b\n"
    "    STORE_FAST a\n"
    "    JUMP loop\n"
    "done: LOAD_FAST a\n"
    "    RETURN_VALUE\n"
    "\n"
    "def square(x):\n"
    "    LOAD_FAST x\n"
    "    LOAD_FAST x\n"
    "    BINARY_OP *\n"
    "    RETURN_VALUE\n";

int main(int argc, char **argv) {
    int backend = argc > 1 && strcmp(argv[1], "llvm") == 0 ? JITCTL_BACKEND_LLVM : JITCTL_BACKEND_X86;
    char message[512];
    jitctl_module *module = NULL;
    int status = jitctl_module_from_sbc(program, strlen(program), "embed.sbc", backend, &module, message, sizeof message);
    if (status != JITCTL_OK) {
        fprintf(stderr, "compile failed (%d): %s\n", status, message);
        return 1;
    }
    const jitctl_function *gcd = jitctl_module_function(module, "gcd", NULL);
    const jitctl_function *square = jitctl_module_function(module, "square", NULL);
    int64_t result;
    int64_t pair[2] = {1071, 462};
    status = jitctl_call(gcd, pair, 2, 0, &result);
    printf("gcd(1071, 462) = %" PRId64 " (status %d)\n", result, status);

    int64_t big = INT64_C(4000000000);
    status = jitctl_call(square, &big, 1, 0, &result);
    if (status > 0) {
        jitctl_trap_message(module, result, message, sizeof message);
        printf("square(4000000000): trap %d: %s\n", status, message);
    }
    status = jitctl_call(square, pair, 2, 0, &result);
    printf("square with 2 arguments: status %d\n", status);
    int missing = 0;
    const jitctl_function *nope = jitctl_module_function(module, "nope", &missing);
    printf("lookup of 'nope': %s, status %d\n", nope ? "found" : "NULL", missing);
    jitctl_module_free(module);

    status = jitctl_module_from_sbc("def f(:\n", 8, "bad.sbc", backend, &module, message, sizeof message);
    printf("bad program: status %d, module %s: %s\n", status, module ? "set" : "NULL", message);
    return 0;
}
