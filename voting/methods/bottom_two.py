"""Bottom-two runoff (BTR-IRV) as CIVS computes it: :class:`BottomTwoRunoff`.

Candidates are *seeded* once by their first preferences (then second preferences, and
so on). To fill each position, the two lowest-seeded candidates still in play meet
head to head and the loser is eliminated, until one candidate is left; a top seed
whom nobody in play beats takes the position at once.

Known deviations from the official rules
----------------------------------------
- CIVS sums the fractional rank counts (a tier of ``k`` candidates gives each
  ``1/k``) in floating point; here they are exact fractions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from voting.methods._base import MethodTags
from voting.methods._common import broken_tie, civs_rank_counts, rank_counts_text, ranking_tags
from voting.methods._universes import (
    Chooser,
    Outcome,
    TieExploringMethod,
    close_under_swaps,
    mark_swaps,
    pairwise_classes,
    ranking_outcome,
    representatives,
    with_universes,
)
from voting.pairwise_matrix import PairwiseMatrix
from voting.profile import Profile
from voting.render import Explanation, by_candidate
from voting.results import Result
from voting.ties import BrokenTie, TieBreak

__all__ = ["BottomTwoExplanation", "BottomTwoRound", "BottomTwoRunoff", "Runoff"]


@dataclass(frozen=True, slots=True)
class Runoff:
    """One head-to-head elimination between the two lowest seeds in play.

    Attributes
    ----------
    higher, lower : str
        The better and the worse seeded of the two.
    for_higher, for_lower : int
        Voters preferring each to the other.
    eliminated : str
        The pairwise loser; on a pairwise tie, the lower seed.
    """

    higher: str
    lower: str
    for_higher: int
    for_lower: int
    eliminated: str

    def __str__(self) -> str:
        return (
            f"{self.higher} vs {self.lower} {self.for_higher}-{self.for_lower}: "
            f"{self.eliminated} eliminated"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class BottomTwoRound:
    """How one position of the ranking was filled.

    Attributes
    ----------
    position : int
        The position filled (1 = first).
    top_seed_unbeaten : bool
        True when the best seed in play was beaten by nobody in play and took the
        position at once (no runoffs).
    runoffs : tuple of Runoff
        The eliminations, in order.
    placed : str
    """

    position: int
    top_seed_unbeaten: bool
    runoffs: tuple[Runoff, ...]
    placed: str

    def to_text(self) -> str:
        """The position in one line: the unbeaten top seed, or the runoffs in order."""
        if self.top_seed_unbeaten:
            how = "the top seed in play, beaten by nobody in play"
        else:
            how = "; ".join(str(r) for r in self.runoffs) + "; the last one left"
        return f"Position {self.position}: {self.placed} ({how})"


@dataclass(frozen=True, slots=True, kw_only=True)
class BottomTwoExplanation(Explanation):
    """Why bottom-two runoff ranked the candidates as it did.

    ``to_text()`` shows the rank counts, the seeding and each position's runoffs;
    ``to_dict()`` gives the fields (``rank_counts`` keyed by candidate).

    Attributes
    ----------
    pairwise : PairwiseMatrix
    rank_counts : tuple of tuple of Fraction
        Per candidate (profile order): ballots placing it in each tier, ties split.
    seeding : tuple of str
        The candidates by rank counts, best first (equal counts: ``tie_break``).
    rounds : tuple of BottomTwoRound
        One per position (the last candidate left is placed without a round).
    """

    pairwise: PairwiseMatrix
    rank_counts: tuple[tuple[Fraction, ...], ...]
    seeding: tuple[str, ...]
    rounds: tuple[BottomTwoRound, ...]

    def to_text(self) -> str:
        """Rank counts, seeding, then one line per position."""
        names = self.pairwise.candidates
        lines = [
            "Bottom-two runoff: candidates seeded by rank counts (most first preferences, "
            "then second, ...);",
            "for each position the two lowest seeds in play meet head to head and the loser "
            "is eliminated,",
            "unless the top seed in play is beaten by nobody in play.",
            rank_counts_text(names, self.rank_counts),
            "Seeding: " + ", ".join(self.seeding),
        ]
        lines += [r.to_text() for r in self.rounds]
        placed = {r.placed for r in self.rounds}
        lines += [f"Last position: {n}" for n in self.seeding if n not in placed]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; ``rank_counts`` as ``{candidate: [count per tier]}``."""
        return self.fields_dict(
            rank_counts=by_candidate(self.pairwise.candidates, self.rank_counts)
        )


