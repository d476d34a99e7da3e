#!/usr/bin/env python3
"""jitctl benchmarks: run time, compile time and start-up, against C and CPython references.

Usage:
    scripts/bench.py                          # everything, 3 interleaved runs per contender
    scripts/bench.py --only bf --programs mandelbrot,factor --runs 5
    scripts/bench.py --only py --py-functions fib,tak
    scripts/bench.py --jitctl .build/release/jitctl --markdown bench-results/report.md

Sections (--only takes one or more, comma-separated):
    bf       Brainfuck programs from ../shared/corpus/bf on x86, llvm (-O 2), interp, and the C
             reference (../shared/tools/bf2c.py + cc -O2; its compile time is not timed).
    compile  `jitctl compare --export-json`: frontend, BF optimisation and backend compile phases.
    startup  whole-process time of `jitctl run` on a hello-world.
    py       ../shared/bench/py/bench.py functions on CPython 3.11, bench.c (gcc -O2), x86 and llvm.

Every time is a whole-process wall-clock time (CPU time with --clock cpu) unless it comes
from `jitctl compare`, which reports in-process phase times. The
machines this runs on are noisy, so contenders are interleaved (A B C A B C ...) and the
figures that matter are the ratios between contenders measured in the same invocation.
Every output is checked (BF: against NAME.out; Python: against CPython's result); a
mismatch is reported loudly, that contender is not timed, and the exit status is 1.

Only the Python 3 standard library is used. Without ../shared it prints a note and exits 0.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CPYTHON_311 = Path("/root/.pyenv/versions/3.11.7/bin/python3")

# The corpus's long-running 8-bit programs that take 0.01-3 s as C, plus bench-wrap from its
# cell-size tests (268M steps with 8-bit wrap-around). 16-bit programs (prime, pidigits) work
# with --programs but have no C reference: bf2c.py only implements 8-bit cells.
DEFAULT_BF_PROGRAMS = ["mandelbrot", "factor", "hanoi", "long", "bench", "awib", "bench-wrap"]
DEFAULT_PY_FUNCTIONS = ["fib", "tak", "count_primes", "mandel"]
COMPILE_PROGRAMS = ["mandelbrot", "lostkingdom"]
SECTIONS = ["bf", "compile", "startup", "py"]

# Which measure the tables use: "wall" (whole-process wall clock) or "cpu" (the child's user+sys
# time, which an overloaded machine inflates far less). Set once from --clock.
CLOCK = "wall"
NO_REFERENCE = "no C reference"


def clock_title() -> str:
    return "whole-process wall time" if CLOCK == "wall" else "whole-process CPU time (user+sys)"


def log(message: str) -> None:
    """Progress goes to stderr so that stdout holds only the report."""
    print(message, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# Running and timing processes


@dataclass
class Outcome:
    """One finished (or timed-out) process."""

    seconds: float
    cpu_seconds: float
    status: Optional[int]  # None: killed at the timeout
    stdout: bytes
    stderr: bytes

    def failure(self) -> Optional[str]:
        """Why this run does not count, or None when it exited 0."""
        if self.status is None:
            return "timeout"
        if self.status != 0:
            first = self.stderr.decode("utf-8", "replace").strip().splitlines()
            return f"exit {self.status}" + (f": {first[0][:120]}" if first else "")
        return None


def run_process(cmd: list[str], stdin: Optional[Path] = None, timeout: Optional[float] = None) -> Outcome:
    """Runs `cmd` with stdin from a file and stdout/stderr into temporary files (no pipe to drain
    while the clock runs), and returns its wall-clock and CPU time (user+sys of the child)."""
    with open(stdin or os.devnull, "rb") as fin, tempfile.TemporaryFile() as fout, tempfile.TemporaryFile() as ferr:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, stdin=fin, stdout=fout, stderr=ferr, timeout=timeout)
            status: Optional[int] = proc.returncode
        except subprocess.TimeoutExpired:
            status = None
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        fout.seek(0)
        ferr.seek(0)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return Outcome(seconds, cpu, status, fout.read(), ferr.read())


@dataclass
class Contender:
    """One way of running one benchmark. `check` returns an error message or None."""

    name: str
    cmd: list[str]
    stdin: Optional[Path] = None
    check: Callable[[Outcome], Optional[str]] = lambda outcome: None
    # First (checked, untimed) run's timeout; None means the global --timeout.
    probe_timeout: Optional[float] = None
    probe_skip_note: str = "timeout"


@dataclass
class Timing:
    """The measured samples of one contender, or why it has none."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    error: Optional[str] = None  # a failure: mismatch, crash, timeout
    skipped: Optional[str] = None  # deliberately not measured (e.g. interp too slow)

    @property
    def samples(self) -> list[float]:
        return self.wall if CLOCK == "wall" else self.cpu

    @property
    def ok(self) -> bool:
        return self.error is None and self.skipped is None and bool(self.samples)

    @property
    def best(self) -> Optional[float]:
        return min(self.samples) if self.ok else None

    @property
    def mean(self) -> Optional[float]:
        return statistics.fmean(self.samples) if self.ok else None

    def cell(self) -> str:
        """`best / mean` for a table, or the reason there is no time."""
        if self.error:
            return "FAILED"
        if self.skipped:
            return "n/a" if self.skipped == NO_REFERENCE else "skipped"
        return f"{fmt_seconds(self.best)} / {fmt_seconds(self.mean)}"

    def as_json(self) -> dict:
        return {"wall": self.wall, "cpu": self.cpu, "clock": CLOCK, "best": self.best, "mean": self.mean,
                "error": self.error, "skipped": self.skipped}


