"""Positional baselines: :class:`Plurality` and :class:`Borda`.

Neither is Condorcet-consistent; they are here as baselines for comparisons and for the
property-test kit, which must catch their failures (see ``tests/test_criteria.py``).
Both rank every candidate by score, highest first; equal scores tie. Scores are exact
(:class:`fractions.Fraction`): tied ballots give half points and split votes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar, Literal, get_args

import numpy as np
from numpy.typing import NDArray

from voting._params import Constraints, OneOf
from voting._typing import UNRANKED
from voting.methods._base import MethodTags, SeatsMethod
from voting.methods._common import first_preferences, group_by_key, ranking_tags
from voting.profile import Profile
from voting.render import Explanation, by_candidate, number_text, text_table
from voting.results import Result

__all__ = ["Borda", "Plurality", "PositionalExplanation"]

TiedFirst = Literal["split", "each"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PositionalExplanation(Explanation):
    """Scores of a positional method.

    ``to_text()`` is a table by score; ``to_dict()`` gives the fields, ``scores``
    keyed by candidate (exact, as strings) when the candidates are known.

    Attributes
    ----------
    scores : tuple of Fraction
        Per candidate, in profile order; higher is better.
    exhausted : int
        Voters whose ballots gave no points (Plurality: ballots ranking nobody).
    rule : str
        How points were given, in words.
    candidates : tuple of str
        The candidates, in profile order (the names of ``scores``).
    """

    scores: tuple[Fraction, ...]
    exhausted: int
    rule: str
    candidates: tuple[str, ...] = ()

    def _names(self) -> tuple[str, ...]:
        return self.candidates or tuple(f"candidate {i + 1}" for i in range(len(self.scores)))

    def to_text(self) -> str:
        """The rule, then candidates by score (highest first)."""
        names = self._names()
        order = sorted(range(len(names)), key=lambda i: -self.scores[i])
        rows = [[names[i], number_text(self.scores[i])] for i in order]
        lines = [f"Points: {self.rule}.", text_table(["candidate", "score"], rows, "<>")]
        if self.exhausted:
            lines.append(f"Ballots giving no points (ranking nobody): {self.exhausted}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; ``scores`` as ``{candidate: score}`` (exact strings)."""
        return self.fields_dict(scores=by_candidate(self._names(), self.scores))


def _both_ranked(profile: Profile) -> NDArray[np.int64]:
    """``out[i, j]``: voters whose ballots rank both ``i`` and ``j``. O(V·C²).

    A float64 matrix product (BLAS) is exact while the total weight is below 2**53;
    beyond that, an int64 product.
    """
    ranked = profile.ranks != UNRANKED
    out: NDArray[np.int64]
    if profile.num_voters < 2**53:
        r = ranked.astype(np.float64)
        out = (r.T @ (r * profile.weights[:, None])).astype(np.int64)
    else:
        ri = ranked.astype(np.int64)
        out = ri.T @ (ri * profile.weights[:, None])
    return out


def _tiers_by_score(scores: Sequence[Fraction]) -> list[list[int]]:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    return group_by_key(order, scores)


