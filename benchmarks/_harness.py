"""The benchmark method, in one place (sortedcontainers' methodology, made explicit).

- Inputs come from ``numpy.random.default_rng(seed)`` with a fixed ``--seed``.
- Each measurement makes **one untimed warm-up call** (it pays for JIT compilation
  or loads the numba cache), then ``--repeats`` (>= 5) timed calls with
  ``time.perf_counter``; the report gives min, median, mean and max, and rates
  are computed from the **median**.
- Every report starts with a header naming the machine (CPU model, logical CPUs),
  the numba thread count and threading layer, the numpy / numba / llvmlite /
  Python versions, the date, and the load average at start (the machine may be
  shared: a load above the CPU count means other processes took turns on it).
- Results go to ``benchmarks/results/<name>.txt`` (readable), ``<name>.tsv`` (one
  row per measurement, for scripts) and ``<name>.json`` (the header: machine,
  versions, threads, load; and notes such as a library that does not import).
  ``benchmarks/report.py`` builds the tables and plots of ``docs/performance.md``
  from the ``.tsv`` and ``.json`` files. ``--quick`` runs write to
  ``benchmarks/results/quick/`` (not committed), so a smoke run never replaces the
  committed results.
- Reference libraries run in a child process with a time limit
  (:func:`run_limited`), so one slow library cannot stall the suite.
- Cold start is measured in fresh interpreters (``subprocess``), separately from
  the warm throughput.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numba
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
T = TypeVar("T")
#: the first columns of every ``.tsv``; measurements may add their own (``library``,
#: ``x`` the swept variable, ...) after these
COLUMNS = ("section", "case", "items", "unit", "rate_per_s", "min_s", "median_s", "mean_s", "max_s")

if str(ROOT) not in sys.path:  # run as a script from anywhere: import the checkout
    sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of the timed repeats of one measurement."""

    times: tuple[float, ...]

    @property
    def min(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.times)

    @property
    def max(self) -> float:
        return max(self.times)

    def rate(self, items: float) -> float:
        """Items per second at the median time."""
        return items / self.median

    def fmt(self) -> str:
        scale, unit = (1e6, "us") if self.max < 1e-3 else (1e3, "ms")
        xs = [x * scale for x in (self.min, self.median, self.mean, self.max)]
        return "min {:9.2f}  median {:9.2f}  mean {:9.2f}  max {:9.2f} ".format(*xs) + unit


def time_call(fn: Callable[[], Any], repeats: int, warmup: bool = True) -> Timing:
    """One untimed warm-up call (unless ``warmup=False``), then ``repeats`` timed calls."""
    if warmup:
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return Timing(tuple(times))


def strict_ballots(rng: np.random.Generator, n: int, c: int) -> np.ndarray[Any, Any]:
    """``n`` uniformly random strict rankings as read-only int32 tiers (``ranks[v, c]``,
    0 = top; a random permutation is its own inverse in distribution, so the permuted
    ``0..c-1`` are the tiers)."""
    ranks = rng.permuted(np.tile(np.arange(c, dtype=np.int32), (n, 1)), axis=1)
    ranks.setflags(write=False)
    return ranks


def names(c: int) -> list[str]:
    """Candidate labels ``c0 .. c{c-1}``."""
    return [f"c{i}" for i in range(c)]


def fit_exponent(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Least-squares slope of log(y) against log(x): ``y ~ x**slope``."""
    slope, _ = np.polyfit(np.log(np.asarray(xs, float)), np.log(np.asarray(ys, float)), 1)
    return float(slope)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def threading_layer() -> str:
    """numba's threading layer (known only once a parallel region has run)."""
    try:
        return str(numba.threading_layer())
    except ValueError:
        return "not yet chosen"


def load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def versions(extra: Sequence[str] = ()) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    import llvmlite  # type: ignore[import-untyped]

    found = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "llvmlite": llvmlite.__version__,
    }
    for name in extra:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


