"""The dis-to-JSON mapping exists once: the package runs the CLI's exporter script, which it
gets from the C ABI, and exports exactly what the CLI's subprocess exports."""

import json
import os
import subprocess
import sys

import pytest

import corpus
from jitctl import _export, _native

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SWIFT_SOURCE = os.path.join(ROOT, "Sources", "Frontends", "Bytecode", "Python", "ExporterScript.swift")


@pytest.mark.skipif(not os.path.isfile(SWIFT_SOURCE), reason="needs the jitctl repository around python/")
def test_the_script_is_the_clis():
    with open(SWIFT_SOURCE, encoding="utf-8") as f:
        swift = f.read()
    start = swift.index('#"""\n') + len('#"""\n')
    end = swift.index('\n"""#', start)  # a Swift multi-line literal ends before its last newline
    assert _native.exporter_script() == swift[start:end]


def test_the_package_has_no_mapping_of_its_own():
    package = os.path.dirname(_export.__file__)
    for name in os.listdir(package):
        if name.endswith(".py"):
            with open(os.path.join(package, name), encoding="utf-8") as f:
                text = f.read()
            assert "def export_function" not in text and "def encode" not in text, name


@pytest.mark.parametrize("name", ["fib", "gcd", "stepped_sum", "chained", "is_even", "nested_loops", "seven_args"])
def test_in_process_export_equals_the_subprocess_export(name):
    # The CLI runs the script as __main__ on the file; the package on the live function.
    cli = subprocess.run([sys.executable, "-I", "-S", "-c", _native.exporter_script(), corpus.__file__],
                         check=True, stdout=subprocess.PIPE).stdout
    by_cli = {f["name"]: f for f in json.loads(cli)["functions"]}
    document, functions = _export.document(getattr(corpus, name), name)
    in_process = json.loads(document)
    assert in_process["version"] == json.loads(cli)["version"]
    assert set(functions) >= {name}
    for f in in_process["functions"]:
        assert f == by_cli[f["name"]]
        assert in_process["bindings"][f["name"]] == "function"
