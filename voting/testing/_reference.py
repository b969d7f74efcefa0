"""Plain-Python oracles for the property checks.

Everything here works on Python lists read from :attr:`Profile.ranks` and follows
the textbook definitions literally (brute force over subsets where that is the
definition). Nothing is shared with :mod:`voting.pairwise_matrix` or the numba kernels, so
a bug there cannot make a check pass by agreeing with itself. The oracles are meant
for the small profiles the kit generates (a handful of candidates).

Preferences on one ballot follow the profile's ``unranked`` policy:

- ``"last"``: a ranked candidate is preferred to an unranked one; two unranked
  candidates are tied;
- ``"ignore"``: a ballot expresses a preference between two candidates only when it
  ranks both.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import combinations

from voting._typing import UNRANKED
from voting.profile import Profile

__all__ = [
    "Support",
    "ballots",
    "condorcet_loser",
    "condorcet_winner",
    "droop_quota",
    "majority_winner",
    "pairwise_counts",
    "pairwise_support",
    "pareto_dominated",
    "prefers",
    "schwartz_set",
    "smith_set",
    "solid_support",
]

Support = list[list[int]]
"""``support[a][b]``: number of voters who prefer ``a`` to ``b``."""

_BRUTE_FORCE_MAX = 10
"""Largest candidate count for which set oracles enumerate every subset."""


def ballots(profile: Profile) -> list[tuple[list[int], int]]:
    """The profile's ballots as ``(rank row, weight)`` pairs of plain ints."""
    rows: list[list[int]] = profile.ranks.tolist()
    weights: list[int] = profile.weights.tolist()
    return list(zip(rows, weights, strict=True))


def prefers(row: Sequence[int], a: int, b: int, unranked: str) -> bool:
    """Whether the ballot ``row`` (one rank row) prefers candidate ``a`` to ``b``."""
    ra, rb = row[a], row[b]
    if ra == UNRANKED:
        return False
    if rb == UNRANKED:
        return unranked == "last"
    return ra < rb


def pairwise_counts(
    ranks: Sequence[Sequence[int]],
    weights: Sequence[int],
    unranked: str,
    n_candidates: int | None = None,
) -> Support:
    """``support[a][b]``: total weight of the rank rows that prefer ``a`` to ``b``.

    ``n_candidates`` is needed only when there are no rows to infer it from.
    """
    n = len(ranks[0]) if len(ranks) else (n_candidates or 0)
    out = [[0] * n for _ in range(n)]
    for row, weight in zip(ranks, weights, strict=True):
        for a in range(n):
            for b in range(n):
                if a != b and prefers(row, a, b, unranked):
                    out[a][b] += int(weight)
    return out


def pairwise_support(profile: Profile) -> Support:
    """``support[a][b]``: total weight of the ballots that prefer ``a`` to ``b``."""
    return pairwise_counts(
        profile.ranks.tolist(), profile.weights.tolist(), profile.unranked, profile.num_candidates
    )


def _beats(support: Support, a: int, b: int) -> bool:
    return support[a][b] > support[b][a]


def condorcet_winner(support: Support) -> int | None:
    """The candidate who beats every other one head to head, or None."""
    n = len(support)
    for a in range(n):
        if all(_beats(support, a, b) for b in range(n) if b != a):
            return a
    return None


def condorcet_loser(support: Support) -> int | None:
    """The candidate every other one beats head to head (two or more candidates), or None."""
    n = len(support)
    if n < 2:
        return None
    for a in range(n):
        if all(_beats(support, b, a) for b in range(n) if b != a):
            return a
    return None


def _dominates(support: Support, inside: Collection[int]) -> bool:
    """Every member of ``inside`` beats every non-member."""
    n = len(support)
    return all(_beats(support, a, b) for a in inside for b in range(n) if b not in inside)


def _unbeaten_from_outside(support: Support, inside: Collection[int]) -> bool:
    """No non-member beats a member."""
    n = len(support)
    return not any(_beats(support, b, a) for a in inside for b in range(n) if b not in inside)


def _closure(relation: list[list[bool]]) -> list[list[bool]]:
    n = len(relation)
    reach = [[relation[i][j] or i == j for j in range(n)] for i in range(n)]
    for k in range(n):
        for i in range(n):
            if reach[i][k]:
                for j in range(n):
                    if reach[k][j]:
                        reach[i][j] = True
    return reach


def smith_set(support: Support) -> frozenset[int]:
    """The smallest non-empty set of candidates who each beat every outsider.

    Brute force over subsets by size (the definition) up to ten candidates; above
    that, the candidates who reach everyone through "beats or ties".
    """
    n = len(support)
    if n <= _BRUTE_FORCE_MAX:
        for size in range(1, n + 1):
            for subset in combinations(range(n), size):
                if _dominates(support, subset):
                    return frozenset(subset)
        return frozenset(range(n))  # pragma: no cover - the full set always qualifies
    weak = [[support[i][j] >= support[j][i] for j in range(n)] for i in range(n)]
    reach = _closure(weak)
    return frozenset(i for i in range(n) if all(reach[i]))


def schwartz_set(support: Support) -> frozenset[int]:
    """The union of the minimal sets that no outsider beats.

    Brute force over subsets up to ten candidates; above that, the candidates ``x``
    such that everyone with a beat-path to ``x`` is reached by a beat-path from ``x``.
    """
    n = len(support)
    if n <= _BRUTE_FORCE_MAX:
        undominated = [
            frozenset(s)
            for size in range(1, n + 1)
            for s in combinations(range(n), size)
            if _unbeaten_from_outside(support, s)
        ]
        minimal = [s for s in undominated if not any(t < s for t in undominated)]
        return frozenset().union(*minimal)
    strict = [[_beats(support, i, j) for j in range(n)] for i in range(n)]
    reach = _closure(strict)
    return frozenset(
        i for i in range(n) if all(reach[i][j] or not reach[j][i] for j in range(n) if j != i)
    )


def majority_winner(profile: Profile) -> int | None:
    """The candidate more than half of the voters prefer to every other candidate, or None.

    "Prefers to every other" follows the unranked policy: under ``"ignore"`` a ballot
    must rank every candidate to prefer one to all the others.
    """
    n = profile.num_candidates
    total = profile.num_voters
    for a in range(n):
        count = sum(
            w
            for row, w in ballots(profile)
            if all(prefers(row, a, b, profile.unranked) for b in range(n) if b != a)
        )
        if 2 * count > total:
            return a
    return None


def pareto_dominated(support: Support, num_voters: int) -> dict[int, int]:
    """Map each Pareto-dominated candidate to one candidate every voter prefers to it."""
    n = len(support)
    out: dict[int, int] = {}
    for c in range(n):
        for d in range(n):
            if d != c and num_voters > 0 and support[d][c] == num_voters:
                out[c] = d
                break
    return out


def droop_quota(num_voters: int, seats: int) -> int:
    """The integer Droop quota ``floor(num_voters / (seats + 1)) + 1``."""
    return num_voters // (seats + 1) + 1


def solid_support(profile: Profile, coalition: Collection[int]) -> int:
    """Number of voters who prefer every member of ``coalition`` to every non-member.

    The ballot must rank every member; a non-member must be ranked below all
    members or, under ``unranked="last"`` only, be unranked.
    """
    members = set(coalition)
    others = [c for c in range(profile.num_candidates) if c not in members]
    total = 0
    for row, w in ballots(profile):
        if any(row[m] == UNRANKED for m in members):
            continue
        if all(prefers(row, m, o, profile.unranked) for m in members for o in others):
            total += w
    return total
