"""The cost model of ``voting._dispatch``: each step's NumPy path against its numba kernel.

For every step with a NumPy path (``voting._dispatch.STEPS``), the two engines run the
same inputs side by side, at growing sizes, in one process:

- **numpy**: the NumPy path (``voting._numpy_paths``), per unit of work as the step
  counts it (``ns/unit``, the figure the cost model needs);
- **numba**: the kernel, warm (compiled and loaded: one untimed call first), for the
  speed-up at each size.

A step's ``ns_per_unit`` in ``voting/_dispatch.py`` is the NumPy cost per unit at the
largest size here, where fixed per-call costs no longer count; the NumPy path then runs
while ``work × ns_per_unit <= BREAK_EVEN_S``. The fixed price the NumPy path saves is
the numba start of a process that needs the kernel, timed last: importing numba and
loading one kernel from a warm cache in a fresh interpreter (and, for reference,
compiling it with the cache off).

Inputs are uniformly random (seeded): strict or truncated rankings with ties, 20
candidates unless said otherwise. Whole-method steps (Meek, Gregory, CIVS
proportional) time a whole count, so their ``ns/unit`` includes the count's rounds.

Run from the repository root (a few minutes)::

    python3 -m benchmarks.bench_engines
    python3 -m benchmarks.bench_engines --quick
"""

from __future__ import annotations

import io
import itertools
import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import voting
from benchmarks._harness import Report, Timing, cold_start, names, parser, time_call
from voting import _dispatch
from voting._dispatch import forced_engine
from voting._typing import UNRANKED

Case = tuple[int, Callable[[], Any], Callable[[], Any]]  # work, numpy call, numba call


def ranked(
    rng: np.random.Generator, v: int, c: int, truncate: float = 0.3, ties: bool = True
) -> Any:
    """``v`` random rankings of ``c`` with some truncation and (``ties``) some ties, as
    dense int32 tiers."""
    ranks = np.argsort(rng.random((v, c)), axis=1).astype(np.int32)
    if ties:
        ranks //= rng.integers(1, 3, size=(v, 1), dtype=np.int32)  # every other ballot
    ranks[rng.random((v, c)) < truncate] = UNRANKED
    return voting.Profile(ranks, candidates=names(c)).ranks


def engines(call: Callable[[], Any]) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """The same call under each engine."""

    def on(engine: str) -> Callable[[], Any]:
        def run() -> Any:
            with forced_engine(engine):  # type: ignore[arg-type]
                return call()

        return run

    return on("numpy"), on("numba")


