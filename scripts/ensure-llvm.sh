#!/usr/bin/env bash
# Installs Debian's llvm-dev (LLVM 14 on bookworm) when its headers are missing.
# JITCTL_LLVM=19 asks for llvm-19-dev instead.
set -euo pipefail
version="${JITCTL_LLVM:-14}"
if [ -e "/usr/lib/llvm-${version}/include/llvm-c/Core.h" ] && [ -e "/usr/lib/x86_64-linux-gnu/libLLVM-${version}.so" ]; then
  exit 0
fi
package=llvm-dev
[ "$version" != 14 ] && package="llvm-${version}-dev"
echo "jitctl: installing ${package} (LLVM ${version} headers and library)" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package" >/dev/null
