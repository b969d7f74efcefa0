"""Meek STV on 10^7 ballots from a file, as the command line counts it: time and memory.

``voting count FILE --method stv --rule meek --seats 5`` on ``--ballots`` (default
10^7) uniformly random strict rankings of ``--candidates`` (default 20), a CIVS CSV
written once to ``--dir`` (default ``/tmp``; about 510 MB). Uniform rankings of 20
candidates are all distinct, the worst case for every step that merges equal ballots.

Two measurements, each in a fresh process:

1. **command**: ``python -m voting count ...``, wall time and peak resident memory
   (``ru_maxrss`` of the child);
2. **stages**: the same work in steps, timed inside one process: reading the file
   (``read_ballots``, which merges equal ballots), the pairwise matrix the command
   prints, STV's compression to unique rankings (``compress``), and the Meek count
   (``STV.run``, which compresses again), with the peak memory at the end.

``--baseline DIR`` runs both on another checkout (``git archive <commit> | tar -x -C
DIR``) with the same interpreter and libraries, side by side under the same load.

Run from the repository root (minutes: the baseline alone took 80 s a count)::

    python3 -m benchmarks.bench_meek_large --baseline /tmp/voting-main
    python3 -m benchmarks.bench_meek_large --quick
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import ROOT, Report, Timing, parser

BLOCK = 10**6

STAGES = """
import json, resource, sys, time
import voting
from voting.methods.stv._ballots import compress
path = sys.argv[1]
t = [time.perf_counter()]
profile, report = voting.read_ballots(path, errors="collect")
t.append(time.perf_counter())
profile.pairwise
t.append(time.perf_counter())
b = compress(profile)
t.append(time.perf_counter())
result = voting.STV(seats=5, rule="meek").run(profile)
t.append(time.perf_counter())
names = ["read_ballots", "pairwise", "STV compress", "Meek count (STV.run)"]
out = {n: t[i + 1] - t[i] for i, n in enumerate(names)}
out["distinct rankings"] = b.n_unique
out["elected"] = list(result.elected)
out["peak GiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
print(json.dumps(out))
"""


def write_file(path: Path, n: int, c: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    tmp = path.with_suffix(f".part{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(",".join(f"c{i:02d}" for i in range(c)) + "\n")
        for lo in range(0, n, BLOCK):
            m = min(BLOCK, n - lo)
            ranks = rng.permuted(np.tile(np.arange(1, c + 1), (m, 1)), axis=1)
            np.savetxt(f, ranks, fmt="%d", delimiter=",")
    tmp.rename(path)


def child_env(tree: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("VOTING_ENGINE", None)
    return env


WARM_MERGES = """
import sys
import voting, voting.streaming
voting.streaming.MIN_BATCH_ROWS = 10_000
voting.read_ballots(sys.argv[1], chunk_size=20_000)
"""

COMMAND = """
import resource, runpy, sys
sys.argv = ["voting", "count", sys.argv[1], "--method", "stv", "--rule", "meek", "--seats", "5"]
try:
    runpy.run_module("voting", run_name="__main__")
finally:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"peak GiB {peak}", file=sys.stderr)
"""


def run_command(tree: Path, path: Path) -> tuple[float, float, str]:
    """Wall seconds, peak GiB and the 'Elected:' line of one ``voting count``."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", COMMAND, str(path)],
        cwd=tree,
        env=child_env(tree),
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"voting count failed on {tree}:\n{done.stderr}")
    peak = float(done.stderr.rsplit("peak GiB ", 1)[1].split()[0])
    elected = next(x for x in done.stdout.splitlines() if x.startswith("Elected:"))
    return wall, peak, elected