@dataclass
class Report:
    """Lines of a readable report and rows of its machine-readable twin."""

    name: str
    title: str
    args: argparse.Namespace
    competitors: Sequence[str] = ()
    lines: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    started: str = field(
        default_factory=lambda: datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    )
    load_at_start: str = field(default_factory=load_average)
    meta: dict[str, Any] = field(default_factory=dict)

    def header(self) -> list[str]:
        v = versions(self.competitors)
        return [
            f"# {self.name}: {self.title}",
            f"# date (UTC): {self.started}",
            f"# machine: {platform.system()} {platform.machine()}, {cpu_model()}, "
            f"{os.cpu_count()} logical CPUs",
            f"# numba threads: {numba.get_num_threads()} (layer: {threading_layer()}), "
            f"VOTING_NUMBA_CACHE={os.environ.get('VOTING_NUMBA_CACHE', '1')}",
            "# versions: " + ", ".join(f"{k} {val}" for k, val in v.items()),
            f"# seed {self.args.seed}, {self.args.repeats} timed repeats after 1 untimed "
            "warm-up call; rates use the median",
            f"# load average (1, 5, 15 min) at start: {self.load_at_start}",
        ]

    def section(self, title: str) -> None:
        self.say("")
        self.say(f"## {title}")

    def say(self, line: str) -> None:
        self.lines.append(line)
        print(line, flush=True)

    def record(
        self, section: str, case: str, timing: Timing, items: float, unit: str, **extra: Any
    ) -> float:
        """Log one measurement; return its rate (items per second at the median).

        ``extra`` columns (``library="pref_voting"``, ``x=1000``, ...) go to the
        ``.tsv`` for :mod:`benchmarks.report`."""
        rate = timing.rate(items)
        self.say(f"{case:<46s} {rate:>14,.0f} {unit}/s   {timing.fmt()}")
        self.rows.append(
            {
                "section": section,
                "case": case,
                "items": items,
                "unit": unit,
                "rate_per_s": rate,
                "min_s": timing.min,
                "median_s": timing.median,
                "mean_s": timing.mean,
                "max_s": timing.max,
                **extra,
            }
        )
        return rate

    def note_stopped(self, section: str, case: str, budget: float, ours_s: float) -> None:
        """Keep a reference count that overran its ``budget``: ours is > budget/ours faster."""
        self.meta.setdefault("stopped", []).append(
            {"section": section, "case": case, "budget_s": budget, "ratio_above": budget / ours_s}
        )

    def note(self, key: str, value: Any) -> None:
        """Keep ``value`` under ``key`` in the ``.json`` twin (e.g. a library's status)."""
        self.meta[key] = value

    def fit(
        self, section: str, label: str, xs: Sequence[float], ys: Sequence[float], expected: str
    ) -> float:
        """Log and record the log-log exponent of ``ys`` against ``xs``."""
        k = fit_exponent(xs, ys)
        self.say(f"{label}: ~ x^{k:.2f} over x = {xs[0]:,}..{xs[-1]:,} (expected {expected})")
        self.meta.setdefault("fits", []).append(
            {
                "section": section,
                "label": label,
                "exponent": round(k, 3),
                "x_from": xs[0],
                "x_to": xs[-1],
                "expected": expected,
            }
        )
        return k

    def write(self) -> Path:
        """Write ``<name>.txt``, ``.tsv`` and ``.json`` (to ``results/quick/`` if ``--quick``)."""
        folder = RESULTS / "quick" if getattr(self.args, "quick", False) else RESULTS
        folder.mkdir(parents=True, exist_ok=True)
        head = self.header()
        load_end = load_average()
        head.append(f"# load average (1, 5, 15 min) at end: {load_end}")
        out = folder / f"{self.args.out or self.name}.txt"
        out.write_text("\n".join(head + self.lines) + "\n", encoding="utf-8")
        cols = list(COLUMNS)
        for r in self.rows:
            cols += [k for k in r if k not in cols]
        tsv = ["\t".join(cols)]
        tsv += ["\t".join(str(r.get(c, "")) for c in cols) for r in self.rows]
        out.with_suffix(".tsv").write_text("\n".join(tsv) + "\n", encoding="utf-8")
        info = {
            "name": self.name,
            "title": self.title,
            "date_utc": self.started,
            "machine": f"{platform.system()} {platform.machine()}, {cpu_model()}, "
            f"{os.cpu_count()} logical CPUs",
            "numba_threads": numba.get_num_threads(),
            "threading_layer": threading_layer(),
            "versions": versions(self.competitors),
            "seed": self.args.seed,
            "repeats": self.args.repeats,
            "quick": bool(getattr(self.args, "quick", False)),
            "load_at_start": self.load_at_start,
            "load_at_end": load_end,
            **self.meta,
        }
        out.with_suffix(".json").write_text(
            json.dumps(info, indent=1, default=str) + "\n", encoding="utf-8"
        )
        return out


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--seed", type=int, default=20240611, help="seed of the random inputs")
    p.add_argument("--repeats", type=int, default=7, help="timed repeats (>= 5)")
    p.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    p.add_argument("--out", default=None, help="results file stem (default: the bench name)")
    return p


