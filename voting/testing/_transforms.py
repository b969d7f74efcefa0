"""Changes to a profile that the property checks compare a method's results across.

Each function returns a new :class:`~voting.profile.Profile`; none touches its input.
Rank rows may come out non-dense (``0, 2, 5``): the Profile constructor renumbers them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from voting._typing import UNRANKED
from voting.profile import Profile

__all__ = [
    "ABOVE",
    "BELOW",
    "CLONE_PLACEMENTS",
    "TIED",
    "add_ballot",
    "add_clone",
    "expand_weights",
    "permute_ballots",
    "permute_candidates",
    "raise_candidate",
    "reverse_ballots",
]

BELOW, ABOVE, TIED = 0, 1, 2
"""Where a clone goes on a ballot: just below, just above, or tied with the original."""

CLONE_PLACEMENTS = {BELOW: "just below", ABOVE: "just above", TIED: "tied with"}


def permute_ballots(profile: Profile, order: Sequence[int]) -> Profile:
    """The ballots (with their weights) in the order ``order``."""
    idx = list(order)
    return Profile(profile.ranks[idx], profile.weights[idx], profile.candidates, profile.unranked)


def permute_candidates(profile: Profile, order: Sequence[int]) -> Profile:
    """Columns reordered as ``order``; every candidate keeps its name and its ranks."""
    idx = list(order)
    names = [profile.candidates[i] for i in idx]
    return Profile(profile.ranks[:, idx], profile.weights, names, profile.unranked)


def expand_weights(profile: Profile) -> Profile:
    """Every ballot repeated ``weight`` times, each with weight 1."""
    ranks = np.repeat(profile.ranks, profile.weights, axis=0)
    return Profile(ranks, None, profile.candidates, profile.unranked)


def add_ballot(profile: Profile, row: Sequence[int], weight: int) -> Profile:
    """The profile plus one ballot ``row`` cast by ``weight`` voters."""
    ranks = np.vstack([profile.ranks, np.asarray([row], dtype=np.int64)])
    weights = np.append(profile.weights, weight)
    return Profile(ranks, weights, profile.candidates, profile.unranked)


def raise_candidate(
    row: Sequence[int], c: int, lift: int, unranked: str, allow_ties: bool = True
) -> tuple[int, ...]:
    """Move candidate ``c`` up ``lift`` steps on one ballot, keeping everyone else's order.

    The places ``c`` can take, best first, alternate between "alone, just above tier
    ``j``" and "tied with tier ``j``" of the other candidates, ending with "alone below
    every ranked candidate". Each step up improves ``c`` against some candidates and
    worsens it against none. An unranked ``c`` starts below that last place under
    ``unranked="last"``; under ``"ignore"`` it can only move to the very top (any
    other place would add comparisons it loses). With ``allow_ties=False`` a step
    that would tie ``c`` with others goes one further, to stand alone above them.
    """
    n = len(row)
    tiers = sorted({row[o] for o in range(n) if o != c and row[o] != UNRANKED})
    if row[c] == UNRANKED:
        target = 0 if unranked == "ignore" else max(0, 2 * len(tiers) + 1 - lift)
    else:
        j = sum(1 for t in tiers if t < row[c])
        shared = row[c] in tiers
        target = max(0, (2 * j + 1 if shared else 2 * j) - lift)
    if not allow_ties and target % 2 == 1:
        target -= 1
    pos = {t: 2 * i + 1 for i, t in enumerate(tiers)}
    out = [target if o == c else UNRANKED if r == UNRANKED else pos[r] for o, r in enumerate(row)]
    return tuple(out)


def reverse_ballots(profile: Profile) -> Profile:
    """Every ballot turned upside down: each preference ``a > b`` becomes ``b > a``.

    Under ``unranked="last"`` the unranked candidates form the bottom tier, which
    becomes the (ranked) top tier; under ``"ignore"`` they stay unranked.
    """
    rows: list[list[int]] = profile.ranks.tolist()
    out = []
    for row in rows:
        ranked = [r for r in row if r != UNRANKED]
        top = max(ranked, default=-1)
        if profile.unranked == "last" and len(ranked) < len(row):
            out.append([0 if r == UNRANKED else top - r + 1 for r in row])
        else:
            out.append([UNRANKED if r == UNRANKED else top - r for r in row])
    ranks = np.array(out, dtype=np.int64).reshape(profile.ranks.shape)
    return Profile(ranks, profile.weights, profile.candidates, profile.unranked)


def clone_name(profile: Profile, c: int) -> str:
    """A fresh name for a clone of candidate ``c``: ``"B'"`` (more primes if taken)."""
    name = profile.candidates[c] + "'"
    while name in profile.candidates:
        name += "'"
    return name


def add_clone(profile: Profile, c: int, placements: Sequence[int]) -> Profile:
    """The profile with a clone of candidate ``c`` added as the last candidate.

    On ballot ``v`` the clone goes :data:`BELOW`, :data:`ABOVE` or :data:`TIED` with
    ``c`` according to ``placements[v]``. So that every other candidate is preferred
    to both or to neither, a clone of a ``c`` that shares its tier with others joins
    that tier, and a ballot that leaves ``c`` unranked leaves the clone unranked too.
    """
    rows: list[list[int]] = profile.ranks.tolist()
    out = []
    for row, place in zip(rows, placements, strict=True):
        new = [UNRANKED if r == UNRANKED else 2 * r + 2 for r in row]
        shared = sum(1 for r in row if r == row[c]) > 1
        shift = 0 if shared else {BELOW: 1, ABOVE: -1, TIED: 0}[place]
        clone = UNRANKED if row[c] == UNRANKED else new[c] + shift
        out.append([*new, clone])
    ranks = np.array(out, dtype=np.int64).reshape(profile.num_ballots, profile.num_candidates + 1)
    names = [*profile.candidates, clone_name(profile, c)]
    return Profile(ranks, profile.weights, names, profile.unranked)
