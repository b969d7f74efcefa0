"""Copeland's method: :class:`Copeland`, ranking by pairwise wins minus losses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from voting.methods._base import MethodTags, PairwiseMethod
from voting.methods._common import group_by_key, ranking_tags
from voting.pairwise_matrix import PairwiseMatrix
from voting.render import Explanation, by_candidate, text_table
from voting.results import Result

__all__ = ["Copeland", "CopelandExplanation"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CopelandExplanation(Explanation):
    """Pairwise wins, losses and ties of each candidate.

    ``to_text()`` is a table by score; ``to_dict()`` gives the fields, the counts
    keyed by candidate.

    Attributes
    ----------
    pairwise : PairwiseMatrix
    wins, losses, ties : tuple of int
        Per candidate (profile order): head-to-head contests won, lost, tied.
    scores : tuple of int
        ``wins - losses``; higher is better.
    """

    pairwise: PairwiseMatrix
    wins: tuple[int, ...]
    losses: tuple[int, ...]
    ties: tuple[int, ...]
    scores: tuple[int, ...]

    def to_text(self) -> str:
        """Candidates by score (highest first): wins, losses, ties, score."""
        names = self.pairwise.candidates
        order = sorted(range(len(names)), key=lambda i: -self.scores[i])
        rows = [
            [
                names[i],
                str(self.wins[i]),
                str(self.losses[i]),
                str(self.ties[i]),
                str(self.scores[i]),
            ]
            for i in order
        ]
        return "Copeland: head-to-head wins minus losses.\n" + text_table(
            ["candidate", "wins", "losses", "ties", "score"], rows, "<>>>>"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; ``wins``, ``losses``, ``ties``, ``scores`` as ``{candidate: n}``."""
        names = self.pairwise.candidates
        return self.fields_dict(
            wins=by_candidate(names, self.wins),
            losses=by_candidate(names, self.losses),
            ties=by_candidate(names, self.ties),
            scores=by_candidate(names, self.scores),
        )


@dataclass(frozen=True, kw_only=True)
class Copeland(PairwiseMethod[CopelandExplanation]):
    """Copeland's method: wins minus losses in head-to-head contests.

    Parameters
    ----------
    seats : int, default 1
        How many candidates to elect: the top ``seats``.
    tie_break : TieBreak, default CandidateOrder()
        Orders a tier straddling the last seat.

    Notes
    -----
    Definition. A candidate's score is the number of candidates it beats head to
    head minus the number that beat it (pairwise ties count for neither). With
    ``C`` candidates, ``wins + ties / 2 = (C - 1 + wins - losses) / 2``, so the
    "one point per win, half per tie" version gives the same ranking; scores here
    are exact integers. Candidates are ranked by score; equal scores tie (Copeland
    ties often, by design).

    A Condorcet winner scores ``C - 1``, the maximum, alone; a Condorcet loser
    scores ``-(C - 1)``, alone at the bottom; every member of the Smith set
    outscores every non-member. So Copeland elects the Condorcet winner, never
    the Condorcet loser, and stays in the Smith set.

    Runtime complexity: O(C²) after the pairwise matrix.

    References
    ----------
    A. H. Copeland (1951), "A reasonable social welfare function", University of
    Michigan seminar notes; Ramon Llull, *Ars electionis* (1299).

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings(
    ...     [["A", "B", "C", "D"], ["B", "C", "A", "D"], ["C", "A", "B", "D"]]
    ... )
    >>> r = Copeland().run(p)
    >>> r.explanation.scores
    (1, 1, 1, -3)
    >>> r.ranking
    (('A', 'B', 'C'), ('D',))
    """

    name: ClassVar[str] = "copeland"

    def tags(self) -> MethodTags:
        """Condorcet winner and loser, Smith."""
        return ranking_tags(self.seats, condorcet_winner=True, condorcet_loser=True, smith=True)

    def run_pairwise(self, pairwise: PairwiseMatrix, /) -> Result[CopelandExplanation]:
        """Rank from pairwise counts alone."""
        pm = self.check_pairwise(pairwise)
        s = pm.support
        win = (s > s.T).sum(axis=1)
        lose = (s < s.T).sum(axis=1)
        tie = pm.num_candidates - 1 - win - lose
        scores = [int(x) for x in (win - lose).tolist()]
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        explanation = CopelandExplanation(
            pairwise=pm,
            wins=tuple(int(x) for x in win.tolist()),
            losses=tuple(int(x) for x in lose.tolist()),
            ties=tuple(int(x) for x in tie.tolist()),
            scores=tuple(scores),
        )
        tiers = group_by_key(order, scores)
        return self.elect(pm.candidates, tiers, explanation)
