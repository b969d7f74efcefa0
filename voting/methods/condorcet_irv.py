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
from typing import Any, ClassVar, Literal, get_args

import numpy as np
from numpy.typing import NDArray

from voting._params import Constraints, OneOf
from voting.methods._base import MethodTags
from voting.methods._common import (
    broken_tie,
    civs_rank_counts,
    least_favoured,
    rank_counts_text,
    ranking_tags,
    top_counts,
)
from voting.methods._universes import (
    Chooser,
    Classes,
    Outcome,
    TieExploringMethod,
    mark_swaps,
    pairwise_classes,
    ranking_outcome,
    symmetric_classes,
    with_universes,
)
from voting.pairwise_matrix import PairwiseMatrix
from voting.profile import Profile
from voting.render import Explanation, by_candidate, json_ready, number_text
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``position``, ``tallies`` (one ``{candidate: first preferences}``
        per step, exact strings), ``eliminated`` and ``placed``."""
        return {
            "position": self.position,
            "tallies": [{n: json_ready(v) for n, v in step} for step in self.tallies],
            "eliminated": list(self.eliminated),
            "placed": list(self.placed),
        }

    def to_text(self) -> str:
        """The steps of this position: who was in play with what first preferences,
        who was set aside, who was placed."""
        lines = [f"Position {self.position}:"]
        for k, step in enumerate(self.tallies):
            votes = ", ".join(f"{n} {number_text(v)}" for n, v in step)
            lines.append(f"  in play (first preferences): {votes}")
            if k < len(self.eliminated):
                lines.append(f"  nobody beats all the others: {self.eliminated[k]} set aside")
        if len(self.tallies[-1]) == 1:
            lines.append(f"  {self.placed[0]}, the only candidate in play: placed")
        elif len(self.placed) == 1:
            lines.append(f"  {self.placed[0]} beats every other candidate in play: placed")
        else:
            lines.append(
                f"  nobody beats all the others, all with equal first preferences: "
                f"{', '.join(self.placed)} placed together"
            )
        return "\n".join(lines)


@dataclass(frozen=True, slots=True, kw_only=True)
class CondorcetIRVExplanation(Explanation):
    """Why Condorcet-IRV ranked the candidates as it did.

    ``to_text()`` shows the rank counts and, position by position, who was set
    aside and who placed; ``to_dict()`` gives the fields (``rank_counts`` keyed by
    candidate).

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

    def to_text(self) -> str:
        """How first preferences were counted, the rank counts, then each position."""
        names = self.pairwise.candidates
        if self.first_preferences == "once":
            lines = [
                "Condorcet-IRV: first preferences counted once, on the full ballots; the "
                "candidate set aside",
                "has the fewest first preferences, then the fewest second preferences, ...",
                rank_counts_text(names, self.rank_counts),
            ]
        else:
            lines = [
                "Condorcet-IRV: first preferences recounted among the candidates in play "
                "before each elimination."
            ]
        lines += [r.to_text() for r in self.rounds]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; ``rank_counts`` as ``{candidate: [count per tier]}``."""
        counts = self.rank_counts
        names = self.pairwise.candidates
        return self.fields_dict(rank_counts=by_candidate(names, counts) if counts else {})


@dataclass(frozen=True, kw_only=True)
class CondorcetIRV(TieExploringMethod):
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
    max_counts : int, default 1000
        The most counts run to find the winners under every resolution of the
        elimination ties (see Notes); past it, ``run`` raises
        :class:`~voting.exceptions.TooManyTieResolutionsError`. ``put_limit`` is its
        former name (deprecated).

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
    parameter_constraints: ClassVar[Constraints] = {"first_preferences": OneOf(get_args(Counting))}
    first_preferences: Counting = "once"
    tie_break: TieBreak = field(default_factory=ReverseCandidateOrder)

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
            than ``max_counts`` counts.
        """
        self.check_profile(profile)
        pm = profile.pairwise
        once = self.first_preferences == "once"
        counts = civs_rank_counts(profile) if once else []
        beats = pm.support > pm.support.T
        priority = self.tie_break.priority(profile.candidates)

        def count(chooser: Chooser) -> tuple[Outcome, _Detail]:
            return _Count(self, profile, counts, beats, priority, chooser).run()

        # interchangeable candidates: "once" sees only the rank counts and the
        # pairwise matrix; "recount" sees the ballots
        kind = Classes(
            lambda: (
                pairwise_classes(counts, pm.support)
                if once
                else symmetric_classes(profile.ranks, profile.weights)
            )
        )
        (tiers, rounds, ties, asked, lots), universes = self.explore(count, kind)
        universes, swaps, labels = kind.close(universes)
        explanation = CondorcetIRVExplanation(
            pairwise=pm,
            first_preferences=self.first_preferences,
            rank_counts=tuple(counts),
            rounds=tuple(rounds),
        )
        result = self.elect(profile.candidates, tiers, explanation, ties)
        return mark_swaps(with_universes(result, universes, asked), swaps, labels, lots)


