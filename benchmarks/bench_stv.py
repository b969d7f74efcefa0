"""Benchmarks of STV: our exact counts at 10^6 ballots, and other libraries side by side.

Ballots (fixed ``--seed``): a Plackett-Luce model over C candidates with strengths
drawn from Gamma(1, 1) (a few strong candidates, a long tail), each ballot truncated
after a Geometric(1/5) number of preferences (mean 5, at least 1). Real STV ballots
are short and concentrated like this, so there are far fewer distinct rankings than
ballots (about 402,000 distinct among 10^6 at C = 20), which is what compression
exploits. Each profile is built once, uncompressed (one row per ballot, weight 1);
every timed call counts it from scratch, compression included.

What is timed (one untimed warm-up call first, to pay for JIT compilation; then
``--repeats`` timed calls; the median is reported with min and max):

1. ``ours at scale``: ``STV(seats=5, rule=...).run(profile)`` for every rule set on
   10^6 ballots x 20 candidates, 5 seats; plus the compression step alone.
2. ``side by side``: the same ballots cut to 10^4 and 10^5, counted by ours and by
   pref_voting (``stv_meek``, ``stv_scottish``, floats), votekit (``STV`` and
   ``FastSTV`` with fractional transfers) and pyrankvote (``single_transferable_vote``,
   ballots expanded one per voter), with the ratio to ours. Their counts are slow, so
   they get ``--their-repeats`` timed calls at 10^4 and one at 10^5, and a library
   whose 10^4 call takes longer than ``--budget`` seconds is skipped at 10^5.
   Agreement of the elected committees is reported (each library implements its own
   variant: only ours vs pref_voting's Scottish STV claim the same rules).
3. ``cold start``: a new interpreter importing voting and counting 3 ballots by Meek
   (numba cache as configured by ``VOTING_NUMBA_CACHE``).

Correctness is asserted first, at small sizes, against the plain-Python references
in ``tests/naive.py`` (Reference Meek Rule and Scottish rules, round by round).
Results go to ``benchmarks/results/stv.txt`` with a header naming the machine, the
load average, thread count and versions. Run from the repository root::

    python3 benchmarks/bench_stv.py            # full run, several minutes
    python3 benchmarks/bench_stv.py --quick    # smaller sizes, a smoke test
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import naive  # noqa: E402
from voting import UNRANKED, Profile  # noqa: E402
from voting.methods.stv import RULES, STV  # noqa: E402
from voting.methods.stv._ballots import compress  # noqa: E402

Timing = tuple[float, float, float]  # median, min, max (seconds)
SEATS = 5
_PROFILES: dict[int, Profile] = {}


def timeit(fn: Callable[[], Any], repeats: int, warmup: bool = True) -> Timing:
    if warmup:
        fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), min(ts), max(ts)


def fmt(t: Timing) -> str:
    med, lo, hi = t
    return f"{med:9.3f} s  (min {lo:.3f}, max {hi:.3f})"


def _version(name: str) -> str:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # pragma: no cover - not installed
        return "not installed"


def header() -> list[str]:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:  # pragma: no cover
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    return [
        "# bench_stv",
        f"date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"machine: {platform.machine()} {cpu}, {os.cpu_count()} logical CPUs, "
        f"load average at start {', '.join(f'{x:.2f}' for x in load)}",
        f"numba threads: {numba.get_num_threads()}; python {platform.python_version()}, "
        f"numpy {np.__version__}, numba {numba.__version__}",
        f"competitors: pref_voting {_version('pref_voting')}, votekit {_version('votekit')}, "
        f"pyrankvote {_version('pyrankvote')}",
    ]


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
    return ["", "correctness: Meek and Scottish counts equal tests/naive.py on 60 small profiles"]


def bench_ours(n: int, repeats: int, seed: int) -> list[str]:
    profile = plackett_luce(n, 20, seed)
    b = compress(profile)
    lines = [
        "",
        f"## ours at scale: {n} ballots x 20 candidates, {SEATS} seats "
        f"({b.n_unique} distinct rankings); median of {repeats}, warm-up untimed",
        f"{'compress':<12}{fmt(timeit(lambda: compress(profile), repeats))}",
    ]
    for rule in RULES:
        method = STV(seats=SEATS, rule=rule)
        result = method.run(profile)
        t = timeit(lambda m=method: m.run(profile), repeats, warmup=False)
        iters = sum(r.iterations for r in result.explanation.rounds)
        extra = f", {iters} iterations" if iters else ""
        lines.append(
            f"{rule:<12}{fmt(t)}  {len(result.explanation.rounds)} rounds{extra}; "
            f"elected {', '.join(result.elected)}"
        )
        print(lines[-1], flush=True)
    return lines


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


def bench_side_by_side(
    sizes: list[int], repeats: int, their_repeats: int, budget: float, seed: int
) -> list[str]:
    full = plackett_luce(max(sizes), 20, seed)
    lines = [
        "",
        f"## side by side: 20 candidates, {SEATS} seats; ours median of {repeats}, theirs "
        f"median of {their_repeats} at the smallest size and 1 above; ratio = theirs / ours",
    ]
    skip: set[str] = set()
    for n in sizes:
        profile = Profile(full.ranks[:n], None, full.candidates)
        _PROFILES[n] = profile  # inherited by the forked child processes
        ours: dict[str, tuple[Timing, set[str]]] = {}
        for rule in ("meek", "scottish", "fractional"):
            m = STV(seats=SEATS, rule=rule)
            ours[rule] = (
                timeit(lambda m=m, p=profile: m.run(p), repeats),
                set(m.run(profile).elected),
            )
        lines.append(f"### {n} ballots")
        for rule, (t, _) in ours.items():
            lines.append(f"  {'ours ' + rule:<26}{fmt(t)}")
        compare = {
            "pref_voting stv_meek": "meek",
            "pref_voting stv_scottish": "scottish",
            "votekit STV": "fractional",
            "votekit FastSTV": "fractional",
            "pyrankvote STV": "fractional",
        }
        for name in _theirs(profile):
            if name in skip:
                lines.append(f"  {name:<26}skipped (over {budget:.0f} s at a smaller size)")
                print(lines[-1], flush=True)
                continue
            reps = their_repeats if n == min(sizes) else 1
            # one call to warm up and get the committee, then the timed calls, all in a
            # child process that is killed after the budget
            outcome = _in_child(n, seed, name, 1 + reps, budget * (1 + reps))
            ref_rule = compare[name]
            ref_t, ref_elected = ours[ref_rule]
            if outcome is None:
                skip.add(name)
                lines.append(
                    f"  {name:<26}stopped: {1 + reps} calls not done in "
                    f"{budget * (1 + reps):.0f} s (over {budget:.0f} s a call)"
                )
                print(lines[-1], flush=True)
                continue
            elected, times = outcome
            timed = times[1:] or times
            t = (statistics.median(timed), min(timed), max(timed))
            if t[0] > budget:
                skip.add(name)
            agree = (
                "same committee"
                if elected == ref_elected
                else (f"committee differs from ours ({', '.join(sorted(elected))})")
            )
            lines.append(
                f"  {name:<26}{fmt(t)}  {_ratio(t[0] / ref_t[0])} ours {ref_rule}; {agree}"
            )
            print(lines[-1], flush=True)
    return lines


def _ratio(r: float) -> str:
    """``"x214"`` for a library 214 times slower than ours, ``"x0.4"`` for faster."""
    return f"x{r:,.0f}" if r >= 10 else f"x{r:.1f}"


def _child(conn: Any, n: int, seed: int, name: str, calls: int) -> None:
    fn = _theirs(_PROFILES[n])[name]
    times, elected = [], set()
    for _ in range(calls):
        t0 = time.perf_counter()
        elected = fn()
        times.append(time.perf_counter() - t0)
    conn.send((elected, times))


def _in_child(
    n: int, seed: int, name: str, calls: int, limit: float
) -> tuple[set[str], list[float]] | None:
    """Time ``calls`` calls of library ``name`` on the first ``n`` ballots, in a child
    process killed after ``limit`` seconds (None then)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, n, seed, name, calls))
    proc.start()
    ready = parent.poll(limit)
    result = parent.recv() if ready else None
    if proc.is_alive():
        proc.kill()
    proc.join()
    return result  # type: ignore[no-any-return]