@dataclass(frozen=True, kw_only=True)
class Plurality(SeatsMethod):
    """Plurality: rank candidates by first preferences.

    Parameters
    ----------
    seats : int, default 1
        How many candidates to elect: the top ``seats`` (single non-transferable
        vote when ``seats > 1``).
    tied_first : {"split", "each"}, default "split"
        A ballot that ties ``k`` candidates at the top gives each ``1/k`` of its
        weight (``"split"``) or its full weight (``"each"``, approval-like).
    tie_break : TieBreak, default CandidateOrder()
        Orders a tier straddling the last seat.

    Notes
    -----
    Definition. A candidate's score is the number of voters ranking it first
    (``tied_first`` says how tied first places count); a ballot that ranks nobody
    counts for nobody, whatever the profile's unranked policy. The ranking orders
    candidates by score. Plurality satisfies the majority criterion but is not
    Condorcet-consistent: it splits the vote of similar candidates.

    Runtime complexity: O(V·C), one pass of a numba kernel.

    References
    ----------
    W. H. Riker (1982), *Liberalism against Populism*, ch. 4.

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings([["A", "B"], [("A", "B")], ["B"]], weights=[3, 2, 2])
    >>> r = Plurality().run(p)
    >>> [str(x) for x in r.explanation.scores]
    ['4', '3']
    >>> [str(x) for x in Plurality(tied_first="each").run(p).explanation.scores]
    ['5', '4']
    """

    name: ClassVar[str] = "plurality"
    parameter_constraints: ClassVar[Constraints] = {"tied_first": OneOf(get_args(TiedFirst))}
    tied_first: TiedFirst = "split"

    def tags(self) -> MethodTags:
        """Majority criterion only (not Condorcet-consistent)."""
        return ranking_tags(self.seats, majority=True)

    def run(self, profile: Profile, /) -> Result[PositionalExplanation]:
        """Count first preferences and rank by them."""
        self.check_profile(profile)
        active = np.ones(profile.num_candidates, dtype=np.bool_)
        scores, exhausted = first_preferences(profile, active, split=self.tied_first == "split")
        rule = (
            "one point per first preference; tied first places share it"
            if self.tied_first == "split"
            else "one point per first preference; each tied first place gets it"
        )
        explanation = PositionalExplanation(
            scores=tuple(scores), exhausted=exhausted, rule=rule, candidates=profile.candidates
        )
        return self.elect(profile.candidates, _tiers_by_score(scores), explanation)


@dataclass(frozen=True, kw_only=True)
class Borda(SeatsMethod):
    """Borda count for ballots with ties and truncation.

    Parameters
    ----------
    seats : int, default 1
        How many candidates to elect: the top ``seats``.
    tie_break : TieBreak, default CandidateOrder()
        Orders a tier straddling the last seat.

    Notes
    -----
    Definition. On each ballot a candidate scores one point for every candidate
    the ballot ranks below it and half a point for every other candidate it ties
    with; its Borda score is the weighted sum over ballots. Equivalently,
    ``score(x) = sum over y of N(x, y) + T(x, y) / 2``, with ``N`` the pairwise
    counts and ``T(x, y)`` the voters who compare ``x`` and ``y`` and tie them.
    Unranked candidates follow the profile's policy: under ``unranked="last"``
    they are tied below every ranked candidate (so they get half a point for each
    other unranked candidate, and the ranked ones get a point for each of them);
    under ``"ignore"`` they get nothing and give nothing (a pair counts only when
    the ballot ranks both). On complete strict ballots of ``C`` candidates this is
    the classic ``C - 1, C - 2, ..., 0``. Borda is not Condorcet-consistent.

    Runtime complexity: O(C²) after the pairwise matrix, plus O(V·C²) under
    ``"ignore"`` to count the voters comparing each pair.

    References
    ----------
    J.-C. de Borda (1781), "Mémoire sur les élections au scrutin"; D. G. Saari
    (1995), *Basic Geometry of Voting*.

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings([["A", "B", "C"], ["B", ("A", "C")]], weights=[2, 1])
    >>> r = Borda().run(p)
    >>> [str(x) for x in r.explanation.scores]
    ['9/2', '4', '1/2']
    >>> r.winner
    'A'
    """

    name: ClassVar[str] = "borda"

    def tags(self) -> MethodTags:
        """No Condorcet guarantee: a baseline."""
        return ranking_tags(self.seats)

    def run(self, profile: Profile, /) -> Result[PositionalExplanation]:
        """Score by Borda points and rank by score."""
        self.check_profile(profile)
        s = profile.pairwise.support
        c = profile.num_candidates
        if profile.unranked == "last":
            compared = np.full((c, c), profile.num_voters, dtype=np.int64)
        else:
            compared = _both_ranked(profile)
        ties = compared - s - s.T
        np.fill_diagonal(ties, 0)
        # exact Python integers: a row of C - 1 counts can pass int64 near 2**63 voters
        doubled = 2 * s.astype(object).sum(axis=1) + ties.astype(object).sum(axis=1)
        scores = [Fraction(int(x), 2) for x in doubled.tolist()]
        explanation = PositionalExplanation(
            scores=tuple(scores),
            exhausted=0,
            rule="one point per candidate ranked below, half a point per candidate tied",
            candidates=profile.candidates,
        )
        return self.elect(profile.candidates, _tiers_by_score(scores), explanation)