class Failures:
    """Collects loud failures (mismatches, crashes) for the report and the exit status."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)
        bar = "!" * 78
        log(f"{bar}\n!! {message}\n{bar}")


def measure(label: str, contenders: list[Contender], runs: int, timeout: float, failures: Failures) -> dict[str, Timing]:
    """One checked, untimed run per contender (output check, warm caches, and the probe that
    decides whether a slow contender is worth timing), then `runs` interleaved rounds."""
    timings = {c.name: Timing() for c in contenders}
    live: list[Contender] = []
    for c in contenders:
        probe_timeout = c.probe_timeout if c.probe_timeout is not None else timeout
        outcome = run_process(c.cmd, c.stdin, probe_timeout)
        if outcome.status is None and c.probe_timeout is not None:
            timings[c.name].skipped = c.probe_skip_note
            log(f"  {label} / {c.name}: skipped ({c.probe_skip_note})")
            continue
        problem = outcome.failure() or c.check(outcome)
        if problem:
            timings[c.name].error = problem
            failures.add(f"{label} on {c.name}: {problem}\n!! command: {shlex.join(c.cmd)}")
            continue
        log(f"  {label} / {c.name}: output ok, first run {fmt_seconds(outcome.seconds)}")
        live.append(c)
    for round_index in range(runs):
        for c in live:
            t = timings[c.name]
            if t.error:
                continue
            outcome = run_process(c.cmd, c.stdin, timeout)
            problem = outcome.failure() or c.check(outcome)
            if problem:
                t.error = f"round {round_index + 1}: {problem}"
                failures.add(f"{label} on {c.name}: {t.error}\n!! command: {shlex.join(c.cmd)}")
                continue
            t.wall.append(outcome.seconds)
            t.cpu.append(outcome.cpu_seconds)
    for c in live:
        t = timings[c.name]
        if t.ok:
            log(f"  {label} / {c.name}: best {fmt_seconds(t.best)}, mean {fmt_seconds(t.mean)} over {len(t.samples)}")
    return timings


# ----------------------------------------------------------------------------------------------
# Formatting


def fmt_seconds(seconds: Optional[float]) -> str:
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return a / b if a is not None and b else None


def fmt_ratio(r: Optional[float]) -> str:
    if r is None:
        return "-"
    if r >= 100:
        return f"{r:.0f}×"
    if r >= 10:
        return f"{r:.1f}×"
    if r >= 0.1:
        return f"{r:.2f}×"
    return f"{r:.3f}×"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        widths = [max(len(row[i]) for row in [self.headers] + self.rows) for i in range(len(self.headers))]

        def line(row: list[str]) -> str:
            # First column left-aligned (names), the rest right-aligned (numbers).
            cells = [row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:])]
            return "  ".join(cells).rstrip()

        out = [self.title, "=" * len(self.title), line(self.headers), "  ".join("-" * w for w in widths)]
        out += [line(row) for row in self.rows]
        out += [f"  * {note}" for note in self.notes]
        return "\n".join(out)

    def markdown(self) -> str:
        out = [f"### {self.title}", "", "| " + " | ".join(self.headers) + " |",
               "|" + "|".join(["---"] + ["---:"] * (len(self.headers) - 1)) + "|"]
        out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in self.rows]
        if self.notes:
            out.append("")
            out += [f"- {note}" for note in self.notes]
        return "\n".join(out)


# ----------------------------------------------------------------------------------------------
# The machine


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return rev + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "unknown"


def machine_lines(jitctl: Path) -> list[str]:
    load = os.getloadavg()
    return [
        f"date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"machine: {cpu_model()}, {len(os.sched_getaffinity(0))} cores (nproc), {platform.system()} {platform.release()}",
        f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        f"jitctl: {jitctl} (repository at git {git_revision()})",
        f"C compiler: {first_line(['cc', '--version'])}",
        f"tables report: {clock_title()}; ratios are of the best times measured in this run",
    ]


# ----------------------------------------------------------------------------------------------
# Brainfuck run time


@dataclass
class BFProgram:
    name: str
    source: Path
    stdin: Optional[Path]
    expected: bytes
    jitctl_args: list[str]

    @staticmethod
    def load(corpus: Path, name: str) -> "BFProgram":
        source = corpus / f"{name}.bf"
        if not source.is_file():
            raise SystemExit(f"bench.py: no such BF program {source}")
        if (corpus / f"{name}.expect").exists():
            raise SystemExit(f"bench.py: {name} is not expected to finish normally; pick another program")
        stdin = corpus / f"{name}.in"
        args = corpus / f"{name}.args"
        return BFProgram(
            name=name,
            source=source,
            stdin=stdin if stdin.is_file() else None,
            expected=(corpus / f"{name}.out").read_bytes(),
            jitctl_args=args.read_text().split() if args.is_file() else [],
        )

    @property
    def c_reference_possible(self) -> bool:
        # bf2c.py implements the corpus defaults only: 8-bit cells, EOF leaves the cell unchanged.
        return not self.jitctl_args


def output_check(expected: bytes, source: str) -> Callable[[Outcome], Optional[str]]:
    def check(outcome: Outcome) -> Optional[str]:
        got = outcome.stdout
        if got == expected:
            return None
        at = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
        return (f"OUTPUT MISMATCH against {source}: got {len(got)} bytes, expected {len(expected)}, "
                f"first difference at byte {at}: got {got[at:at + 16]!r}, expected {expected[at:at + 16]!r}")
    return check


def build_c_reference(program: BFProgram, workdir: Path) -> Path:
    """bf2c.py + cc -O2, outside the timed region."""
    c_file = workdir / f"{program.name}.c"
    exe = workdir / f"{program.name}.ref"
    with open(c_file, "wb") as out:
        subprocess.run([sys.executable, str(SHARED / "tools" / "bf2c.py"), str(program.source)], stdout=out, check=True)
    subprocess.run(["cc", "-O2", str(c_file), "-o", str(exe)], check=True)
    return exe


def bench_bf(jitctl: Path, names: list[str], args: argparse.Namespace, workdir: Path,
             failures: Failures, raw: dict) -> list[Table]:
    corpus = SHARED / "corpus" / "bf"
    rows_time: list[list[str]] = []
    rows_ratio: list[list[str]] = []
    notes: list[str] = []
    for name in names:
        program = BFProgram.load(corpus, name)
        log(f"[bf] {name}")
        check = output_check(program.expected, f"{name}.out")
        contenders: list[Contender] = []
        if program.c_reference_possible:
            exe = build_c_reference(program, workdir)
            contenders.append(Contender("C", [str(exe)], program.stdin, check))
        base = [str(jitctl), "run"] + program.jitctl_args
        contenders.append(Contender("x86", base + ["--backend", "x86", str(program.source)], program.stdin, check))
        contenders.append(Contender("llvm", base + ["--backend", "llvm", "-O", "2", str(program.source)],
                                    program.stdin, check))
        contenders.append(Contender("interp", base + ["--backend", "interp", str(program.source)], program.stdin,
                                    check, probe_timeout=args.interp_limit,
                                    probe_skip_note=f"one run takes > {args.interp_limit:g} s"))
        timings = measure(name, contenders, args.runs, args.timeout, failures)
        raw.setdefault("bf", {})[name] = {k: v.as_json() for k, v in timings.items()}
        t = {k: timings.get(k, Timing(skipped=NO_REFERENCE)) for k in ["C", "x86", "llvm", "interp"]}
        label = name + (" (" + " ".join(program.jitctl_args) + ")" if program.jitctl_args else "")
        rows_time.append([label] + [t[k].cell() for k in ["C", "x86", "llvm", "interp"]])
        rows_ratio.append([label,
                           fmt_ratio(ratio(t["x86"].best, t["C"].best)),
                           fmt_ratio(ratio(t["llvm"].best, t["C"].best)),
                           fmt_ratio(ratio(t["interp"].best, t["C"].best)),
                           fmt_ratio(ratio(t["x86"].best, t["interp"].best)),
                           fmt_ratio(ratio(t["x86"].best, t["llvm"].best))])
        if t["interp"].skipped:
            notes.append(f"{name}: interp {t['interp'].skipped}")
        if not program.c_reference_possible:
            notes.append(f"{name}: no C reference (needs {' '.join(program.jitctl_args)}; bf2c.py does only 8-bit cells with EOF unchanged)")
    times = Table(
        f"Brainfuck run time ({clock_title()}, best / mean of {args.runs})",
        ["program", "C (bf2c -O2)", "jitctl x86", "jitctl llvm -O2", "jitctl interp"], rows_time, notes)
    ratios = Table(
        "Brainfuck ratios (of best times)",
        ["program", "x86/C", "llvm/C", "interp/C", "x86/interp", "x86/llvm"], rows_ratio,
        ["A ratio below 1× means the first named is faster: x86/interp = 0.05× is a 20× speed-up "
         "of the x86 backend over the IR interpreter."])
    return [times, ratios]


# ----------------------------------------------------------------------------------------------
# Compile time (jitctl compare)


@dataclass
class PhaseResult:
    """One backend's phase timings from `jitctl compare`, or why there are none."""

    phases: Optional[dict[str, dict]] = None
    problem: Optional[str] = None

    def cell(self, phase: str) -> str:
        if self.problem:
            return self.problem
        if not self.phases or phase not in self.phases:
            return "-"
        p = self.phases[phase]
        return f"{fmt_seconds(p['mean'])} ± {fmt_seconds(p['stddev'])}"

    def min(self, phase: str) -> Optional[float]:
        return self.phases[phase]["min"] if self.phases and phase in self.phases else None


