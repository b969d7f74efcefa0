"""Instant-runoff voting (the alternative vote): :class:`IRV`, a baseline.

Rounds of first preferences among the continuing candidates; the candidate with the
fewest is eliminated and its ballots pass to their next continuing preference. The
ranking is the reverse order of elimination, so it is complete even after a majority
emerges (the majority winner is never eliminated, so the winner is the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np

from voting.methods._base import MethodTags
from voting.methods._common import broken_tie, first_preferences, least_favoured, ranking_tags
from voting.methods._universes import (
    Chooser,
    Classes,
    Outcome,
    TieExploringMethod,
    mark_swaps,
    ranking_outcome,
    symmetric_classes,
    with_universes,
)
from voting.profile import Profile
from voting.render import Explanation, json_ready, number_text, sheet
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``tallies`` (``{candidate: votes}``, exact strings), ``exhausted``
        and ``eliminated``."""
        return {
            "tallies": {name: json_ready(v) for name, v in self.tallies},
            "exhausted": self.exhausted,
            "eliminated": self.eliminated,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class IRVExplanation(Explanation):
    """The rounds of an IRV count.

    ``to_text()`` is a count sheet (candidates down, rounds across);
    ``to_dict()`` gives the rounds.

    Attributes
    ----------
    rounds : tuple of IRVRound
        Every elimination round, in order; the candidate left after the last one
        ranks first.
    """

    rounds: tuple[IRVRound, ...]

    def to_text(self) -> str:
        """The count sheet, then one line per round saying who was eliminated."""
        if not self.rounds:
            return "IRV: a single candidate, elected without a round."
        names = [name for name, _ in self.rounds[0].tallies]
        columns = []
        for r in self.rounds:
            votes = dict(r.tallies)
            cells = [
                ""
                if n not in votes
                else number_text(votes[n]) + ("-" if n == r.eliminated else " ")
                for n in names
            ]
            columns.append([*cells, f"{r.exhausted} "])
        labels = [f"R{k}" for k in range(1, len(self.rounds) + 1)]
        last = self.rounds[-1]
        winner = next(n for n, _ in last.tallies if n != last.eliminated)
        lines = [
            f"IRV count, {len(self.rounds)} round(s): each round eliminates the candidate with "
            "the fewest votes,",
            "whose ballots then count for their next choice.",
        ]
        lines += sheet([*names, "Exhausted"], labels, columns)
        lines += ["", "(- eliminated)"]
        for label, r in zip(labels, self.rounds, strict=True):
            fewest = number_text(dict(r.tallies)[r.eliminated])
            lines.append(f"{label}: {r.eliminated} eliminated with {fewest} votes")
        lines.append(f"{winner}, the last candidate left, ranks first.")
        return "\n".join(lines)


@dataclass(frozen=True, kw_only=True)
class IRV(TieExploringMethod):
    """Instant-runoff voting (alternative vote, single-seat ranked-choice voting).

    Parameters
    ----------
    seats : int, default 1
        How many candidates to elect: the top ``seats`` of the elimination
        ranking (this is *not* STV; use an STV method for proportional seats).
    tie_break : TieBreak, default CandidateOrder()
        When several candidates tie for the fewest votes, the least favoured is
        eliminated; every such tie is recorded in ``ties_broken``.
    max_counts : int, default 1000
        The most counts run to find the winners under every resolution of the
        ties (see Notes); past it, ``run`` raises
        :class:`~voting.exceptions.TooManyTieResolutionsError`. ``put_limit`` is its
        former name (deprecated).

    Notes
    -----
    Definition. In each round every ballot counts for its best-ranked continuing
    candidate; a ballot tying ``k`` continuing candidates at its top gives each
    ``1/k``; a ballot ranking no continuing candidate is exhausted (whatever the
    profile's unranked policy). The candidate with the fewest votes is eliminated,
    until one is left. Candidates are ranked in reverse order of elimination.

    Ties. ``elected`` follows ``tie_break``; ``winners`` holds every candidate
    elected under *some* resolution of the elimination ties (the parallel-universe
    answer, as pref_voting's ``instant_runoff_put``), computed exactly by counting
    again with each tie broken every other way (states already explored are
    reused). Each tie in ``ties_broken`` says whether it was decisive: whether
    breaking it another way (and the later ties in any way) elects someone else.
    A tie among candidates without votes that are all eliminated before the seats
    are reached cannot matter and is not explored; nor are the orders among
    *interchangeable* candidates (the ballots are unchanged when two of them are
    swapped, such as two candidates nobody ranks): their universes are mirror
    images, added by swapping, and a tie among them is decisive when some but not
    all of them can be elected.

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
        """Eliminate the weakest candidate round after round; rank in reverse.

        Raises
        ------
        TooManyTieResolutionsError
            When finding the winners under every resolution of the ties needs more
            than ``max_counts`` counts.
        """
        self.check_profile(profile)
        names = profile.candidates
        priority = self.tie_break.priority(names)
        seats = self.seats

        def count(chooser: Chooser) -> tuple[Outcome, _Count]:
            active = np.ones(len(names), dtype=np.bool_)
            rounds: list[IRVRound] = []
            ties: list[BrokenTie] = []
            asked: list[bool] = []
            lots: list[bool] = []
            eliminated: list[int] = []
            while active.sum() > 1:
                tallies, exhausted = first_preferences(profile, active)
                act = np.flatnonzero(active).tolist()
                fewest = min(tallies[j] for j in act)
                tied = [j for j in act if tallies[j] == fewest]
                loser = tied[0]
                if len(tied) > 1:
                    _, ordered = least_favoured(tied, priority)
                    # a tie among candidates without votes, all eliminated before the
                    # seats are reached, changes nothing: no tally moves
                    matters = len(act) > seats and not (
                        fewest == 0 and len(act) - len(tied) >= seats
                    )
                    options = ordered[::-1]  # the tie-break's loser first
                    loser, asked_here = (
                        chooser.choose(options, frozenset(act)) if matters else (options[0], False)
                    )
                    ordered = [c for c in ordered if c != loser] + [loser]
                    context = f"elimination in round {len(rounds) + 1}"
                    ties.append(broken_tie(names, tied, ordered, context, self.tie_break))
                    asked.append(asked_here)
                    lots.append(matters)
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
            return ranking_outcome(tiers, seats), (tiers, rounds, ties, asked, lots)

        kind = Classes(lambda: symmetric_classes(profile.ranks, profile.weights))
        (tiers, rounds, ties, asked, lots), universes = self.explore(count, kind)
        universes, swaps, labels = kind.close(universes)
        explanation = IRVExplanation(rounds=tuple(rounds))
        result = self.elect(profile.candidates, tiers, explanation, ties)
        return mark_swaps(with_universes(result, universes, asked), swaps, labels, lots)


_Count = tuple[list[list[int]], list[IRVRound], list[BrokenTie], list[bool], list[bool]]
