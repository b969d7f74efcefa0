"""Run every benchmark, ``benchmarks/bench_*.py``, each in a fresh interpreter.

Usage, from the repository root::

    python3 -m benchmarks.run_all                   # all of them, then the report
    python3 -m benchmarks.run_all --quick           # smoke test with small sizes
    python3 -m benchmarks.run_all pairwise schulze  # only these
    python3 -m benchmarks.run_all --exclude large   # all but bench_large.py

Every ``bench_*.py`` found is run, so a new benchmark joins the suite by being
there. Each writes ``benchmarks/results/<name>.txt`` (and, through
``benchmarks/_harness.py``, ``.tsv`` and ``.json``); ``--quick`` runs write to
``benchmarks/results/quick/`` instead, which is not committed. After a full run
``benchmarks/report.py`` regenerates the tables and plots of ``docs/performance.md``
(``--no-report`` to skip). The exit status is non-zero if any benchmark failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def stem(name: str) -> str:
    return name.removeprefix("bench_").removesuffix(".py")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    ap.add_argument("names", nargs="*", help="benchmarks to run (default: all), e.g. pairwise")
    ap.add_argument("--quick", action="store_true", help="pass --quick to every benchmark")
    ap.add_argument("--exclude", action="append", default=[], help="skip this benchmark")
    ap.add_argument("--timeout", type=float, default=None, help="seconds per benchmark")
    ap.add_argument("--no-report", action="store_true", help="do not regenerate the docs")
    args = ap.parse_args(argv)
    scripts = sorted(HERE.glob("bench_*.py"))
    have = [stem(s.name) for s in scripts]
    wanted = {stem(n) for n in args.names}
    if wanted - set(have):
        ap.error(f"no benchmark named {sorted(wanted - set(have))}; have {have}")
    excluded = {stem(n) for n in args.exclude}
    scripts = [
        s
        for s in scripts
        if (not wanted or stem(s.name) in wanted) and stem(s.name) not in excluded
    ]
    summary = []
    for script in scripts:
        cmd = [sys.executable, "-m", f"benchmarks.{script.stem}"]
        cmd += ["--quick"] if args.quick else []
        print(f"\n==== {script.name} ====", flush=True)
        t0 = time.perf_counter()
        try:
            rc = subprocess.call(cmd, cwd=HERE.parent, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            rc = -1
        summary.append((script.name, rc, time.perf_counter() - t0))
    print("\n==== summary ====")
    for name, rc, dt in summary:
        status = "ok" if rc == 0 else ("timed out" if rc == -1 else f"FAILED ({rc})")
        print(f"{name:28s} {status:12s} {dt:8.1f} s")
    ok = all(rc == 0 for _, rc, _ in summary)
    if not args.quick and not args.no_report and summary:
        print("\n==== report ====", flush=True)
        rc = subprocess.call([sys.executable, "-m", "benchmarks.report"], cwd=HERE.parent)
        ok = ok and rc == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