def bench_cold_start(repeats: int) -> list[str]:
    code = (
        "import time; t = time.perf_counter(); import voting; "
        "from voting.methods.stv import STV; "
        "p = voting.Profile.from_rankings([['a', 'b'], ['b', 'c'], ['c']]); "
        "STV(seats=2).run(p); print(time.perf_counter() - t)"
    )
    ts = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        )
        ts.append(float(out.stdout.strip().splitlines()[-1]))
    t = (statistics.median(ts), min(ts), max(ts))
    cache = os.environ.get("VOTING_NUMBA_CACHE", "1")
    return ["", f"## cold start: import + first Meek count (VOTING_NUMBA_CACHE={cache})", fmt(t)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--seed", type=int, default=20251125)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--their-repeats", type=int, default=3)
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help="seconds; a slower library is skipped at larger sizes",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/stv.txt")
    args = parser.parse_args(argv)
    big = 10**5 if args.quick else 10**6
    sizes = [10**3, 10**4] if args.quick else [10**4, 10**5]
    lines = header()
    lines += check_small(args.seed)
    lines += bench_ours(big, args.repeats, args.seed)
    lines += bench_side_by_side(sizes, args.repeats, args.their_repeats, args.budget, args.seed)
    lines += bench_cold_start(3)
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.quick:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
