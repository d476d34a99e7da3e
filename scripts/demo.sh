#!/usr/bin/env bash
# The quick start: installs LLVM if needed, builds jitctl in release mode, and runs
# one of our example programs on each backend.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-llvm.sh
# Both executables: jitctl hands LLVM runs to jitctl-llvm, next to it.
swift build -c release
for backend in interp x86 llvm; do
  echo "== jitctl run --backend=$backend examples/hello-jitctl.bf"
  .build/release/jitctl run --backend="$backend" examples/hello-jitctl.bf
done
echo "== jitctl run --backend=x86 examples/fib.sbc --call 'fib(30)'"
.build/release/jitctl run --backend=x86 examples/fib.sbc --call 'fib(30)'
echo "== jitctl run --backend=llvm examples/numbers.py --call 'collatz_steps(27)'"
.build/release/jitctl run --backend=llvm examples/numbers.py --call 'collatz_steps(27)'