def compare_phases(jitctl: Path, program: BFProgram, backend: str, opt_level: int, runs: int,
                   args: argparse.Namespace, workdir: Path, failures: Failures) -> PhaseResult:
    """Runs `jitctl compare` on one backend: first one run under --compile-limit (the warm-up, and
    a guard against compiles that take minutes), then `runs` measured runs."""
    out_json = workdir / f"compare-{program.name}-{backend}-O{opt_level}.json"
    label = f"compare {program.name} on {backend} -O {opt_level}"

    def command(n: int) -> list[str]:
        cmd = [str(jitctl), "compare", str(program.source), "--backends", backend, "-O", str(opt_level),
               "--runs", str(n), "--warmup", "0", "--export-json", str(out_json)] + program.jitctl_args
        return cmd + (["--input", str(program.stdin)] if program.stdin else [])

    for n, limit in [(1, args.compile_limit), (runs, args.timeout)]:
        cmd = command(n)
        log(f"[compile] {shlex.join(cmd)}")
        outcome = run_process(cmd, None, limit)
        if outcome.status is None and n == 1:
            note = f"> {limit:g} s (stopped)"
            log(f"  {label}: one compile+run took longer than --compile-limit {limit:g} s; not measured")
            return PhaseResult(problem=note)
        problem = outcome.failure()
        if problem:
            failures.add(f"{label}: {problem}\n!! command: {shlex.join(cmd)}")
            return PhaseResult(problem="FAILED")
    doc = json.loads(out_json.read_text())
    [report] = [b for b in doc["backends"] if b["name"] == backend] or [doc["backends"][0]]
    if report.get("stdoutSHA256") != hashlib.sha256(program.expected).hexdigest():
        failures.add(f"{label}: OUTPUT MISMATCH: {report.get('stdoutBytes')} bytes (sha256 "
                     f"{str(report.get('stdoutSHA256'))[:12]}) differ from {program.name}.out")
        return PhaseResult(problem="FAILED")
    return PhaseResult(phases=report["phases"])


