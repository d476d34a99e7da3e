/// The Python program `importPython` runs with `python -c`: it compiles (never
/// executes) the file, finds the functions bound by plain module-level `def`
/// statements, and prints their instructions from `dis.get_instructions` as
/// JSON on standard output. Arguments: the file path. The jitctl Python package
/// (`python/`) execs the same text as a module, through `jitctl_cpython_exporter_script()`,
/// and calls `export_function` on live code objects.
///
/// Output: `{"version": [3, 12, 1], "error": {...}?, "bindings": {name: "function"|"other"},
/// "functions": [{"name", "args", "line", "problem", "protected": [[start, end]],
/// "code": [{"op", "arg", "val"?, "rep"?, "off", "line", "col", "jump"?}]}]}`.
/// `val` (for constants, names and comparisons) tags the argument value with its Python type (ints as decimal strings,
/// since they may exceed 64 bits); `col` is a 0-based character column;
/// `rep` is dis's argrepr for BINARY_OP, CALL_INTRINSIC_1 and COMPARE_OP;
/// `jump` is the byte offset a jump goes to.
enum ExporterScript {
    static let source = #"""
import sys, json, dis

def encode(v):
    if isinstance(v, bool):
        return {"type": "bool", "int": str(int(v))}
    if isinstance(v, int):
        return {"type": "int", "int": str(v)}
    if isinstance(v, str):
        return {"type": "str", "str": v}
    if isinstance(v, tuple) and v and all(isinstance(x, str) for x in v):
        return {"type": "tuple", "names": list(v), "repr": repr(v)}
    if isinstance(v, tuple) and all(isinstance(x, int) for x in v):
        return {"type": "tuple", "ints": [str(int(x)) for x in v], "repr": repr(v)[:60]}
    r = repr(v)
    if len(r) > 60:
        r = r[:57] + "..."
    return {"type": type(v).__name__, "repr": r}

JUMPS = set(getattr(dis, "hasjump", [])) | set(dis.hasjrel) | set(dis.hasjabs)
# Only these arguments' values and these argreprs are read; leaving out the rest keeps the JSON small.
VALUED = set(dis.hasconst) | set(dis.haslocal) | set(dis.hasname) | set(dis.hascompare)
DESCRIBED = {"BINARY_OP", "CALL_INTRINSIC_1", "COMPARE_OP"}

def problem(c):
    if c.co_flags & 0x0C:
        return "*args or **kwargs parameters"
    if c.co_kwonlyargcount:
        return "keyword-only parameters"
    if c.co_flags & 0x3A0:
        return "generator or coroutine function"
    if c.co_freevars or c.co_cellvars:
        return "nested function or closure"
    return None

def export_function(name, c, lines):
    rows = []
    for ins in dis.get_instructions(c):
        line = col = None
        pos = getattr(ins, "positions", None)
        if pos is not None and pos.lineno is not None:
            line = pos.lineno
            if pos.col_offset is not None and 0 < line <= len(lines):
                col = len(lines[line - 1][:pos.col_offset].decode("utf-8", "replace"))
        if line is None:
            sl = getattr(ins, "line_number", None) if sys.version_info >= (3, 13) else ins.starts_line
            if isinstance(sl, int) and not isinstance(sl, bool):
                line = sl
        jump = getattr(ins, "jump_target", None)
        if jump is None and ins.opcode in JUMPS:
            jump = ins.argval
        row = {"op": ins.opname, "arg": ins.arg, "off": ins.offset, "line": line, "col": col}
        if ins.arg is not None and ins.opcode in VALUED:
            row["val"] = encode(ins.argval)
        if ins.opname in DESCRIBED:
            row["rep"] = ins.argrepr
        if jump is not None:
            row["jump"] = jump
        rows.append(row)
    entries = getattr(dis.Bytecode(c), "exception_entries", [])
    return {"name": name, "args": list(c.co_varnames[:c.co_argcount]), "line": c.co_firstlineno,
            "problem": problem(c), "protected": [[e.start, e.end] for e in entries], "code": rows}

def main():
    out = {"version": list(sys.version_info[:3]), "bindings": {}, "functions": []}
    if not ((3, 10) <= sys.version_info[:2] <= (3, 13)):
        out["error"] = {"message": "Python %d.%d is not supported (use CPython 3.10 to 3.13)" % sys.version_info[:2]}
        return out
    path = sys.argv[1]
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        out["error"] = {"message": "cannot read the file: %s" % (e.strerror or e)}
        return out
    try:
        module = compile(data, path, "exec", dont_inherit=True)
    except SyntaxError as e:
        out["error"] = {"message": "%s: %s" % (type(e).__name__, e.msg), "line": e.lineno, "col": e.offset}
        return out
    except (ValueError, UnicodeError) as e:
        out["error"] = {"message": "cannot compile the file: %s" % e}
        return out
    lines = data.splitlines()
    # dis folds EXTENDED_ARG into the next instruction's argument; drop the prefixes.
    code = [i for i in dis.get_instructions(module) if i.opname != "EXTENDED_ARG"]
    functions = {}
    for k, ins in enumerate(code):
        if ins.opname not in ("STORE_NAME", "STORE_GLOBAL", "DELETE_NAME", "IMPORT_STAR"):
            continue
        if ins.opname == "IMPORT_STAR":
            out["bindings"]["*"] = "other"
            continue
        name = ins.argval
        made = None
        # A plain `def`: the code object, MAKE_FUNCTION (and in 3.13 SET_FUNCTION_ATTRIBUTE), then the store.
        if ins.opname == "STORE_NAME" and k > 0 and code[k - 1].opname in ("MAKE_FUNCTION", "SET_FUNCTION_ATTRIBUTE"):
            for j in range(k - 2, max(-1, k - 8), -1):
                if code[j].opname == "LOAD_CONST" and hasattr(code[j].argval, "co_code"):
                    made = code[j].argval
                    break
                if code[j].opname not in ("LOAD_CONST", "MAKE_FUNCTION", "SET_FUNCTION_ATTRIBUTE", "BUILD_TUPLE"):
                    break
        if made is not None and name not in out["bindings"]:
            out["bindings"][name] = "function"
            functions[name] = made
        else:
            out["bindings"][name] = "other"
            functions.pop(name, None)
    for name, c in functions.items():
        out["functions"].append(export_function(name, c, lines))
    return out

# The jitctl Python package runs this same text in-process for its own functions (export_function, encode):
# there the module is not "__main__".
if __name__ == "__main__":
    print(json.dumps(main(), separators=(",", ":")))
"""#
}
