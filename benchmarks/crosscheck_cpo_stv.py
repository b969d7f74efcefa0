"""Cross-check ``voting.CPOSTV`` against pref_voting's ``cpo_stv`` on random strict profiles.

Not a timing benchmark (so ``run_all`` does not pick it up): it counts how often the
winning committees agree and sorts every disagreement by cause. The results are in
``benchmarks/results/cpo_stv_crosscheck.txt`` and ``docs/methods/cpo-stv.md``.

- Profiles: ``random.Random(seed)``; 3-6 candidates, 2-3 seats (fewer than the
  candidates), 5-30 uniformly random strict ballots.
- Both sides use minimax completion (pref_voting's default). pref_voting returns one
  committee, picked at random among tied ones, so its full tie set is rebuilt from its
  own ``_committee_margin_pwt`` margins and its ``minimax`` on a ``MarginGraph``,
  exactly as its ``cpo_stv`` does.
- A disagreement is **float noise** when pref_voting's winners equal ours once its
  margins are rounded to 6 decimals. It is the **surplus rule** when some margins
  differ by more than our resolution, and every such comparison has at least two
  transferring candidates in both committees; this is checked, and any exception is
  listed. Anything else is **other**.

Run from the repository root (about 1-2 minutes)::

    python3 -m benchmarks.crosscheck_cpo_stv --seed 7 --profiles 1000
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voting import CPOSTV, Profile

RESULTS = Path(__file__).resolve().parent / "results"


def pref_voting_winners(rankings: list[tuple[int, ...]], seats: int, digits: int | None) -> Any:
    from pref_voting.margin_based_methods import minimax
    from pref_voting.profiles import Profile as PVProfile
    from pref_voting.proportional_methods import _committee_margin_pwt
    from pref_voting.weighted_majority_graphs import MarginGraph

    pw = PVProfile(rankings).to_profile_with_ties()
    cands = sorted({c for r in rankings for c in r})
    committees = list(itertools.combinations(cands, seats))
    margins: dict[tuple[Any, Any], float] = {}
    for i, a in enumerate(committees):
        for b in committees[i + 1 :]:
            m = _committee_margin_pwt(a, b, pw)
            if digits is not None:
                m = round(m, digits) + 0.0
            margins[a, b], margins[b, a] = m, -m
    cw = [a for a in committees if all(margins[a, b] > 0 for b in committees if b != a)]
    if cw:
        return {frozenset(cw[0])}, margins
    edges = [(a, b, m) for (a, b), m in margins.items() if m > 0]
    return {frozenset(w) for w in minimax(MarginGraph(committees, edges))}, margins


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--profiles", type=int, default=1000)
    args = ap.parse_args(argv)
    import pref_voting

    rng = random.Random(args.seed)
    agree = 0
    causes: dict[str, int] = {}
    lines: list[str] = []
    exceptions: list[str] = []
    differing: list[float] = []
    for trial in range(args.profiles):
        c = rng.randint(3, 6)
        seats = rng.randint(2, min(3, c - 1))
        v = rng.randint(5, 30)
        rankings = [tuple(rng.sample(range(c), c)) for _ in range(v)]
        theirs, margins = pref_voting_winners(rankings, seats, None)
        names = [str(i) for i in range(c)]
        p = Profile.from_rankings([[str(x) for x in r] for r in rankings], candidates=names)
        e = CPOSTV(seats=seats, completion="minimax").run(p).explanation
        ours = {frozenset(int(x) for x in k) for k in e.winning_committees}
        if ours == theirs:
            agree += 1
            continue
        rounded, _ = pref_voting_winners(rankings, seats, 6)
        big = []
        for (a, b), m in margins.items():
            sa, sb = tuple(map(str, a)), tuple(map(str, b))
            d = abs(float(e.margin(sa, sb)) - m)
            if d > max(1e-5, float(e.resolution)):
                big.append(d)
                keep = e.compare(sa, sb).keep
                if sum(1 for k in keep.values() if k < 1) <= 1:
                    exceptions.append(f"profile {trial}: {a} vs {b} differs by {d:.3g}")
        differing += big
        if rounded == ours:
            cause = "float noise"
        elif big:
            cause = "surplus rule"
        else:
            cause = "other"
        causes[cause] = causes.get(cause, 0) + 1
        lines.append(
            f"profile {trial}: {c} candidates, {seats} seats, {v} voters; pref_voting "
            f"{sorted(sorted(k) for k in theirs)}, ours {sorted(sorted(k) for k in ours)}; "
            f"{cause}" + (f" (largest margin difference {max(big):.3g})" if big else "")
        )
    n = args.profiles
    head = [
        "# CPO-STV cross-check: voting.CPOSTV(completion='minimax') vs pref_voting cpo_stv",
        f"# pref_voting {pref_voting.__version__}; seed {args.seed}; {n} random strict profiles",
        f"agreement: {agree}/{n} ({100 * agree / n:.1f}%)",
        "disagreements by cause: " + ", ".join(f"{k} {v}" for k, v in sorted(causes.items())),
        "margin differences above the resolution: "
        + (f"{min(differing):.3g} to {max(differing):.3g} votes" if differing else "none"),
        "such differences with at most one transferring candidate (should be none): "
        + (", ".join(exceptions) if exceptions else "none"),
        "",
    ]
    text = "\n".join(head + lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cpo_stv_crosscheck.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
