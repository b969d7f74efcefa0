"""Benchmarks of exact Kemeny-Young (``voting.Kemeny``) and pref_voting's, side by side.

What is measured (method in ``benchmarks/_harness.py``: fixed seed, one untimed
warm-up call, then ``--repeats`` timed calls; rates from the median):

1. ``vs pref_voting``: 1000 impartial-culture strict ballots over C = 4..9
   candidates. Both start from pairwise data built beforehand: ours
   ``Kemeny().run_pairwise(pm)`` (the subset DP, every optimal ranking counted and
   up to 100 listed), pref_voting's ``kemeny_young(profile)`` (its default
   ``algorithm="marginal"``: every permutation scored from the margins its
   ``Profile`` computed at construction). pref_voting runs in a child process with
   a time limit; from 8 candidates on it is timed on fewer calls (its call takes
   seconds; noted in the case name). Ratios compare median times.
2. ``scaling``: C = 10..22 on the same kind of ballots, and the worst case for the
   pass that collects optimal rankings (all margins zero: every ranking is optimal,
   every subset is a prefix of one). The largest C under 10 s is reported.

Correctness is asserted before timing: our winners (first candidates of the optimal
rankings) equal pref_voting's at every size it finishes, and at C <= 7 our optimal
score equals the best permutation's score.

Run from the repository root (about 2 minutes on 2 cores; ``--quick``: ~20 s)::

    python3 -m benchmarks.bench_kemeny
    python3 -m benchmarks.bench_kemeny --quick
"""

from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import Report, parser, time_call, time_limited
from voting import Kemeny, PairwiseMatrix, Profile, pairwise

Array = np.ndarray[Any, Any]


def strict_ballots(rng: np.random.Generator, n: int, c: int) -> Array:
    return rng.permuted(np.tile(np.arange(c, dtype=np.int32), (n, 1)), axis=1)


def names(c: int) -> list[str]:
    return [f"c{i}" for i in range(c)]


def brute_score(support: Array) -> int:
    c = support.shape[0]
    return max(
        sum(int(support[a, b]) for i, a in enumerate(p) for b in p[i + 1 :])
        for p in itertools.permutations(range(c))
    )


def main(argv: list[str] | None = None) -> None:
    args = parser(__doc__.split("\n", 1)[0] if __doc__ else "").parse_args(argv)
    rep = Report("kemeny", "exact Kemeny-Young (subset DP) and pref_voting", args, ["pref_voting"])
    rng = np.random.default_rng(args.seed)
    n_voters = 1000

    rep.section("vs pref_voting (1000 strict ballots, from pairwise data)")
    sizes = [4, 5, 6, 7] if args.quick else [4, 5, 6, 7, 8, 9]
    for c in sizes:
        ranks = strict_ballots(rng, n_voters, c)
        p = Profile(ranks, np.ones(n_voters, dtype=np.int64), names(c))
        pm = pairwise(p)
        ours = Kemeny().run_pairwise(pm)
        if c <= 7:
            s = np.array(pm.support)
            np.fill_diagonal(s, 0)
            assert ours.explanation.agreement == brute_score(s)
        t_ours = time_call(lambda pm=pm: Kemeny().run_pairwise(pm), args.repeats)
        rep.record("vs pref_voting", f"voting.Kemeny C={c}", t_ours, 1, "elections", x=c)

        from pref_voting.other_methods import kemeny_young
        from pref_voting.profiles import Profile as PVProfile

        # ranks[v, c] is the position of candidate c: invert to the list of candidates
        rankings = np.argsort(ranks, axis=1).tolist()
        pv = PVProfile(rankings)
        calls = 1 + args.repeats if c <= 7 else (3 if c == 8 else 1)
        got = time_limited(lambda pv=pv: kemeny_young(pv), calls, limit=150.0)
        case = f"pref_voting kemeny_young C={c}" + (
            f" ({calls - 1 if calls > 1 else 1} timed)" if c >= 8 else ""
        )
        if got is None:
            rep.say(f"{case}: stopped after 150 s")
            rep.note_stopped("vs pref_voting", case, 150.0, t_ours.median)
            continue
        winners, t_pv = got
        assert {f"c{w}" for w in winners} == set(ours.winners), (winners, ours.winners)
        rep.record("vs pref_voting", case, t_pv, 1, "elections", x=c, library="pref_voting")
        rep.say(f"  ratio at C={c}: ours is {t_pv.median / t_ours.median:,.0f}x faster (median)")

    rep.section("scaling (1000 strict ballots; time per election)")
    largest = 0
    big = [10, 12, 14, 16] if args.quick else [10, 12, 14, 16, 18, 20, 21, 22]
    xs: list[float] = []
    ys: list[float] = []
    for c in big:
        ranks = strict_ballots(rng, n_voters, c)
        pm = pairwise(Profile(ranks, np.ones(n_voters, dtype=np.int64), names(c)))
        t = time_call(lambda pm=pm: Kemeny().run_pairwise(pm), max(5, args.repeats - 2))
        rep.record("scaling", f"voting.Kemeny C={c}", t, 1, "elections", x=c)
        xs.append(c)
        ys.append(t.median)
        if t.median < 10:
            largest = c
    growth = [ys[i + 1] / ys[i] for i in range(len(ys) - 1)]
    rep.say("time ratio per step: " + ", ".join(f"{g:.2f}" for g in growth))
    rep.say(f"largest C under 10 s (median, all rankings counted): {largest}")
    rep.note("largest_c_under_10s", largest)

    rep.section("worst case: all margins zero (every ranking optimal)")
    for c in [12, 16] if args.quick else [12, 16, 20]:
        pm = PairwiseMatrix(tuple(names(c)), np.zeros((c, c), dtype=np.int64))
        r = Kemeny().run_pairwise(pm)
        assert r.explanation.num_optimal == min(math.factorial(c), 2**62)
        t = time_call(lambda pm=pm: Kemeny().run_pairwise(pm), max(5, args.repeats - 2))
        rep.record("worst case", f"voting.Kemeny ties C={c}", t, 1, "elections", x=c)

    out = rep.write()
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
