"""The library runs its own kit on every registered method (sklearn's test_common).

1. Every method of :func:`voting.methods.all_methods` passes every check its tags
   select (``@parametrize_with_checks``), so a tag cannot claim more than the code
   does. Known bugs go in ``EXPECTED_FAILED`` with a reason; such a check must fail.
2. Methods that do *not* claim a criterion are shown to break it: ``find_violation``
   must find a counterexample (asserted, not printed). A tag left False by mistake
   is then caught too: if the method met the criterion, no counterexample would exist.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import hypothesis
import pytest
from hypothesis import Phase

from voting import Profile
from voting.methods import METHODS, all_methods, get_method
from voting.testing import (
    FIND_SETTINGS,
    TAG_OF_CHECK,
    Budget,
    find_failure,
    parametrize_with_checks,
)

EXPECTED_FAILED: dict[str, dict[str, str]] = {
    "debian": {
        "check_neutrality": (
            "not a bug: Debian's rules single out the default option (constitution A.6), "
            "and on ballots with no option named 'Further Discussion' or 'None of the "
            "above' it is the last one, so reordering the options changes the count"
        ),
    },
}
"""Registered name -> {check name: reason}: known bugs, each with its issue, and
checks a method fails by definition, each with the rule that makes it so."""


def _expected_failed(method: Any) -> Mapping[str, str]:
    return EXPECTED_FAILED.get(str(getattr(method, "name", "")), {})


BUDGET = Budget(seconds=float(os.environ.get("VOTING_CHECK_SECONDS", "0.3")))
"""Each check of each method searches 0.3 CPU s (at least 50 examples): the default
budget (3 s) over the ~150 checks of the registered methods would take seven minutes of
the suite. A nightly job sets ``VOTING_CHECK_SECONDS`` higher."""


@parametrize_with_checks(all_methods(), expected_failed=_expected_failed, budget=BUDGET)
def test_method_honours_its_tags(method: Any, check: Any) -> None:
    check(method)


# (registered name, parameters, property the method does not claim)
NOT_CLAIMED = [
    ("plurality", {}, "condorcet_winner"),
    ("plurality", {}, "condorcet_loser"),
    ("borda", {}, "condorcet_winner"),
    ("borda", {}, "majority"),
    ("irv", {}, "condorcet_winner"),
    ("irv", {}, "monotonicity"),
    ("minimax", {}, "smith"),  # winning votes
    ("minimax", {}, "condorcet_loser"),
    ("copeland", {}, "independence_of_clones"),
    ("stv", {"seats": 1}, "condorcet_winner"),
    ("stv", {"seats": 1}, "monotonicity"),
    ("civs_proportional", {"seats": 2}, "droop_proportionality"),
    ("schulze_stv", {"seats": 2}, "droop_proportionality"),  # completion="none", tied ballots
]

# Existence is all that is asserted, so skip shrinking (the slow part of a search), and
# search longer than the default: some violations (IRV's non-monotonicity) are rare among
# small random profiles. A search stops at its first counterexample.
SEARCH = hypothesis.settings(
    FIND_SETTINGS,
    phases=[Phase.explicit, Phase.generate],
    database=None,
    max_examples=4000,
)


def _id(case: tuple[str, dict[str, Any], str]) -> str:
    name, params, prop = case
    args = ",".join(f"{k}={v}" for k, v in params.items())
    return f"{name}({args})-{prop}" if args else f"{name}-{prop}"


@pytest.mark.parametrize("case", NOT_CLAIMED, ids=[_id(c) for c in NOT_CLAIMED])
def test_unclaimed_criteria_are_violated(case: tuple[str, dict[str, Any], str]) -> None:
    name, params, prop = case
    assert name in METHODS, f"method {name!r} is not registered"
    method = get_method(name, **params)
    tag = TAG_OF_CHECK[f"check_{prop}"]
    assert not getattr(method.tags(), tag), f"{name} claims {tag}; move it out of NOT_CLAIMED"
    failure = find_failure(method, prop, settings=SEARCH)
    assert failure is not None, f"no profile found where {method!r} breaks {prop}"
    assert isinstance(failure.profile, Profile)
    assert prop in failure.check
