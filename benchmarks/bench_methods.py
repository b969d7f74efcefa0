# mypy: disable-error-code="import-untyped,misc"
"""Single-winner methods side by side with the reference libraries, on the same ballots.

Methods: plurality, Borda, instant runoff (IRV), ranked pairs, minimax, Schulze.
Libraries, where they implement the method: ``voting``; pref_voting
(``plurality``, ``borda``, ``instant_runoff``, ``ranked_pairs``, ``minimax``,
``beat_path``); votekit (``Plurality``, ``Borda``, ``IRV``, ``RankedPairs``,
``Schulze``); pyrankvote (``instant_runoff_voting``); python-vote-core (its import
is attempted and its status recorded: release 20120423 is Python 2 code); and a
NumPy floor written here (``bincount`` for plurality and Borda, masked ``argmin``
rounds for IRV, the broadcast pairwise count of ``bench_pairwise`` plus a small
matrix step for the Condorcet methods).

Ballots (fixed ``--seed``): complete strict rankings of C = 10 candidates from a
Plackett-Luce model with Gamma(1, 1) strengths, so winners are not coin flips.
Every timed call goes **from the int32 rank array to the winner**, each library
building its own input objects from it (``voting.Profile``; pref_voting's
``Profile`` of rankings; votekit's ``RankProfile`` of ``RankBallot``; pyrankvote
``Ballot`` lists), because that is what a user pays.

Sizes: ``voting`` and NumPy at 10^3 .. 10^6 ballots; the reference libraries are
far slower, so they are timed on the first 10^3, 10^4 and 10^5 ballots only (1
untimed and ``--their-repeats`` = 2 timed calls up to 10^4, 1 call at 10^5), each in a
child process killed after ``--budget`` (10) seconds a call; a library whose time,
scaled linearly, would pass the budget at the next size is skipped there. The ratio is
``voting`` ballots/s over theirs **at the same number of ballots**. Each library is
called once on 200 ballots in this process before timing, so numba-compiled code
(pref_voting) is compiled before the children fork. Winners are compared with
ours (tie-breaking conventions differ; a disagreement is reported, not fatal).

Run from the repository root (about 5 minutes on 2 cores; ``--quick``: ~1)::

    python3 -m benchmarks.bench_methods
    python3 -m benchmarks.bench_methods --quick
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

import voting
from benchmarks._harness import (
    Report,
    import_status,
    names,
    parser,
    syntax_errors,
    time_call,
    time_limited,
)
from benchmarks.bench_pairwise import numpy_floor

Array = np.ndarray[Any, Any]
Counter = Callable[[], frozenset[str]]
C = 10
METHODS = ("plurality", "borda", "irv", "ranked pairs", "minimax", "schulze")
OURS: dict[str, type[voting.Method[Any]]] = {
    "plurality": voting.Plurality,
    "borda": voting.Borda,
    "irv": voting.IRV,
    "ranked pairs": voting.RankedPairs,
    "minimax": voting.Minimax,
    "schulze": voting.Schulze,
}
LIBRARIES = ("numpy floor", "pref_voting", "votekit", "pyrankvote", "python-vote-core")
#: python-vote-core modules for the methods, whose import is attempted
PVC_MODULES = {
    "plurality": "pyvotecore.plurality",
    "irv": "pyvotecore.irv",
    "ranked pairs": "pyvotecore.ranked_pairs",
    "schulze": "pyvotecore.schulze_method",
}


def plackett_luce(rng: np.random.Generator, n: int, c: int) -> Array:
    """``n`` complete strict rankings as int32 tiers (``ranks[v, c]``, 0 = top)."""
    strength = rng.gamma(1.0, 1.0, size=c)
    order = np.argsort(-(rng.gumbel(size=(n, c)) + np.log(strength)), axis=1)
    ranks = np.empty((n, c), dtype=np.int32)
    np.put_along_axis(ranks, order, np.arange(c, dtype=np.int32)[None, :], axis=1)
    ranks.setflags(write=False)
    return ranks


# ------------------------------------------------------------------ NumPy floor
def np_plurality(ranks: Array) -> int:
    return int(np.argmax(np.bincount(np.argmin(ranks, axis=1), minlength=ranks.shape[1])))


def np_borda(ranks: Array) -> int:
    c = ranks.shape[1]
    return int(np.argmax((c - 1 - ranks).sum(axis=0, dtype=np.int64)))


def np_irv(ranks: Array) -> int:
    c = ranks.shape[1]
    alive = np.ones(c, dtype=bool)
    while True:
        masked = np.where(alive[None, :], ranks, c)
        counts = np.bincount(np.argmin(masked, axis=1), minlength=c)
        if counts.max() * 2 > len(ranks) or alive.sum() == 1:
            return int(np.argmax(counts))
        alive[np.argmin(np.where(alive, counts, np.iinfo(np.int64).max))] = False


def np_minimax(ranks: Array) -> int:
    s = numpy_floor(ranks)
    m = s - s.T
    return int(np.argmin(m.max(axis=0)))


def np_schulze(ranks: Array) -> int:
    s = numpy_floor(ranks)
    p = np.where(s > s.T, s, 0)
    for i in range(len(p)):  # widest paths, Floyd-Warshall, one pivot at a time
        p = np.maximum(p, np.minimum(p[:, i : i + 1], p[i : i + 1, :]))
    return int(np.flatnonzero(~(p < p.T).any(axis=1))[0])


def np_ranked_pairs(ranks: Array) -> int:
    s = numpy_floor(ranks)
    m = s - s.T
    c = len(m)
    locked = np.zeros((c, c), dtype=bool)
    order = np.argsort(-m, axis=None, kind="stable")
    for a, b in zip(*np.unravel_index(order, m.shape), strict=True):
        if m[a, b] <= 0:
            break
        reach = {int(b)}  # lock a > b unless b already reaches a
        stack = [int(b)]
        while stack:
            for d in np.flatnonzero(locked[stack.pop()]):
                if int(d) not in reach:
                    reach.add(int(d))
                    stack.append(int(d))
        if int(a) not in reach:
            locked[a, b] = True
    return int(np.flatnonzero(~locked.any(axis=0))[0])


NUMPY: dict[str, Callable[[Array], int]] = {
    "plurality": np_plurality,
    "borda": np_borda,
    "irv": np_irv,
    "ranked pairs": np_ranked_pairs,
    "minimax": np_minimax,
    "schulze": np_schulze,
}


# ------------------------------------------------------------ the other libraries
def theirs(ranks: Array) -> dict[tuple[str, str], Counter]:
    """``(method, library) -> count``: each returns the winners' names."""
    cands = names(ranks.shape[1])
    order = np.ascontiguousarray(np.argsort(ranks, axis=1))  # candidates, best first
    out: dict[tuple[str, str], Counter] = {}
    for method, fn in NUMPY.items():
        out[method, "numpy floor"] = lambda fn=fn: frozenset({cands[fn(ranks)]})
    try:
        import pref_voting.voting_methods as vm
        from pref_voting.profiles import Profile as PVProfile

        pv = {
            "plurality": vm.plurality,
            "borda": vm.borda,
            "irv": vm.instant_runoff,
            "ranked pairs": vm.ranked_pairs,
            "minimax": vm.minimax,
            "schulze": vm.beat_path,
        }
        for method, f in pv.items():
            out[method, "pref_voting"] = lambda f=f: frozenset(
                cands[w] for w in f(PVProfile(order))
            )
    except ImportError:  # pragma: no cover - optional
        pass
    try:
        from votekit import RankBallot, RankProfile
        from votekit import elections as ve

        def vk_profile() -> Any:
            ballots = [RankBallot(ranking=tuple(frozenset({cands[c]}) for c in b)) for b in order]
            return RankProfile(ballots=ballots, candidates=cands)

        vk = {
            "plurality": lambda p: ve.Plurality(p, n_seats=1),
            "borda": lambda p: ve.Borda(p, n_seats=1),
            "irv": lambda p: ve.IRV(p),
            "ranked pairs": lambda p: ve.RankedPairs(p, n_seats=1),
            "schulze": lambda p: ve.Schulze(p, n_seats=1),
        }
        for method, f in vk.items():
            out[method, "votekit"] = lambda f=f: frozenset(
                c for tier in f(vk_profile()).get_elected() for c in tier
            )
    except ImportError:  # pragma: no cover - optional
        pass
    try:
        import pyrankvote
        from pyrankvote import Ballot, Candidate

        def prv_irv() -> frozenset[str]:
            objs = [Candidate(c) for c in cands]
            ballots = [Ballot(ranked_candidates=[objs[c] for c in b]) for b in order]
            result = pyrankvote.instant_runoff_voting(objs, ballots)
            return frozenset(c.name for c in result.get_winners())

        out["irv", "pyrankvote"] = prv_irv
    except ImportError:  # pragma: no cover - optional
        pass
    return out


