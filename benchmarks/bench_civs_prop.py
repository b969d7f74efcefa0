"""Benchmarks of CIVS proportional representation (``voting.CIVSProportional``).

What is measured (method in ``benchmarks/_harness.py``: fixed seeds, one untimed
warm-up call, then ``--repeats`` timed calls; medians):

1. ``headline``: 30 candidates, 11 seats, 10^5 ballots from a faction model (four
   factions of 40/30/20/10 %, each voter a noisy, truncated copy of their faction's
   order; generator seed 1), end to end. The cost depends mostly on how far the hill
   climb goes, which the report states (committees climbed / compared).
2. ``long climb``: 10^5 uniformly random strict ballots (30 candidates, 11 seats), the
   worst case: no committee stands out, the climb runs to its 500-committee budget, as
   CIVS's does, and the 511 committees are all compared (130,305 contests). The
   climb alone and the ranking alone are timed too.
3. ``kernels``: a full neighbourhood (``neighbour_counts``: the climb table and all
   ``k·(C - k)`` single swaps; a climb step scores only the swaps it tries) and the
   comparison of 30 committees (435 contests, ``pair_counts``), sweeping ballots,
   candidates and seats, with log-log exponents: how the cost grows.

Correctness is asserted first: the kernels against ``tests/naive_civs_prop.py`` on
small weight tables (ties, zeros, multiplicities).

Run from the repository root (about 4 minutes on 2 cores)::

    python3 benchmarks/bench_civs_prop.py
    python3 benchmarks/bench_civs_prop.py --quick
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import Report, parser, time_call
from tests.naive_civs_prop import level_counts
from voting import UNRANKED, CIVSProportional, Profile
from voting.formats.ratings import weights_from_profile
from voting.methods._civs_kernels import neighbour_counts, pair_counts
from voting.methods._civs_search import local_search, rank_committees

Array = np.ndarray[Any, Any]


def faction_profile(rng: np.random.Generator, n: int, c: int, sd: float = 2.0) -> Profile:
    """Four factions (40/30/20/10 %); each voter perturbs their faction's order."""
    bases = [rng.permutation(c) for _ in range(4)]
    faction = rng.choice(4, size=n, p=[0.4, 0.3, 0.2, 0.1])
    pos = np.empty((n, c), dtype=np.float64)
    for f, base in enumerate(bases):
        rows = faction == f
        pos[rows] = np.argsort(base)[None, :] + rng.normal(0, sd, size=(rows.sum(), c))
    ranks = np.argsort(np.argsort(pos, axis=1), axis=1).astype(np.int64)
    length = rng.integers(5, c + 1, size=n)
    ranks[ranks >= length[:, None]] = UNRANKED
    return Profile(ranks, None, [f"c{i}" for i in range(c)])


def uniform_profile(rng: np.random.Generator, n: int, c: int) -> Profile:
    ranks = rng.permuted(np.tile(np.arange(c, dtype=np.int32), (n, 1)), axis=1)
    return Profile(ranks, None, [f"c{i}" for i in range(c)])


def check_small(rng: np.random.Generator) -> None:
    for _ in range(30):
        c = int(rng.integers(2, 7))
        k = int(rng.integers(1, c))
        w = rng.integers(0, 4, size=(15, c)).astype(np.int64)
        wts = rng.integers(1, 4, size=15).astype(np.int64)
        comms = list(itertools.combinations(range(c), k))
        pairs = np.array(list(itertools.combinations(range(len(comms)), 2)), dtype=np.int64)
        if not len(pairs):
            continue
        for combined in (False, True):
            got = pair_counts(w, wts, np.array(comms), pairs, combined, False)
            for p, (x, y) in enumerate(pairs.tolist()):
                ca, cb = level_counts(w.tolist(), wts.tolist(), comms[x], comms[y], combined)
                assert got[p, 0].tolist() == ca and got[p, 1].tolist() == cb
            comm = comms[0]
            outs = [j for j in range(c) if j not in comm]
            got = neighbour_counts(w, wts, np.array(comm), np.array(outs), False)
            for i, j in itertools.product(range(k), range(len(outs))):
                nb = (*comm[:i], outs[j], *comm[i + 1 :])
                ca, cb = level_counts(w.tolist(), wts.tolist(), comm, nb, combined)
                assert got[i, j, 0].tolist() == ca and got[i, j, 1].tolist() == cb


def run_case(rep: Report, section: str, case: str, p: Profile, k: int, criterion: str) -> float:
    m = CIVSProportional(seats=k, criterion=criterion)  # type: ignore[arg-type]
    r = m.run(p)
    t = time_call(lambda: m.run(p), rep.args.repeats)
    rep.record(section, case, t, p.num_voters, "ballots")
    e = r.explanation
    rep.say(
        f"    climbed {e.n_climbed} committees (truncated: {e.truncated}), "
        f"{len(e.committees)} compared; median {t.median:.3f} s"
    )
    return t.median


