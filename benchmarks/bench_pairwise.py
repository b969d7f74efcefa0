# mypy: disable-error-code="import-untyped,misc"
"""Benchmarks of the pairwise count (``voting.pairwise``): throughput and scaling.

What is measured (method in ``benchmarks/_harness.py``: fixed seed, one untimed
warm-up call, then ``--repeats`` timed calls; rates from the median):

1. ``headline``: 10^6 uniformly random strict ballots over 10 and 50 candidates,
   ``voting.pairwise(p, parallel=False)`` and ``parallel=True`` on a prebuilt
   profile, and end to end from an int32 rank array (``Profile(...)`` + count).
   Side by side, on the same ballots: a NumPy-vectorised floor (``ranks[:, :, None]
   < ranks[:, None, :]`` summed in chunks) and pref_voting, whose ``Profile``
   constructor computes its pairwise tally (timed on a 10^4-ballot prefix, it is
   slow) and whose tally kernel alone (``pref_voting.profiles._support`` for every
   pair, as its constructor calls it) is timed on a 10^5-ballot prefix. Ratios
   compare ballots per second.
2. ``compressed vs raw``: the same count on ``p.compress()`` (identical ballots
   merged, weights summed), for uniform ballots (few duplicates) and for ballots
   drawn from a pool of 1000 rankings (many); rates are voters per second.
3. ``scaling``: ballots 10^3..10^7 at C = 10, and C = 5..200 at 10^5 ballots (500 and
   1000 at 10^4),
   serial and parallel, with least-squares log-log exponents of time against V
   and of time per ballot against C (expected: 1, and up to 2 from O(V·C²/64)).
Cold start (``import voting`` and the first counts in fresh interpreters, numba
cache on and off) is in ``bench_cold.py``, with the other kernels.

Correctness is asserted before timing: the kernels against the plain-Python
``voting.testing._reference.pairwise_counts`` on
small profiles with ties, truncation, weights and both unranked policies, the NumPy
floor and pref_voting's tally against our counts on the benchmark ballots.

Run from the repository root (about 5-8 minutes on 2 cores; ``--quick``: ~1)::

    python3 benchmarks/bench_pairwise.py
    python3 -m benchmarks.bench_pairwise --quick
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import Report, names, parser, strict_ballots, time_call
from voting import UNRANKED, Profile, pairwise
from voting.testing._reference import pairwise_counts

Array = np.ndarray[Any, Any]


# ---------------------------------------------------------------------- inputs
def mixed_profile(rng: np.random.Generator, n: int, c: int, unranked: str) -> Profile:
    """Ballots with ties, truncation and weights, for the correctness checks."""
    ranks = rng.permuted(np.tile(np.arange(c, dtype=np.int64), (n, 1)), axis=1)
    ranks[::2] = np.minimum(ranks, rng.integers(0, c, size=(n, 1)))[::2]
    ranks[rng.random((n, c)) < 0.2] = UNRANKED
    weights = np.where(rng.random(n) < 0.3, rng.integers(2, 10**12, size=n), 1)
    return Profile(ranks, weights, names(c), unranked)  # type: ignore[arg-type]


# ------------------------------------------------------------------ baselines
def numpy_floor(ranks: Array, weights: Array | None = None, chunk: int = 4096) -> Array:
    """Pairwise counts by NumPy broadcasting, ``chunk`` ballots at a time (policy "last")."""
    c = ranks.shape[1]
    out = np.zeros((c, c), dtype=np.int64)
    for lo in range(0, len(ranks), chunk):
        r = ranks[lo : lo + chunk]
        beats = r[:, :, None] < r[:, None, :]
        if weights is None:
            out += beats.sum(axis=0, dtype=np.int64)
        else:
            out += np.tensordot(weights[lo : lo + chunk], beats, axes=(0, 0))
    return out


def pref_voting_available() -> bool:
    try:
        import pref_voting.profiles  # noqa: F401
    except ImportError:
        return False
    return True


def pv_profile(ranks: Array) -> Any:
    from pref_voting.profiles import Profile as PVProfile

    return PVProfile(np.argsort(ranks, axis=1))  # rankings: candidates, best first


def pv_tally(pv_ranks: Array, rcounts: Array) -> Array:
    """pref_voting's pairwise tally alone, computed as its ``Profile`` constructor does."""
    from pref_voting.profiles import _support

    c = pv_ranks.shape[1]
    return np.array([[_support(pv_ranks, rcounts, a, b) for b in range(c)] for a in range(c)])


# ----------------------------------------------------------------- correctness
def check_small(rng: np.random.Generator) -> None:
    for c in (1, 2, 5, 10, 17, 33, 50, 70):
        for unranked in ("last", "ignore"):
            p = mixed_profile(rng, 300, c, unranked)
            want = pairwise_counts(p.ranks.tolist(), p.weights.tolist(), unranked)
            for parallel in (False, True):
                got = pairwise(p, parallel=parallel).support
                assert got.tolist() == want, (c, unranked, parallel)
            if unranked == "last":
                assert numpy_floor(p.ranks, p.weights, chunk=64).tolist() == want