# -------------------------------------------------------------------- sections
def side_by_side(
    rep: Report, rng: np.random.Generator, ours_sizes: list[int], their_sizes: list[int]
) -> None:
    section = "methods"
    full = plackett_luce(rng, max(ours_sizes), C)
    rep.section(
        f"{section}: {C} candidates, Plackett-Luce ballots, rank array -> winner (ballots/s); "
        f"references on the first {their_sizes[0]:,}..{their_sizes[-1]:,} ballots"
    )
    for f in theirs(full[:200]).values():  # compile / import before forking
        f()
    skip: set[tuple[str, str]] = set()
    for method in METHODS:
        rep.say(f"### {method}")
        ours_rate: dict[int, float] = {}
        ours_winners: dict[int, frozenset[str]] = {}
        cls = OURS[method]
        for n in sorted(set(ours_sizes) | set(their_sizes)):
            ranks = full[:n]

            def ours(ranks: Array = ranks, cls: type[voting.Method[Any]] = cls) -> Any:
                return cls().run(voting.Profile(ranks, None, names(C)))

            ours_winners[n] = frozenset(ours().winners)
            t = time_call(ours, rep.args.repeats)
            ours_rate[n] = rep.record(
                section,
                f"{method} voting n={n:,}",
                t,
                n,
                "ballots",
                method=method,
                library="voting",
                x=n,
            )
        for n in their_sizes:
            funcs = theirs(full[:n])
            for (m, lib), fn in funcs.items():
                if m != method:
                    continue
                case = f"{method} {lib} n={n:,}"
                if (m, lib) in skip:
                    rep.say(f"{case:<46s} skipped: predicted over {rep.args.budget:.0f} s a call")
                    continue
                calls = 1 + rep.args.their_repeats if n <= 10**4 else 1
                if lib == "numpy floor":
                    calls = 1 + rep.args.repeats if n <= 10**5 else 3
                got = time_limited(fn, calls, rep.args.budget * calls)
                if got is None:
                    skip.add((m, lib))
                    rep.say(f"{case:<46s} stopped: not done in {rep.args.budget * calls:.0f} s")
                    rep.note_stopped(section, case, rep.args.budget, n / ours_rate[n])
                    continue
                winners, t = got
                bigger = [k for k in their_sizes if k > n]
                if bigger and t.median * bigger[0] / n > rep.args.budget:
                    skip.add((m, lib))  # predicted over budget at the next size
                rate = rep.record(
                    section,
                    case,
                    t,
                    n,
                    "ballots",
                    method=method,
                    library=lib,
                    x=n,
                    ratio=ours_rate[n] / t.rate(n),
                    agree=winners == ours_winners[n],
                )
                agree = (
                    "same winner"
                    if winners == ours_winners[n]
                    else (f"winners {sorted(winners)} vs ours {sorted(ours_winners[n])}")
                )
                rep.say(f"{'':<46s} ratio voting / {lib}: {ours_rate[n] / rate:,.1f}x; {agree}")


