"""Benchmarks of Schulze STV (``voting.SchulzeSTV``): how many candidates x seats fit in 60 s.

What is measured (method in ``benchmarks/_harness.py``: fixed seed, one untimed
warm-up call that also compiles the kernels, then ``--repeats`` timed calls; the
median is reported):

1. ``sizes``: ``SchulzeSTV(seats=N).run(p)`` end to end (compression, support
   strengths, links, winner search, explanation) on 1000 uniformly random strict
   ballots for C = 10..30 candidates and N = 3..8 seats, beside
   :func:`voting.methods.schulze_stv.estimate_seconds`. Sizes whose estimate exceeds
   1.5 x the time limit, or with more than ``MAX_LINKS`` links, are skipped (and
   larger C for that N), and a size is timed once (no repeats) when one call
   takes longer than 10 s.
2. ``largest``: for each seat count, the largest candidate count counted within
   60 s (the issue's target: at least 15 candidates x 5 seats).
3. ``ballots``: 15 candidates x 5 seats with 10^2..10^5 ballots (strict random and
   drawn from a pool of 50 rankings, so compression merges them).

Correctness is asserted before timing: on small profiles with ties, truncation and
weights the winning committees equal the exact reference in
``tests/naive_schulze_stv.py``, and the four support-strength kernels agree.

Run from the repository root (a few minutes on 2 cores; ``--quick``: under one)::

    python3 benchmarks/bench_schulze_stv.py
    python3 -m benchmarks.bench_schulze_stv --quick
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import Report, Timing, parser, time_call
from tests import naive_schulze_stv as ref
from voting import Profile, SchulzeSTV
from voting._kernels.schulze_stv import (
    _better_masks,
    _committees,
    _prefers,
    _support_strengths,
    _support_strengths_lookup,
    _support_strengths_lookup_parallel,
    _support_strengths_parallel,
)
from voting.methods.schulze_stv import MAX_LINKS, estimate_seconds

Array = np.ndarray[Any, Any]
LIMIT = 60.0


def strict(rng: np.random.Generator, n: int, c: int) -> Profile:
    ranks = rng.permuted(np.tile(np.arange(c, dtype=np.int32), (n, 1)), axis=1)
    return Profile.from_arrays(ranks)


def check_small(rng: np.random.Generator) -> None:
    """Winning committees == exact reference; kernels agree (ties, truncation, weights)."""
    for trial in range(12):
        c = int(rng.integers(3, 6))
        seats = int(rng.integers(1, c))
        v = int(rng.integers(1, 6))
        ranks = rng.integers(0, c, size=(v, c)).astype(np.int32)
        ranks[rng.random((v, c)) < 0.3] = np.iinfo(np.int32).max
        weights = rng.integers(1, 5, size=v)
        policy = "last" if trial % 2 else "ignore"
        p = Profile.from_arrays(ranks, weights=weights, unranked=policy)
        r = SchulzeSTV(seats=seats).run(p)
        want = ref.winning_committees(p.ranks.tolist(), p.weights.tolist(), p.unranked, c, seats)
        idx = {name: i for i, name in enumerate(p.candidates)}
        got = {frozenset(idx[m] for m in comm) for comm in r.explanation.winning_committees}
        assert got == want, (trial, got, want)
        comms = _committees(c, seats)
        scale = math.lcm(*range(1, seats + 1))
        ignore = policy == "ignore"
        a = _support_strengths(_prefers(p.ranks, ignore), p.weights, comms, c, scale)
        b = _support_strengths_parallel(_prefers(p.ranks, ignore), p.weights, comms, c, scale)
        d = _support_strengths_lookup(_better_masks(p.ranks, ignore), p.weights, comms, c, scale)
        e = _support_strengths_lookup_parallel(
            _better_masks(p.ranks, ignore), p.weights, comms, c, scale
        )
        assert (a == b).all() and (a == d).all() and (a == e).all()


def timed(rep: Report, p: Profile, seats: int) -> Timing:
    method = SchulzeSTV(seats=seats, max_seconds=10 * LIMIT)
    t0 = time.perf_counter()
    method.run(p)  # warm-up (compiles on first use)
    first = time.perf_counter() - t0
    if first > 10:
        return Timing((first,))
    return time_call(lambda: method.run(p), rep.args.repeats, warmup=False)


def sizes(
    rep: Report, rng: np.random.Generator, cands: list[int], seats: list[int], n: int
) -> dict[int, tuple[int, float]]:
    rep.section(f"sizes: {n} random strict ballots, end to end (median)")
    rep.say(f"{'C x N':<10s} {'committees':>11s} {'links':>12s} {'time s':>9s} {'est. s':>8s}")
    best: dict[int, tuple[int, float]] = {}
    for s in seats:
        for c in cands:
            if c <= s:
                continue
            est = estimate_seconds(c, s, n)
            if est > 1.5 * LIMIT or math.comb(c, s) * s * (c - s) > MAX_LINKS:
                rep.say(f"{c:>2d} x {s:<5d} skipped: estimate {est:,.0f} s or too many links")
                break
            p = strict(rng, n, c)
            t = timed(rep, p, s)
            k = math.comb(c, s)
            rep.say(
                f"{c:>2d} x {s:<5d} {k:>11,d} {k * s * (c - s):>12,d} {t.median:>9.3f} {est:>8.2f}"
            )
            rep.rows.append(
                {
                    "section": "sizes",
                    "case": f"C={c} N={s}",
                    "items": k,
                    "unit": "committees",
                    "rate_per_s": k / t.median,
                    "min_s": t.min,
                    "median_s": t.median,
                    "mean_s": t.mean,
                    "max_s": t.max,
                    "estimate_s": est,
                }
            )
            if t.median <= LIMIT:
                best[s] = (c, t.median)
            else:
                break
    return best


def ballots(rep: Report, rng: np.random.Generator, counts: list[int]) -> None:
    rep.section("ballots: 15 candidates x 5 seats (median)")
    pool = rng.permuted(np.tile(np.arange(15, dtype=np.int32), (50, 1)), axis=1)
    for n in counts:
        for kind in ("strict", "pool of 50"):
            if kind == "strict":
                p = strict(rng, n, 15)
            else:
                p = Profile.from_arrays(pool[rng.integers(0, 50, size=n)])
            t = timed(rep, p, 5)
            rep.record("ballots", f"{kind}, V={n:,}", t, n, "ballots", x=n)


def main() -> None:
    ap = parser(__doc__.split("\n", 1)[0])
    args = ap.parse_args()
    args.repeats = max(args.repeats, 5) if not args.quick else 3
    rep = Report("schulze_stv", "Schulze STV: committee sizes within 60 s", args)
    rng = np.random.default_rng(args.seed)
    for line in rep.header():
        print(line)
    check_small(rng)
    rep.say("")
    rep.say("correctness: winners == tests/naive_schulze_stv.py; the four kernels agree")
    if args.quick:
        best = sizes(rep, rng, [8, 10, 12], [3, 4], 300)
        ballots(rep, rng, [100, 1000])
    else:
        best = sizes(rep, rng, [10, 12, 15, 18, 20, 22, 24, 26, 28, 30], [3, 4, 5, 6, 7, 8], 1000)
        ballots(rep, rng, [100, 1000, 10_000, 100_000])
    rep.section(f"largest: most candidates counted within {LIMIT:.0f} s, per seat count")
    for s, (c, sec) in sorted(best.items()):
        rep.say(f"{s} seats: {c} candidates ({sec:.1f} s)")
    rep.note("largest_within_60s", {str(s): c for s, (c, _) in best.items()})
    out = rep.write()
    print(f"\nwritten: {os.path.relpath(out)} (+ .tsv)")
    print(json.dumps({"load_at_end": os.getloadavg()}))


if __name__ == "__main__":
    main()
