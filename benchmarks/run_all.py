"""Run every benchmark, ``benchmarks/bench_*.py``, each in a fresh interpreter.

Usage, from the repository root::

    python3 -m benchmarks.run_all                # all of them (several minutes each)
    python3 -m benchmarks.run_all --quick        # smoke test with small sizes
    python3 -m benchmarks.run_all pairwise       # only bench_pairwise.py

Each benchmark writes its own ``benchmarks/results/<name>.txt``; this script prints a
summary and exits with a non-zero status if any of them failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("names", nargs="*", help="benchmarks to run (default: all), e.g. pairwise")
    ap.add_argument("--quick", action="store_true", help="pass --quick to every benchmark")
    args = ap.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.names:
        wanted = {n.removeprefix("bench_").removesuffix(".py") for n in args.names}
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
        missing = wanted - {s.stem.removeprefix("bench_") for s in scripts}
        if missing:
            ap.error(f"no benchmark named {sorted(missing)}; have {[s.stem for s in scripts]}")
    summary = []
    for script in scripts:
        cmd = [sys.executable, str(script), *(["--quick"] if args.quick else [])]
        print(f"\n==== {script.name} ====", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call(cmd, cwd=HERE.parent)
        summary.append((script.name, rc, time.perf_counter() - t0))
    print("\n==== summary ====")
    for name, rc, dt in summary:
        print(f"{name:28s} {'ok' if rc == 0 else f'FAILED ({rc})':12s} {dt:8.1f} s")
    return 0 if all(rc == 0 for _, rc, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