def bench_compile(jitctl: Path, args: argparse.Namespace, workdir: Path, failures: Failures, raw: dict) -> list[Table]:
    corpus = SHARED / "corpus" / "bf"
    runs = max(args.runs, 3)
    rows = []
    ratio_rows = []
    for name in args.compile_programs:
        program = BFProgram.load(corpus, name)
        x86 = compare_phases(jitctl, program, "x86", 2, runs, args, workdir, failures)
        llvm0 = compare_phases(jitctl, program, "llvm", 0, runs, args, workdir, failures)
        llvm2 = compare_phases(jitctl, program, "llvm", 2, runs, args, workdir, failures)
        raw.setdefault("compile", {})[name] = {"x86": x86.phases, "llvm -O0": llvm0.phases, "llvm -O2": llvm2.phases}
        front = next((r for r in [x86, llvm0, llvm2] if r.phases), PhaseResult(problem="-"))
        size = program.source.stat().st_size
        rows.append([f"{name} ({size / 1024:.0f} KiB)", front.cell("frontend"), front.cell("optimize"),
                     x86.cell("compile"), llvm0.cell("compile"), llvm2.cell("compile")])
        ratio_rows.append([name,
                           fmt_ratio(ratio(llvm0.min("compile"), x86.min("compile"))),
                           fmt_ratio(ratio(llvm2.min("compile"), x86.min("compile"))),
                           fmt_ratio(ratio(llvm2.min("compile"), llvm0.min("compile"))),
                           fmt_seconds(x86.min("run")), fmt_seconds(llvm0.min("run")), fmt_seconds(llvm2.min("run"))])
    return [
        Table(f"Compile phases (jitctl compare, in-process, mean ± σ of {runs} runs)",
              ["program", "BF frontend+lowering", "BF optimisation", "x86 compile", "LLVM -O0 compile",
               "LLVM -O2 compile"], rows,
              ["frontend+lowering and BF optimisation are shared by all backends (shown from the x86 run).",
               "'compile' is the backend's whole step: x86 = instruction selection, register allocation and "
               "encoding; LLVM = building LLVM IR, the optimisation pipeline and JIT linking.",
               f"'stopped': one compile+run exceeded --compile-limit ({args.compile_limit:g} s)."]),
        Table("Compile-time ratios (of min times), and the run phase each buys (min)",
              ["program", "LLVM -O0 / x86", "LLVM -O2 / x86", "LLVM -O2 / -O0", "run x86", "run LLVM -O0",
               "run LLVM -O2"], ratio_rows),
    ]