def cases(rng: np.random.Generator, quick: bool) -> dict[str, list[Case]]:
    from voting._kernels import blocs, pairwise, ranks, rows, schulze, spread, stv, tallies
    from voting._kernels import civs_prop as kc
    from voting._numpy_paths import blocs as nb
    from voting._numpy_paths import civs_prop as nc
    from voting._numpy_paths import pairwise as np_pw
    from voting._numpy_paths import ranks as nr
    from voting._numpy_paths import rows as nrow
    from voting._numpy_paths import schulze as ns
    from voting._numpy_paths import spread as nsp
    from voting._numpy_paths import stv as nstv
    from voting._numpy_paths import tallies as nt
    from voting.methods._civs_search import rank_committees

    scale = 10 if quick else 1
    out: dict[str, list[Case]] = {}
    c = 20

    def sizes(*vs: int) -> list[int]:
        return [max(10, v // scale) for v in vs]

    def dense(first: Callable[[Any], int], make: Callable[[Any, int], Any], r: Any) -> Any:
        """What ``Profile`` does: check the rows, and make them dense from the first that
        is not (none, for these inputs, as for most files)."""
        start = int(first(r))
        return make(r, start) if start >= 0 else r

    out["ranks"] = []
    for v in sizes(10_000, 100_000, 400_000):
        raw = np.ascontiguousarray(ranked(rng, v, c))  # dense already: the usual case
        out["ranks"].append(
            (
                v * c,
                lambda r=raw: dense(nr.first_non_dense_row, nr.dense_ranks_from, r),
                lambda r=raw: dense(ranks._first_non_dense_row, ranks._dense_ranks_from, r),
            )
        )
    out["rows"] = []
    for v in sizes(10_000, 100_000, 400_000):
        base = ranked(rng, 2_000, 10)
        r = np.ascontiguousarray(base[rng.integers(0, 2_000, v)])
        w = np.ones(v, dtype=np.int64)
        out["rows"].append(
            (
                v * 10,
                lambda r=r, w=w: nrow.group_rows(r, w),
                lambda r=r, w=w: rows._unique_rows(r, w, max(4, (2 * len(r)).bit_length())),
            )
        )
    out["parse"] = []
    for v in sizes(2_000, 20_000, 60_000):
        body = "\n".join(",".join(map(str, row)) for row in (ranked(rng, v, 10, 0) + 1).tolist())
        text = ",".join(names(10)) + "\n" + body + "\n"

        def read(text: str = text) -> Any:
            return voting.read_ballots(io.StringIO(text), format="civs", compress=False)

        out["parse"].append((len(text.encode()), *engines(read)))
    out["pairwise"] = []
    for v in sizes(10_000, 100_000, 300_000):
        r = ranked(rng, v, c)
        w = rng.integers(1, 5, v).astype(np.int64)
        out["pairwise"].append(
            (
                v * c * c,
                lambda r=r, w=w: np_pw.pairwise_counts(r, w, False),
                lambda r=r, w=w: pairwise._pairwise_counts_serial(r, w, False),
            )
        )
    out["strongest_paths"] = []
    for n in (30, 100, 300) if not quick else (10, 30):
        s = rng.integers(0, 1000, (n, n)).astype(np.int64)
        s = np.where(s > s.T, s, 0)
        out["strongest_paths"].append(
            (
                n**3,
                lambda s=s: ns.strongest_paths(s),
                lambda s=s: schulze._strongest_paths_serial(s),
            )
        )
    out["tallies"] = []
    for v in sizes(10_000, 100_000, 400_000):
        r = ranked(rng, v, c)
        w = np.ones(v, dtype=np.int64)
        act = rng.random(c) < 0.7
        out["tallies"].append(
            (
                v * c,
                lambda r=r, w=w, a=act: nt.top_tier_counts(r, w, a, False),
                lambda r=r, w=w, a=act: tallies._top_tier_counts(r, w, a, False),
            )
        )
    out["orders"] = []
    for v in sizes(10_000, 100_000, 400_000):
        r = ranked(rng, v, c)
        idx = np.arange(v, dtype=np.int64)
        out["orders"].append(
            (
                v * c,
                lambda r=r, i=idx: nstv.ballot_orders(r, i),
                lambda r=r, i=idx: stv._ballot_orders(r, i),
            )
        )
    for step, rule in (("meek", "meek"), ("gregory", "scottish")):
        out[step] = []
        for v in sizes(1_000, 5_000, 20_000):
            p = voting.Profile(ranked(rng, v, c, 0.4, ties=False), candidates=names(c))
            method = voting.STV(seats=5, rule=rule)  # type: ignore[arg-type]
            u = voting.Profile(p.ranks, candidates=p.candidates).compress().num_ballots
            out[step].append((u * c, *engines(lambda m=method, p=p: m.run(p))))
    out["civs_climb"] = []
    for v in sizes(1_000, 10_000, 50_000):
        p = voting.Profile(ranked(rng, v, c, 0.4), candidates=names(c))
        method = voting.CIVSProportional(seats=5, budget=30)
        out["civs_climb"].append((v * c, *engines(lambda m=method, p=p: m.run(p))))
    out["civs_contests"] = []
    for v, m in ((1_000, 20), (5_000, 40), (20_000, 40)):
        v = max(10, v // scale)
        w = rng.integers(0, 8, (v, 12)).astype(np.int64)
        wts = np.ones(v, dtype=np.int64)
        comms = list(itertools.islice(itertools.combinations(range(12), 5), m))
        pairs = m * (m - 1) // 2

        def contests(w: Any = w, wts: Any = wts, comms: Any = comms, v: int = v) -> Any:
            return rank_committees(w, wts, comms, combined=False, initial_against=v)

        out["civs_contests"].append((v * pairs * 5, *engines(contests)))
    out["civs_tallies"] = []
    for n in sizes(10_000, 100_000, 1_000_000):
        a = rng.integers(0, 100, (n, 7)).astype(np.int64)
        b = rng.integers(0, 100, (n, 7)).astype(np.int64)
        out["civs_tallies"].append(
            (
                n * 7,
                lambda a=a, b=b: nc.strong_tallies(a, b, 100, 7, 100),
                lambda a=a, b=b: kc._strong_tallies(a, b, 100, 7, 100),
            )
        )
    for step, fn_np, fn_k in (
        ("spread", lambda r, w: nsp.position_counts(r, w, False), spread._position_counts),
        ("blocs", lambda r, w: nb.prefix_sets(r, 5), lambda r, w: blocs._prefix_sets(r, 5)),
    ):
        out[step] = []
        for v in sizes(10_000, 100_000, 400_000):
            r = ranked(rng, v, c)
            w = np.ones(v, dtype=np.int64)
            k_call = (
                (lambda r=r, w=w, f=fn_k: f(r, w, False))
                if step == "spread"
                else (lambda r=r, w=w, f=fn_k: f(r, w))
            )
            out[step].append((v * c, lambda r=r, w=w, f=fn_np: f(r, w), k_call))
    return out


def row(section: str, case: str, t: Timing, items: float, unit: str) -> dict[str, Any]:
    return {
        "section": section,
        "case": case,
        "items": items,
        "unit": unit,
        "rate_per_s": items / t.median,
        "min_s": t.min,
        "median_s": t.median,
        "mean_s": t.mean,
        "max_s": t.max,
    }


START = """
import json, time
t0 = time.perf_counter()
import numba
from voting._kernels import tallies
import numpy as np
t1 = time.perf_counter()
r, w, a = np.zeros((2, 3), np.int32), np.ones(2, np.int64), np.ones(3, np.bool_)
tallies._top_tier_counts(r, w, a, False)
t2 = time.perf_counter()
print(json.dumps({"import numba": t1 - t0, "first kernel call": t2 - t1}))
"""


def main() -> None:
    ap = parser(__doc__.split("\n", 1)[0])
    ap.set_defaults(repeats=5)
    args = ap.parse_args()
    if args.quick:
        args.repeats = 3
    rng = np.random.default_rng(args.seed)
    rep = Report("engines", "NumPy paths against numba kernels: the cost model", args)
    for line in rep.header():
        print(line)
    rep.say(f"BREAK_EVEN_S = {_dispatch.BREAK_EVEN_S} s")
    section = "engines"
    rep.section(f"{section}: median seconds of each engine, ns per unit of work of the NumPy path")
    fitted: dict[str, float] = {}
    for step, runs in cases(rng, args.quick).items():
        unit = _dispatch.STEPS[step].unit
        per_unit = []
        for work, numpy_call, numba_call in runs:
            t_np = time_call(numpy_call, args.repeats)
            t_nb = time_call(numba_call, args.repeats)
            ns = t_np.median / work * 1e9
            per_unit.append(ns)
            rep.say(
                f"{step:<16s} work {work:>14,}  numpy {t_np.median * 1e3:10.2f} ms "
                f"({ns:8.2f} ns/unit)  numba {t_nb.median * 1e3:9.2f} ms  "
                f"x{t_np.median / t_nb.median:,.1f}"
            )
            for engine, t in (("numpy", t_np), ("numba", t_nb)):
                rep.rows.append(row(section, f"{step} {engine} work={work}", t, work, "unit"))
                rep.rows[-1].update(step=step, engine=engine, ns_per_unit=t.median / work * 1e9)
        fitted[step] = per_unit[-1]
        rep.say(
            f"{'':16s} -> {per_unit[-1]:.1f} ns/unit ({unit}); in voting/_dispatch.py: "
            f"{_dispatch.STEPS[step].ns_per_unit:g}; NumPy up to "
            f"{_dispatch.BREAK_EVEN_S / per_unit[-1] * 1e9:,.0f} units"
        )
    rep.note("ns_per_unit", fitted)
    rep.section("numba start: a fresh interpreter with the tallies kernel, seconds")
    for flag in ("1", "0"):
        got = cold_start(START, {"VOTING_NUMBA_CACHE": flag}, 1 if flag == "0" else 3)
        for key in got[0]:
            t = Timing(tuple(r[key] for r in got))
            rep.say(f"cache={flag} {key:<20s} median {t.median:6.2f} s")
            rep.rows.append(row("numba start", f"cache={flag} {key}", t, 1, "run"))
    rep.say(f"median ns/unit over steps: {statistics.median(fitted.values()):.1f}")
    out = rep.write()
    print(f"\nwritten: {os.path.relpath(out)} (+ .tsv, .json)")


if __name__ == "__main__":
    main()