_Detail = tuple[list[list[int]], list[CondorcetIRVRound], list[BrokenTie], list[bool], list[bool]]
"""What a count records: tiers, rounds, broken ties, and per tie whether the chooser
was asked and whether it could change who is elected."""


class _Count:
    """One count of Condorcet-IRV, its ties decided by ``chooser``: positions filled in turn.

    ``counts`` are the rank counts (``"once"``; empty for ``"recount"``), ``beats``
    the pairwise defeats, ``priority`` the tie-break's order of the candidates.
    """

    def __init__(
        self,
        method: CondorcetIRV,
        profile: Profile,
        counts: list[tuple[Fraction, ...]],
        beats: NDArray[np.bool_],
        priority: tuple[int, ...],
        chooser: Chooser,
    ) -> None:
        self.method, self.profile, self.counts = method, profile, counts
        self.beats, self.priority, self.chooser = beats, priority, chooser
        self.once = method.first_preferences == "once"
        self.names = profile.candidates
        self.ranked = np.zeros(len(self.names), dtype=np.bool_)
        self.tiers: list[list[int]] = []
        self.rounds: list[CondorcetIRVRound] = []
        self.ties: list[BrokenTie] = []
        self.asked: list[bool] = []
        self.lots: list[bool] = []

    def run(self) -> tuple[Outcome, _Detail]:
        """Fill every position; the outcome and what was recorded."""
        while not self.ranked.all():
            self._fill(len(self.tiers) + 1)
        detail = (self.tiers, self.rounds, self.ties, self.asked, self.lots)
        return ranking_outcome(self.tiers, self.method.seats), detail

    def _keys(self, act: list[int], active: NDArray[np.bool_]) -> list[tuple[Fraction, ...]]:
        """What orders the candidates in play ``act``: rank counts, or first preferences."""
        if self.once:
            return [self.counts[j] for j in act]
        last = self.profile.unranked == "last"
        top, _ = top_counts(self.profile, active, split=False, unranked_tier=last)
        return [(top[j],) for j in act]

    def _fill(self, position: int) -> None:
        """Set candidates aside until one beats every other in play; place it."""
        names = self.names
        active = ~self.ranked
        eliminated: list[int] = []
        tallies: list[tuple[tuple[str, Fraction], ...]] = []
        while True:
            act = np.flatnonzero(active).tolist()
            keys = self._keys(act, active)
            tallies.append(tuple((names[j], k[0]) for j, k in zip(act, keys, strict=True)))
            wins = self.beats[np.ix_(act, act)].sum(axis=1)
            winner = np.flatnonzero(wins == len(act) - 1)
            if winner.size:
                placed = [act[int(winner[0])]]
                break
            worst = min(keys)
            tied = [j for j, k in zip(act, keys, strict=True) if k == worst]
            if not self.once and len(tied) == len(act):
                placed = act  # CIVS's earlier code: the top tied set
                break
            loser = self._set_aside(tied, act, position)
            active[loser] = False
            eliminated.append(loser)
        self.ranked[placed] = True
        self.tiers.append(placed)
        self.rounds.append(
            CondorcetIRVRound(
                position=position,
                tallies=tuple(tallies),
                eliminated=tuple(names[j] for j in eliminated),
                placed=tuple(names[j] for j in placed),
            )
        )

    def _set_aside(self, tied: list[int], act: list[int], position: int) -> int:
        """The candidate of ``tied`` set aside: the tie-break's (or the chooser's) choice,
        the tie recorded."""
        if len(tied) == 1:
            return tied[0]
        _, ordered = least_favoured(tied, self.priority)
        # once the seats are filled no tie can change who is elected
        matters = int(self.ranked.sum()) < self.method.seats
        state = (frozenset(np.flatnonzero(self.ranked).tolist()), frozenset(act))
        options = ordered[::-1]  # the tie-break's choice first
        loser, asked = self.chooser.choose(options, state) if matters else (options[0], False)
        ordered = [j for j in ordered if j != loser] + [loser]
        context = f"elimination for position {position}"
        self.ties.append(broken_tie(self.names, tied, ordered, context, self.method.tie_break))
        self.asked.append(asked)
        self.lots.append(matters)
        return loser


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
