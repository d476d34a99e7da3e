#!/usr/bin/env bash
# Installs the Python package (python/) into a fresh virtual environment of each CPython it
# supports that this machine has, and runs its tests (python/tests) there. .ci/run calls it.
#
# Which Pythons: $JITCTL_PYTHONS (space-separated paths) if set; otherwise pyenv's 3.10 to 3.13
# under /root/.pyenv/versions; otherwise python3 on PATH. Without any usable CPython, or without
# the venv module, it says so and skips (exit 0). pytest comes from the base interpreter when it
# has it, else from PyPI; when neither works the tests are skipped with a message, never passed.
# `pip install ./python` itself failing is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."

pythons=()
if [[ -n "${JITCTL_PYTHONS:-}" ]]; then
  read -r -a pythons <<< "$JITCTL_PYTHONS"
else
  for p in /root/.pyenv/versions/3.1[0-3].*/bin/python; do [[ -x "$p" ]] && pythons+=("$p"); done
  if [[ ${#pythons[@]} -eq 0 ]] && command -v python3 >/dev/null 2>&1; then
    pythons+=("$(command -v python3)")
    # Debian's python3 needs python3-venv for venvs and python3-dev for Python.h: CI installs them.
    if [[ "${CI:-}" == "true" && $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1 \
       && ! python3 -c 'import ensurepip, sysconfig, os, sys; sys.exit(not os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-dev >/dev/null || true
    fi
  fi
fi
if [[ ${#pythons[@]} -eq 0 ]]; then
  echo "test-python: SKIPPED: no CPython 3.10-3.13 found (set JITCTL_PYTHONS)"
  exit 0
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
ran=0
for py in "${pythons[@]}"; do
  if ! "$py" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 13)))' 2>/dev/null; then
    echo "test-python: SKIPPED $py: not CPython 3.10 to 3.13"
    continue
  fi
  version=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  venv="$scratch/venv-$version"
  # pytest from the base interpreter if it has one (works offline), else from PyPI.
  site=()
  if "$py" -m pytest --version >/dev/null 2>&1; then site=(--system-site-packages); fi
  if ! "$py" -m venv "${site[@]}" "$venv" >/dev/null 2>&1; then
    echo "test-python: SKIPPED $version: '$py -m venv' does not work (no venv/ensurepip module)"
    continue
  fi
  echo "test-python: CPython $version: pip install ./python"
  if ! "$venv/bin/python" -m pip install -q ./python; then
    echo "test-python: FAILED: pip install ./python with CPython $version"
    failed=1
    continue
  fi
  if ! "$venv/bin/python" -m pytest --version >/dev/null 2>&1 \
     && ! "$venv/bin/python" -m pip install -q pytest >/dev/null 2>&1; then
    echo "test-python: SKIPPED the tests on $version: pytest is not installed and cannot be installed"
    continue
  fi
  # From python/, so that the tests import the installed package, not python/src.
  if (cd python && "$venv/bin/python" -m pytest -q -p no:cacheprovider tests); then
    ran=$((ran + 1))
  else
    echo "test-python: FAILED: the tests with CPython $version"
    failed=1
  fi
done
echo "test-python: tests passed on $ran CPython version(s)"
exit $failed
