"""Whether a compiled function's result is a bool under CPython.

Native code returns an int64, and `a < b` is 1 or 0 there; CPython returns True or False. So
that a call gives the same type as CPython, each function's possible result types are found by
running its bytecode abstractly (each stack slot and local holding the set of types it may
have, joined where paths meet, calls giving the callee's result types, to a fixpoint over the
module's functions). A function whose every result is a bool has its value turned into one;
for a function that may return either, a native 0 or 1 is ambiguous, and CPython answers.
"""

import dis

BOOL = frozenset(["bool"])
INT = frozenset(["int"])
BOTH = BOOL | INT
_BITWISE = {"&", "|", "^", "&=", "|=", "^="}
_BITWISE_310 = {"BINARY_AND", "BINARY_OR", "BINARY_XOR", "INPLACE_AND", "INPLACE_OR", "INPLACE_XOR"}
_BOOLEAN = {"COMPARE_OP", "IS_OP", "CONTAINS_OP", "UNARY_NOT", "TO_BOOL"}
_TO_INT = {"UNARY_NEGATIVE", "UNARY_INVERT", "UNARY_POSITIVE", "CALL_INTRINSIC_1"}
_NOTHING = {"NOP", "RESUME", "PRECALL", "EXTENDED_ARG", "CACHE", "KW_NAMES"}
_JUMPS = {"JUMP_FORWARD", "JUMP_ABSOLUTE", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT", "JUMP"}
_POP_JUMPS = {"POP_JUMP_IF_FALSE", "POP_JUMP_IF_TRUE", "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_FORWARD_IF_TRUE",
              "POP_JUMP_BACKWARD_IF_FALSE", "POP_JUMP_BACKWARD_IF_TRUE"}
_JUMP_OPCODES = set(getattr(dis, "hasjump", [])) | set(dis.hasjrel) | set(dis.hasjabs)


class _Unknown(Exception):
    """An instruction this analysis does not model (the function then counts as returning ints)."""


def _const(value):
    if type(value) is bool:
        return BOOL
    if type(value) is int:
        return INT
    if isinstance(value, tuple):
        return ("tuple", [_const(v) for v in value])
    return None


def _join(a, b):
    if isinstance(a, frozenset) and isinstance(b, frozenset):
        return a | b
    return a if a == b else None


def kind(types):
    """The extension's result kind for a set of result types: 0 int, 1 bool, 2 either."""
    if types == BOOL:
        return 1
    return 2 if "bool" in types else 0


def result_types(codes):
    """{name: frozenset of "bool"/"int"} for each code object of `codes` ({name: code})."""
    results = {name: frozenset() for name in codes}
    changed = True
    while changed:
        changed = False
        for name, code in codes.items():
            try:
                found = _returns(code, results)
            except _Unknown:
                found = BOTH
            if found != results[name]:
                results[name] = found | results[name]
                changed = True
    return results


def _effect(ins, jump):
    arg = ins.arg if ins.opcode >= dis.HAVE_ARGUMENT else None
    return dis.stack_effect(ins.opcode, arg, jump=jump)


def _returns(code, results):
    instructions = [i for i in dis.get_instructions(code) if i.opname != "EXTENDED_ARG"]
    index = {ins.offset: k for k, ins in enumerate(instructions)}
    states = {0: ((), {})}
    work = [0]
    returned = frozenset()
    while work:
        k = work.pop()
        stack, local = states[k]
        stack, local = list(stack), dict(local)
        ins = instructions[k]
        successors, value = _step(ins, stack, local, results)
        if value is not None:
            returned |= value if isinstance(value, frozenset) else BOTH
        for target, (s, l) in successors:
            j = k + 1 if target is None else index.get(target)
            if j is None or j >= len(instructions):
                raise _Unknown(ins.opname)
            if j not in states:
                states[j] = (tuple(s), l)
                work.append(j)
                continue
            old_stack, old_local = states[j]
            if len(old_stack) != len(s):
                raise _Unknown("stack depths differ")
            new_stack = tuple(_join(a, b) for a, b in zip(old_stack, s))
            new_local = dict(old_local)
            for name, kinds in l.items():
                new_local[name] = _join(new_local[name], kinds) if name in new_local else kinds
            if (new_stack, new_local) != (old_stack, old_local):
                states[j] = (new_stack, new_local)
                work.append(j)
    return returned


def _jump_target(ins):
    target = getattr(ins, "jump_target", None)
    if target is None and ins.opcode in _JUMP_OPCODES:
        target = ins.argval
    return target


def _step(ins, s, local, results):
    """Runs one instruction on the abstract stack `s` and locals; returns the successors as
    (target offset or None for the next instruction, (stack, locals)) and the returned types."""
    op = ins.opname
    nxt = [(None, (s, local))]
    if op in _NOTHING:
        return nxt, None
    if op in ("LOAD_FAST", "LOAD_FAST_CHECK"):
        s.append(local.get(ins.argval, INT))
    elif op == "STORE_FAST":
        local[ins.argval] = s.pop()
    elif op == "LOAD_FAST_LOAD_FAST":
        a, b = ins.argval
        s += [local.get(a, INT), local.get(b, INT)]
    elif op == "STORE_FAST_LOAD_FAST":
        a, b = ins.argval
        local[a] = s.pop()
        s.append(local.get(b, INT))
    elif op == "STORE_FAST_STORE_FAST":
        a, b = ins.argval
        local[a] = s.pop()
        local[b] = s.pop()
    elif op == "LOAD_CONST":
        s.append(_const(ins.argval))
    elif op == "RETURN_CONST":
        return [], _const(ins.argval)
    elif op == "RETURN_VALUE":
        return [], s.pop()
    elif op in _BOOLEAN:
        del s[len(s) + _effect(ins, False) - 1:]
        s.append(BOOL)
    elif op in _TO_INT:
        s.pop()
        s.append(INT)
    elif op == "BINARY_OP" or op.startswith("BINARY_") or op.startswith("INPLACE_"):
        b, a = s.pop(), s.pop()
        bitwise = ins.argrepr in _BITWISE if op == "BINARY_OP" else op in _BITWISE_310
        if bitwise and isinstance(a, frozenset) and isinstance(b, frozenset):
            s.append((BOOL if "bool" in a and "bool" in b else frozenset()) | (INT if a & INT or b & INT else frozenset()))
        else:
            s.append(INT)
    elif op == "DUP_TOP":
        s.append(s[-1])
    elif op == "DUP_TOP_TWO":
        s += s[-2:]
    elif op == "ROT_TWO":
        s[-2:] = [s[-1], s[-2]]
    elif op == "ROT_THREE":
        s[-3:] = [s[-1], s[-3], s[-2]]
    elif op == "ROT_FOUR":
        s[-4:] = [s[-1], s[-4], s[-3], s[-2]]
    elif op == "ROT_N":
        s[-ins.arg:] = [s[-1]] + s[-ins.arg:-1]
    elif op == "COPY":
        s.append(s[-ins.arg])
    elif op == "SWAP":
        s[-1], s[-ins.arg] = s[-ins.arg], s[-1]
    elif op == "POP_TOP" or op == "END_FOR":
        del s[len(s) + _effect(ins, False):]
    elif op == "PUSH_NULL":
        s.append(None)
    elif op == "LOAD_GLOBAL":
        pushed = _effect(ins, False)
        s += [None] * (pushed - 1) + [("callable", ins.argval)]
    elif op in ("CALL", "CALL_FUNCTION"):
        # CPython 3.11+ calls [NULL-or-self, callable, args] (in some order); 3.10 [callable, args].
        popped = ins.arg + (1 if op == "CALL_FUNCTION" else 2)
        args = s[len(s) - ins.arg:]
        below = s[len(s) - popped:len(s) - ins.arg]
        del s[len(s) - popped:]
        names = [x[1] for x in below if isinstance(x, tuple) and x and x[0] == "callable"]
        name = names[0] if names else None
        if name in results:
            s.append(results[name])
        elif name in ("min", "max") and all(isinstance(a, frozenset) for a in args):
            s.append(frozenset().union(*args))
        else:
            s.append(INT)
    elif op == "GET_ITER":
        s[-1] = ("iterator",)
    elif op == "FOR_ITER":
        taken = list(s)
        effect = _effect(ins, True)
        if effect <= 0:
            del taken[len(taken) + effect:]
        else:
            taken += [None] * effect
        return [(None, (s + [INT], local)), (_jump_target(ins), (taken, dict(local)))], None
    elif op == "BUILD_TUPLE":
        items = s[len(s) - ins.arg:]
        del s[len(s) - ins.arg:]
        s.append(("tuple", items))
    elif op == "UNPACK_SEQUENCE":
        t = s.pop()
        items = t[1] if isinstance(t, tuple) and t and t[0] == "tuple" and len(t[1]) == ins.arg else [INT] * ins.arg
        s += list(reversed(items))
    elif op in _JUMPS:
        return [(_jump_target(ins), (s, local))], None
    elif op in _POP_JUMPS:
        s.pop()
        return [(None, (s, local)), (_jump_target(ins), (list(s), dict(local)))], None
    elif op in ("JUMP_IF_FALSE_OR_POP", "JUMP_IF_TRUE_OR_POP"):
        kept = list(s)
        s.pop()
        return [(None, (s, local)), (_jump_target(ins), (kept, dict(local)))], None
    else:
        raise _Unknown(op)
    return nxt, None
