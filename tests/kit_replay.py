"""What a budgeted check searches, after some prior work in the same process.

``python -m tests.kit_replay [STEP ...]`` (from the repository root) runs the steps,
then :func:`replay`, and prints its record as JSON. ``tests/test_testing_kit_reproducible.py``
compares the records of fresh processes that did different work first. The steps:

- ``constants=DIR``: import ``DIR/prior_constants.py`` (for the duration), local
  source code whose constants hypothesis (6.131 and later) adds, for good, to the
  values it sometimes draws;
- ``numba``: count on the numba engine (which imports the kernel modules) and run the
  replayed check on it;
- ``check``: run another check of the kit first;
- ``hypothesis``: run a plain hypothesis test of the kit's strategies first;
- ``profile``: register and load a hypothesis settings profile.

The method is the first draft of Black's method from ``docs/testing-your-method.md``
(its Borda count ignores weights and the unranked policy, so some checks fail), which
records every profile it is run on.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import hypothesis
from hypothesis import HealthCheck, Phase, given

from voting import Profile
from voting._dispatch import forced_engine
from voting.methods import MethodTags
from voting.results import Result, committee_from_ranking
from voting.testing import Budget, check_anonymity, check_method
from voting.testing.strategies import profiles
from voting.ties import CandidateOrder, TieBreak

BUDGET = Budget(seconds=None, max_examples=30)
"""The replayed budget: 30 examples per check, seed 0."""

RUNS: list[str] = []
"""Every profile :class:`DraftBlack` was run on, as code, in order."""


@dataclass(frozen=True, kw_only=True)
class DraftBlack:
    """The Condorcet winner if there is one, else the Borda winner (counting rows)."""

    name: ClassVar[str] = "black"
    tie_break: TieBreak = field(default_factory=CandidateOrder)

    def tags(self) -> MethodTags:
        return MethodTags(
            kind="single_winner",
            condorcet_winner=True,
            condorcet_loser=True,
            majority=True,
            pareto=True,
            monotonic=True,
            reversal_symmetry=True,
        )

    def run(self, profile: Profile, /) -> Result[None]:
        RUNS.append(profile.to_code())
        cw = profile.pairwise.condorcet_winner()
        first = [] if cw is None else [profile.index(cw)]
        rest = [c for c in range(profile.num_candidates) if c not in first]
        r = profile.ranks
        borda = (r[:, :, None] < r[:, None, :]).sum(axis=(0, 2)).tolist()
        tiers = [first] if first else []
        for score in sorted({borda[c] for c in rest}, reverse=True):
            tiers.append([c for c in rest if borda[c] == score])
        return committee_from_ranking(self.name, profile.candidates, tiers, 1, self.tie_break, None)


def replay() -> dict[str, Any]:
    """``check_method(DraftBlack(), budget=BUDGET)``: the profiles and the outcome."""
    RUNS.clear()
    report = check_method(DraftBlack(), budget=BUDGET)
    outcomes = [
        {
            "check": o.check,
            "status": o.status,
            "examples": None if o.searched is None else o.searched.examples,
            "runs": None if o.searched is None else o.searched.runs,
            "failure": None if o.failure is None else str(o.failure),
        }
        for o in report.outcomes
    ]
    summary = re.sub(r"\d+\.\d CPU s", "(time) CPU s", report.summary())
    return {"summary": summary, "outcomes": outcomes, "profiles": list(RUNS)}


def plain_hypothesis_examples() -> list[str]:
    """The profiles a plain, seeded hypothesis test of :func:`profiles` draws."""
    seen: list[str] = []

    @hypothesis.seed(0)
    @hypothesis.settings(
        max_examples=100,
        database=None,
        derandomize=False,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(profiles())
    def record(p: Profile) -> None:
        seen.append(p.to_code())

    record()
    return seen


@contextlib.contextmanager
def after(steps: list[str]) -> Iterator[None]:
    """Run ``steps`` (see the module docstring), then the body (on numba if asked)."""
    with contextlib.ExitStack() as stack:
        for step in steps:
            if step.startswith("constants="):
                sys.path.insert(0, step.split("=", 1)[1])
                stack.callback(sys.path.pop, 0)
                stack.callback(sys.modules.pop, "prior_constants", None)
                importlib.import_module("prior_constants")
            elif step == "numba":
                stack.enter_context(forced_engine("numba"))
                Profile.from_rankings([["A", "B"], ["B", "A"]]).pairwise.support  # noqa: B018
            elif step == "check":
                check_anonymity(DraftBlack(), budget=Budget(seconds=None, max_examples=20, seed=5))
            elif step == "hypothesis":
                plain_hypothesis_examples()
            elif step == "profile":
                hypothesis.settings.register_profile(
                    "kit-replay", max_examples=7, verbosity=hypothesis.Verbosity.quiet
                )
                hypothesis.settings.load_profile("kit-replay")
            else:
                raise ValueError(f"unknown step {step!r}")
        yield


def main(argv: list[str]) -> None:
    with after(argv):
        record = {"kit": replay(), "plain": plain_hypothesis_examples()}
    print(json.dumps(record))


if __name__ == "__main__":
    main(sys.argv[1:])
