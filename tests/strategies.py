"""Hypothesis strategies for the library's own tests (the public kit comes later in
``voting.testing.strategies``; this module stays private to ``tests/``)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from voting import UNRANKED, Profile, UnrankedPolicy


@st.composite
def rank_rows(
    draw: st.DrawFn, n_candidates: int, allow_ties: bool = True, allow_truncation: bool = True
) -> list[int]:
    """One ballot as a list of tiers (``UNRANKED`` for left-off candidates)."""
    order = draw(st.permutations(range(n_candidates)))
    n_ranked = draw(st.integers(0, n_candidates)) if allow_truncation else n_candidates
    row = [UNRANKED] * n_candidates
    tier = 0
    for pos, c in enumerate(order[:n_ranked]):
        if pos > 0 and not (allow_ties and draw(st.booleans())):
            tier += 1
        row[c] = tier
    return row


@st.composite
def profiles(
    draw: st.DrawFn,
    min_candidates: int = 1,
    max_candidates: int = 7,
    max_ballots: int = 30,
    allow_ties: bool = True,
    allow_truncation: bool = True,
    max_weight: int = 5,
    unranked: UnrankedPolicy | None = None,
) -> Profile:
    """Small profiles with ties, truncation and weights, either unranked policy."""
    c = draw(st.integers(min_candidates, max_candidates))
    rows = draw(
        st.lists(rank_rows(c, allow_ties, allow_truncation), min_size=0, max_size=max_ballots)
    )
    weights = draw(st.lists(st.integers(1, max_weight), min_size=len(rows), max_size=len(rows)))
    policies: list[UnrankedPolicy] = ["last", "ignore"]
    policy = unranked or draw(st.sampled_from(policies))
    ranks = np.array(rows, dtype=np.int64).reshape(len(rows), c)
    names = [f"c{i}" for i in range(c)]
    return Profile(ranks, np.array(weights, dtype=np.int64), names, policy)