def main() -> None:
    ap = parser(__doc__.split("\n", 1)[0])
    ap.add_argument("--ballots", type=int, default=10**7)
    ap.add_argument("--candidates", type=int, default=20)
    ap.add_argument("--dir", type=Path, default=Path("/tmp"))
    ap.add_argument("--baseline", type=Path, default=None, help="another checkout to compare")
    ap.set_defaults(repeats=1)
    args = ap.parse_args()
    if args.quick:
        args.ballots = 10**5
    n, c = args.ballots, args.candidates
    path = args.dir / f"voting-bench-meek-{args.seed}-{n}x{c}.csv"
    if not path.exists():
        write_file(path, n, c, args.seed)
    trees = [("this checkout", ROOT)]
    if args.baseline is not None:
        trees.insert(0, ("baseline", args.baseline.resolve()))
    rep = Report("meek_large", f"Meek STV on {n:,} ballots x {c} candidates from a file", args)
    for line in rep.header():
        print(line)
    rep.say(f"file: {path} ({path.stat().st_size / 2**20:,.0f} MiB, CIVS CSV, uniform strict)")
    for label, tree in trees:
        marker = tree / "BASELINE_COMMIT"
        what = f" (commit {marker.read_text().strip()})" if marker.exists() else ""
        rep.say(f"{label}: {tree}{what}")
    # warm the numba caches of both checkouts on a small file (not timed): every kernel
    # the timed runs use is compiled here, not in them
    small = args.dir / f"voting-bench-meek-{args.seed}-200000x{c}.csv"
    if not small.exists():
        write_file(small, 200_000, c, args.seed)
    for _, tree in trees:
        with_env = child_env(tree)
        with_env["VOTING_ENGINE"] = "numba"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "voting",
                "count",
                str(small),
                "--method",
                "stv",
                "--seats",
                "5",
            ],
            cwd=tree,
            env=with_env,
            capture_output=True,
            check=True,
        )
        # and the merges of a ballot counter (the large read merges batches of 2**20)
        subprocess.run(
            [sys.executable, "-c", WARM_MERGES, str(small)],
            cwd=tree,
            env=with_env,
            capture_output=True,
            check=True,
        )
    section = "meek large"
    rep.section(f"{section}: voting count FILE --method stv --rule meek --seats 5")
    for label, tree in trees:
        wall, peak, elected = run_command(tree, path)
        rep.say(f"{label:<14s} command  {wall:8.2f} s   peak {peak:5.2f} GiB   {elected}")
        rep.rows.append(
            {
                "section": section,
                "case": f"{label} | command",
                "items": n,
                "unit": "ballots",
                "rate_per_s": n / wall,
                "min_s": wall,
                "median_s": wall,
                "mean_s": wall,
                "max_s": wall,
                "tree": label,
                "stage": "command",
                "peak_gib": round(peak, 3),
            }
        )
        done = subprocess.run(
            [sys.executable, "-c", STAGES, str(path)],
            cwd=tree,
            env=child_env(tree),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"stages failed on {tree}:\n{done.stderr}")
        got = json.loads(done.stdout.strip().splitlines()[-1])
        for stage in ("read_ballots", "pairwise", "STV compress", "Meek count (STV.run)"):
            t = Timing((got[stage],))
            rep.say(f"{label:<14s} {stage:<22s} {t.median:8.2f} s")
            rep.rows.append(
                {
                    "section": section,
                    "case": f"{label} | {stage}",
                    "items": n,
                    "unit": "ballots",
                    "rate_per_s": n / t.median,
                    "min_s": t.min,
                    "median_s": t.median,
                    "mean_s": t.mean,
                    "max_s": t.max,
                    "tree": label,
                    "stage": stage,
                }
            )
        rep.say(
            f"{label:<14s} stages in one process: peak {got['peak GiB']:.2f} GiB, "
            f"{got['distinct rankings']:,} distinct rankings, elected {', '.join(got['elected'])}"
        )
        rep.note(f"{label} stages", got)
    out = rep.write()
    print(f"\nwritten: {os.path.relpath(out)} (+ .tsv, .json)")


if __name__ == "__main__":
    main()