def cold_start(code: str, env: dict[str, str], repeats: int) -> list[dict[str, float]]:
    """Run ``code`` in ``repeats`` fresh interpreters; each prints a JSON dict of times."""
    runs = []
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"cold-start run failed:\n{done.stderr}")
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return runs


def run_limited(fn: Callable[[], T], limit: float) -> T | None:
    """``fn()`` in a forked child process killed after ``limit`` seconds (None then).

    For the reference libraries: their result comes back through a pipe, so it must
    pickle. The child inherits everything built before the fork (the ballots)."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def target() -> None:
        try:
            child.send(("ok", fn()))
        except Exception as exc:  # report, do not hang the parent
            child.send(("error", f"{type(exc).__name__}: {exc}"))

    proc = ctx.Process(target=target)
    proc.start()
    got = parent.recv() if parent.poll(limit) else None
    if proc.is_alive():
        proc.kill()
    proc.join()
    if got is None:
        return None
    status, value = got
    if status == "error":
        raise RuntimeError(value)
    return value  # type: ignore[no-any-return]


def time_limited(fn: Callable[[], T], calls: int, limit: float) -> tuple[T, Timing] | None:
    """``calls`` timed calls of ``fn`` in a child process (see :func:`run_limited`),
    the first one untimed if ``calls > 1``; None if they do not finish in ``limit`` s."""

    def timed() -> tuple[T, tuple[float, ...]]:
        times = []
        out = None
        for _ in range(calls):
            t0 = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t0)
        return out, tuple(times)  # type: ignore[return-value]

    got = run_limited(timed, limit)
    if got is None:
        return None
    out, times = got
    return out, Timing(times[1:] if len(times) > 1 else times)


def import_status(module: str) -> str:
    """``"ok"``, or why ``import module`` fails (first line of the error, with its
    file and line for a SyntaxError), run in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, cwd=ROOT
    )
    if done.returncode == 0:
        return "ok"
    lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
    where = [ln.strip() for ln in lines if ln.strip().startswith("File ")]
    if where:  # the path inside site-packages, not this machine's prefix
        where[-1] = re.sub(r'"[^"]*site-packages/', '"', where[-1])
    return (lines[-1] if lines else "failed") + (f" ({where[-1]})" if where else "")


def syntax_errors(package: str) -> list[str]:
    """``file:line: message`` for each module of an installed ``package`` that does
    not compile under this Python (without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    found = []
    for folder in spec.submodule_search_locations:
        for path in sorted(Path(folder).glob("*.py")):
            try:
                compile(path.read_text(encoding="utf-8"), str(path), "exec")
            except SyntaxError as exc:
                found.append(f"{package}/{path.name}:{exc.lineno}: {exc.msg}")
    return found
