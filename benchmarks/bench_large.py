"""10^8 ballots: the pairwise matrix from memory and streamed from a file, with peak memory.

What is measured (method in ``benchmarks/_harness.py``; rates from the median):

1. ``in memory``: ``--ballots`` (default 10^8) strict ballots over ``--candidates``
   (default 10) in one :class:`voting.Profile` (int32 ranks, 4 GB at 10^8 x 10, plus
   0.8 GB of int64 weights); ``voting.pairwise(profile)`` with the parallel kernel,
   one untimed warm-up call and ``--repeats`` timed calls. Building the profile
   (its validation pass) is timed once, separately.
2. ``from a file``: the same ballots, one per line, in a CIVS CSV file written once
   to ``--dir`` (default ``/tmp``; 2.1 GB at 10^8 x 10) and counted with
   ``voting.pairwise(voting.iter_ballots(path))``: one chunk of 10^6 ballots in
   memory at a time. The warm-up is a pass over a 10^6-ballot file (it loads the
   parser and kernels); ``--file-repeats`` (default 1) timed passes over the big
   file follow. The file is read through the operating system's page cache when it
   fits there (warm cache): this measures parsing and counting, not the disk.

Each part runs in its own fresh interpreter, so that its peak memory is its own:
the report gives the peak resident set size (``ru_maxrss``, the whole process:
interpreter, numba, arrays) and the peak of ``tracemalloc`` (Python and NumPy
allocations), both measured in that interpreter. The streamed count must equal the
in-memory count exactly (checked).

Inputs: 10^6 uniformly random strict ballots from ``numpy.random.default_rng(seed)``,
repeated to the requested size (in memory: copied block by block into one array;
on disk: the same text block written repeatedly). The kernel's cost does not depend
on repetitions this far apart; compressing such a profile would, and is not timed
here.

Run from the repository root (10^8: about 5 minutes of counting, 5 GB of memory
and 2.1 GB in /tmp; ``--quick``: 10^6 ballots, seconds)::

    python3 benchmarks/bench_large.py
    python3 -m benchmarks.bench_large --quick
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import ROOT, Report, Timing, parser

BLOCK = 10**6  # distinct random ballots, repeated to the requested size
CHUNK = 10**6  # ballots per chunk when streaming


def names(c: int) -> list[str]:
    return [f"c{i}" for i in range(c)]


def block(seed: int, n: int, c: int) -> np.ndarray[Any, Any]:
    """``n`` uniformly random strict ballots as int32 tiers."""
    rng = np.random.default_rng(seed)
    return rng.permuted(np.tile(np.arange(c, dtype=np.int32), (n, 1)), axis=1)


def peak_rss_bytes() -> int:
    """Peak resident set size of this process (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# ------------------------------------------------------------------ the parts
def part_memory(args: Any) -> dict[str, Any]:
    """Build the profile and time its pairwise count (runs in a child interpreter)."""
    from voting import Profile, pairwise

    n, c = args.ballots, args.candidates
    tracemalloc.start()
    base = block(args.seed, min(BLOCK, n), c)
    Profile(base[:10], None, names(c))  # warm-up: the validation kernels
    t0 = time.perf_counter()
    ranks = np.empty((n, c), dtype=np.int32)
    for start in range(0, n, len(base)):
        stop = min(n, start + len(base))
        ranks[start:stop] = base[: stop - start]
    ranks.setflags(write=False)
    fill_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    profile = Profile(ranks, None, names(c))  # read-only int32: validated, not copied
    build_s = time.perf_counter() - t0
    pairwise(profile)  # warm-up (kernel from the numba cache or compiled)
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        matrix = pairwise(profile)
        times.append(time.perf_counter() - t0)
    _, traced_peak = tracemalloc.get_traced_memory()
    return {
        "times": times,
        "fill_s": fill_s,
        "build_s": build_s,
        "support": matrix.support.tolist(),
        "rss_peak": peak_rss_bytes(),
        "traced_peak": traced_peak,
        "array_bytes": int(profile.ranks.nbytes + profile.weights.nbytes),
    }


def part_file(args: Any) -> dict[str, Any]:
    """Count the big file chunk by chunk (runs in a child interpreter)."""
    from voting import iter_ballots, pairwise

    big, small = Path(args.big), Path(args.small)
    tracemalloc.start()
    t0 = time.perf_counter()
    pairwise(iter_ballots(small, unranked="last", chunk_size=CHUNK))  # warm-up
    warm_s = time.perf_counter() - t0
    times = []
    for _ in range(args.file_repeats):
        t0 = time.perf_counter()
        matrix = pairwise(iter_ballots(big, unranked="last", chunk_size=CHUNK))
        times.append(time.perf_counter() - t0)
    _, traced_peak = tracemalloc.get_traced_memory()
    return {
        "times": times,
        "warmup_s": warm_s,
        "support": matrix.support.tolist(),
        "rss_peak": peak_rss_bytes(),
        "traced_peak": traced_peak,
        "file_bytes": big.stat().st_size,
    }


# --------------------------------------------------------------------- files
def write_file(path: Path, seed: int, n: int, c: int) -> float:
    """Write ``n`` ballots (the random block, repeated) as CIVS CSV; return seconds."""
    from voting import Profile, write_ballots

    base = block(seed, min(BLOCK, n), c)
    t0 = time.perf_counter()
    text = io.StringIO()
    write_ballots(Profile(base, None, names(c)), text, format="civs")
    header, body = text.getvalue().split("\n", 1)
    lines = body.encode()
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as f:
        f.write(header.encode() + b"\n")
        full, rest = divmod(n, len(base))
        for _ in range(full):
            f.write(lines)
        if rest:
            cut = 0
            for _ in range(rest):
                cut = lines.index(b"\n", cut) + 1
            f.write(lines[:cut])
    tmp.replace(path)
    return time.perf_counter() - t0


def ensure_file(folder: Path, seed: int, n: int, c: int) -> tuple[Path, float | None]:
    """The CIVS file for (seed, n, c), written once; seconds spent writing, or None."""
    path = folder / f"voting-bench-large-{seed}-{n}x{c}.csv"
    if path.exists():
        return path, None
    return path, write_file(path, seed, n, c)


def run_part(part: str, args: Any, **extra: Any) -> dict[str, Any]:
    """Run one part in a fresh interpreter and return its JSON."""
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.bench_large",
        "--part",
        part,
        "--ballots",
        str(args.ballots),
        "--candidates",
        str(args.candidates),
        "--seed",
        str(args.seed),
        "--repeats",
        str(args.repeats),
        "--file-repeats",
        str(args.file_repeats),
    ]
    for key, value in extra.items():
        cmd += [f"--{key}", str(value)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"part {part} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def gib(x: float) -> str:
    return f"{x / 2**30:.2f} GiB"


def main() -> None:
    ap = parser(__doc__.split("\n", 1)[0])
    ap.add_argument("--ballots", type=float, default=1e8, help="ballots (default 1e8)")
    ap.add_argument("--candidates", type=int, default=10, help="candidates (default 10)")
    ap.add_argument("--file-repeats", type=int, default=1, help="timed passes over the file")
    ap.add_argument("--dir", default="/tmp", help="where the ballot files are written")
    ap.add_argument("--part", choices=["memory", "file"], help=argparse_hidden())
    ap.add_argument("--big", help=argparse_hidden())
    ap.add_argument("--small", help=argparse_hidden())
    args = ap.parse_args()
    args.ballots = int(args.ballots)
    if args.part == "memory":
        print(json.dumps(part_memory(args)))
        return
    if args.part == "file":
        print(json.dumps(part_file(args)))
        return
    if args.quick:
        args.ballots = 10**6
    args.repeats = max(args.repeats, 5)
    n, c = args.ballots, args.candidates
    rep = Report("large", f"{n:,} ballots x {c} candidates: pairwise in memory and streamed", args)
    for line in rep.header():
        print(line)

    folder = Path(args.dir)
    small, _ = ensure_file(folder, args.seed, min(BLOCK, n), c)
    big, big_s = ensure_file(folder, args.seed, n, c)
    rep.say("")
    written = "already there" if big_s is None else f"written in {big_s:.1f} s"
    rep.say(f"file: {big} ({gib(big.stat().st_size)}, CIVS CSV; {written})")

    section = "in memory"
    rep.section(f"{section}: voting.pairwise(Profile) on {n:,} x {c} (parallel kernel)")
    mem = run_part("memory", args)
    t = Timing(tuple(mem["times"]))
    rep.record(
        section,
        f"pairwise, {n:,} ballots in memory",
        t,
        n,
        "ballots",
        rss_peak_bytes=mem["rss_peak"],
        tracemalloc_peak_bytes=mem["traced_peak"],
    )
    rep.say(
        f"profile arrays {gib(mem['array_bytes'])}; filled in {mem['fill_s']:.1f} s, "
        f"Profile() validation {mem['build_s']:.1f} s (not in the count)"
    )
    rep.say(
        f"peak memory: {gib(mem['rss_peak'])} resident (ru_maxrss), "
        f"{gib(mem['traced_peak'])} traced (tracemalloc)"
    )

    section = "from a file"
    rep.section(f"{section}: voting.pairwise(voting.iter_ballots(path)), chunks of {CHUNK:,}")
    streamed = run_part("file", args, big=big, small=small)
    t = Timing(tuple(streamed["times"]))
    rep.record(
        section,
        f"pairwise, {n:,} ballots streamed from CIVS CSV",
        t,
        n,
        "ballots",
        rss_peak_bytes=streamed["rss_peak"],
        tracemalloc_peak_bytes=streamed["traced_peak"],
        file_bytes=streamed["file_bytes"],
    )
    mb_s = streamed["file_bytes"] / t.median / 1e6
    rep.say(
        f"{mb_s:,.0f} MB/s of text; {len(streamed['times'])} timed pass(es) after a warm-up "
        f"pass over a {min(BLOCK, n):,}-ballot file ({streamed['warmup_s']:.1f} s)"
    )
    rep.say(
        f"peak memory: {gib(streamed['rss_peak'])} resident (ru_maxrss), "
        f"{gib(streamed['traced_peak'])} traced (tracemalloc)"
    )
    same = streamed["support"] == mem["support"]
    rep.say(f"streamed matrix == in-memory matrix: {same}")
    if not same:
        raise SystemExit("the streamed count differs from the in-memory count")
    rep.note("file", {"path": str(big), "bytes": streamed["file_bytes"], "write_s": big_s})
    out = rep.write()
    print(f"\nwritten: {os.path.relpath(out)} (+ .tsv, .json)")


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