@dataclass(frozen=True, kw_only=True)
class BottomTwoRunoff(TieExploringMethod):
    """Bottom-two runoff instant runoff (BTR-IRV), CIVS's variant of Condorcet-IRV.

    Parameters
    ----------
    seats : int, default 1
        How many candidates to elect: the top ``seats`` of the ranking.
    tie_break : TieBreak, default CandidateOrder()
        Orders candidates with identical rank counts in the seeding (CIVS: choice
        order, the earlier candidate seeded higher). Each such tie is recorded
        (context ``"seeding"``), with whether it was decisive.
    max_counts : int, default 1000
        The most counts run to find the winners under every seeding the ties allow
        (see Notes); past it, ``run`` raises
        :class:`~voting.exceptions.TooManyTieResolutionsError`. ``put_limit`` is its
        former name (deprecated).

    Notes
    -----
    Definition (CIVS ``b2r.pm``). The rank counts ``n_t(x)`` (ballots placing ``x``
    in tier ``t``, ties split; see :class:`~voting.methods.condorcet_irv.CondorcetIRV`)
    are computed once and the candidates seeded by ``(n_0, n_1, ...)``, largest
    first. To fill each position: if nobody in play beats the top seed in play, it
    takes the position; otherwise the two lowest seeds in play meet head to head
    and the loser (on a tie, the lower seed) is eliminated, until one is left, who
    takes the position. Eliminated candidates come back for the next position; the
    last candidate takes the last position.

    Ties. The seeding is the only place a tie-break acts (a runoff tied head to
    head eliminates the lower seed, by the rule). ``elected`` follows
    ``tie_break``; ``winners`` holds every candidate elected under *some* order of
    the candidates with equal rank counts (the parallel-universe answer), computed
    exactly by counting again under every such seeding; a seeding tie is decisive
    when another order of it (and of the other ties) elects someone else.

    A Condorcet winner wins every runoff, a Condorcet loser loses every one, and a
    member of the Smith set can only be eliminated by another member: the method
    elects the Condorcet winner, never the Condorcet loser, and stays in the Smith
    set. It is not monotonic.

    Runtime complexity: O(V·C + C³) after the pairwise matrix (O(V·C²)).

    References
    ----------
    A. C. Myers, CIVS, ``cgi-bin/b2r.pm``; "Bottom-Two-Runoff IRV", electowiki,
    https://electowiki.org/wiki/Bottom-Two-Runoff_IRV.

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings(
    ...     [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]], weights=[4, 3, 2]
    ... )
    >>> r = BottomTwoRunoff().run(p)
    >>> r.ranking
    (('A',), ('B',), ('C',))
    >>> [str(x) for x in r.explanation.rounds[0].runoffs]
    ['B vs C 7-2: C eliminated', 'A vs B 6-3: B eliminated']
    """

    name: ClassVar[str] = "bottom_two_runoff"

    def tags(self) -> MethodTags:
        """Condorcet winner and loser, Smith."""
        return ranking_tags(self.seats, condorcet_winner=True, condorcet_loser=True, smith=True)

    def run(self, profile: Profile, /) -> Result[BottomTwoExplanation]:
        """Seed once, then fill each position by bottom-two eliminations.

        Raises
        ------
        TooManyTieResolutionsError
            When finding the winners under every seeding the ties allow needs more
            than ``max_counts`` counts.
        """
        self.check_profile(profile)
        pm = profile.pairwise
        s = pm.support
        names = profile.candidates
        counts = civs_rank_counts(profile)
        groups = _equal_counts(counts, self.tie_break.priority(names))
        kind = pairwise_classes(counts, s)  # cheap: O(C³) at most

        def count(chooser: Chooser) -> tuple[Outcome, _Count]:
            seeded, ties, picks = _seeding(groups, kind, chooser, names, self.tie_break)
            tiers, rounds = _positions(seeded, s, names)
            return ranking_outcome(tiers, self.seats), (tiers, rounds, ties, picks, seeded)

        (tiers, rounds, ties, picks, seeded), universes = self.explore(count)
        universes, swaps = close_under_swaps(universes, kind)
        explanation = BottomTwoExplanation(
            pairwise=pm,
            rank_counts=tuple(counts),
            seeding=tuple(names[j] for j in seeded),
            rounds=tuple(rounds),
        )
        result = self.elect(profile.candidates, tiers, explanation, ties)
        lots = [True] * len(ties)
        result = mark_swaps(with_universes(result, universes, picks), swaps, kind, lots)
        return result


