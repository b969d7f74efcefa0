"""The first ``voting`` commands after an install: wall time, cold and warm numba cache.

Each command is run as a user runs it, ``python -m voting ARGS`` in a fresh process,
and timed from outside (interpreter start to exit, output discarded):

- **cold**: with a fresh, empty ``NUMBA_CACHE_DIR``, as on the first run after an
  install (or a change of numba or of CPU): whatever numba kernel the command needs
  is compiled in the process;
- **warm**: the same command again, ``--repeats`` times, with the cache that the
  cold run left (the median is reported).

Beside each wall time, the CPU time the process used (user + system, from
``getrusage`` of the child): on a machine shared with other work, the wall time grows
with the load and the CPU time much less.

Each command gets its own fresh cache for its cold run, so each cold figure is what
that command costs when it is the first one a user types. Python's own bytecode is
compiled beforehand (``compileall``), as ``pip install`` does.

``--baseline DIR`` runs the same commands, with the same interpreter and libraries,
on another checkout of the package (``git archive <commit> | tar -x -C DIR``), so a
change is measured before and after side by side, in one run, under the same load.

Run from the repository root (about a minute for this checkout; a baseline that
compiles its kernels on every cold run adds several minutes)::

    python3 -m benchmarks.bench_first_run
    python3 -m benchmarks.bench_first_run --baseline /tmp/voting-main
    python3 -m benchmarks.bench_first_run --quick
"""

from __future__ import annotations

import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import ROOT, Report, Timing, parser

COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (name, tuple(args.split()))
    for name, args in (
        ("voting --help", "--help"),
        ("voting methods", "methods"),
        ("count debian-leader-2005 (schulze)", "count --example debian-leader-2005"),
        (
            "count kubernetes-steering-2023 (schulze)",
            "count --example kubernetes-steering-2023",
        ),
        ("count nixos-steering-2024 (schulze)", "count --example nixos-steering-2024"),
        *(
            (
                f"count debian-leader-2005 --method {m}",
                f"count --example debian-leader-2005 --method {m}",
            )
            for m in ("minimax", "ranked_pairs", "irv", "condorcet_irv")
        ),
        *(
            (f"count nixos-steering-2024 {m}", f"count --example nixos-steering-2024 {m}")
            for m in (
                "--method stv --rule meek --seats 7",
                "--method stv --rule scottish --seats 7",
                "--method civs_proportional --seats 7",
            )
        ),
        ("analyze debian-leader-2005", "analyze --example debian-leader-2005"),
        ("analyze nixos-steering-2024", "analyze --example nixos-steering-2024"),
    )
)
QUICK = ("voting --help", "voting methods", "count debian-leader-2005 (schulze)")


def run_once(tree: Path, args: tuple[str, ...], cache: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``python -m voting ARGS`` on checkout ``tree`` with numba
    cache ``cache``."""
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "NUMBA_CACHE_DIR": cache,
        "VOTING_NUMBA_CACHE": "1",
    }
    env.pop("VOTING_ENGINE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "voting", *args],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"voting {' '.join(args)} failed on {tree}:\n{done.stderr}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return elapsed, cpu


def main() -> None:
    ap = parser(__doc__.split("\n", 1)[0])
    ap.add_argument("--baseline", type=Path, default=None, help="another checkout to compare")
    ap.set_defaults(repeats=5)
    args = ap.parse_args()
    if args.quick:
        args.repeats = 2
    trees = [("this checkout", ROOT)]
    if args.baseline is not None:
        trees.insert(0, ("baseline", args.baseline.resolve()))
    for _, tree in trees:
        compileall.compile_dir(tree / "voting", quiet=1)
    rep = Report("first_run", "first commands after an install: wall time, cold and warm", args)
    for line in rep.header():
        print(line)
    for label, tree in trees:
        rep.say(f"{label}: {tree}" + (f" ({_describe(tree)})" if _describe(tree) else ""))
    section = "first run"
    rep.section(
        f"{section}: python -m voting ..., seconds (cold: 1 run on an empty numba cache; "
        f"warm: median of {args.repeats})"
    )
    commands = [c for c in COMMANDS if not args.quick or c[0] in QUICK]
    for name, argv in commands:
        for label, tree in trees:
            with tempfile.TemporaryDirectory(prefix="voting-numba-cache-") as cache:
                cold, cold_cpu = run_once(tree, argv, cache)
                runs = [run_once(tree, argv, cache) for _ in range(args.repeats)]
            warm = Timing(tuple(w for w, _ in runs))
            warm_cpu = statistics.median(c for _, c in runs)
            rep.say(
                f"{name:<54s} {label:<14s} cold {cold:7.2f} s (cpu {cold_cpu:5.2f})   "
                f"warm median {warm.median:6.2f} s (cpu {warm_cpu:5.2f})"
                f"  (min {warm.min:.2f}, max {warm.max:.2f})"
            )
            for kind, t, cpu in (("cold", Timing((cold,)), cold_cpu), ("warm", warm, warm_cpu)):
                rep.rows.append(
                    {
                        "section": section,
                        "case": f"{name} | {label} | {kind}",
                        "items": 1,
                        "unit": "run",
                        "rate_per_s": 1 / t.median,
                        "min_s": t.min,
                        "median_s": t.median,
                        "mean_s": sum(t.times) / len(t.times),
                        "max_s": t.max,
                        "command": name,
                        "tree": label,
                        "cache": kind,
                        "cpu_s": round(cpu, 4),
                    }
                )
    out = rep.write()
    print(f"\nwritten: {os.path.relpath(out)} (+ .tsv, .json)")


def _describe(tree: Path) -> str:
    """The commit a checkout was archived from, when ``git archive`` recorded it."""
    done = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    )
    if done.returncode == 0:
        return f"commit {done.stdout.strip()}"
    marker = tree / "BASELINE_COMMIT"
    return f"commit {marker.read_text().strip()}" if marker.exists() else ""


if __name__ == "__main__":
    main()
