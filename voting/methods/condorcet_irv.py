"""CIVS's Condorcet-IRV completion: :class:`CondorcetIRV`.

Each position of the ranking goes to the Condorcet winner of the candidates not yet
ranked; while there is none, candidates are set aside, fewest first preferences first,
until one candidate beats every other one still in play. CIVS's current code counts
first preferences once, on the full ballots, and never recounts them after an
elimination (``first_preferences="once"``); its earlier code recounted them among the
candidates still in play (``"recount"``).

Known deviations from the official rules
----------------------------------------
- CIVS sums fractional first preferences (a ballot tying ``k`` candidates at the top
  gives each ``1/k``) in floating point and compares the sums with ``==``; here they
  are exact fractions. The two differ only if float rounding makes equal sums unequal.
- ``first_preferences="recount"`` follows CIVS's earlier ``runoff.pm``, which broke
  ties for the fewest first preferences at random; here ``tie_break`` decides (and
  the tie is recorded). The Kubernetes 2019 ranking is reproduced only with
  ``"recount"`` (the current rule orders the last three candidates differently).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar, Literal

import numpy as np

from voting.methods._base import MethodTags, check_profile
from voting.methods._common import (
    broken_tie,
    check_choice,
    civs_rank_counts,
    finish,
    least_favoured,
    ranking_tags,
    top_counts,
)
from voting.methods._ranking import RankingMethod
from voting.methods._universes import (
    PUT_LIMIT,
    Chooser,
    Classes,
    Outcome,
    check_put_limit,
    explore,
    mark_swaps,
    pairwise_classes,
    ranking_outcome,
    symmetric_classes,
    with_universes,
)
from voting.pairwise_matrix import PairwiseMatrix
from voting.profile import Profile
from voting.results import Result
from voting.ties import BrokenTie, ReverseCandidateOrder, TieBreak

Counting = Literal["once", "recount"]

__all__ = [
    "CondorcetIRV",
    "CondorcetIRVExplanation",
    "CondorcetIRVRound",
    "ReverseCandidateOrder",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class CondorcetIRVRound:
    """How one position of the Condorcet-IRV ranking was filled.

    Attributes
    ----------
    position : int
        The position filled (1 = first).
    tallies : tuple of tuple of (str, Fraction)
        Before each elimination of this round (and once more before the position is
        filled), the first preferences of the candidates in play, in profile order.
    eliminated : tuple of str
        Candidates set aside for this position, in order, before a Condorcet
        winner emerged (empty when there was one at once).
    placed : tuple of str
        The candidates placed at this position: the Condorcet winner of those in
        play, or (``first_preferences="recount"`` only) all of them when none beats
        all others and their first preferences are equal.
    """

    position: int
    tallies: tuple[tuple[tuple[str, Fraction], ...], ...]
    eliminated: tuple[str, ...]
    placed: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CondorcetIRVExplanation:
    """Why Condorcet-IRV ranked the candidates as it did.

    Attributes
    ----------
    pairwise : PairwiseMatrix
    first_preferences : {"once", "recount"}
        The counting rule used (see :class:`CondorcetIRV`).
    rank_counts : tuple of tuple of Fraction
        ``"once"`` only (empty otherwise): per candidate (profile order), the
        ballots placing it in each tier, first tier first (ties split equally).
        Candidates with fewer first preferences are set aside first; equal counts
        are decided by the next tier, and so on.
    rounds : tuple of CondorcetIRVRound
        One per position, best first.
    """

    pairwise: PairwiseMatrix
    first_preferences: Counting
    rank_counts: tuple[tuple[Fraction, ...], ...]
    rounds: tuple[CondorcetIRVRound, ...]


@dataclass(frozen=True, kw_only=True)
class CondorcetIRV(RankingMethod):
    """Condorcet-IRV as CIVS computes it (used by Kubernetes in 2019 and 2020).

    Parameters
    ----------
    seats : int, default 1
        How many candidates to elect: the top ``seats`` of the ranking.
    first_preferences : {"once", "recount"}, default "once"
        ``"once"``: CIVS's current rule, first preferences (then second, ...)
        counted once on the full ballots, ties on a ballot split equally.
        ``"recount"``: CIVS's earlier rule (in use for the Kubernetes elections of
        2019 and 2020): before each elimination, each ballot counts one vote for
        every candidate in play it ranks best (ties count for each).
    tie_break : TieBreak, default ReverseCandidateOrder()
        Decides which of several candidates with equal counts is set aside (the
        least favoured one). The default sets aside the earliest candidate in
        profile (ballot-column) order, as CIVS's current code does; CIVS's earlier
        code chose at random. Every such tie is recorded in ``ties_broken``.
    put_limit : int, default 1000
        The most counts run to find the winners under every resolution of the
        elimination ties (see Notes); past it, ``run`` raises
        :class:`~voting.exceptions.TooManyTieResolutionsError`.

    Notes
    -----
    Definition (CIVS ``runoff.pm``). To fill each position, from the first: among
    the candidates not yet ranked and not set aside, if one beats each of the
    others head to head it takes the position; otherwise the candidate with the
    fewest first preferences is set aside and the search repeats. Candidates set
    aside come back for the next position.

    With ``"once"``, let ``n_t(x)`` be the number of ballots that place ``x`` in
    their tier ``t`` (0 = top), each ballot splitting its weight equally among the
    candidates of the tier; under ``unranked="ignore"`` unranked candidates get
    nothing ("No opinion"), under ``"last"`` they form the ballot's last tier. The
    candidate set aside has the lexicographically smallest ``(n_0, n_1, ...)``;
    these counts never change. With ``"recount"`` the count is redone among the
    candidates in play before each elimination; if all of them have the same
    count (and none is a Condorcet winner) they are placed together, tied.

    Ties. ``elected`` follows ``tie_break``; ``winners`` holds every candidate
    elected under *some* resolution of the elimination ties (the parallel-universe
    answer), computed exactly by counting again with each tie broken every other
    way (states already explored are reused, and the orders among interchangeable
    candidates are mirror images, added by swapping); each tie in ``ties_broken``
    says whether it was decisive: whether breaking it another way changes who can
    be elected.

    Condorcet-IRV elects the Condorcet winner. With ``"once"`` it also stays in the
    Smith set (so never elects the Condorcet loser): while a member of the Smith set
    is in play no outsider can beat all the others, and the last member left beats
    every outsider. With ``"recount"`` a top-tied set may include anyone, the
    Condorcet loser too. It is not monotonic.

    Runtime complexity: O(V·C + C³) after the pairwise matrix (O(V·C²)) with
    ``"once"``; O(V·C³) with ``"recount"`` (one O(V·C) kernel pass per elimination).
    Counts are exact (CIVS sums floats).

    References
    ----------
    A. C. Myers, CIVS, https://civs.cs.cornell.edu/rp.html and
    ``cgi-bin/runoff.pm``; D. Eckam, "The Condorcet-IRV voting method",
    https://www.daneckam.com/?p=374.

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings(
    ...     [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]], weights=[4, 3, 2]
    ... )
    >>> r = CondorcetIRV().run(p)
    >>> r.ranking
    (('A',), ('B',), ('C',))
    >>> r.explanation.rounds[0].eliminated
    ('C',)
    """

    name: ClassVar[str] = "condorcet_irv"
    first_preferences: Counting = "once"
    tie_break: TieBreak = field(default_factory=ReverseCandidateOrder)
    put_limit: int = PUT_LIMIT

    def __post_init__(self) -> None:
        super().__post_init__()
        check_choice(self.first_preferences, ("once", "recount"), "first_preferences", self.name)
        check_put_limit(self.put_limit, self.name)

    def tags(self) -> MethodTags:
        """Condorcet winner; also Condorcet loser and Smith with ``"once"``."""
        once = self.first_preferences == "once"
        return ranking_tags(self.seats, condorcet_winner=True, condorcet_loser=once, smith=once)

    def run(self, profile: Profile, /) -> Result[CondorcetIRVExplanation]:
        """Fill each position with the Condorcet winner left after eliminations.

        Raises
        ------
        TooManyTieResolutionsError
            When finding the winners under every resolution of the ties needs more
            than ``put_limit`` counts.
        """
        check_profile(profile, self.name, self.seats)
        pm = profile.pairwise
        names = profile.candidates
        once = self.first_preferences == "once"
        counts = civs_rank_counts(profile) if once else []
        beats = pm.support > pm.support.T
        priority = self.tie_break.priority(names)
        c = len(names)
        seats = self.seats

        def count(chooser: Chooser) -> tuple[Outcome, _Count]:
            ranked = np.zeros(c, dtype=np.bool_)
            tiers: list[list[int]] = []
            rounds: list[CondorcetIRVRound] = []
            ties: list[BrokenTie] = []
            asked: list[bool] = []
            lots: list[bool] = []
            while not ranked.all():
                position = len(tiers) + 1
                active = ~ranked
                eliminated: list[int] = []
                tallies: list[tuple[tuple[str, Fraction], ...]] = []
                while True:
                    act = np.flatnonzero(active).tolist()
                    if once:
                        keys: list[tuple[Fraction, ...]] = [counts[j] for j in act]
                    else:
                        top, _ = top_counts(
                            profile, active, split=False, unranked_tier=profile.unranked == "last"
                        )
                        keys = [(top[j],) for j in act]
                    tallies.append(tuple((names[j], k[0]) for j, k in zip(act, keys, strict=True)))
                    wins = beats[np.ix_(act, act)].sum(axis=1)
                    winner = np.flatnonzero(wins == len(act) - 1)
                    if winner.size:
                        placed = [act[int(winner[0])]]
                        break
                    worst = min(keys)
                    tied = [j for j, k in zip(act, keys, strict=True) if k == worst]
                    if not once and len(tied) == len(act):
                        placed = act  # CIVS's earlier code: the top tied set
                        break
                    loser = tied[0]
                    if len(tied) > 1:
                        _, ordered = least_favoured(tied, priority)
                        # once the seats are filled no tie can change who is elected
                        matters = int(ranked.sum()) < seats
                        state = (frozenset(np.flatnonzero(ranked).tolist()), frozenset(act))
                        options = ordered[::-1]  # the tie-break's choice first
                        loser, asked_here = (
                            chooser.choose(options, state) if matters else (options[0], False)
                        )
                        ordered = [j for j in ordered if j != loser] + [loser]
                        context = f"elimination for position {position}"
                        ties.append(broken_tie(names, tied, ordered, context, self.tie_break))
                        asked.append(asked_here)
                        lots.append(matters)
                    active[loser] = False
                    eliminated.append(loser)
                ranked[placed] = True
                tiers.append(placed)
                rounds.append(
                    CondorcetIRVRound(
                        position=position,
                        tallies=tuple(tallies),
                        eliminated=tuple(names[j] for j in eliminated),
                        placed=tuple(names[j] for j in placed),
                    )
                )
            return ranking_outcome(tiers, seats), (tiers, rounds, ties, asked, lots)

        # interchangeable candidates: "once" sees only the rank counts and the
        # pairwise matrix; "recount" sees the ballots
        kind = Classes(
            lambda: (
                pairwise_classes(counts, pm.support)
                if once
                else symmetric_classes(profile.ranks, profile.weights)
            )
        )
        (tiers, rounds, ties, asked, lots), universes = explore(
            count, limit=self.put_limit, method=self.name, kind=kind
        )
        universes, swaps, labels = kind.close(universes)
        explanation = CondorcetIRVExplanation(
            pairwise=pm,
            first_preferences=self.first_preferences,
            rank_counts=tuple(counts),
            rounds=tuple(rounds),
        )
        result = finish(
            self.name, profile.candidates, tiers, self.seats, self.tie_break, explanation, ties
        )
        return mark_swaps(with_universes(result, universes, asked), swaps, labels, lots)


_Count = tuple[list[list[int]], list[CondorcetIRVRound], list[BrokenTie], list[bool], list[bool]]


def __getattr__(name: str) -> Any:
    """``ReverseLexicographic``: the deprecated name of ``ReverseCandidateOrder``."""
    if name == "ReverseLexicographic":
        warnings.warn(
            "voting.methods.condorcet_irv.ReverseLexicographic is deprecated; use "
            "voting.ties.ReverseCandidateOrder (the same rule: the candidate listed last "
            "in the input is favoured).",
            DeprecationWarning,
            stacklevel=2,
        )
        return ReverseCandidateOrder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
