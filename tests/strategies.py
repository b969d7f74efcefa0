"""The test suite's defaults for :func:`voting.testing.strategies.profiles`.

One generator serves the library's own tests and its users: the public
:func:`voting.testing.strategies.profiles`. This module only sets the defaults the
suite has always searched, wider than the public ones: one to seven candidates, up
to 30 ballots (none at all included), weights from 1 to 5, and blank ballots.
"""

from __future__ import annotations

from hypothesis.strategies import SearchStrategy

from voting import Profile, UnrankedPolicy
from voting.testing import strategies as vst


def profiles(
    *,
    min_candidates: int = 1,
    max_candidates: int = 7,
    max_voters: int = 30,
    allow_ties: bool = True,
    max_weight: int = 5,
    unranked: UnrankedPolicy | None = None,
) -> SearchStrategy[Profile]:
    """Small profiles with ties, truncation (blank ballots included) and weights.

    Either unranked policy unless ``unranked`` is given.
    """
    return vst.profiles(
        min_candidates=min_candidates,
        max_candidates=max_candidates,
        min_voters=0,
        max_voters=max_voters,
        allow_ties=allow_ties,
        allow_empty=True,
        max_weight=max_weight,
        unranked=unranked,
    )
