"""How reliably the testing kit's default budget catches methods broken on purpose.

For every check that must fail on a method of ``tests/broken_methods.py`` (false
claims such as instant runoff claiming the Condorcet winner criterion and
monotonicity, and deliberate bugs), the check runs under
:data:`voting.testing.DEFAULT_BUDGET` with seeds ``0 .. --seeds - 1`` and shrinking
off (shrinking starts only after the first counterexample, so it cannot change
whether one is found). The report gives, per check, how many seeds caught it and
the examples and CPU seconds the search took until the first counterexample.

This is a measurement of *reliability*, not speed. The budget is CPU time, so the
load of a shared machine (in the header) changes how long the run takes by the clock,
not how much is searched. Run from the repository root
(about 4 minutes for 20 seeds; ``--quick``: 3 seeds)::

    python3 -m benchmarks.bench_testing_kit
    python3 -m benchmarks.bench_testing_kit --seeds 100 --only monotonicity --out testing_kit_hard

Writes ``benchmarks/results/testing_kit.txt`` (``results/quick/`` with ``--quick``).
"""

from __future__ import annotations

import dataclasses
import statistics
import time

from benchmarks._harness import RESULTS, Report, load_average, parser
from tests.broken_methods import BROKEN_CHECKS
from voting.testing import ALL_CHECKS, DEFAULT_BUDGET, CheckFailure


def main(argv: list[str] | None = None) -> None:
    ap = parser(__doc__.split("\n", 1)[0] if __doc__ else "")
    ap.add_argument("--seeds", type=int, default=20, help="seeds per check (default 20)")
    ap.add_argument(
        "--only", action="append", default=[], help="checks whose label contains this (repeatable)"
    )
    args = ap.parse_args(argv)
    seeds = 3 if args.quick else args.seeds
    rep = Report("testing_kit", "default budget of voting.testing on broken methods", args)
    for line in rep.header():
        if not line.startswith("# seed "):
            rep.say(line)
    rep.say(f"# budget: {DEFAULT_BUDGET.describe()}; seeds 0..{seeds - 1}; shrinking off")
    rep.say("")
    rep.say(
        f"{'broken method: check':<78} {'caught':>7} {'examples med/max':>17} {'CPU s med/max':>14}"
    )
    missed = 0
    total = 0
    slowest = 0.0
    chosen = [c for c in BROKEN_CHECKS if not args.only or any(o in c[0] for o in args.only)]
    for label, method, check_name in chosen:
        check = ALL_CHECKS[check_name]
        caught, examples, seconds = 0, [], []
        for seed in range(seeds):
            budget = dataclasses.replace(DEFAULT_BUDGET, seed=seed, shrink=False)
            start = time.perf_counter()
            try:
                check(method, budget=budget)
            except CheckFailure as failure:
                caught += 1
                if failure.searched is not None:
                    examples.append(failure.searched.examples)
                    seconds.append(failure.searched.cpu_seconds)
                continue
            finally:
                total += 1
            missed += 1
            rep.say(f"  MISSED with seed {seed} after {time.perf_counter() - start:.1f} s")
        slowest = max([slowest, *seconds])
        ex = f"{statistics.median(examples):.0f}/{max(examples)}" if examples else "-"
        sec = f"{statistics.median(seconds):.2f}/{max(seconds):.2f}" if seconds else "-"
        rep.say(f"{label:<78} {caught:>3}/{seeds:<3} {ex:>17} {sec:>14}")
    rep.say("")
    rep.say(
        f"caught {total - missed} of {total} runs ({len(chosen)} checks x {seeds} seeds); "
        f"slowest catch {slowest:.2f} CPU s of the {DEFAULT_BUDGET.seconds:g} CPU s budget"
    )
    rep.say(f"# load average (1, 5, 15 min) at end: {load_average()}")
    folder = RESULTS / "quick" if args.quick else RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{args.out or 'testing_kit'}.txt"
    out.write_text("\n".join(rep.lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
