/*
 * jitctl._native: the CPython side of jitctl's C ABI (include/jitctl.h).
 *
 * Two types: Module owns a jitctl_module; Function is what jitctl.jit returns, a callable with
 * vectorcall, so that a call goes from the interpreter to native code with no Python frame,
 * tuple or dict in between. Everything a call cannot do natively -- keyword arguments, a
 * wrong argument count, ints beyond int64, bools and other int subclasses, a trap -- runs the
 * original Python function (which `fallback()` returns) with the same arguments: so the caller
 * always gets exactly what CPython gives.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "jitctl.h"

/* Calls with more arguments than this take the fallback (no function of the supported subset
 * comes close; it keeps the argument array on the C stack). */
#define MAX_FAST_ARGUMENTS 32
#define MESSAGE_CAPACITY 2048

/* What the Python function returns (jitctl._results): always an int, always a bool, or either.
 * For "either", native code's 0 or 1 could stand for False or True, so such a call is answered
 * by CPython; any other value can only be an int. */
enum { RESULT_INT = 0, RESULT_BOOL = 1, RESULT_EITHER = 2 };

static PyObject *UnsupportedError;

/* ---- Module ---------------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    jitctl_module *module;
} ModuleObject;

static void module_dealloc(ModuleObject *self) {
    jitctl_module_free(self->module);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject ModuleType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "jitctl._native.Module",
    .tp_basicsize = sizeof(ModuleObject),
    .tp_dealloc = (destructor)module_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A compiled jitctl module (owns its native code).",
};

/* compile_export(json: bytes, file: str, entry: str, backend: int) -> Module
 * Raises jitctl.UnsupportedError for the program (status JITCTL_ERROR_SOURCE), RuntimeError
 * for anything else. */
static PyObject *compile_export(PyObject *unused, PyObject *args) {
    const char *json, *file, *entry;
    Py_ssize_t length;
    int backend;
    if (!PyArg_ParseTuple(args, "y#ssi", &json, &length, &file, &entry, &backend)) return NULL;
    char message[MESSAGE_CAPACITY];
    jitctl_module *module = NULL;
    int status;
    Py_BEGIN_ALLOW_THREADS
    status = jitctl_module_from_cpython_export(json, (size_t)length, file, entry, backend, &module,
                                               message, sizeof message);
    Py_END_ALLOW_THREADS
    if (status != JITCTL_OK) {
        PyErr_SetString(status == JITCTL_ERROR_SOURCE ? UnsupportedError : PyExc_RuntimeError, message);
        return NULL;
    }
    ModuleObject *self = PyObject_New(ModuleObject, &ModuleType);
    if (self == NULL) {
        jitctl_module_free(module);
        return NULL;
    }
    self->module = module;
    return (PyObject *)self;
}

/* ---- Function -------------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *dict;          /* __name__, __doc__, __wrapped__, ... (functools.update_wrapper) */
    PyObject *module;        /* the ModuleObject that owns `function` */
    PyObject *fallback;      /* fallback() is the Python function to call whenever native code cannot answer */
    const jitctl_function *function;
    int arity;
    int result_kind;         /* RESULT_INT, RESULT_BOOL or RESULT_EITHER (see below) */
} FunctionObject;

/* How many more Python frames this thread may push before CPython raises RecursionError. Native
 * calls get one less than that, so a native call that succeeds is one CPython could make: a
 * call deeper than this traps, and the fallback then does what CPython does. */
static inline int64_t remaining_depth(void) {
    PyThreadState *ts = PyThreadState_Get();
#if PY_VERSION_HEX >= 0x030C0000
    return (int64_t)ts->py_recursion_remaining - 1;
#elif PY_VERSION_HEX >= 0x030B0000
    return (int64_t)ts->recursion_remaining - 1;
#else
    return (int64_t)Py_GetRecursionLimit() - ts->recursion_depth - 1;
#endif
}

static PyObject *function_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    FunctionObject *self = (FunctionObject *)callable;
    Py_ssize_t count = PyVectorcall_NARGS(nargsf);
    Py_ssize_t total = count + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
    int64_t values[MAX_FAST_ARGUMENTS];
    int fast = kwnames == NULL && count == self->arity && count <= MAX_FAST_ARGUMENTS;
    for (Py_ssize_t i = 0; i < total; i++) {
        PyObject *a = args[i];
        if (PyLong_CheckExact(a)) {
            if (fast) {
                int overflow;
                values[i] = PyLong_AsLongLongAndOverflow(a, &overflow);
                if (overflow) fast = 0;  /* a big int: CPython's arithmetic */
            }
        } else if (PyLong_Check(a)) {
            fast = 0;                    /* bool or another int subclass: CPython decides */
        } else {
            PyObject *name = self->dict ? PyDict_GetItemString(self->dict, "__name__") : NULL;
            PyErr_Format(PyExc_TypeError, "%S() argument %zd must be int, not %.200s (jitctl compiles int functions only)",
                         name ? name : Py_None, i + 1, Py_TYPE(a)->tp_name);
            return NULL;
        }
    }
    if (fast) {
        int64_t result;
        int status = jitctl_call(self->function, values, (size_t)count, remaining_depth(), &result);
        if (status == JITCTL_OK) {
            if (self->result_kind == RESULT_BOOL) return PyBool_FromLong(result != 0);
            if (self->result_kind == RESULT_INT || (result != 0 && result != 1)) return PyLong_FromLongLong(result);
            status = 1;  /* maybe a bool: CPython decides */
        }
        if (status < 0) {
            PyErr_Format(PyExc_SystemError, "jitctl_call failed with status %d", status);
            return NULL;
        }
        /* A trap: overflow, division by zero, recursion, ...: CPython gives the answer. */
    }
    /* The function is fetched first and then called from here, so that the call runs at the
     * same Python depth as a call of the original would: CPython's recursion limit then stops it
     * exactly where it would stop the original. */
    PyObject *original = PyObject_CallNoArgs(self->fallback);
    if (original == NULL) return NULL;
    PyObject *result = PyObject_Vectorcall(original, args, nargsf, kwnames);
    Py_DECREF(original);
    return result;
}