_Count = tuple[list[list[int]], list[BottomTwoRound], list[BrokenTie], list[int], list[int]]


def _equal_counts(
    counts: Sequence[tuple[Fraction, ...]], priority: Sequence[int]
) -> list[list[int]]:
    """The candidates by rank counts, largest first, grouped where the counts are equal
    (each group in the tie-break's order)."""
    rank_of = {c: r for r, c in enumerate(priority)}
    neg = [tuple(-x for x in row) for row in counts]
    by_counts = sorted(range(len(counts)), key=lambda j: (neg[j], rank_of[j]))
    groups: list[list[int]] = []
    for j in by_counts:
        if groups and counts[groups[-1][0]] == counts[j]:
            groups[-1].append(j)
        else:
            groups.append([j])
    return groups


def _seeding(
    groups: list[list[int]],
    kind: Sequence[int],
    chooser: Chooser,
    names: Sequence[str],
    tie_break: TieBreak,
) -> tuple[list[int], list[BrokenTie], list[int]]:
    """The seeding: equal rank counts ordered by the tie-break (option 0) or the chooser.

    Interchangeable candidates (``kind``) are not ordered among themselves: their
    orders are mirror images. Returns the seeding, the ties recorded and how many times
    the chooser was asked for each.
    """
    seeded: list[int] = []
    ties: list[BrokenTie] = []
    picks: list[int] = []
    for group in groups:
        rest = list(group)
        asked = 0
        while len(rest) > 1:
            firsts = representatives(rest, kind)
            pick = chooser.pick(len(firsts)) if len(firsts) > 1 else 0
            asked += len(firsts) > 1
            seeded.append(firsts[pick])
            rest.remove(firsts[pick])
        seeded.extend(rest)
        if len(group) > 1:
            ties.append(broken_tie(names, group, seeded[-len(group) :], "seeding", tie_break))
            picks.append(asked)
    return seeded, ties, picks


def _positions(
    seeded: list[int], s: NDArray[np.int64], names: Sequence[str]
) -> tuple[list[list[int]], list[BottomTwoRound]]:
    """Fill each position by bottom-two runoffs among the seeds in play."""
    unranked = list(seeded)
    tiers: list[list[int]] = []
    rounds: list[BottomTwoRound] = []
    while len(unranked) > 1:
        top = unranked[0]
        runoffs: list[Runoff] = []
        unbeaten = not any(s[c, top] > s[top, c] for c in unranked[1:])
        winner = top
        if not unbeaten:
            remaining = list(unranked)
            while len(remaining) > 1:
                c1, c2 = remaining[-2], remaining[-1]
                loser = c1 if s[c1, c2] < s[c2, c1] else c2
                runoffs.append(
                    Runoff(names[c1], names[c2], int(s[c1, c2]), int(s[c2, c1]), names[loser])
                )
                remaining.remove(loser)
            winner = remaining[0]
        tiers.append([winner])
        rounds.append(
            BottomTwoRound(
                position=len(tiers),
                top_seed_unbeaten=unbeaten,
                runoffs=tuple(runoffs),
                placed=names[winner],
            )
        )
        unranked.remove(winner)
    tiers.append(unranked)
    return tiers, rounds