# ----------------------------------------------------------------------------------------------
# Start-up


def bench_startup(jitctl: Path, args: argparse.Namespace, workdir: Path, failures: Failures, raw: dict) -> list[Table]:
    hello = REPO / "examples" / "hello-jitctl.bf"
    if not hello.is_file():
        hello = workdir / "hello-jitctl.bf"
        hello.write_text("++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------."
                         "--------.>>+.>++.\n")
    probe = run_process([str(jitctl), "run", "--backend", "interp", str(hello)], None, args.timeout)
    expected = probe.stdout
    check = output_check(expected, "interp's output")
    ref = build_c_reference(BFProgram(hello.stem, hello, None, expected, []), workdir)
    contenders = [Contender("C", [str(ref)], None, check)]
    for backend in ["x86", "llvm", "interp"]:
        contenders.append(Contender(backend, [str(jitctl), "run", "--backend", backend, str(hello)], None, check))
    log(f"[startup] {hello}")
    timings = measure("startup", contenders, args.startup_runs, args.timeout, failures)
    raw["startup"] = {k: v.as_json() for k, v in timings.items()}
    c = timings["C"].best
    rows = [[name, fmt_seconds(t.best), fmt_seconds(t.mean),
             fmt_seconds(t.best - c) if t.ok and c is not None and name != "C" else "-",
             fmt_ratio(ratio(t.best, timings["x86"].best))]
            for name, t in timings.items()]
    tables = [Table(f"Start-up: `jitctl run` on {hello.name} ({clock_title()}, {args.startup_runs} interleaved runs)",
                    ["contender", "best", "mean", "best − C process", "best / x86"], rows,
                    ["C is the bf2c.py translation of the same program: the cost of starting any process here."])]
    tables += bench_startup_py(jitctl, args, failures, raw)
    return tables


