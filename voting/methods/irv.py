"""Instant-runoff voting (the alternative vote): :class:`IRV`, a baseline.

Rounds of first preferences among the continuing candidates; the candidate with the
fewest is eliminated and its ballots pass to their next continuing preference. The
ranking is the reverse order of elimination, so it is complete even after a majority
emerges (the majority winner is never eliminated, so the winner is the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

import numpy as np

from voting.methods._base import MethodTags, check_profile
from voting.methods._common import (
    broken_tie,
    finish,
    first_preferences,
    least_favoured,
    ranking_tags,
)
from voting.methods._ranking import RankingMethod
from voting.profile import Profile
from voting.results import Result
from voting.ties import BrokenTie

__all__ = ["IRV", "IRVExplanation", "IRVRound"]


@dataclass(frozen=True, slots=True, kw_only=True)
class IRVRound:
    """One round of the count.

    Attributes
    ----------
    tallies : tuple of (str, Fraction)
        Votes of each continuing candidate, in profile order.
    exhausted : int
        Voters whose ballots rank no continuing candidate.
    eliminated : str
        The candidate with the fewest votes (ties: ``tie_break``).
    """

    tallies: tuple[tuple[str, Fraction], ...]
    exhausted: int
    eliminated: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IRVExplanation:
    """The rounds of an IRV count.

    Attributes
    ----------
    rounds : tuple of IRVRound
        Every elimination round, in order; the candidate left after the last one
        ranks first.
    """

    rounds: tuple[IRVRound, ...]


@dataclass(frozen=True, kw_only=True)
class IRV(RankingMethod):
    """Instant-runoff voting (alternative vote, single-seat ranked-choice voting).

    Parameters
    ----------
    seats : int, default 1
        How many candidates to elect: the top ``seats`` of the elimination
        ranking (this is *not* STV; use an STV method for proportional seats).
    tie_break : TieBreak, default Lexicographic()
        When several candidates tie for the fewest votes, the least favoured is
        eliminated; every such tie is recorded in ``ties_broken``.

    Notes
    -----
    Definition. In each round every ballot counts for its best-ranked continuing
    candidate; a ballot tying ``k`` continuing candidates at its top gives each
    ``1/k``; a ballot ranking no continuing candidate is exhausted (whatever the
    profile's unranked policy). The candidate with the fewest votes is eliminated,
    until one is left. Candidates are ranked in reverse order of elimination.

    IRV satisfies the majority criterion; it is neither Condorcet-consistent nor
    monotonic (see ``tests/test_criteria.py`` for counterexamples).

    Runtime complexity: O(V·C²): C rounds, each one O(V·C) pass of a numba
    kernel; tallies are exact fractions.

    References
    ----------
    T. W. Hare (1859), *Treatise on the Election of Representatives*;
    J. C. Fishburn and S. J. Brams (1983), "Paradoxes of preferential voting",
    *Mathematics Magazine* 56(4).

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings(
    ...     [["A", "B", "C"], ["B", "C", "A"], ["C", "B", "A"]], weights=[4, 3, 2]
    ... )
    >>> r = IRV().run(p)
    >>> r.ranking
    (('B',), ('A',), ('C',))
    >>> [(name, str(v)) for name, v in r.explanation.rounds[1].tallies]
    [('A', '4'), ('B', '5')]
    """

    name: ClassVar[str] = "irv"

    def tags(self) -> MethodTags:
        """Majority criterion only (not Condorcet-consistent, not monotonic)."""
        return ranking_tags(self.seats, majority=True)

    def run(self, profile: Profile, /) -> Result[IRVExplanation]:
        """Eliminate the weakest candidate round after round; rank in reverse."""
        check_profile(profile, self.name, self.seats)
        names = profile.candidates
        priority = self.tie_break.priority(names)
        active = np.ones(len(names), dtype=np.bool_)
        rounds: list[IRVRound] = []
        ties: list[BrokenTie] = []
        eliminated: list[int] = []
        while active.sum() > 1:
            tallies, exhausted = first_preferences(profile, active)
            act = np.flatnonzero(active).tolist()
            fewest = min(tallies[j] for j in act)
            tied = [j for j in act if tallies[j] == fewest]
            loser = tied[0]
            if len(tied) > 1:
                loser, ordered = least_favoured(tied, priority)
                context = f"elimination in round {len(rounds) + 1}"
                ties.append(broken_tie(names, tied, ordered, context, self.tie_break))
            rounds.append(
                IRVRound(
                    tallies=tuple((names[j], tallies[j]) for j in act),
                    exhausted=exhausted,
                    eliminated=names[loser],
                )
            )
            active[loser] = False
            eliminated.append(loser)
        tiers = [np.flatnonzero(active).tolist()] + [[j] for j in reversed(eliminated)]
        explanation = IRVExplanation(rounds=tuple(rounds))
        return finish(
            self.name, profile.candidates, tiers, self.seats, self.tie_break, explanation, ties
        )
