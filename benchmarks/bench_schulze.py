"""Benchmarks of the Schulze method: the strongest-path kernel and the whole count.

What is timed (one untimed warm-up call first, to pay for JIT compilation; then
``--repeats`` timed calls, median reported with min and max):

1. ``strongest paths``: the closure alone, from a random margin matrix
   (``max(m - m.T, 0)`` of uniform random counts), C = 100, 200, 500, 1000, with the
   dispatching :func:`voting.methods.schulze.strongest_paths` and each kernel
   (sorted defeats; Floyd–Warshall serial and parallel). One extra line times the
   sorted kernel on packed winning-votes codes (values ~10^12, radix-sort path).
2. ``pref_voting``: its Floyd–Warshall ``beat_path`` on the same margins as a
   ``MarginGraph`` (C = 100, 200), side by side with ours (same winners asserted).
3. ``end to end``: ``Schulze().run(Profile(ranks))`` on 10^6 uniformly random
   strict ballots over 10 and 50 candidates (a fresh profile each call, so the
   pairwise count is included), and pref_voting's ``Profile`` + ``beat_path`` on a
   subset of the same ballots (it is far slower); reported as ballots per second.
4. ``cold start``: a new interpreter importing voting and counting 3 ballots (numba
   cache as configured by ``VOTING_NUMBA_CACHE``).

Correctness is asserted at small sizes against ``tests/naive.py`` before timing.
Results go to ``benchmarks/results/schulze.txt`` with a header naming the machine,
thread count and versions. Run from the repository root::

    python3 benchmarks/bench_schulze.py            # full run, a few minutes
    python3 benchmarks/bench_schulze.py --quick    # smaller sizes, for a smoke test
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
from voting import Profile  # noqa: E402
from voting._kernels.schulze import (  # noqa: E402
    _strongest_paths_parallel,
    _strongest_paths_serial,
    _strongest_paths_sorted,
)
from voting.methods.schulze import Schulze, strongest_paths  # noqa: E402

Timing = tuple[float, float, float]  # median, min, max (seconds)


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
    return f"{med * 1e3:10.2f} ms  (min {lo * 1e3:.2f}, max {hi * 1e3:.2f})"


def header() -> list[str]:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import pref_voting

        pv = getattr(pref_voting, "__version__", None)
        if pv is None:
            from importlib.metadata import version

            pv = version("pref_voting")
    except ImportError:
        pv = "not installed"
    return [
        "# bench_schulze: Schulze strongest paths and end-to-end counts",
        f"# date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"# machine: {platform.machine()} {cpu}, {os.cpu_count()} logical CPUs",
        f"# numba threads: {numba.get_num_threads()} ({numba.threading_layer()})",
        f"# python {platform.python_version()}, numpy {np.__version__}, "
        f"numba {numba.__version__}, pref_voting {pv}",
        "# method: 1 untimed warm-up call, then median (min, max) of the timed repeats",
        "# load average at start (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    ]


def random_margins(c: int, rng: np.random.Generator) -> np.ndarray:
    s = rng.integers(0, 1000, size=(c, c))
    return np.maximum(s - s.T, 0).astype(np.int32)


def check_small(rng: np.random.Generator) -> None:
    """The kernels and the method agree with the plain-Python references."""
    for c in (1, 2, 7, 20, 37):
        m = random_margins(c, rng)
        want = naive.widest_paths(m.tolist())
        assert _strongest_paths_serial(m).tolist() == want
        assert _strongest_paths_parallel(m).tolist() == want
        assert _strongest_paths_sorted(m).tolist() == want
    ranks = rng.permuted(np.tile(np.arange(6, dtype=np.int32), (200, 1)), axis=1)
    p = Profile.from_arrays(ranks)
    support = p.pairwise.support.tolist()
    for strength in ("winning", "margins", "ratio"):
        tiers = naive.schulze_tiers(naive.schulze_strongest_paths(support, strength))
        got = Schulze(strength=strength).run(p).ranking  # type: ignore[arg-type]
        assert [set(t) for t in got] == [{p.candidates[i] for i in t} for t in tiers]


def bench_paths(sizes: list[int], repeats: int, rng: np.random.Generator) -> list[str]:
    lines = ["", "## strongest paths alone (random margin matrix, int32 codes)"]
    for c in sizes:
        m = random_margins(c, rng)
        ref = _strongest_paths_serial(m)
        assert np.array_equal(_strongest_paths_parallel(m), ref)
        assert np.array_equal(_strongest_paths_sorted(m), ref)
        for name, fn in (
            ("strongest_paths (auto)", lambda m=m: strongest_paths(m)),
            ("sorted defeats", lambda m=m: _strongest_paths_sorted(m)),
            ("Floyd-Warshall serial", lambda m=m: _strongest_paths_serial(m)),
            ("Floyd-Warshall parallel", lambda m=m: _strongest_paths_parallel(m)),
        ):
            lines.append(f"C={c:5d}  {name:24s} {fmt(timeit(fn, repeats))}")
            print(lines[-1], flush=True)
    c = sizes[-1]
    big = np.ascontiguousarray(random_margins(c, rng).astype(np.int64) * 10**9 + 12345)
    big[np.arange(c), np.arange(c)] = 0
    big = np.where(random_margins(c, rng) > 0, big, 0)
    t = timeit(lambda: _strongest_paths_sorted(big), repeats)
    lines.append(f"C={c:5d}  {'sorted, int64 ~1e12 codes':24s} {fmt(t)}")
    print(lines[-1], flush=True)
    return lines


def bench_pref_voting(sizes: list[int], repeats: int, rng: np.random.Generator) -> list[str]:
    lines = ["", "## against pref_voting beat_path (margins, Floyd-Warshall), same margins"]
    try:
        from pref_voting.margin_based_methods import beat_path
        from pref_voting.weighted_majority_graphs import MarginGraph
    except ImportError:
        return [*lines, "pref_voting not installed"]
    for c in sizes:
        m = random_margins(c, rng)
        edges = [(i, j, int(m[i, j])) for i in range(c) for j in range(c) if m[i, j] > 0]
        mg = MarginGraph(list(range(c)), edges)
        theirs = timeit(lambda mg=mg: beat_path(mg), repeats, warmup=False)
        ours = timeit(lambda m=m: strongest_paths(m), repeats)
        ours_fw = timeit(lambda m=m: _strongest_paths_serial(m), repeats)
        p = strongest_paths(m)
        our_winners = [i for i in range(c) if not (p[:, i] > p[i, :]).any()]
        assert our_winners == beat_path(mg), "different winners"
        lines.append(
            f"C={c:5d}  ours {fmt(ours)}   pref_voting {fmt(theirs)}   "
            f"ratio {theirs[0] / ours[0]:,.0f}x   "
            f"(ours with Floyd-Warshall: {ours_fw[0] * 1e3:.2f} ms, "
            f"ratio {theirs[0] / ours_fw[0]:,.0f}x)"
        )
        print(lines[-1], flush=True)
    return lines


def bench_end_to_end(
    n_ballots: int, sizes: list[int], pv_ballots: int, repeats: int, rng: np.random.Generator
) -> list[str]:
    lines = [
        "",
        f"## end to end: Profile(ranks) -> Schulze().run, {n_ballots:,} random strict ballots",
    ]
    for c in sizes:
        ranks = rng.permuted(np.tile(np.arange(c, dtype=np.int32), (n_ballots, 1)), axis=1)
        ranks.setflags(write=False)
        names = [f"c{i}" for i in range(c)]

        def ours(ranks: np.ndarray = ranks, names: list[str] = names) -> Any:
            return Schulze().run(Profile(ranks, None, names))

        t = timeit(ours, repeats)
        lines.append(f"C={c:3d}  voting      {fmt(t)}   {n_ballots / t[0]:14,.0f} ballots/s")
        print(lines[-1], flush=True)
        try:
            from pref_voting.margin_based_methods import beat_path
            from pref_voting.profiles import Profile as PVProfile
        except ImportError:
            continue
        sub = np.ascontiguousarray(np.argsort(ranks[:pv_ballots], axis=1))

        def theirs(sub: np.ndarray = sub) -> Any:
            return beat_path(PVProfile(sub))

        t_pv = timeit(theirs, repeats, warmup=False)
        ours_sub = Schulze(strength="margins").run(Profile(ranks[:pv_ballots], None, names))
        assert sorted(names.index(w) for w in ours_sub.winners) == theirs()
        lines.append(
            f"C={c:3d}  pref_voting {fmt(t_pv)}   {pv_ballots / t_pv[0]:14,.0f} ballots/s "
            f"(first {pv_ballots:,} ballots; same winners)   "
            f"throughput ratio {n_ballots / t[0] / (pv_ballots / t_pv[0]):,.0f}x"
        )
        print(lines[-1], flush=True)
    return lines


def bench_cold_start(repeats: int) -> list[str]:
    code = (
        "import time; t = time.perf_counter(); import voting; "
        "from voting.methods.schulze import Schulze; "
        "p = voting.Profile.from_rankings([['A', 'B', 'C'], ['B', 'C', 'A'], ['C', 'A', 'B']]); "
        "Schulze().run(p); print(time.perf_counter() - t)"
    )
    ts = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        ts.append(float(out.stdout.strip()))
    cache = os.environ.get("VOTING_NUMBA_CACHE", "1")
    t = (statistics.median(ts), min(ts), max(ts))
    return ["", f"## cold start: import + first count (VOTING_NUMBA_CACHE={cache})", fmt(t)]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "schulze.txt")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    check_small(rng)
    lines = header()
    lines.append(f"# seed {args.seed}, repeats {args.repeats}")
    if args.quick:
        lines += bench_paths([50, 100], args.repeats, rng)
        lines += bench_pref_voting([30], args.repeats, rng)
        lines += bench_end_to_end(10_000, [10], 200, args.repeats, rng)
    else:
        lines += bench_paths([100, 200, 500, 1000], args.repeats, rng)
        lines += bench_pref_voting([100, 200], args.repeats, rng)
        lines += bench_end_to_end(1_000_000, [10, 50], 2_000, args.repeats, rng)
    lines += bench_cold_start(args.repeats)
    lines += ["", "# load average at end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())]
    text = "\n".join(lines) + "\n"
    if not args.quick or args.out != ap.get_default("out"):
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