def bench_startup_py(jitctl: Path, args: argparse.Namespace, failures: Failures, raw: dict) -> list[Table]:
    """The fixed cost under the Python figures: a trivial call, `fib(1)`, on each contender. For
    jitctl it includes starting CPython to read the functions' bytecode through `dis`."""
    bench_py_file = SHARED / "bench" / "py" / "bench.py"

    def is_one(outcome: Outcome) -> Optional[str]:
        got = last_int(outcome.stdout)
        return None if got == 1 else f"RESULT MISMATCH: fib(1) gave {got}"

    contenders = [Contender("CPython bench.py fib 1", [args.python, str(bench_py_file), "fib", "1"], None, is_one)]
    for backend in ["x86", "llvm"]:
        contenders.append(Contender(f"jitctl {backend} bench.py --call 'fib(1)'",
                                    [str(jitctl), "run", "--backend", backend, str(bench_py_file), "--call", "fib(1)",
                                     "--python", args.python], None, is_one))
    log(f"[startup] {bench_py_file} fib(1)")
    timings = measure("startup fib(1)", contenders, args.startup_runs, args.timeout, failures)
    raw["startup-py"] = {k: v.as_json() for k, v in timings.items()}
    cpython = timings[contenders[0].name].best
    rows = [[name, fmt_seconds(t.best), fmt_seconds(t.mean), fmt_ratio(ratio(t.best, cpython))]
            for name, t in timings.items()]
    return [Table(f"Start-up: a trivial Python call ({clock_title()}, {args.startup_runs} interleaved runs)",
                  ["contender", "best", "mean", "best / CPython"], rows,
                  ["jitctl imports bench.py by running CPython once (bytecode through `dis`), then lowers and "
                   "compiles it: this fixed cost is inside every jitctl figure of "
                   "the Python section."])]


# ----------------------------------------------------------------------------------------------
# Python functions


def read_py_args(path: Path) -> dict[str, list[str]]:
    table = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if parts:
            table[parts[0]] = parts[1:]
    return table


def last_int(text: bytes) -> Optional[int]:
    try:
        return int(text.decode().split()[-1])
    except (ValueError, IndexError, UnicodeDecodeError):
        return None


