"""Private helpers shared by the ranking methods (Minimax, ranked pairs, IRV family, ...).

Nothing here is public API: parameter checks, exact first-preference and rank counts
(numba kernels in :mod:`voting._kernels.tallies`, NumPy for small profiles:
:mod:`voting._dispatch`) and the tie-break bookkeeping every method needs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import kernels, use_numba
from voting._numpy_paths import tallies as _np_tallies
from voting.exceptions import InvalidParameterError, InvalidProfileError
from voting.methods._base import MethodTags
from voting.pairwise_matrix import PairwiseMatrix
from voting.profile import Profile
from voting.results import Result, committee_from_ranking
from voting.ties import BrokenTie, TieBreak

__all__ = [
    "broken_tie",
    "check_choice",
    "check_pairwise",
    "check_tie_break",
    "civs_rank_counts",
    "finish",
    "first_preferences",
    "group_by_key",
    "least_favoured",
    "ranking_tags",
    "top_counts",
]

E = TypeVar("E")
BoolMatrix = NDArray[np.bool_]


def check_tie_break(tie_break: object, method: str) -> TieBreak:
    """Validate a ``tie_break`` parameter (in ``__post_init__``)."""
    if not isinstance(tie_break, TieBreak):
        raise InvalidParameterError(
            f"{method}: tie_break must be a TieBreak such as CandidateOrder() or "
            f"Random(seed=0), got {tie_break!r}."
        )
    return tie_break


def check_pairwise(pairwise: object, method: str, seats: int) -> PairwiseMatrix:
    """Validate the matrix given to ``run_pairwise``."""
    if not isinstance(pairwise, PairwiseMatrix):
        raise InvalidProfileError(
            f"{method}.run_pairwise() needs a voting.PairwiseMatrix, got {type(pairwise).__name__}."
        )
    if seats > pairwise.num_candidates:
        raise InvalidProfileError(
            f"{method}: seats={seats} but there are {pairwise.num_candidates} candidates."
        )
    return pairwise


def check_choice(value: object, allowed: Sequence[str], argument: str, method: str) -> str:
    """Validate a string option against its allowed values."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidParameterError(
            f"{method}: {argument}={value!r} is not one of {list(allowed)}."
        )
    return value


def ranking_tags(seats: int, **criteria: bool) -> MethodTags:
    """Tags of a method that elects the top ``seats`` of a ranking.

    One seat: ``kind="single_winner"`` with ``criteria``. Several: a committee that
    only keeps the guarantee that a Condorcet winner is elected (the others, such as
    Smith or the majority criterion, concern a single winner).
    """
    if seats == 1:
        return MethodTags(kind="single_winner", **criteria)
    return MethodTags(kind="committee", condorcet_winner=criteria.get("condorcet_winner", False))


def least_favoured(tied: Sequence[int], priority: Sequence[int]) -> tuple[int, list[int]]:
    """The candidate of ``tied`` that comes last in ``priority``, and ``tied`` favoured-first."""
    rank_of = {c: r for r, c in enumerate(priority)}
    ordered = sorted(tied, key=lambda c: rank_of[c])
    return ordered[-1], ordered


def broken_tie(
    candidates: Sequence[str],
    tied: Sequence[int],
    ordered: Sequence[int],
    context: str,
    tie_break: TieBreak,
) -> BrokenTie:
    """A :class:`BrokenTie` record: ``tied`` in profile order, ``ordered`` favoured first."""
    return BrokenTie(
        tuple(candidates[i] for i in sorted(tied)),
        tuple(candidates[i] for i in ordered),
        context,
        tie_break.describe(),
    )


def group_by_key(order: Sequence[int], keys: Sequence[Any]) -> list[list[int]]:
    """Split ``order`` (already sorted by ``keys``) into tiers of equal keys."""
    tiers: list[list[int]] = []
    last: Any = None
    for pos, c in enumerate(order):
        if pos == 0 or keys[c] != last:
            tiers.append([c])
            last = keys[c]
        else:
            tiers[-1].append(c)
    return tiers


def finish(
    method: str,
    candidates: Sequence[str],
    tiers: Sequence[Sequence[int]],
    seats: int,
    tie_break: TieBreak,
    explanation: E,
    internal_ties: Sequence[BrokenTie] = (),
) -> Result[E]:
    """Elect the top ``seats`` of ``tiers`` and record every tie broken on the way."""
    result = committee_from_ranking(method, candidates, tiers, seats, tie_break, explanation)
    if internal_ties:
        result = dataclasses.replace(result, ties_broken=tuple(internal_ties) + result.ties_broken)
    return result


def _split(by_size: NDArray[np.int64]) -> list[Fraction]:
    """``sum_k by_size[k, c] / k`` for each column ``c``, as exact fractions."""
    totals: list[Fraction] = []
    for column in by_size.T.tolist():
        totals.append(sum((Fraction(s, k) for k, s in enumerate(column) if s), Fraction(0)))
    return totals


def top_counts(
    profile: Profile, active: NDArray[np.bool_], *, split: bool, unranked_tier: bool = False
) -> tuple[list[Fraction], int]:
    """First preferences among the ``active`` candidates, exactly.

    A ballot counts for the candidates of its best tier among the active ones: each
    gets ``weight / k`` when ``split`` (``k`` candidates tied at that tier) or the
    full weight otherwise. Without ``unranked_tier`` a ballot that ranks no active
    candidate is exhausted; with it, unranked candidates form the ballot's last tier
    (CIVS's blank, the lowest rank). One O(V·C) pass of a numba kernel.

    Returns
    -------
    tallies : list of Fraction, one per candidate (0 for inactive ones)
    exhausted : int
        Voters whose ballots count for no active candidate.
    """
    args = (profile.ranks, profile.weights, np.ascontiguousarray(active, dtype=np.bool_))
    if use_numba("tallies", profile.ranks.size):
        by_size, exhausted = kernels("tallies")._top_tier_counts(*args, unranked_tier)
    else:
        by_size, exhausted = _np_tallies.top_tier_counts(*args, unranked_tier)
    if split:
        return _split(by_size), int(exhausted)
    return [Fraction(int(x)) for x in by_size.sum(axis=0).tolist()], int(exhausted)


def first_preferences(
    profile: Profile, active: NDArray[np.bool_], *, split: bool = True
) -> tuple[list[Fraction], int]:
    """First preferences among ``active``; ballots ranking none of them are exhausted.

    See :func:`top_counts` (``unranked_tier=False``).
    """
    return top_counts(profile, active, split=split)


def civs_rank_counts(profile: Profile) -> list[tuple[Fraction, ...]]:
    """CIVS's rank counts: ``out[c][t]`` = ballots placing ``c`` in tier ``t``, split.

    Each ballot's tiers are numbered from 0; a candidate sharing tier ``t`` with
    ``k - 1`` others gets ``1/k`` of the ballot's weight at position ``t``. Under
    ``unranked="last"`` the unranked candidates form one last tier (CIVS counts a
    blank as the lowest rank); under ``"ignore"`` they get nothing ("No opinion").
    Computed once, on all candidates, exactly (CIVS sums floats). O(V·C + C³).
    """
    c = profile.num_candidates
    last = profile.unranked == "last"
    if use_numba("tallies", profile.ranks.size):
        sums = kernels("tallies")._tier_counts(profile.ranks, profile.weights, last)
    else:
        sums = _np_tallies.tier_counts(profile.ranks, profile.weights, last)
    per_tier = [_split(sums[t]) for t in range(c)]  # per_tier[t][cand]
    return [tuple(per_tier[t][cand] for t in range(c)) for cand in range(c)]
