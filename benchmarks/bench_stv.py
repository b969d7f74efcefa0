# mypy: disable-error-code="import-untyped,misc"
"""Benchmarks of STV: our exact counts at 10^6 ballots, scaling, other libraries side by side.

Ballots (fixed ``--seed``): a Plackett-Luce model over C candidates with strengths
drawn from Gamma(1, 1) (a few strong candidates, a long tail), each ballot truncated
after a Geometric(1/5) number of preferences (mean 5, at least 1). Real STV ballots
are short and concentrated like this, so there are far fewer distinct rankings than
ballots (about 418,000 distinct among 10^6 at C = 20), which is what compression
exploits. Each profile is built once, uncompressed (one row per ballot, weight 1);
every timed call counts it from scratch, compression included.

What is measured (method in ``benchmarks/_harness.py``: one untimed warm-up call,
then ``--repeats`` timed calls; the median is reported with min and max):

1. ``ours at scale``: ``STV(seats=5, rule=...).run(profile)`` for every rule set on
   10^6 ballots x 20 candidates, 5 seats; plus the compression step alone.
2. ``scaling V``: Meek and Scottish STV, 20 candidates, 5 seats, 10^3 .. 10^6
   ballots, with the fitted exponent of time against V (expected <= 1: the count
   runs over distinct rankings, which grow more slowly than ballots).
3. ``scaling seats``: 1 .. 10 seats at 10^5 ballots x 20 candidates, with the
   fitted exponent of time against seats (expected <= 1: at most C - 1 rounds,
   each over the distinct rankings; Meek's iterations grow with the surpluses).
4. ``side by side``: the same ballots cut to 10^3, 10^4 and 10^5, counted by ours and
   by pref_voting (``stv_meek``, ``stv_scottish``, floats), votekit (``STV`` and
   ``FastSTV`` with fractional transfers) and pyrankvote
   (``single_transferable_vote``, ballots expanded one per voter), with the ratio to
   ours. Each reference count runs in a child process killed after ``--budget``
   (10) seconds a call (1 untimed and ``--their-repeats`` timed calls up to 10^4, one
   call at 10^5); a library whose time, scaled linearly, would pass the budget at
   the next size is skipped there. Agreement of the elected committees is reported
   (each library implements its own variant: only ours vs pref_voting's Scottish
   STV claim the same rules).

Cold start (import and numba compilation) is in ``bench_cold.py``. Correctness is
asserted first, at small sizes, against the plain-Python references in
``tests/naive.py`` (Reference Meek Rule and Scottish rules, round by round). Run from
the repository root (about 5 minutes; ``--quick``: ~1)::

    python3 -m benchmarks.bench_stv
    python3 -m benchmarks.bench_stv --quick
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import Report, Timing, parser, time_call, time_limited
from tests import naive
from voting import UNRANKED, Profile
from voting.methods.stv import RULES, STV, Rule
from voting.methods.stv._ballots import compress

SEATS = 5
#: the rule of ours each library is compared with
COMPARE = {
    "pref_voting stv_meek": "meek",
    "pref_voting stv_scottish": "scottish",
    "votekit STV": "fractional",
    "votekit FastSTV": "fractional",
    "pyrankvote STV": "fractional",
}


def plackett_luce(n: int, c: int, seed: int, mean_length: float = 5.0) -> Profile:
    """``n`` truncated Plackett-Luce ballots over ``c`` candidates (see the docstring)."""
    rng = np.random.default_rng(seed)
    strength = rng.gamma(1.0, 1.0, size=c)
    keys = rng.gumbel(size=(n, c)) + np.log(strength)
    order = np.argsort(-keys, axis=1)
    lengths = np.minimum(c, rng.geometric(1.0 / mean_length, size=n))
    ranks = np.full((n, c), UNRANKED, dtype=np.int32)
    position = np.broadcast_to(np.arange(c), (n, c))
    keep = position < lengths[:, None]
    rows = np.broadcast_to(np.arange(n)[:, None], (n, c))
    ranks[rows[keep], order[keep]] = position[keep]
    return Profile(ranks, None, [f"c{i:02d}" for i in range(c)])


def rankings(profile: Profile) -> list[list[str]]:
    """Each ballot as its list of candidate names, best first."""
    out = []
    names = profile.candidates
    for row in profile.ranks:
        ranked = np.flatnonzero(row != UNRANKED)
        out.append([names[c] for c in ranked[np.argsort(row[ranked])]])
    return out


def check_small(seed: int) -> list[str]:
    """Assert our counts equal the plain-Python references on small random profiles."""
    for k in range(20):
        p = plackett_luce(60, 6, seed + k, mean_length=3.0)
        ballots = [[p.index(n) for n in b] for b in rankings(p)]
        weights = [1] * len(ballots)
        for seats in (1, 2, 3):
            meek, _ = naive.stv_meek_prf(ballots, weights, 6, seats)
            assert [p.index(c) for c in STV(seats=seats).run(p).elected] == meek
            scot, _ = naive.stv_scottish(ballots, weights, 6, seats)
            got = STV(seats=seats, rule="scottish").run(p).elected
            assert [p.index(c) for c in got] == scot
    return ["correctness: Meek and Scottish counts equal tests/naive.py on 60 small profiles"]


def _theirs(profile: Profile) -> dict[str, Callable[[], set[str]]]:
    """Counting functions of the other libraries on ``profile``, returning committees."""
    funcs: dict[str, Callable[[], set[str]]] = {}
    ranked = rankings(profile)
    try:
        from pref_voting.profiles_with_ties import ProfileWithTies
        from pref_voting.proportional_methods import stv_meek, stv_scottish

        def pv_profile() -> Any:
            return ProfileWithTies(
                [{c: i + 1 for i, c in enumerate(b)} for b in ranked],
                candidates=list(profile.candidates),
            )

        funcs["pref_voting stv_meek"] = lambda: set(stv_meek(pv_profile(), num_seats=SEATS))
        funcs["pref_voting stv_scottish"] = lambda: set(stv_scottish(pv_profile(), num_seats=SEATS))
    except ImportError:  # pragma: no cover
        pass
    try:
        from votekit import RankBallot, RankProfile
        from votekit.elections import STV as VKSTV
        from votekit.elections import FastSTV

        def vk_profile() -> Any:
            ballots = [RankBallot(ranking=tuple(frozenset({c}) for c in b)) for b in ranked]
            return RankProfile(ballots=ballots, candidates=list(profile.candidates))

        def vk(cls: Any) -> set[str]:
            elected = cls(vk_profile(), n_seats=SEATS).get_elected()
            return {c for tier in elected for c in tier}

        funcs["votekit STV"] = lambda: vk(VKSTV)
        funcs["votekit FastSTV"] = lambda: vk(FastSTV)
    except ImportError:  # pragma: no cover
        pass
    try:
        import pyrankvote
        from pyrankvote import Ballot, Candidate

        def prv() -> set[str]:
            cands = {c: Candidate(c) for c in profile.candidates}
            ballots = [Ballot(ranked_candidates=[cands[c] for c in b]) for b in ranked]
            result = pyrankvote.single_transferable_vote(list(cands.values()), ballots, SEATS)
            return {c.name for c in result.get_winners()}

        funcs["pyrankvote STV"] = prv
    except ImportError:  # pragma: no cover
        pass
    return funcs


def bench_ours(rep: Report, n: int) -> None:
    section = "ours at scale"
    profile = plackett_luce(n, 20, rep.args.seed)
    b = compress(profile)
    rep.section(
        f"{section}: {n:,} ballots x 20 candidates, {SEATS} seats "
        f"({b.n_unique:,} distinct rankings)"
    )
    rep.note("distinct_rankings", b.n_unique)
    t = time_call(lambda: compress(profile), rep.args.repeats)
    rep.record(section, "compress", t, n, "ballots", rule="compress")
    for rule in RULES:
        method = STV(seats=SEATS, rule=rule)
        result = method.run(profile)
        t = time_call(lambda m=method: m.run(profile), rep.args.repeats, warmup=False)
        iters = sum(r.iterations for r in result.explanation.rounds)
        rep.record(
            section,
            rule,
            t,
            n,
            "ballots",
            rule=rule,
            rounds=len(result.explanation.rounds),
            iterations=iters,
        )
        extra = f", {iters} iterations" if iters else ""
        rep.say(
            f"{'':<12}{len(result.explanation.rounds)} rounds{extra}; "
            f"elected {', '.join(result.elected)}"
        )


def bench_scaling(rep: Report, voters: list[int], seats: list[int], seats_n: int) -> None:
    section = "scaling V"
    full = plackett_luce(voters[-1], 20, rep.args.seed + 1)
    rep.section(f"{section}: 20 candidates, {SEATS} seats, {voters[0]:,} to {voters[-1]:,} ballots")
    times: dict[Rule, list[float]] = {"meek": [], "scottish": []}
    for n in voters:
        p = Profile(full.ranks[:n], None, full.candidates)
        for rule, ts in times.items():
            m = STV(seats=SEATS, rule=rule)
            t = time_call(lambda m=m, p=p: m.run(p), rep.args.repeats)
            rep.record(section, f"{rule} V={n:,}", t, n, "ballots", rule=rule, x=n)
            ts.append(t.median)
    for rule, ts in times.items():
        rep.fit(section, f"{rule}: time", voters, ts, "<= 1")
    section = "scaling seats"
    p = Profile(full.ranks[:seats_n], None, full.candidates)
    rep.section(f"{section}: 20 candidates, {seats_n:,} ballots, {seats[0]} to {seats[-1]} seats")
    times = {"meek": [], "scottish": []}
    for k in seats:
        for rule, ts in times.items():
            m = STV(seats=k, rule=rule)
            t = time_call(lambda m=m: m.run(p), rep.args.repeats)
            rounds = m.run(p).explanation.rounds
            iters = sum(r.iterations for r in rounds)
            rep.record(
                section,
                f"{rule} seats={k}",
                t,
                1,
                "count",
                rule=rule,
                x=k,
                rounds=len(rounds),
                iterations=iters,
                ballots=seats_n,
            )
            rep.say(f"{'':<12}{len(rounds)} rounds" + (f", {iters} iterations" if iters else ""))
            ts.append(t.median)
    for rule, ts in times.items():
        rep.fit(section, f"{rule}: time", seats, ts, "<= 1")


def bench_side_by_side(rep: Report, sizes: list[int]) -> None:
    section = "side by side"
    full = plackett_luce(max(sizes), 20, rep.args.seed)
    rep.section(
        f"{section}: 20 candidates, {SEATS} seats, first {sizes[0]:,}..{sizes[-1]:,} ballots; "
        "ratio = their time / ours"
    )
    warm = Profile(full.ranks[:100], None, full.candidates)
    for fn in _theirs(warm).values():  # import and compile before forking
        fn()
    skip: set[str] = set()
    budget = rep.args.budget
    for n in sizes:
        profile = Profile(full.ranks[:n], None, full.candidates)
        rep.say(f"### {n:,} ballots")
        ours: dict[str, tuple[Timing, set[str]]] = {}
        for rule in ("meek", "scottish", "fractional"):
            m = STV(seats=SEATS, rule=rule)
            t = time_call(lambda m=m, p=profile: m.run(p), rep.args.repeats)
            ours[rule] = (t, set(m.run(profile).elected))
            rep.record(
                section, f"n={n:,} ours {rule}", t, n, "ballots", library="voting", rule=rule, x=n
            )
        for name, fn in _theirs(profile).items():
            case = f"n={n:,} {name}"
            if name in skip:
                rep.say(f"{case:<46s} skipped: predicted over {budget:.0f} s a call")
                continue
            calls = 1 + rep.args.their_repeats if n <= 10**4 else 1
            got = time_limited(fn, calls, budget * calls)
            if got is None:
                skip.add(name)
                rep.say(f"{case:<46s} stopped: {calls} calls not done in {budget * calls:.0f} s")
                rep.note_stopped(section, case, budget, ours[COMPARE[name]][0].median)
                continue
            elected, t = got
            bigger = [k for k in sizes if k > n]
            if bigger and t.median * bigger[0] / n > budget:
                skip.add(name)
            ref_rule = COMPARE[name]
            ref_t, ref_elected = ours[ref_rule]
            ratio = t.median / ref_t.median
            rep.record(
                section,
                case,
                t,
                n,
                "ballots",
                library=name.split()[0],
                rule=name,
                x=n,
                ratio=ratio,
                vs=ref_rule,
                agree=elected == ref_elected,
            )
            agree = (
                "same committee"
                if elected == ref_elected
                else f"committee differs from ours ({', '.join(sorted(elected))})"
            )
            rep.say(f"{'':<46s} {_ratio(ratio)} ours {ref_rule}; {agree}")


def _ratio(r: float) -> str:
    """``"x214"`` for a library 214 times slower than ours, ``"x0.4"`` for faster."""
    return f"x{r:,.0f}" if r >= 10 else f"x{r:.1f}"


def main() -> None:
    ap = parser(__doc__.split("\n", 1)[0])
    ap.add_argument("--their-repeats", type=int, default=2, help="timed calls up to 10^4")
    ap.add_argument("--budget", type=float, default=10.0, help="seconds per reference call")
    ap.set_defaults(seed=20251125, repeats=5)
    args = ap.parse_args()
    args.repeats = max(args.repeats, 5)
    rep = Report("stv", "STV counts at scale, scaling, and other libraries", args)
    rep.competitors = ["pref_voting", "votekit", "pyrankvote"]
    for line in rep.header():
        print(line)
    for line in check_small(args.seed):
        rep.say(line)
    if args.quick:
        args.budget = min(args.budget, 3.0)
        bench_ours(rep, 10**5)
        bench_scaling(rep, [10**3, 10**4, 10**5], [1, 2, 5, 10], 10**4)
        bench_side_by_side(rep, [10**3])
    else:
        bench_ours(rep, 10**6)
        bench_scaling(rep, [10**3, 10**4, 10**5, 10**6], list(range(1, 11)), 10**5)
        bench_side_by_side(rep, [10**3, 10**4, 10**5])
    out = rep.write()
    print(f"\nwritten: {os.path.relpath(out)} (+ .tsv, .json)")


if __name__ == "__main__":
    main()