static int function_traverse(FunctionObject *self, visitproc visit, void *arg) {
    Py_VISIT(self->dict);
    Py_VISIT(self->module);
    Py_VISIT(self->fallback);
    return 0;
}

static int function_clear(FunctionObject *self) {
    Py_CLEAR(self->dict);
    Py_CLEAR(self->fallback);
    Py_CLEAR(self->module);
    self->function = NULL;
    return 0;
}

static void function_dealloc(FunctionObject *self) {
    PyObject_GC_UnTrack(self);
    function_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Function(module, name, fallback, result_kind): fallback() returns the Python function that
 * answers the calls native code cannot. */
static PyObject *function_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    PyObject *module, *fallback;
    const char *name;
    int result_kind;
    if (!PyArg_ParseTuple(args, "O!sOi", &ModuleType, &module, &name, &fallback, &result_kind)) return NULL;
    if (result_kind < RESULT_INT || result_kind > RESULT_EITHER) {
        PyErr_SetString(PyExc_ValueError, "result_kind must be 0 (int), 1 (bool) or 2 (either)");
        return NULL;
    }
    if (!PyCallable_Check(fallback)) {
        PyErr_SetString(PyExc_TypeError, "fallback must be callable");
        return NULL;
    }
    int status = 0;
    const jitctl_function *function = jitctl_module_function(((ModuleObject *)module)->module, name, &status);
    if (function == NULL) {
        PyErr_Format(PyExc_LookupError, "jitctl: the module has no int function '%s'", name);
        return NULL;
    }
    FunctionObject *self = (FunctionObject *)type->tp_alloc(type, 0);
    if (self == NULL) return NULL;
    self->vectorcall = function_vectorcall;
    self->dict = PyDict_New();
    if (self->dict == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    Py_INCREF(module);
    self->module = module;
    Py_INCREF(fallback);
    self->fallback = fallback;
    self->function = function;
    self->arity = jitctl_function_arity(function);
    self->result_kind = result_kind;
    return (PyObject *)self;
}

static PyObject *function_get_arity(FunctionObject *self, void *unused) { return PyLong_FromLong(self->arity); }

static PyGetSetDef function_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {"arity", (getter)function_get_arity, NULL, "How many int arguments the native code takes.", NULL},
    {NULL},
};

static PyTypeObject FunctionType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "jitctl._native.Function",
    .tp_basicsize = sizeof(FunctionObject),
    .tp_dealloc = (destructor)function_dealloc,
    .tp_vectorcall_offset = offsetof(FunctionObject, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "A Python int function compiled by jitctl; calls run native code, or the original function.",
    .tp_traverse = (traverseproc)function_traverse,
    .tp_clear = (inquiry)function_clear,
    .tp_getset = function_getset,
    .tp_dictoffset = offsetof(FunctionObject, dict),
    .tp_new = function_new,
};

/* ---- the module ------------------------------------------------------------------------ */

static PyObject *exporter_script(PyObject *unused, PyObject *noargs) {
    return PyUnicode_FromString(jitctl_cpython_exporter_script());
}

static PyObject *abi_version(PyObject *unused, PyObject *noargs) { return PyLong_FromLong(jitctl_abi_version()); }

static PyMethodDef methods[] = {
    {"compile_export", compile_export, METH_VARARGS,
     "compile_export(json, file, entry, backend) -> Module: compiles `entry` of the exporter's JSON."},
    {"exporter_script", exporter_script, METH_NOARGS, "The Python source of jitctl's CPython exporter."},
    {"abi_version", abi_version, METH_NOARGS, "JITCTL_ABI_VERSION of the loaded libJitCtlC."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT, "jitctl._native", "The CPython binding of jitctl's C ABI.", -1, methods,
};

PyMODINIT_FUNC PyInit__native(void) {
    if (jitctl_abi_version() != JITCTL_ABI_VERSION) {
        PyErr_Format(PyExc_ImportError, "libJitCtlC has ABI version %d, this extension was built for %d",
                     jitctl_abi_version(), JITCTL_ABI_VERSION);
        return NULL;
    }
    if (PyType_Ready(&ModuleType) < 0 || PyType_Ready(&FunctionType) < 0) return NULL;
    PyObject *m = PyModule_Create(&native_module);
    if (m == NULL) return NULL;
    UnsupportedError = PyErr_NewExceptionWithDoc(
        "jitctl.UnsupportedError",
        "A function uses a construct jitctl cannot compile; the message starts with file:LINE:COL.",
        PyExc_Exception, NULL);
    if (UnsupportedError == NULL || PyModule_AddObject(m, "UnsupportedError", UnsupportedError) < 0) {
        Py_XDECREF(UnsupportedError);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(UnsupportedError);
    Py_INCREF(&ModuleType);
    Py_INCREF(&FunctionType);
    if (PyModule_AddObject(m, "Module", (PyObject *)&ModuleType) < 0 ||
        PyModule_AddObject(m, "Function", (PyObject *)&FunctionType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