def bench_py(jitctl: Path, args: argparse.Namespace, workdir: Path, failures: Failures, raw: dict) -> list[Table]:
    pydir = SHARED / "bench" / "py"
    table = read_py_args(pydir / "args.txt")
    functions = list(table) if args.py_functions == ["all"] else args.py_functions
    unknown = [f for f in functions if f not in table]
    if unknown:
        raise SystemExit(f"bench.py: unknown Python benchmark(s) {', '.join(unknown)}; args.txt has {', '.join(table)}")
    python = args.python
    c_exe = workdir / "bench-c"
    subprocess.run(["gcc", "-O2", str(pydir / "bench.c"), "-o", str(c_exe)], check=True)
    bench_py_file = pydir / "bench.py"
    rows_time, rows_ratio = [], []
    for name in functions:
        fargs = table[name]
        call = f"{name}({', '.join(fargs)})"
        log(f"[py] {call}")
        # CPython's answer is the reference; bench.py prints `NAME (ARGS,) RESULT`.
        reference = run_process([python, str(bench_py_file), name] + fargs, None, args.timeout)
        expected = last_int(reference.stdout) if reference.status == 0 else None
        if expected is None:
            failures.add(f"{call} on CPython: {reference.failure() or 'no integer result'}")
            continue

        def result_check(outcome: Outcome, expected: int = expected) -> Optional[str]:
            got = last_int(outcome.stdout)
            return None if got == expected else f"RESULT MISMATCH: got {got}, CPython says {expected}"

        contenders = [
            Contender("CPython", [python, str(bench_py_file), name] + fargs, None, result_check),
            Contender("C", [str(c_exe), name] + fargs, None, result_check),
        ]
        for backend in ["x86", "llvm"]:
            contenders.append(Contender(backend, [str(jitctl), "run", "--backend", backend, str(bench_py_file),
                                                  "--call", call, "--python", python], None, result_check))
        timings = measure(call, contenders, args.runs, args.timeout, failures)
        raw.setdefault("py", {})[call] = {k: v.as_json() for k, v in timings.items()}
        t = timings
        rows_time.append([call] + [t[k].cell() for k in ["CPython", "C", "x86", "llvm"]])
        rows_ratio.append([call,
                           fmt_ratio(ratio(t["x86"].best, t["CPython"].best)),
                           fmt_ratio(ratio(t["llvm"].best, t["CPython"].best)),
                           fmt_ratio(ratio(t["x86"].best, t["C"].best)),
                           fmt_ratio(ratio(t["llvm"].best, t["C"].best)),
                           fmt_ratio(ratio(t["CPython"].best, t["C"].best))])
    version = first_line([python, "--version"])
    return [
        Table(f"Python functions: run time ({clock_title()}, best / mean of {args.runs})",
              ["call", version, "C (gcc -O2)", "jitctl x86", "jitctl llvm -O2"], rows_time,
              [f"CPython runs `{python} bench.py NAME ARGS`, which prints `NAME (ARGS,) RESULT`; "
               "every result is checked against CPython's.",
               "jitctl's time includes importing bench.py through CPython's `dis` (one CPython process per run)."]),
        Table("Python functions: ratios (of best times)",
              ["call", "x86/CPython", "llvm/CPython", "x86/C", "llvm/C", "CPython/C"], rows_ratio),
    ]


# ----------------------------------------------------------------------------------------------
# Driver


def build_jitctl() -> Path:
    # Both executables: jitctl hands LLVM runs to jitctl-llvm, next to it.
    log("building: swift build -c release")
    result = subprocess.run(["swift", "build", "-c", "release"], cwd=REPO,
                            stdout=sys.stderr, stderr=sys.stderr)
    if result.returncode != 0:
        raise SystemExit("bench.py: the release build failed (pass --jitctl PATH to use an existing binary)")
    return REPO / ".build" / "release" / "jitctl"


def comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--jitctl", type=Path, help="the jitctl binary (default: build release and use .build/release/jitctl)")
    p.add_argument("--runs", type=int, default=3, help="timed runs per contender, after one checked untimed run (default 3)")
    p.add_argument("--only", type=comma_list, default=SECTIONS, metavar="SECTIONS",
                   help=f"sections to run, comma-separated: {', '.join(SECTIONS)} (default: all)")
    p.add_argument("--programs", type=comma_list, default=DEFAULT_BF_PROGRAMS, metavar="A,B",
                   help=f"BF corpus programs for the bf section (default {','.join(DEFAULT_BF_PROGRAMS)})")
    p.add_argument("--compile-programs", type=comma_list, default=COMPILE_PROGRAMS, metavar="A,B",
                   help=f"BF programs for the compile section (default {','.join(COMPILE_PROGRAMS)})")
    p.add_argument("--py-functions", type=comma_list, default=DEFAULT_PY_FUNCTIONS, metavar="F,G",
                   help=f"functions from bench/py/args.txt, or 'all' (default {','.join(DEFAULT_PY_FUNCTIONS)})")
    p.add_argument("--python", default=str(CPYTHON_311) if CPYTHON_311.exists() else "python3",
                   help="CPython for the reference times and for jitctl's .py import (default: 3.11.7 from pyenv)")
    p.add_argument("--interp-limit", type=float, default=60.0, metavar="SECONDS",
                   help="skip the interpreter on a program when its first run exceeds this (default 60)")
    p.add_argument("--compile-limit", type=float, default=120.0, metavar="SECONDS",
                   help="compile section: give up on a backend when one compile+run exceeds this (default 120)")
    p.add_argument("--startup-runs", type=int, default=20, help="runs per contender for start-up (default 20)")
    p.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS", help="per-process limit (default 600)")
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                   help="what the tables report: wall-clock time (default) or the process's user+sys CPU time")
    p.add_argument("--markdown", type=Path, metavar="FILE", help="also write the report as Markdown")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write every sample (wall and CPU seconds) as JSON")
    args = p.parse_args(argv)
    bad = [s for s in args.only if s not in SECTIONS]
    if bad:
        p.error(f"--only: unknown section(s) {', '.join(bad)} (use {', '.join(SECTIONS)})")
    if args.runs < 1 or args.startup_runs < 1:
        p.error("--runs and --startup-runs must be at least 1")
    return args


def main(argv: list[str]) -> int:
    global CLOCK
    args = parse_args(argv)
    CLOCK = args.clock
    if not SHARED.is_dir():
        print(f"bench.py: {SHARED} is absent (third-party corpus and references); nothing to benchmark.")
        return 0
    jitctl = args.jitctl.absolute() if args.jitctl else build_jitctl()
    if not os.access(jitctl, os.X_OK):
        raise SystemExit(f"bench.py: {jitctl} is not an executable")
    failures = Failures()
    raw: dict = {}
    header = machine_lines(jitctl)
    tables: list[Table] = []
    workdir = Path(tempfile.mkdtemp(prefix="jitctl-bench-"))
    started = time.perf_counter()
    try:
        for section in SECTIONS:
            if section not in args.only:
                continue
            if section == "bf":
                tables += bench_bf(jitctl, args.programs, args, workdir, failures, raw)
            elif section == "compile":
                tables += bench_compile(jitctl, args, workdir, failures, raw)
            elif section == "startup":
                tables += bench_startup(jitctl, args, workdir, failures, raw)
            elif section == "py":
                tables += bench_py(jitctl, args, workdir, failures, raw)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    load = os.getloadavg()
    header.append(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
                  f"benchmark took {time.perf_counter() - started:.0f} s")

    print("\n".join(header))
    for table in tables:
        print()
        print(table.text())
    if failures.messages:
        print("\nFAILURES (not timed):")
        for message in failures.messages:
            print("  " + message.replace("\n!! ", "\n    "))
    if args.markdown:
        md = ["## Benchmark results", ""] + [f"- {line}" for line in header]
        for table in tables:
            md += ["", table.markdown()]
        if failures.messages:
            md += ["", "### Failures", ""] + [f"- {m.splitlines()[0]}" for m in failures.messages]
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text("\n".join(md) + "\n")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": header, "results": raw, "failures": failures.messages}, indent=1))
    return 1 if failures.messages else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