def library_status(rep: Report) -> None:
    rep.section("libraries: version and import status")
    from benchmarks._harness import versions

    status: dict[str, Any] = {}
    for dist, module in (
        ("pref_voting", "pref_voting.voting_methods"),
        ("votekit", "votekit.elections"),
        ("pyrankvote", "pyrankvote"),
    ):
        status[dist] = {"version": versions([dist])[dist], "import": import_status(module)}
    pvc: dict[str, Any] = {"version": versions(["python-vote-core"])["python-vote-core"]}
    for module in PVC_MODULES.values():
        pvc[f"import {module}"] = import_status(module)
    pvc["works"] = all(v == "ok" for k, v in pvc.items() if k.startswith("import "))
    pvc["syntax errors under this Python"] = syntax_errors("pyvotecore")
    if not pvc["works"]:
        pvc["why"] = (
            "python-vote-core 20120423.0 (its last release) installs on Python 3.11 but is "
            "Python 2 code: implicit relative imports (`from abstract_classes import ...`), "
            "`print` statements (SyntaxError in condorcet.py and schulze_helper.py) and "
            "`dict.iteritems`; no module of it imports, so it is not timed"
        )
    status["python-vote-core"] = pvc
    for lib, info in status.items():
        rep.say(f"{lib}: " + "; ".join(f"{k}: {v}" for k, v in info.items()))
    rep.note("libraries", status)


def main() -> None:
    ap = parser(__doc__.split("\n", 1)[0])
    ap.add_argument("--budget", type=float, default=10.0, help="seconds per reference call")
    ap.add_argument("--their-repeats", type=int, default=2, help="timed calls up to 10^4")
    args = ap.parse_args()
    args.repeats = max(args.repeats, 5)
    if args.quick:
        ours_sizes, their_sizes, args.budget = [10**3, 10**4], [10**3], min(args.budget, 3.0)
    else:
        ours_sizes, their_sizes = [10**3, 10**4, 10**5, 10**6], [10**3, 10**4, 10**5]
    rep = Report("methods", "single-winner methods against the reference libraries", args)
    rep.competitors = ["pref_voting", "votekit", "pyrankvote", "python-vote-core"]
    for line in rep.header():
        print(line)
    library_status(rep)
    side_by_side(rep, np.random.default_rng(args.seed), ours_sizes, their_sizes)
    out = rep.write()
    print(f"\nwritten: {os.path.relpath(out)} (+ .tsv, .json)")


if __name__ == "__main__":
    main()
