# mypy: disable-error-code="import-untyped,misc"
"""Benchmarks of the Schulze method: the strongest-path kernel and the whole count.

What is measured (method in ``benchmarks/_harness.py``: fixed seed, one untimed
warm-up call, then ``--repeats`` timed calls; rates from the median):

1. ``strongest paths``: the closure alone, from a random margin matrix
   (``max(m - m.T, 0)`` of uniform random counts), C = 5 .. 1000, with the
   dispatching :func:`voting.methods.schulze.strongest_paths` and each kernel
   (sorted defeats; Floyd–Warshall serial and parallel), and the fitted exponent of
   time against C over C >= 50 (expected 3 for Floyd–Warshall; the sorted kernel does
   O(C² log C) sorting plus at most C³/64 word operations). One extra line times the
   sorted kernel on packed winning-votes codes (values ~10^12, radix-sort path).
2. ``pref_voting``: its Floyd–Warshall ``beat_path`` on the same margins as a
   ``MarginGraph`` (C = 10 .. 200), side by side with ours (same winners asserted).
3. ``end to end``: ``Schulze().run(Profile(ranks))`` on 10^6 uniformly random strict
   ballots over 10 and 50 candidates (a fresh profile each call, so the pairwise count
   is included), and pref_voting's ``Profile`` + ``beat_path`` on the first 10^4
   (C = 10) or 2,000 (C = 50) of the same ballots (it is far slower); ballots/s.
4. ``scaling V``: the end-to-end count at C = 10 for 10^3 .. 10^7 ballots, with the
   fitted exponent (expected 1: the pairwise count dominates).

Cold start (import and numba compilation) is in ``bench_cold.py``. Correctness is
asserted at small sizes against ``tests/naive.py`` before timing. Run from the
repository root (about 3 minutes; ``--quick``: ~30 s)::

    python3 -m benchmarks.bench_schulze
    python3 -m benchmarks.bench_schulze --quick
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import Report, names, parser, strict_ballots, time_call
from tests import naive
from voting import Profile
from voting._kernels.schulze import (
    _strongest_paths_parallel,
    _strongest_paths_serial,
    _strongest_paths_sorted,
)
from voting.methods.schulze import Schulze, strongest_paths

Array = np.ndarray[Any, Any]
KERNELS = ("auto", "sorted", "floyd-warshall serial", "floyd-warshall parallel")


def random_margins(c: int, rng: np.random.Generator) -> Array:
    s = rng.integers(0, 1000, size=(c, c))
    out: Array = np.maximum(s - s.T, 0).astype(np.int32)
    return out


def check_small(rng: np.random.Generator) -> None:
    """The kernels and the method agree with the plain-Python references."""
    for c in (1, 2, 7, 20, 37):
        m = random_margins(c, rng)
        want = naive.widest_paths(m.tolist())
        assert _strongest_paths_serial(m).tolist() == want
        assert _strongest_paths_parallel(m).tolist() == want
        assert _strongest_paths_sorted(m).tolist() == want
    p = Profile.from_arrays(strict_ballots(rng, 200, 6))
    support = p.pairwise.support.tolist()
    for strength in ("winning", "margins", "ratio"):
        tiers = naive.schulze_tiers(naive.schulze_strongest_paths(support, strength))
        got = Schulze(strength=strength).run(p).ranking
        assert [set(t) for t in got] == [{p.candidates[i] for i in t} for t in tiers]


def kernel(name: str, m: Array) -> Any:
    if name == "auto":
        return strongest_paths(m)
    if name == "sorted":
        return _strongest_paths_sorted(m)
    if name == "floyd-warshall serial":
        return _strongest_paths_serial(m)
    return _strongest_paths_parallel(m)


def bench_paths(rep: Report, rng: np.random.Generator, sizes: list[int]) -> None:
    section = "strongest paths"
    rep.section(f"{section}: the closure alone, random margin matrix, int32 codes (ms)")
    times: dict[str, list[float]] = {k: [] for k in KERNELS}
    for c in sizes:
        m = random_margins(c, rng)
        ref = _strongest_paths_serial(m)
        assert np.array_equal(_strongest_paths_parallel(m), ref)
        assert np.array_equal(_strongest_paths_sorted(m), ref)
        for name in KERNELS:
            t = time_call(lambda m=m, k=name: kernel(k, m), rep.args.repeats)
            rep.record(section, f"C={c:5d} {name}", t, 1, "closure", kernel=name, x=c)
            times[name].append(t.median)
    big = [i for i, c in enumerate(sizes) if c >= 50]
    big = big if len(big) >= 2 else list(range(len(sizes)))
    for name, ts in times.items():
        expected = "3" if name.startswith("floyd") else "<= 3 (C³/64 word operations)"
        rep.fit(section, f"{name}: time", [sizes[i] for i in big], [ts[i] for i in big], expected)
    c = sizes[-1]
    big_codes = np.ascontiguousarray(random_margins(c, rng).astype(np.int64) * 10**9 + 12345)
    big_codes = np.where(random_margins(c, rng) > 0, big_codes, 0)
    big_codes[np.arange(c), np.arange(c)] = 0
    t = time_call(lambda: _strongest_paths_sorted(big_codes), rep.args.repeats)
    rep.record(section, f"C={c:5d} sorted, int64 ~1e12 codes", t, 1, "closure", x=c)


def bench_pref_voting(rep: Report, rng: np.random.Generator, sizes: list[int]) -> None:
    section = "vs pref_voting beat_path"
    rep.section(f"{section}: same margins, its Floyd-Warshall on a MarginGraph (closures/s)")
    try:
        from pref_voting.margin_based_methods import beat_path
        from pref_voting.weighted_majority_graphs import MarginGraph
    except ImportError:
        rep.say("pref_voting not installed")
        return
    for c in sizes:
        m = random_margins(c, rng)
        edges = [(i, j, int(m[i, j])) for i in range(c) for j in range(c) if m[i, j] > 0]
        mg = MarginGraph(list(range(c)), edges)
        p = strongest_paths(m)
        assert [i for i in range(c) if not (p[:, i] > p[i, :]).any()] == beat_path(mg)
        theirs = time_call(lambda mg=mg: beat_path(mg), rep.args.repeats)
        ours = time_call(lambda m=m: strongest_paths(m), rep.args.repeats)
        rep.record(
            section, f"C={c:4d} voting strongest_paths", ours, 1, "closure", library="voting", x=c
        )
        rep.record(
            section,
            f"C={c:4d} pref_voting beat_path",
            theirs,
            1,
            "closure",
            library="pref_voting",
            x=c,
            ratio=theirs.median / ours.median,
        )
        rep.say(f"C={c:4d} ratio voting / pref_voting: {theirs.median / ours.median:,.0f}x")


def bench_end_to_end(
    rep: Report, rng: np.random.Generator, n: int, pv_n: dict[int, int], sizes: list[int]
) -> None:
    section = "end to end"
    rep.section(f"{section}: Profile(ranks) -> Schulze().run, {n:,} random strict ballots")
    for c in sizes:
        ranks = strict_ballots(rng, n, c)

        def ours(ranks: Array = ranks, c: int = c) -> Any:
            return Schulze().run(Profile(ranks, None, names(c)))

        t = time_call(ours, rep.args.repeats)
        rate = rep.record(section, f"C={c} voting", t, n, "ballots", library="voting", c=c)
        try:
            from pref_voting.margin_based_methods import beat_path
            from pref_voting.profiles import Profile as PVProfile
        except ImportError:
            continue
        k = pv_n[c]
        sub = np.ascontiguousarray(np.argsort(ranks[:k], axis=1))
        ours_sub = Schulze(strength="margins").run(Profile(ranks[:k], None, names(c)))
        assert sorted(names(c).index(w) for w in ours_sub.winners) == beat_path(PVProfile(sub))
        t_pv = time_call(lambda sub=sub: beat_path(PVProfile(sub)), rep.args.repeats)
        pv_rate = rep.record(
            section,
            f"C={c} pref_voting ({k:,} ballots)",
            t_pv,
            k,
            "ballots",
            library="pref_voting",
            c=c,
        )
        t_ours_sub = time_call(
            lambda r=ranks[:k], c=c: Schulze().run(Profile(r, None, names(c))), rep.args.repeats
        )
        same = t_ours_sub.rate(k)
        rep.say(
            f"C={c} ratio voting / pref_voting: {rate / pv_rate:,.0f}x (voting at {n:,} ballots), "
            f"{same / pv_rate:,.0f}x at the same {k:,} ballots; same winners"
        )
        rep.meta.setdefault("ratios", []).append(
            {"c": c, "vs": "pref_voting", "at_scale": rate / pv_rate, "same_n": same / pv_rate}
        )


def bench_scaling(rep: Report, rng: np.random.Generator, voters: list[int]) -> None:
    section = "scaling V"
    rep.section(f"{section}: end to end, C = 10, ballots {voters[0]:,} to {voters[-1]:,}")
    full = strict_ballots(rng, voters[-1], 10)
    ts = []
    for n in voters:
        r = full[:n]
        t = time_call(lambda r=r: Schulze().run(Profile(r, None, names(10))), rep.args.repeats)
        rep.record(section, f"V={n:>10,}", t, n, "ballots", x=n)
        ts.append(t.median)
    big = [i for i, n in enumerate(voters) if n >= 10**5]
    big = big if len(big) >= 2 else list(range(len(voters)))
    rep.fit(
        section, "Schulze end to end: time", [voters[i] for i in big], [ts[i] for i in big], "1"
    )


def main() -> None:
    ap = parser(__doc__.split("\n", 1)[0])
    args = ap.parse_args()
    args.repeats = max(args.repeats, 5)
    rng = np.random.default_rng(args.seed)
    rep = Report("schulze", "Schulze strongest paths and end-to-end counts", args)
    rep.competitors = ["pref_voting"]
    for line in rep.header():
        print(line)
    check_small(rng)
    rep.say("")
    rep.say("correctness: kernels == tests/naive.py (C = 1..37); Schulze == naive (3 strengths)")
    if args.quick:
        bench_paths(rep, rng, [5, 10, 20, 50, 100])
        bench_pref_voting(rep, rng, [10, 30])
        bench_end_to_end(rep, rng, 10**4, {10: 500, 50: 200}, [10])
        bench_scaling(rep, rng, [10**3, 10**4, 10**5])
    else:
        bench_paths(rep, rng, [5, 10, 20, 50, 100, 200, 500, 1000])
        bench_pref_voting(rep, rng, [10, 50, 100, 200])
        bench_end_to_end(rep, rng, 10**6, {10: 10**4, 50: 2000}, [10, 50])
        bench_scaling(rep, rng, [10**3, 10**4, 10**5, 10**6, 10**7])
    out = rep.write()
    print(f"\nwritten: {os.path.relpath(out)} (+ .tsv, .json)")


if __name__ == "__main__":
    main()
