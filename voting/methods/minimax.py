"""Minimax: CIVS's default completion rule (:class:`MinimaxPM`) and the textbook rule.

Both judge a candidate by the pairwise contests it loses ("oppositions") and rank the
candidate whose strongest opposition is weakest first. They differ in how an
opposition's strength is measured and in how the ranking is built:

- :class:`MinimaxPM` (CIVS "Minimax-PM"): every other candidate's opposition counts,
  measured by its margin; a candidate's oppositions are compared lexicographically,
  strongest first; the ranking is peeled off one tier at a time, each time among the
  candidates not yet ranked only.
- :class:`Minimax` (Simpson–Kramer, winning votes): a candidate's score is the number
  of voters on the winning side of its worst defeat (0 if undefeated); everyone is
  ranked at once by that score.

Known deviations from the official rules
----------------------------------------
None known for :class:`MinimaxPM`: it follows CIVS's published ``minimax.pm`` (the
version that compares all oppositions lexicographically and drops the already-ranked
candidates when it peels the next tier).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
from numpy.typing import NDArray

from voting.methods._base import MethodTags, PairwiseMethod
from voting.methods._common import group_by_key, ranking_tags
from voting.pairwise_matrix import PairwiseMatrix
from voting.render import Explanation, by_candidate, json_ready, text_table
from voting.results import Result

__all__ = [
    "Minimax",
    "MinimaxExplanation",
    "MinimaxPM",
    "MinimaxPMExplanation",
    "MinimaxRound",
    "Opposition",
]

IntMatrix = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Opposition:
    """One pairwise contest seen from the losing side's candidate.

    Attributes
    ----------
    opponent : str
        The other candidate.
    votes_against : int
        Voters ranking ``opponent`` above the candidate.
    votes_for : int
        Voters ranking the candidate above ``opponent``.
    """

    opponent: str
    votes_against: int
    votes_for: int

    @property
    def margin(self) -> int:
        """``votes_against - votes_for``: positive when the candidate loses the contest."""
        return self.votes_against - self.votes_for

    def __str__(self) -> str:
        return f"vs {self.opponent} {self.votes_against}-{self.votes_for}"


@dataclass(frozen=True, slots=True, kw_only=True)
class MinimaxRound:
    """One tier of the Minimax-PM ranking and the oppositions that decided it.

    Attributes
    ----------
    remaining : tuple of str
        The candidates not yet ranked, in profile order.
    oppositions : tuple of tuple of Opposition
        For each candidate of ``remaining`` (same order), its oppositions from the
        other remaining candidates, strongest first.
    placed : tuple of str
        The candidates ranked in this round (the tier), in profile order.
    """

    remaining: tuple[str, ...]
    oppositions: tuple[tuple[Opposition, ...], ...]
    placed: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``remaining``, ``oppositions`` (``{candidate: [opposition,
        ...]}``, strongest first) and ``placed``."""
        return {
            "remaining": list(self.remaining),
            "oppositions": by_candidate(self.remaining, self.oppositions),
            "placed": list(self.placed),
        }

    def to_text(self, *, shown: int = 3) -> str:
        """The round as lines: each candidate's ``shown`` strongest oppositions, then
        who was placed."""
        lines = [f"{', '.join(self.remaining)} in play:"]
        for name, opp in zip(self.remaining, self.oppositions, strict=True):
            more = ", ..." if len(opp) > shown else ""
            text = ", ".join(str(o) for o in opp[:shown]) or "no opponent"
            lines.append(f"  {name}: {text}{more}")
        lines.append(f"  placed {', '.join(self.placed)}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True, kw_only=True)
class MinimaxPMExplanation(Explanation):
    """Why Minimax-PM ranked the candidates as it did.

    ``to_text()`` shows each round's oppositions; ``to_dict()`` gives the fields.

    Attributes
    ----------
    pairwise : PairwiseMatrix
    rounds : tuple of MinimaxRound
        One per tier of the ranking, best first.
    """

    pairwise: PairwiseMatrix
    rounds: tuple[MinimaxRound, ...]

    def to_text(self) -> str:
        """One block per round: the oppositions of each candidate in play, strongest
        first ("vs B 6-3": 6 voters prefer B, 3 the candidate), and who was placed."""
        lines = [
            "Minimax-PM: each round places the candidates whose oppositions are weakest",
            "(compared strongest first: larger margin, then more votes against).",
        ]
        for k, r in enumerate(self.rounds, 1):
            lines.append(f"Round {k}: {r.to_text()}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True, kw_only=True)
class MinimaxExplanation(Explanation):
    """Scores of the textbook Minimax (winning votes).

    ``to_text()`` is a table of scores and worst defeats; ``to_dict()`` gives the
    fields, ``scores`` and ``worst_defeats`` keyed by candidate.

    Attributes
    ----------
    pairwise : PairwiseMatrix
    scores : tuple of int
        Per candidate (profile order): the winning votes of its worst defeat, 0 if
        it is undefeated. Lower is better.
    worst_defeats : tuple of (Opposition or None)
        Per candidate: its worst defeat (most winning votes, then fewest losing
        votes), or None when undefeated.
    """

    pairwise: PairwiseMatrix
    scores: tuple[int, ...]
    worst_defeats: tuple[Opposition | None, ...]

    def to_text(self) -> str:
        """Candidates by score (lowest first) with their worst defeats."""
        names = self.pairwise.candidates
        order = sorted(range(len(names)), key=lambda i: self.scores[i])
        rows = [
            [
                names[i],
                str(self.scores[i]),
                "undefeated" if (d := self.worst_defeats[i]) is None else str(d),
            ]
            for i in order
        ]
        return (
            "Minimax (winning votes): a candidate's score is the winning votes of its\n"
            "worst defeat (0: undefeated); the lowest score ranks first.\n"
            + text_table(["candidate", "score", "worst defeat (against-for)"], rows, "<><")
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; ``scores`` and ``worst_defeats`` as ``{candidate: ...}``."""
        names = self.pairwise.candidates
        return self.fields_dict(
            scores=by_candidate(names, self.scores),
            worst_defeats={
                n: json_ready(d) for n, d in zip(names, self.worst_defeats, strict=True)
            },
        )


def _oppositions(
    support: IntMatrix, others: NDArray[np.intp], i: int, order: Literal["margin", "winning"]
) -> tuple[NDArray[np.intp], IntMatrix, IntMatrix]:
    """Opponents of ``i`` among ``others`` with votes against and for, strongest first.

    ``order="margin"``: larger margin first, then fewer votes against (CIVS's
    Minimax-PM). ``order="winning"``: more votes against first, then fewer votes for.
    """
    opp = others[others != i]
    against = support[opp, i]
    for_ = support[i, opp]
    if order == "margin":
        idx = np.lexsort((against, -(against - for_)))
    else:
        idx = np.lexsort((for_, -against))
    return opp[idx], against[idx], for_[idx]


def _pm_keys(support: IntMatrix, remaining: NDArray[np.intp]) -> IntMatrix:
    """One row per remaining candidate; a smaller row (lexicographically) ranks higher.

    Each opposition contributes ``(margin, -votes_against)``, strongest first: a
    candidate is better when, at the first difference, its opposition is weaker.
    """
    r = len(remaining)
    keys = np.empty((r, 2 * (r - 1)), dtype=np.int64)
    for a, i in enumerate(remaining.tolist()):
        _, against, for_ = _oppositions(support, remaining, i, "margin")
        keys[a, 0::2] = against - for_
        keys[a, 1::2] = -against
    return keys


def _as_oppositions(
    names: Sequence[str], opp: NDArray[np.intp], against: IntMatrix, for_: IntMatrix
) -> tuple[Opposition, ...]:
    return tuple(
        Opposition(names[j], a, f)
        for j, a, f in zip(opp.tolist(), against.tolist(), for_.tolist(), strict=True)
    )


def minimax_pm_tiers(
    support: IntMatrix, names: Sequence[str]
) -> tuple[list[list[int]], list[MinimaxRound]]:
    """The Minimax-PM ranking (tiers, best first) and the rounds that built it.

    Runtime complexity: O(C³ log C) (at most C rounds of sorting C×C oppositions).
    """
    c = len(names)
    ranked = np.zeros(c, dtype=np.bool_)
    tiers: list[list[int]] = []
    rounds: list[MinimaxRound] = []
    while not ranked.all():
        remaining = np.flatnonzero(~ranked)
        keys = _pm_keys(support, remaining)
        if keys.shape[1]:
            order = np.lexsort(keys.T[::-1])
            best = keys[order[0]]
            top = remaining[(keys == best).all(axis=1)]
        else:
            top = remaining
        tier = sorted(top.tolist())
        rounds.append(
            MinimaxRound(
                remaining=tuple(names[i] for i in remaining.tolist()),
                oppositions=tuple(
                    _as_oppositions(names, *_oppositions(support, remaining, i, "margin"))
                    for i in remaining.tolist()
                ),
                placed=tuple(names[i] for i in tier),
            )
        )
        tiers.append(tier)
        ranked[tier] = True
    return tiers, rounds


@dataclass(frozen=True, kw_only=True)
class MinimaxPM(PairwiseMethod[MinimaxPMExplanation]):
    """CIVS's default Condorcet completion, Minimax-PM (pairwise margins).

    Parameters
    ----------
    seats : int, default 1
        How many candidates to elect: the top ``seats`` of the ranking; a tier that
        straddles the last seat is reported and broken by ``tie_break``.
    tie_break : TieBreak, default CandidateOrder()
        Orders a tier straddling the last seat (CIVS flags such ties and leaves
        them to the poll supervisor; the method itself never breaks a tie).

    Notes
    -----
    Definition (CIVS ``minimax.pm``). For candidates ``x`` and ``y`` let ``N(y, x)``
    be the number of voters ranking ``y`` above ``x``. The *opposition* of ``y`` to
    ``x`` has margin ``N(y, x) - N(x, y)``; one opposition is stronger than another
    when its margin is larger or, with equal margins, when it has fewer votes
    ``N(y, x)``. Each candidate's oppositions from all the other candidates are
    sorted strongest first, and candidates are compared lexicographically on those
    lists: the candidate whose strongest opposition is weaker ranks higher; equal
    strongest oppositions are decided by the next ones, and so on. The best
    candidates form the first tier; the ranking continues among the others with the
    oppositions of ranked candidates dropped. Candidates with identical lists tie.

    A Condorcet winner's oppositions all have negative margins while every other
    candidate has a positive one, so Minimax-PM is Condorcet-consistent. Like every
    minimax rule it can elect a Condorcet loser and a candidate outside the Smith
    set.

    Runtime complexity: O(C³ log C) on the pairwise matrix (computed once, O(V·C²)).

    References
    ----------
    A. C. Myers, CIVS: Condorcet Internet Voting Service, "Condorcet completion
    rules", https://civs.cs.cornell.edu/rp.html, and ``cgi-bin/minimax.pm``.
    P. B. Simpson (1969), "On defining areas of voter choice", *QJE* 83(3).

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings(
    ...     [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]], weights=[4, 3, 2]
    ... )
    >>> r = MinimaxPM().run(p)
    >>> r.ranking
    (('A',), ('B',), ('C',))
    >>> [str(o) for o in r.explanation.rounds[0].oppositions[0]]
    ['vs C 5-4', 'vs B 3-6']
    """

    name: ClassVar[str] = "minimax_pm"

    def tags(self) -> MethodTags:
        """Kind and guaranteed criteria: Condorcet winner only."""
        return ranking_tags(self.seats, condorcet_winner=True)

    def run_pairwise(self, pairwise: PairwiseMatrix, /) -> Result[MinimaxPMExplanation]:
        """Rank from pairwise counts alone (Minimax-PM needs nothing else)."""
        self.check_pairwise(pairwise)
        tiers, rounds = minimax_pm_tiers(pairwise.support, pairwise.candidates)
        explanation = MinimaxPMExplanation(pairwise=pairwise, rounds=tuple(rounds))
        return self.elect(pairwise.candidates, tiers, explanation)


@dataclass(frozen=True, kw_only=True)
class Minimax(PairwiseMethod[MinimaxExplanation]):
    """Textbook Minimax (Simpson–Kramer) with winning votes.

    Parameters
    ----------
    seats : int, default 1
        How many candidates to elect (the top of the ranking by score).
    tie_break : TieBreak, default CandidateOrder()
        Orders a tier straddling the last seat.

    Notes
    -----
    Definition. A candidate's score is the number of voters on the winning side of
    its worst pairwise defeat (``max N(y, x)`` over the ``y`` that beat ``x``), or 0
    if nobody beats it. The ranking orders all candidates by score, lowest first;
    equal scores tie. A Condorcet winner scores 0 and everyone else at least 1, so
    the method is Condorcet-consistent; it can elect a Condorcet loser (see
    ``tests/test_criteria.py``) and fails the Smith criterion. This is the baseline
    against which :class:`MinimaxPM`, CIVS's variant, is compared.

    Runtime complexity: O(C²) on the pairwise matrix.

    References
    ----------
    P. B. Simpson (1969), "On defining areas of voter choice", *QJE* 83(3);
    G. H. Kramer (1977), "A dynamical model of political equilibrium", *JET* 16(2).

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings(
    ...     [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]], weights=[4, 3, 2]
    ... )
    >>> r = Minimax().run(p)
    >>> r.explanation.scores
    (5, 6, 7)
    >>> r.winner
    'A'
    """

    name: ClassVar[str] = "minimax"

    def tags(self) -> MethodTags:
        """Kind and guaranteed criteria: Condorcet winner only."""
        return ranking_tags(self.seats, condorcet_winner=True)

    def run_pairwise(self, pairwise: PairwiseMatrix, /) -> Result[MinimaxExplanation]:
        """Rank from pairwise counts alone."""
        pm = self.check_pairwise(pairwise)
        s = pm.support
        names = pm.candidates
        everyone = np.arange(len(names))
        scores: list[int] = []
        worst: list[Opposition | None] = []
        for i in range(len(names)):
            opp, against, for_ = _oppositions(s, everyone, i, "winning")
            defeats = against > for_
            if defeats.any():
                first = int(np.argmax(defeats))
                scores.append(int(against[first]))
                worst.append(
                    Opposition(names[int(opp[first])], int(against[first]), int(for_[first]))
                )
            else:
                scores.append(0)
                worst.append(None)
        order = sorted(range(len(names)), key=lambda i: scores[i])
        tiers = group_by_key(order, scores)
        explanation = MinimaxExplanation(
            pairwise=pm, scores=tuple(scores), worst_defeats=tuple(worst)
        )
        return self.elect(names, tiers, explanation)
