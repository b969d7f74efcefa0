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
- Results go to ``benchmarks/results/<name>.txt`` (readable) and ``<name>.tsv``
  (one row per measurement, for scripts).
- Cold start is measured in fresh interpreters (``subprocess``), separately from
  the warm throughput.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numba
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

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
        ms = [x * 1e3 for x in (self.min, self.median, self.mean, self.max)]
        return "min {:9.2f}  median {:9.2f}  mean {:9.2f}  max {:9.2f} ms".format(*ms)


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

    import llvmlite

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

    def record(self, section: str, case: str, timing: Timing, items: float, unit: str) -> float:
        """Log one measurement; return its rate (items per second at the median)."""
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
            }
        )
        return rate

    def write(self) -> Path:
        RESULTS.mkdir(exist_ok=True)
        head = self.header()
        head.append(f"# load average (1, 5, 15 min) at end: {load_average()}")
        out = RESULTS / f"{self.args.out or self.name}.txt"
        out.write_text("\n".join(head + self.lines) + "\n", encoding="utf-8")
        cols = ["section", "case", "items", "unit", "rate_per_s"]
        cols += ["min_s", "median_s", "mean_s", "max_s"]
        tsv = ["\t".join(cols)]
        tsv += ["\t".join(str(r[c]) for c in cols) for r in self.rows]
        out.with_suffix(".tsv").write_text("\n".join(tsv) + "\n", encoding="utf-8")
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
            check=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return runs
