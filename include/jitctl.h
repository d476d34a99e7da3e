/*
 * jitctl.h: the C ABI of jitctl, for embedding it in other programs and languages.
 *
 * The library is libJitCtlC.so, built by `swift build -c release --product JitCtlC` (in
 * .build/release/). It compiles programs of jitctl's stack bytecode (docs/bytecode.md) --
 * given as `.sbc` text or as the JSON of jitctl's CPython exporter -- to native x86-64 code,
 * with our own backend or with LLVM, and calls their functions with int64 arguments.
 *
 * Errors are return codes, with a message written into a buffer the caller provides; the
 * library never prints, never exits and never kills the host for a bad program. Strings are
 * UTF-8. The Python package in python/ is a client of exactly this interface.
 *
 * Threads: any thread may create, look up and free modules. Calls into the functions of one
 * module must not overlap in time (each module has one native context); calls into different
 * modules may run at once on different threads. A call runs on the calling thread's stack.
 */
#ifndef JITCTL_H
#define JITCTL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this interface: changes whenever a declaration below does. */
#define JITCTL_ABI_VERSION 1

/* Status codes. 0 is success. Positive codes are traps of a call, numbered as the exit
 * statuses of `jitctl run` (README, "Exit status"). Negative codes are errors. */
enum {
    JITCTL_OK = 0,
    JITCTL_TRAP_OUT_OF_BOUNDS = 3,   /* a memory access outside the module's memory */
    JITCTL_TRAP_DIVISION_BY_ZERO = 4,/* Python's ZeroDivisionError */
    JITCTL_TRAP_OVERFLOW = 5,        /* a result does not fit in int64 */
    JITCTL_TRAP_VALUE = 6,           /* negative shift count or exponent, range() step 0 */
    JITCTL_TRAP_RECURSION = 7,       /* more nested calls than allowed (max_depth) */
    JITCTL_TRAP_UNREACHABLE = 8,     /* code marked unreachable was reached */
    JITCTL_ERROR_ARGUMENT = -1,      /* a null pointer, an unknown backend, a wrong argument count */
    JITCTL_ERROR_SOURCE = -2,        /* the program: syntax, unsupported construct, verification */
    JITCTL_ERROR_NOT_FOUND = -3,     /* no function of that name (or not int64 -> int64) */
    JITCTL_ERROR_BACKEND = -4        /* the backend could not compile or is unavailable */
};

/* Backends. AUTO is x86 for now (choosing between backends per function is future work). */
enum {
    JITCTL_BACKEND_AUTO = 0,
    JITCTL_BACKEND_X86 = 1,
    JITCTL_BACKEND_LLVM = 2
};

/* A compiled module: its native code and the context it runs with. */
typedef struct jitctl_module jitctl_module;
/* One function of a module; owned by the module, valid until it is freed. */
typedef struct jitctl_function jitctl_function;

/* JITCTL_ABI_VERSION of the library (compare with the header's). */
int jitctl_abi_version(void);

/* The Python source of jitctl's CPython exporter (static storage, NUL-terminated). Run as
 * `__main__` with a file path in sys.argv[1], it prints the JSON that
 * jitctl_module_from_cpython_export reads; executed as a module of another name it only
 * defines its functions, among them export_function(name, code_object, source_lines_as_bytes). */
const char *jitctl_cpython_exporter_script(void);

/* Compiles the function `entry` of the exporter's JSON document (json, json_length bytes), and
 * every function of the document it calls, transitively, with `backend`. `file` names the
 * source in messages ("file:LINE:COL: error: unsupported ..."). On success stores the module
 * in *module and returns JITCTL_OK; otherwise stores NULL and returns an error, with its
 * message in `message` (truncated to message_capacity - 1 bytes, always NUL-terminated when
 * message_capacity > 0; message may be NULL). */
int jitctl_module_from_cpython_export(const char *json, size_t json_length, const char *file,
                                      const char *entry, int backend, jitctl_module **module,
                                      char *message, size_t message_capacity);

/* Compiles every function of a `.sbc` text (text_length bytes) with `backend`; as above. */
int jitctl_module_from_sbc(const char *text, size_t text_length, const char *file, int backend,
                           jitctl_module **module, char *message, size_t message_capacity);

/* The function `name` of `module` (int64 parameters, int64 result), or NULL (then *status, if
 * status is not NULL, is JITCTL_ERROR_NOT_FOUND or JITCTL_ERROR_ARGUMENT). */
const jitctl_function *jitctl_module_function(const jitctl_module *module, const char *name, int *status);

/* How many int64 arguments `function` takes, or -1 for NULL. */
int jitctl_function_arity(const jitctl_function *function);

/* Calls `function` with argument_count int64 arguments, on the calling thread.
 *
 * max_depth bounds the live activations of the call, itself included: the call that would
 * exceed it traps JITCTL_TRAP_RECURSION. 0 or less, or more than 100,000, means 100,000, the
 * IR's own limit. A call also traps JITCTL_TRAP_RECURSION before the calling thread's stack
 * runs out: on x86, whose small frames do not check the stack, max_depth is lowered to the
 * activations that fit between the caller's frame and 256 KiB above the end of its stack (about
 * 63,000 of a simple recursive function on an 8 MiB stack); run deeper recursions on a thread
 * with a bigger stack.
 *
 * Returns JITCTL_OK with the function's value in *result; or a trap code (positive) with the
 * trap's site in *result, for jitctl_trap_message; or JITCTL_ERROR_ARGUMENT for a NULL
 * pointer or a wrong argument_count. Allocates nothing and takes no lock. */
int jitctl_call(const jitctl_function *function, const int64_t *arguments, size_t argument_count,
                int64_t max_depth, int64_t *result);

/* Writes "file:LINE:COL: trap: <what>" for the trap site a call of a function of `module`
 * reported, as jitctl_module_from_* write messages. Returns the trap's code (positive), or
 * JITCTL_ERROR_ARGUMENT for an unknown site. */
int jitctl_trap_message(const jitctl_module *module, int64_t site, char *message, size_t message_capacity);

/* Frees the module, its code and its functions. NULL is ignored. */
void jitctl_module_free(jitctl_module *module);

#ifdef __cplusplus
}
#endif

#endif