def climb_parts(rep: Report, p: Profile, k: int) -> None:
    """The hill climb alone and the ranking of the committees it found, alone."""
    w = np.ascontiguousarray(weights_from_profile(p), dtype=np.int64)
    wts = np.ones(w.shape[0], dtype=np.int64)
    n = int(wts.sum())
    start = tuple(range(k))

    def climb() -> Any:
        return local_search(w, wts, start, budget=500, initial_against=n)

    t = time_call(climb, rep.args.repeats)
    comms = list(climb().visited)
    rep.record("uniform", f"climb only, {len(comms)} committees", t, len(comms), "steps")
    t = time_call(
        lambda: rank_committees(w, wts, comms, combined=False, initial_against=n),
        rep.args.repeats,
    )
    pairs = len(comms) * (len(comms) - 1) // 2
    rep.record(
        "uniform", f"ranking only, {pairs:,} contests", t, pairs * w.shape[0], "ballot-contests"
    )


def kernel_case(
    rep: Report, case: str, rng: np.random.Generator, v: int, c: int, k: int, what: str
) -> float:
    w = np.ascontiguousarray(c - faction_rank_weights(rng, v, c), dtype=np.int64)
    wts = np.ones(v, dtype=np.int64)
    par = v * c >= 2_000_000
    if what == "step":
        comm = np.arange(k, dtype=np.int64)
        outs = np.arange(k, c, dtype=np.int64)
        t = time_call(lambda: neighbour_counts(w, wts, comm, outs, par), rep.args.repeats)
    else:
        comms = np.array([rng.choice(c, size=k, replace=False) for _ in range(30)])
        comms = np.sort(comms, axis=1).astype(np.int64)
        pairs = np.array(list(itertools.combinations(range(30), 2)), dtype=np.int64)
        t = time_call(lambda: pair_counts(w, wts, comms, pairs, False, par), rep.args.repeats)
    rep.record("kernels", case, t, v, "ballots", what=what, v=v, c=c, k=k)
    return t.median


def faction_rank_weights(rng: np.random.Generator, v: int, c: int) -> Array:
    p = faction_profile(rng, v, c)
    r = np.where(p.ranks == UNRANKED, c, p.ranks)
    return np.asarray(r, dtype=np.int64)


def main() -> None:
    args = parser(__doc__.split("\n", 1)[0]).parse_args()
    quick = args.quick
    rep = Report("civs_prop", "CIVS proportional representation", args)
    rng = np.random.default_rng(args.seed)
    for line in rep.header():
        print(line)
    check_small(rng)
    rep.say("")
    rep.say("correctness: kernels == tests/naive_civs_prop.py (ties, zeros, multiplicities)")

    n = 10**4 if quick else 10**5
    rep.section(f"headline: {n:,} faction-model ballots (seed 1), C = 30, 11 seats, end to end")
    p = faction_profile(np.random.default_rng(1), n, 30, sd=3.0)
    run_case(rep, "headline", f"C=30 k=11 V={n:,} best", p, 11, "best")

    v = 10**4 if quick else 10**5
    rep.section(f"long climb: {v:,} uniform strict ballots, C = 30, 11 seats (budget 500)")
    up = uniform_profile(rng, v, 30)
    run_case(rep, "uniform", f"V={v:,} C=30 k=11 best", up, 11, "best")
    climb_parts(rep, up, 11)

    rep.section("kernels: a full neighbourhood (step) and 30 committees compared (pairs), best")
    voters = [10**3, 10**4] if quick else [10**3, 10**4, 10**5]
    for what in ("step", "pairs"):
        ts = [kernel_case(rep, f"{what} V={x:,} C=30 k=11", rng, x, 30, 11, what) for x in voters]
        rep.fit("kernels", f"{what}: time vs ballots", voters, ts, "1")
        cands = [12, 20, 30, 40]
        ts = [
            kernel_case(rep, f"{what} V=10,000 C={c} k=11", rng, 10**4, c, 11, what) for c in cands
        ]
        rep.fit("kernels", f"{what}: time vs candidates", cands, ts, "step 1, pairs 0")
        seats = [3, 7, 11, 15]
        ts = [
            kernel_case(rep, f"{what} V=10,000 C=40 k={k}", rng, 10**4, 40, k, what) for k in seats
        ]
        rep.fit("kernels", f"{what}: time vs seats", seats, ts, "step 1, pairs 1-2")
    out = rep.write()
    print(f"\nwritten: {os.path.relpath(out)} (+ .tsv, .json)")


if __name__ == "__main__":
    main()
