"""Cold start of the main kernels: import, numba compilation or cache load, first calls.

Each run is a fresh interpreter (``subprocess``) that times, in order,
``import voting``, then the first call of each main kernel on a tiny profile:

- the pairwise count, serial and parallel (``voting.pairwise(p, parallel=...)``);
- Schulze (``Schulze().run(p)``: its strongest-path kernel, after the count);
- STV (``STV(seats=2).run(p)``: the Meek kernel and the ballot compression);

so each figure is what that kernel adds on top of the ones before it. The runs set
``VOTING_ENGINE=numba``: on these tiny profiles the library would otherwise take its
NumPy paths and never touch a kernel (``benchmarks/bench_first_run.py`` times that,
the commands a user types). The numba cache (``VOTING_NUMBA_CACHE``) is measured
on, after one run that fills it (the usual case: numba loads the compiled kernels
from ``__pycache__``), and off (every
kernel compiled in the process, as on the first run after an install or a change of
CPU). Warm throughput is in the other ``bench_*.py``, whose one untimed warm-up call
pays for this.

Run from the repository root (about 2 minutes idle: compiling takes ~40 s a run)::

    python3 -m benchmarks.bench_cold
    python3 -m benchmarks.bench_cold --quick
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import Report, Timing, cold_start, parser

STEPS = (
    "import voting",
    "first pairwise serial",
    "first pairwise parallel",
    "first Schulze",
    "first STV (Meek)",
)

CODE = f"""
import json, time
t0 = time.perf_counter()
import voting
t1 = time.perf_counter()
p = voting.Profile.from_rankings([["A", "B", "C"], ["B", "C", "A"], [("C", "A"), "B"]])
strict = voting.Profile.from_rankings([["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]])
voting.pairwise(p, parallel=False)
t2 = time.perf_counter()
voting.pairwise(p, parallel=True)
t3 = time.perf_counter()
voting.Schulze().run(p)
t4 = time.perf_counter()
voting.STV(seats=2).run(strict)
t5 = time.perf_counter()
ts = [t0, t1, t2, t3, t4, t5]
print(json.dumps({{k: ts[i + 1] - ts[i] for i, k in enumerate({STEPS!r})}}))
"""


def main() -> None:
    ap = parser(__doc__.split("\n", 1)[0])
    ap.add_argument("--repeats-off", type=int, default=2, help="runs with the cache off")
    ap.set_defaults(repeats=5)
    args = ap.parse_args()
    on, off = (3, 1) if args.quick else (max(args.repeats, 5), args.repeats_off)
    args.repeats = on
    rep = Report("cold", "cold start: import, compilation, first calls", args)
    for line in rep.header():
        print(line)
    section = "cold start"
    rep.section(f"{section}: fresh interpreter, seconds (median; cache on {on} runs, off {off})")
    kernels = {"VOTING_ENGINE": "numba"}  # the kernels, not the small-input NumPy paths
    cold_start(CODE, {**kernels, "VOTING_NUMBA_CACHE": "1"}, 1)  # fill the cache
    for flag, reps in (("1", on), ("0", off)):
        runs = cold_start(CODE, {**kernels, "VOTING_NUMBA_CACHE": flag}, reps)
        runs = [{**r, "total": sum(r.values())} for r in runs]
        for key in (*STEPS, "total"):
            t = Timing(tuple(r[key] for r in runs))
            rep.say(
                f"VOTING_NUMBA_CACHE={flag}  {key:<26s} median {t.median:7.2f} s  "
                f"(min {t.min:.2f}, max {t.max:.2f}, {reps} runs)"
            )
            rep.rows.append(
                {
                    "section": section,
                    "case": f"cache={flag} {key}",
                    "items": 1,
                    "unit": "run",
                    "rate_per_s": 1 / t.median,
                    "min_s": t.min,
                    "median_s": t.median,
                    "mean_s": float(np.mean(t.times)),
                    "max_s": t.max,
                    "cache": flag,
                    "step": key,
                }
            )
    out = rep.write()
    print(f"\nwritten: {os.path.relpath(out)} (+ .tsv, .json)")


if __name__ == "__main__":
    main()
