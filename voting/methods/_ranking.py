"""Base classes of the methods that rank every candidate and elect the top ``seats``.

:class:`RankingMethod` holds the two parameters those methods share (``seats`` and
``tie_break``) and validates them; :class:`PairwiseMethod` adds the ``run`` of the
methods that need nothing but the pairwise matrix, so that each of them only
writes ``run_pairwise``. Not public API: the methods themselves are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

from voting.methods._base import check_profile, check_seats
from voting.methods._common import check_tie_break
from voting.pairwise_matrix import PairwiseMatrix
from voting.profile import Profile
from voting.results import Result
from voting.ties import CandidateOrder, TieBreak

__all__ = ["PairwiseMethod", "RankingMethod"]

E = TypeVar("E")


@dataclass(frozen=True, kw_only=True)
class RankingMethod:
    """``seats`` and ``tie_break``, validated when the method is created.

    Subclasses with more parameters validate them in their own ``__post_init__``
    after calling this one.
    """

    name: ClassVar[str]
    seats: int = 1
    tie_break: TieBreak = field(default_factory=CandidateOrder)

    def __post_init__(self) -> None:
        check_seats(self.seats, self.name)
        check_tie_break(self.tie_break, self.name)


@dataclass(frozen=True, kw_only=True)
class PairwiseMethod(RankingMethod, Generic[E]):
    """A ranking method computed from the pairwise matrix alone.

    ``run(profile)`` validates the profile and hands its cached pairwise matrix to
    ``run_pairwise``, which is also the entry point when only the matrix is known
    (a published tally, or a matrix summed over chunks of a large file).
    """

    def run(self, profile: Profile, /) -> Result[E]:
        """Count ``profile``'s pairwise matrix and rank from it.

        Raises
        ------
        InvalidProfileError
            If ``profile`` is not a Profile, or has fewer candidates than seats.
        EmptyProfileError
            If it has no ballots.
        """
        profile = check_profile(profile, self.name, self.seats)
        return self.run_pairwise(profile.pairwise)

    def run_pairwise(self, pairwise: PairwiseMatrix, /) -> Result[E]:
        """Rank from pairwise counts alone."""
        raise NotImplementedError  # pragma: no cover - every subclass defines it