# ------------------------------------------------------------------- sections
def headline(rep: Report, rng: np.random.Generator, n: int, pv_n: int, tally_n: int) -> None:
    section = "headline"
    rep.section(f"{section}: {n:,} uniformly random strict ballots (ballots/s)")
    for c in (10, 50):
        ranks = strict_ballots(rng, n, c)
        p = Profile(ranks, None, names(c))
        serial = pairwise(p, parallel=False).support
        assert np.array_equal(pairwise(p, parallel=True).support, serial)
        rates = {}
        rep.say(f"C = {c}")
        for label, par in (("voting serial", False), ("voting parallel", True)):
            t = time_call(lambda p=p, par=par: pairwise(p, parallel=par), rep.args.repeats)
            rates[label] = rep.record(section, f"C={c} {label}", t, n, "ballots")

        def end_to_end(ranks: Array = ranks, c: int = c) -> Any:
            return pairwise(Profile(ranks, None, names(c)))

        t = time_call(end_to_end, rep.args.repeats)
        rates["end to end"] = rep.record(
            section, f"C={c} voting Profile()+pairwise", t, n, "ballots"
        )
        m = n if c <= 10 else max(n // 10, 1000)
        floor = numpy_floor(ranks[:m])
        assert np.array_equal(floor, pairwise(Profile(ranks[:m], None, names(c))).support)
        t = time_call(lambda r=ranks[:m]: numpy_floor(r), rep.args.repeats)
        rates["numpy"] = rep.record(section, f"C={c} numpy floor ({m:,} ballots)", t, m, "ballots")
        if pref_voting_available():
            sub = ranks[:tally_n]
            pv_ranks = sub.astype(np.int64) + 1  # pref_voting: positions from 1
            rcounts = np.ones(len(sub), dtype=np.int64)
            ours = pairwise(Profile(sub, None, names(c))).support
            assert np.array_equal(pv_tally(pv_ranks, rcounts), ours)
            t = time_call(lambda r=pv_ranks, w=rcounts: pv_tally(r, w), rep.args.repeats)
            rates["pv tally"] = rep.record(
                section, f"C={c} pref_voting tally ({tally_n:,})", t, tally_n, "ballots"
            )
            small = ranks[:pv_n]
            prof = pv_profile(small)
            assert np.array_equal(
                np.asarray(prof._tally), pairwise(Profile(small, None, names(c))).support
            )
            t = time_call(lambda r=small: pv_profile(r), rep.args.repeats, warmup=False)
            rates["pv profile"] = rep.record(
                section, f"C={c} pref_voting Profile() ({pv_n:,})", t, pv_n, "ballots"
            )
        best = max(rates["voting serial"], rates["voting parallel"])
        ratios = [f"numpy floor {best / rates['numpy']:,.0f}x"]
        if "pv tally" in rates:
            ratios.append(f"pref_voting tally {best / rates['pv tally']:,.0f}x")
            ratios.append(
                f"end to end vs pref_voting Profile() "
                f"{rates['end to end'] / rates['pv profile']:,.0f}x"
            )
        rep.say(f"C={c} ratios (best voting kernel vs ...): " + ", ".join(ratios))


def compressed(rep: Report, rng: np.random.Generator, n: int) -> None:
    section = "compressed"
    rep.section(f"{section} vs raw profile: {n:,} voters (voters/s)")
    for c in (10, 50):
        uniform = strict_ballots(rng, n, c)
        pool = strict_ballots(rng, 1000, c)
        drawn = pool[rng.zipf(1.5, size=n) % 1000]  # skewed: a few rankings dominate
        for label, ranks in (("uniform", uniform), ("pool of 1000", drawn)):
            raw = Profile(ranks, None, names(c))
            t_comp = time_call(raw.compress, 1, warmup=False)
            comp = raw.compress()
            want = pairwise(raw).support
            assert np.array_equal(pairwise(comp).support, want)
            rep.say(
                f"C={c} {label}: {comp.num_ballots:,} distinct ballots; "
                f"compress() {t_comp.median * 1e3:.1f} ms"
            )
            for kind, prof in (("raw", raw), ("compressed", comp)):
                t = time_call(lambda prof=prof: pairwise(prof), rep.args.repeats)
                rep.record(section, f"C={c} {label} {kind}", t, n, "voters")


KINDS = ("serial", "parallel")


def count(p: Profile, kind: str) -> Any:
    return pairwise(p, parallel=kind == "parallel")


def scaling(rep: Report, rng: np.random.Generator, voters: list[int], cands: list[int]) -> None:
    section = "scaling V"
    rep.section(f"{section}: C = 10, ballots {voters[0]:,} to {voters[-1]:,}")
    times: dict[str, list[float]] = {"serial": [], "parallel": []}
    for n in voters:
        p = Profile(strict_ballots(rng, n, 10), None, names(10))
        for kind in times:
            t = time_call(
                lambda p=p, k=kind: pairwise(p, parallel=k == "parallel"), rep.args.repeats
            )
            rep.record(section, f"V={n:>10,} {kind}", t, n, "ballots")
            times[kind].append(t.median)
    big = [i for i, n in enumerate(voters) if n >= 10**5]
    big = big if len(big) >= 2 else list(range(len(voters)))
    for kind, ts in times.items():
        rep.fit(section, f"{kind}: time", [voters[i] for i in big], [ts[i] for i in big], "1")

    n = rep.args.c_sweep_ballots
    section = "scaling C"
    rep.section(
        f"{section}: {n:,} ballots ({n // 10:,} above C = 200), C = {cands[0]} to {cands[-1]} "
        "(ns per ballot)"
    )
    per: dict[str, list[float]] = {"serial": [], "parallel": []}
    for c in cands:
        m = n if c <= 200 else n // 10  # the cost per ballot is what is compared
        p = Profile(strict_ballots(rng, m, c), None, names(c))
        for kind in per:
            t = time_call(
                lambda p=p, k=kind: pairwise(p, parallel=k == "parallel"), rep.args.repeats
            )
            rep.record(section, f"C={c:>4} {kind}", t, m, "ballots", x=c)
            per[kind].append(t.median / m)
        rep.say(
            f"C={c:>4}: {per['serial'][-1] * 1e9:8.1f} ns/ballot serial, "
            f"{per['serial'][-1] * 1e9 / (c * c / 64):6.2f} ns per C²/64"
        )
    for kind, ts in per.items():
        wide = [i for i, c in enumerate(cands) if c > 64]  # the multi-word path
        wide = wide if len(wide) >= 2 else list(range(len(cands)))
        expected = "2 once the words are full (O(C²/64) per ballot)"
        rep.fit(section, f"{kind}: time per ballot", cands, ts, expected)
        xs, ys = [cands[i] for i in wide], [ts[i] for i in wide]
        rep.fit(section, f"{kind}: time per ballot, multi-word", xs, ys, expected)


def crossover(rep: Report, rng: np.random.Generator, sizes: list[int]) -> None:
    """Serial against parallel on small inputs: where the thread pool starts to pay."""
    section = "crossover"
    rep.section(f"{section}: serial vs parallel on small profiles (for PARALLEL_MIN_CELLS)")
    for c in (10, 50):
        first = None
        for n in sizes:
            p = Profile(strict_ballots(rng, n, c), None, names(c))
            ts = {k: time_call(lambda p=p, k=k: count(p, k), rep.args.repeats) for k in KINDS}
            for k, t in ts.items():
                rep.record(section, f"C={c} V={n:,} {k}", t, n, "ballots")
            if first is None and ts["parallel"].median < ts["serial"].median:
                first = n
        where = f"{first:,} ballots = {first * c:,} cells" if first else "not reached"
        rep.say(f"C={c}: parallel first faster at {where}")


def main() -> None:
    ap = parser(__doc__.split("\n", 1)[0])
    args = ap.parse_args()
    args.repeats = max(args.repeats, 5)
    if args.quick:
        n, pv_n, tally_n = 10**5, 2000, 10**4
        voters, cands = [10**3, 10**4, 10**5], [5, 10, 50, 100]
        args.c_sweep_ballots = 10**4
    else:
        n, pv_n, tally_n = 10**6, 10**4, 10**5
        voters = [10**3, 10**4, 10**5, 10**6, 10**7]
        cands = [5, 8, 10, 16, 20, 32, 50, 64, 100, 128, 200, 500, 1000]
        args.c_sweep_ballots = 10**5
    rep = Report("pairwise", "voting.pairwise throughput and scaling", args)
    rep.competitors = ["pref_voting"]
    rng = np.random.default_rng(args.seed)
    for line in rep.header():
        print(line)
    check_small(rng)
    rep.say("")
    rep.say(
        "correctness: kernels == plain-Python reference (ties, truncation, weights up to 1e12, "
        "both policies, C = 1..70); numpy floor and pref_voting tally == ours"
    )
    headline(rep, rng, n, pv_n, tally_n)
    compressed(rep, rng, n)
    scaling(rep, rng, voters, cands)
    crossover(rep, rng, [500, 1000, 2000, 5000, 10_000, 20_000, 50_000])
    out = rep.write()
    print(f"\nwritten: {os.path.relpath(out)} (+ .tsv, .json)")
    print(json.dumps({"load_at_end": os.getloadavg()}))


if __name__ == "__main__":
    main()
