"""The PEP 517 build backend of the jitctl Python package (python/pyproject.toml).

It needs no package from PyPI, so that `pip install ./python` works offline and in a fresh
virtual environment of any CPython from 3.10 to 3.13:

1. `swift build -c release --product JitCtlC` at the repository root (the parent of python/)
   builds libJitCtlC.so, the C ABI of include/jitctl.h;
2. the C extension src/jitctl/_native.c is compiled against it with CPython's own compiler
   settings (sysconfig), with an rpath of $ORIGIN so that it finds the copy of the library
   shipped next to it;
3. the wheel (a zip file with a .dist-info folder, PEP 427) is written directly.

Set JITCTL_SWIFT to the swift executable when it is not on PATH.
"""

import base64
import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

NAME = "jitctl"
VERSION = "0.1.0"
SUMMARY = "Compile pure int Python functions to native x86-64 code with jitctl (x86 or LLVM backend)"

PACKAGE = Path(__file__).resolve().parent.parent
ROOT = PACKAGE.parent
SOURCES = PACKAGE / "src" / "jitctl"


def _log(message):
    print("jitctl build: " + message, file=sys.stderr, flush=True)


def _run(command, **kwargs):
    _log(" ".join(shlex.quote(str(c)) for c in command))
    return subprocess.run([str(c) for c in command], check=True, **kwargs)


def _swift():
    swift = os.environ.get("JITCTL_SWIFT") or shutil.which("swift")
    if swift is None:
        for candidate in ("/opt/swift/usr/bin/swift", "/usr/bin/swift"):
            if os.access(candidate, os.X_OK):
                return candidate
        raise RuntimeError("jitctl needs the Swift toolchain to build: no `swift` on PATH (set JITCTL_SWIFT)")
    return swift


def build_library():
    """Builds libJitCtlC.so in release mode; returns its path."""
    if not (ROOT / "Package.swift").is_file():
        raise RuntimeError("jitctl: python/ must be built inside the jitctl repository (no %s)" % (ROOT / "Package.swift"))
    swift = _swift()
    _run([swift, "build", "-c", "release", "--product", "JitCtlC"], cwd=ROOT, stdout=sys.stderr)
    bin_dir = subprocess.run([swift, "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                             stdout=subprocess.PIPE, text=True).stdout.strip()
    library = Path(bin_dir) / "libJitCtlC.so"
    if not library.is_file():
        raise RuntimeError("jitctl: swift build made no %s" % library)
    return library


def build_extension(library, out_dir):
    """Compiles the C extension against `library`; returns the extension's path."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    target = Path(out_dir) / ("_native" + suffix)
    cc = shlex.split(sysconfig.get_config_var("CC") or "cc")
    flags = shlex.split(sysconfig.get_config_var("CCSHARED") or "-fPIC")
    include = sysconfig.get_paths()["include"]
    _run(cc + flags + ["-O2", "-Wall", "-Werror", "-shared", "-I", include, "-I", ROOT / "include",
                       SOURCES / "_native.c", "-o", target, "-L", library.parent, "-lJitCtlC",
                       "-Wl,-rpath,$ORIGIN"], stdout=sys.stderr)
    return target


def _tag():
    version = "cp%d%d" % sys.version_info[:2]
    abi = version + getattr(sys, "abiflags", "")
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return "%s-%s-%s" % (version, abi, platform)


def _metadata():
    return ("Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: %s\nRequires-Python: >=3.10,<3.14\n"
            % (NAME, VERSION, SUMMARY))


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (path, digest, len(data))


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    library = build_library()
    tag = _tag()
    with tempfile.TemporaryDirectory() as scratch:
        extension = build_extension(library, scratch)
        files = {"jitctl/" + p.name: p.read_bytes() for p in sorted(SOURCES.glob("*.py"))}
        files["jitctl/" + extension.name] = extension.read_bytes()
        files["jitctl/libJitCtlC.so"] = library.read_bytes()
        files["jitctl/include/jitctl.h"] = (ROOT / "include" / "jitctl.h").read_bytes()
    dist_info = "%s-%s.dist-info" % (NAME, VERSION)
    files[dist_info + "/METADATA"] = _metadata().encode()
    files[dist_info + "/WHEEL"] = ("Wheel-Version: 1.0\nGenerator: jitctl_build\nRoot-Is-Purelib: false\nTag: %s\n"
                                   % tag).encode()
    record = [_record_line(path, data) for path, data in files.items()] + [dist_info + "/RECORD,,"]
    files[dist_info + "/RECORD"] = ("\n".join(record) + "\n").encode()
    name = "%s-%s-%s.whl" % (NAME, VERSION, tag)
    with zipfile.ZipFile(Path(wheel_directory) / name, "w", compression=zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if path.endswith(".so") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return name


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_sdist(sdist_directory, config_settings=None):
    raise RuntimeError("jitctl has no source distribution: install it from the repository with `pip install ./python`")
