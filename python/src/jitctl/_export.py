"""Builds the exporter's JSON document for one Python function, in-process.

The mapping from `dis` instructions to the document is the exporter's own code, the text the
CLI runs in a subprocess (jitctl_cpython_exporter_script() of the C ABI), executed here as a
module: only which functions to export, and what each global name means, is decided here,
from the function's live globals rather than from a file.
"""

import dis
import json
import linecache
import sys
import types

from . import _native

_exporter_namespace = None


def exporter():
    """The namespace of the exporter script (export_function, encode, ...), run once."""
    global _exporter_namespace
    if _exporter_namespace is None:
        namespace = {"__name__": "jitctl._exporter_script"}
        exec(compile(_native.exporter_script(), "<jitctl exporter>", "exec"), namespace)
        _exporter_namespace = namespace
    return _exporter_namespace


_GLOBAL_LOADS = ("LOAD_GLOBAL", "LOAD_NAME")
_UNBOUND = object()


def _file_functions(file, module_globals):
    """The code objects of the top-level `def`s of `file`, by name, from its source (compiled,
    never run): for functions the module has not bound yet, such as those defined below a
    decorated function."""
    source = "".join(linecache.getlines(file, module_globals))
    if not source:
        return {}
    try:
        module = compile(source, file, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return {}
    return {c.co_name: c for c in module.co_consts if isinstance(c, types.CodeType)}


def _is_module_function(value, module_globals):
    # Only functions of the same module, defined at its top level, without a closure: what the
    # CLI would find as a plain top-level `def` of the file.
    return (isinstance(value, types.FunctionType) and value.__globals__ is module_globals
            and value.__closure__ is None and "<locals>" not in value.__qualname__)


def document(fn, entry):
    """The exporter's JSON (bytes) for `fn`, named `entry`, and every function of its module it
    calls, transitively, with those functions' code objects by name. Calls go to what each name is bound to now; a name not bound yet (a
    function defined further down the file) means the file's top-level `def` of that name."""
    module_globals = fn.__globals__
    file = fn.__code__.co_filename
    lines = [line.encode("utf-8") for line in linecache.getlines(file, module_globals)]
    file_functions = None
    bindings = {entry: "function"}
    functions = {entry: fn.__code__}
    queue = [fn.__code__]
    while queue:
        code = queue.pop()
        for ins in dis.get_instructions(code):
            if ins.opname not in _GLOBAL_LOADS or not isinstance(ins.argval, str):
                continue
            name = ins.argval
            if name in bindings:
                continue
            value = module_globals.get(name, _UNBOUND)
            if isinstance(value, _native.Function):
                value = value.__wrapped__
            target = None
            if value is _UNBOUND:  # not bound (yet)
                if file_functions is None:
                    file_functions = _file_functions(file, module_globals)
                target = file_functions.get(name)
                if target is None:
                    continue  # a builtin, or a name CPython would not find either
            elif _is_module_function(value, module_globals):
                target = value.__code__
            if target is None:
                bindings[name] = "other"
                continue
            bindings[name] = "function"
            functions[name] = target
            queue.append(target)
    export_function = exporter()["export_function"]
    doc = {
        "version": list(sys.version_info[:3]),
        "bindings": bindings,
        "functions": [export_function(name, code, lines) for name, code in functions.items()],
    }
    return json.dumps(doc, separators=(",", ":")).encode("utf-8"), functions

