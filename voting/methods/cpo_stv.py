"""CPO-STV: Tideman's Comparison of Pairs of Outcomes by the Single Transferable Vote.

Definition (Tideman 1995; Tideman and Richardson 2000). Every committee of ``seats``
candidates is an *outcome*. Two outcomes ``A`` and ``B`` are compared by an STV count
restricted to them:

1. every candidate in neither ``A`` nor ``B`` is eliminated: each ballot counts for
   its highest-ranked candidate of ``S = A ∪ B``;
2. the surpluses of the candidates in both outcomes (``I = A ∩ B``) are transferred
   by Meek's rule, and only theirs: each of them gets a *keep factor* ``kf``; a
   ballot reaching it with weight ``w`` gives it ``w·kf`` and passes ``w·(1 - kf)``
   to its next candidate of ``S``. Candidates in only one outcome keep every vote
   they get (``kf = 1``). The keep factors are iterated until every candidate of
   ``I`` holds (almost) exactly the quota;
3. the quota is recomputed at every iteration from the votes still held by ``S``
   (weight that finds no further candidate of ``S`` is exhausted and lowers it),
   as Meek's method does: ``"droop"`` is ``T / (seats + 1)``, ``"hare"`` is
   ``T / seats``;
4. outcome ``A``'s score is the total vote of its members, likewise ``B``'s; the
   margin of ``A`` over ``B`` is the difference (members of ``I`` cancel).

The outcome beating every other one (a *Condorcet committee*) wins. Otherwise the
``completion`` rule (Schulze over margins, ranked pairs over margins, or minimax
over margins) is applied to the matrix of margins between outcomes; its top tier is
the set of winning committees.

Arithmetic follows the Reference Meek Rule (Hill 2006): fixed point with 9 decimals,
a ballot gives ``ceil9(w·kf)``; quota ``trunc9(T / (seats + 1)) + 10^-9`` for Droop
(``ceil9(T / seats)`` for Hare); new ``kf = min(1, ceil9(kf·quota / votes))``;
iteration stops when the surplus of ``I`` is below ``10^-6`` votes or stops
falling (at most 500 iterations). Each margin is then rounded to a *resolution*,
the power of ten at least the bound on the arithmetic's error (``C·V`` units of
``10^-9`` plus ``10^-6`` votes; ``10^-6`` votes for small elections), and margins
are compared as integers: margins that are equal in exact arithmetic compare equal
(barring a value within rounding of a half-resolution boundary), where unrounded
they could differ in the last decimal.

Ballots with ties: at a tier of ``j`` candidates of ``S`` ranked equal, the weight
is split in ``j`` equal shares (rounded down to 9 decimals), each share meets its
candidate's keep factor, and what is not kept moves on to the next tier (Hill's
equal-preference extension of Meek). Unranked candidates never receive a vote: a
ballot that ranks no further candidate of ``S`` is exhausted, under either
``unranked`` policy (as in every STV count, a ballot ranking only ``a`` counts for
``a`` against ``b``, also under ``unranked="ignore"``). With one seat and
``unranked="last"`` a comparison is therefore the pairwise majority of the two
candidates, and CPO-STV is the completion rule applied to the pairwise margins.

Known deviations from the official rules
----------------------------------------
* Tideman (1995) leaves the surplus rule and the completion open; Tideman and
  Richardson (2000) recommend Meek transfers with the quota reduced by exhausted
  votes, which is what is implemented. No Gregory variant is offered.
* The quota is the exact Hagenbach-Bischoff/Droop ``T / (seats + 1)`` (plus one
  unit of ``10^-9``), not the integer ``floor(T / (seats + 1)) + 1``.
* pref_voting's ``cpo_stv`` uses the same steps in floating point but moves each
  surplus by repeated proportional shrinking of the votes a candidate holds rather
  than by keep factors applied along each ballot; the two distribute surpluses
  differently when a surplus reaches another candidate of ``I``, and its default
  completion is minimax. See ``docs/methods/cpo-stv.md`` for the measured agreement.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar, Literal, get_args

import numpy as np
from numpy.typing import NDArray

from voting._distinct import distinct_rows
from voting._params import Constraints, Integer, OneOf
from voting._typing import UNRANKED
from voting.exceptions import InvalidParameterError, UnsupportedProfileError
from voting.methods._base import MethodTags, SeatsMethod, check_size
from voting.methods.minimax import Minimax
from voting.methods.ranked_pairs import RankedPairs
from voting.methods.schulze import Schulze
from voting.pairwise_matrix import PairwiseMatrix
from voting.profile import Profile
from voting.render import Explanation, exact_text
from voting.results import Result, committee_from_committees

__all__ = [
    "COMPLETIONS",
    "CPOSTV",
    "CPOQuota",
    "CPOSTVExplanation",
    "Comparison",
    "Completion",
]

Completion = Literal["schulze", "ranked_pairs", "minimax"]
"""How a cycle among committees is resolved (all on the committee margins)."""

COMPLETIONS: tuple[Completion, ...] = get_args(Completion)

CPOQuota = Literal["droop", "hare"]
QUOTAS: tuple[CPOQuota, ...] = get_args(CPOQuota)

DECIMALS = 9
SCALE = 10**DECIMALS
"""Votes and keep factors are integers in units of ``10^-9``."""

_TOLERANCE = 10**3  # 10^-6 votes, in units of 10^-9
_MAX_ITERATIONS = 500

Ballots = list[tuple[int, tuple[tuple[int, ...], ...]]]
"""Unique ballots: (weight, tiers of candidate indices, best first; unranked left out)."""


def _ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def _ballots(profile: Profile) -> Ballots:
    """The profile's distinct rows as tiers of ranked candidates, with their weights, in
    order of first appearance (:func:`voting._distinct.distinct_rows`, hashed)."""
    rows, weights = distinct_rows(profile.ranks, profile.weights, ordered=False)
    out: Ballots = []
    for row, w in zip(rows.tolist(), weights.tolist(), strict=True):
        by_rank: dict[int, list[int]] = {}
        for c, r in enumerate(row):
            if r != UNRANKED:
                by_rank.setdefault(r, []).append(c)
        out.append((int(w), tuple(tuple(by_rank[r]) for r in sorted(by_rank))))
    return out


@dataclass(frozen=True, slots=True)
class Comparison:
    """One comparison of two committees, as counted.

    Attributes
    ----------
    first, second : tuple of str
        The committees compared.
    votes : dict of str to Fraction
        Final vote of each candidate of ``first ∪ second``.
    keep : dict of str to Fraction
        Final keep factor of each candidate in both committees.
    quota : Fraction
        The final quota.
    exhausted : Fraction
        Weight that found no candidate of either committee.
    iterations : int
        Meek iterations used.
    """

    first: tuple[str, ...]
    second: tuple[str, ...]
    votes: dict[str, Fraction]
    keep: dict[str, Fraction]
    quota: Fraction
    exhausted: Fraction
    iterations: int

    @property
    def first_total(self) -> Fraction:
        """Total vote of ``first``'s members."""
        return sum((self.votes[c] for c in self.first), Fraction(0))

    @property
    def second_total(self) -> Fraction:
        """Total vote of ``second``'s members."""
        return sum((self.votes[c] for c in self.second), Fraction(0))

    @property
    def margin(self) -> Fraction:
        """``first_total - second_total``."""
        return self.first_total - self.second_total

    def __str__(self) -> str:
        a = "+".join(self.first)
        b = "+".join(self.second)
        return f"{a} {float(self.first_total):.6g} vs {b} {float(self.second_total):.6g}"


def _compare(
    ballots: Ballots, a: tuple[int, ...], b: tuple[int, ...], seats: int, quota: CPOQuota
) -> tuple[list[int], dict[int, int], int, int, int]:
    """Count committee ``a`` against ``b``; votes and keep factors in units of 10^-9.

    Returns ``(votes, keep, quota, exhausted, iterations)``, ``votes`` indexed by
    candidate (zero outside ``a ∪ b``).

    Runtime complexity: O(I·U·C) for I iterations (at most 500; usually a few) and U
    unique ballots.
    """
    s = set(a) | set(b)
    both = sorted(set(a) & set(b))
    # each ballot restricted to S: tiers of S-candidates
    restricted: list[tuple[int, list[tuple[int, ...]]]] = []
    for w, ballot in ballots:
        within = [tuple(c for c in t if c in s) for t in ballot]
        restricted.append((w, [t for t in within if t]))
    keep = dict.fromkeys(both, SCALE)
    n = max((c for c in s), default=0) + 1
    last_surplus: int | None = None
    iterations = 0
    while True:
        votes = [0] * n
        exhausted = 0
        for w, tiers in restricted:
            weight = SCALE
            for t in tiers:
                if weight == 0:
                    break
                if len(t) == 1:
                    x = t[0]
                    kf = keep.get(x, SCALE)
                    give = _ceil_div(weight * kf, SCALE)
                    votes[x] += give * w
                    weight -= give
                else:
                    share = weight // len(t)
                    for x in t:
                        kf = keep.get(x, SCALE)
                        give = _ceil_div(share * kf, SCALE)
                        votes[x] += give * w
                        weight -= give
            exhausted += weight * w
        total = sum(votes)
        q = total // (seats + 1) + 1 if quota == "droop" else _ceil_div(total, seats)
        surplus = sum(max(0, votes[x] - q) for x in both)
        iterations += 1
        if (
            not both
            or surplus < _TOLERANCE
            or (last_surplus is not None and surplus >= last_surplus)
            or iterations >= _MAX_ITERATIONS
        ):
            return votes, keep, q, exhausted, iterations
        last_surplus = surplus
        for x in both:
            if votes[x] > 0 and (votes[x] > q or keep[x] < SCALE):
                keep[x] = min(SCALE, _ceil_div(keep[x] * q, votes[x]))


def _resolution(ballots: Ballots, c: int) -> int:
    """The resolution of the margins, in units of 10^-9: a power of ten at least the
    bound on the arithmetic's error.

    Each ballot meets at most ``C`` candidates, each rounding its share by less than
    one unit (times the ballot's weight), and the iteration stops with less than
    ``10^-6`` votes of surplus left undistributed. Margins are rounded to this
    resolution, so that exactly equal margins (ties among them included) compare
    equal whatever the rounding did.
    """
    bound = c * sum(w for w, _ in ballots) + _TOLERANCE
    return int(10 ** math.ceil(math.log10(bound)))


def _label(committee: tuple[int, ...], names: tuple[str, ...]) -> str:
    return "+".join(names[i] for i in committee)


@dataclass(frozen=True, slots=True, kw_only=True)
class CPOSTVExplanation(Explanation):
    """Why CPO-STV elected its committee.

    ``to_text()`` says how the winner was found and lists its closest contests;
    ``to_dict()`` gives the public fields (``margins`` in units of ``10^-9`` votes,
    ``resolution`` exact).

    Attributes
    ----------
    candidates : tuple of str
    committees : tuple of tuple of str
        Every outcome, in lexicographic order of candidate indices.
    margins : NDArray[int64], shape (N, N)
        ``margins[i, j]``: total vote of committee ``i`` minus that of ``j`` in
        their comparison, in units of ``10^-9`` votes (antisymmetric), rounded to
        ``resolution``.
    resolution : Fraction
        The margins' resolution in votes: a power of ten at least the bound on the
        error of the 9-decimal arithmetic (``C·V·10^-9 + 10^-6``); smaller
        differences are ties.
    condorcet_committee : tuple of str or None
        The committee beating every other one, if any.
    completion : str
        The completion rule used when there is none.
    committee_ranking : tuple of tuple of str
        The completion's ranking of the committees (labels ``"A+B"``), best tier
        first; the first tier holds the winning committees.
    winning_committees : tuple of tuple of str
        The committees of that first tier.
    """

    candidates: tuple[str, ...]
    committees: tuple[tuple[str, ...], ...]
    margins: NDArray[np.int64] = field(repr=False, compare=False)
    resolution: Fraction
    condorcet_committee: tuple[str, ...] | None
    completion: str
    committee_ranking: tuple[tuple[str, ...], ...]
    winning_committees: tuple[tuple[str, ...], ...]
    _ballots: Ballots = field(repr=False, compare=False)
    _seats: int = field(repr=False, compare=False)
    _quota: CPOQuota = field(repr=False, compare=False)

    def to_text(self, *, shown: int = 10) -> str:
        """How the winner was found, its ``shown`` closest contests, the top of the
        committee ranking."""
        n = len(self.committees)
        seats = len(self.committees[0]) if self.committees else 0
        lines = [
            f"CPO-STV: {n} committees of {seats}, each pair compared by an STV count "
            f"(Meek, {self._quota} quota) among their candidates."
        ]
        if self.condorcet_committee is not None:
            lines.append(f"{'+'.join(self.condorcet_committee)} beats every other committee.")
        else:
            lines.append(f"No committee beats every other; {self.completion} ranks them.")
        lines.append(
            "Winning committee(s): " + ", ".join("+".join(c) for c in self.winning_committees)
        )
        if self.winning_committees and n > 1:
            best = self.committees.index(self.winning_committees[0])
            rivals = sorted(
                (j for j in range(n) if j != best), key=lambda j: int(self.margins[best, j])
            )
            lines.append(
                f"Margins of {'+'.join(self.committees[best])} over the others "
                f"(votes; smallest first, {shown} at most):"
            )
            lines.extend(
                f"  {'+'.join(self.committees[j])}: "
                f"{exact_text(Fraction(int(self.margins[best, j]), SCALE))}"
                for j in rivals[:shown]
            )
        tiers: list[str] = []
        listed = 0
        for tier in self.committee_ranking:
            if listed >= shown:
                tiers.append("...")
                break
            tiers.append(
                " = ".join(tier[: shown - listed])
                + (" = ..." if len(tier) > shown - listed else "")
            )
            listed += len(tier)
        lines.append("Committee ranking: " + " > ".join(tiers))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready public fields, with ``margin_unit`` (``"0.000000001"``: votes per
        unit of ``margins``)."""
        return self.fields_dict(margin_unit=exact_text(Fraction(1, SCALE)))

    def margin(self, first: tuple[str, ...], second: tuple[str, ...]) -> Fraction:
        """Margin of committee ``first`` over ``second`` (in votes, exact)."""
        i = self._index(first)
        j = self._index(second)
        return Fraction(int(self.margins[i, j]), SCALE)

    def _index(self, committee: tuple[str, ...] | list[str]) -> int:
        key = tuple(sorted(committee, key=self.candidates.index))
        try:
            return self.committees.index(key)
        except ValueError:
            raise InvalidParameterError(
                f"{list(committee)!r} is not a committee of {len(self.committees[0])} "
                f"of the candidates {list(self.candidates)}."
            ) from None

    def compare(self, first: tuple[str, ...], second: tuple[str, ...]) -> Comparison:
        """Recount the comparison of two committees, with every candidate's vote."""
        a = self.committees[self._index(first)]
        b = self.committees[self._index(second)]
        ia = tuple(self.candidates.index(x) for x in a)
        ib = tuple(self.candidates.index(x) for x in b)
        votes, keep, q, exhausted, iterations = _compare(
            self._ballots, ia, ib, self._seats, self._quota
        )
        names = self.candidates
        return Comparison(
            first=a,
            second=b,
            votes={names[x]: Fraction(votes[x], SCALE) for x in sorted(set(ia) | set(ib))},
            keep={names[x]: Fraction(k, SCALE) for x, k in keep.items()},
            quota=Fraction(q, SCALE),
            exhausted=Fraction(exhausted, SCALE),
            iterations=iterations,
        )


def _complete(completion: Completion, pm: PairwiseMatrix) -> tuple[tuple[str, ...], ...]:
    method: Any
    if completion == "schulze":
        method = Schulze(strength="margins")
    elif completion == "ranked_pairs":
        method = RankedPairs()
    else:
        method = Minimax()
    result: Result[Any] = method.run_pairwise(pm)
    return result.ranking


@dataclass(frozen=True, kw_only=True)
class CPOSTV(SeatsMethod):
    """CPO-STV: the committee that wins its STV comparisons with every other one.

    Parameters
    ----------
    seats : int, default 1
        Committee size. With one seat CPO-STV is its completion rule on the pairwise
        margins (see Notes).
    quota : {"droop", "hare"}, default "droop"
        Quota of each comparison, from the votes still held by the two committees:
        ``T / (seats + 1)`` or ``T / seats``.
    completion : {"schulze", "ranked_pairs", "minimax"}, default "schulze"
        Resolves cycles among committees, on the matrix of committee margins:
        Schulze with margins, CIVS ranked pairs (margins as winning votes, equal
        margins locked together) or minimax (smallest largest defeat).
    tie_break : TieBreak, default CandidateOrder()
        Picks one committee when the completion leaves several tied: the committee
        whose members come first in the tie-break's priority; recorded in
        ``ties_broken`` (:func:`~voting.results.committee_from_committees`).
    max_comparisons : int, default 50_000
        Refuse (:class:`~voting.exceptions.ComputationTooLargeError`) profiles needing
        more comparisons of committees than this, ``N (N - 1) / 2`` for
        ``N = comb(C, seats)``.

    Notes
    -----
    See the module docstring for the comparison of two committees. The committee
    beating all others wins; otherwise ``completion`` ranks the committees. The
    result's ``ranking`` has the candidates of every winning committee first
    (those in all winning committees, then those in some), then everyone else.

    With one seat and ``unranked="last"`` a comparison is the pairwise majority, so
    CPO-STV is its completion rule on the pairwise margins (Schulze with margins by
    default). Under ``unranked="ignore"`` a ballot still counts for the candidate it
    ranks against one it leaves out, so no Condorcet criterion is claimed.

    Runtime complexity: ``N = comb(C, seats)`` committees, ``N (N - 1) / 2``
    comparisons of O(I·U·C) each (U unique ballots, I Meek iterations, usually
    under 10), then the completion, O(N³) for Schulze. Pure Python: about 400
    comparisons a second with 100 distinct ballots (8 candidates, 3 seats: 3.6 s).

    References
    ----------
    .. [1] N. Tideman, "The Single Transferable Vote", Journal of Economic
       Perspectives 9(1):27–38, 1995.
    .. [2] N. Tideman and D. Richardson, "Better voting methods through technology:
       the refinement-manageability trade-off in the single transferable vote",
       Public Choice 103:13–34, 2000.
    .. [3] I. D. Hill, "Implementing STV by Meek's method", Voting matters 22, 2006.

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings(
    ...     [["A"]] * 25 + [["C", "B", "D"]] * 34 + [["B", "D"]] * 7
    ...     + [["D", "B"]] * 8 + [["D", "S"]] * 5 + [["S", "D"]] * 21,
    ...     candidates=["A", "B", "C", "D", "S"],
    ... )
    >>> r = CPOSTV(seats=3).run(p)
    >>> r.elected
    ('A', 'C', 'D')
    >>> print(r.explanation.compare(("A", "C", "D"), ("A", "C", "S")))
    A+C+D 79 vs A+C+S 71
    """

    name: ClassVar[str] = "cpo_stv"
    parameter_constraints: ClassVar[Constraints] = {
        "quota": OneOf(QUOTAS),
        "completion": OneOf(COMPLETIONS),
        "max_comparisons": Integer(low=1),
    }
    quota: CPOQuota = "droop"
    completion: Completion = "schulze"
    max_comparisons: int = 50_000

    def tags(self) -> MethodTags:
        """Droop proportional with the Droop quota and Schulze completion."""
        schulze = self.completion == "schulze"
        droop = schulze and self.quota == "droop"
        if self.seats == 1:
            # no Condorcet claims: under unranked="ignore" a comparison still counts a
            # ballot for the one candidate of the pair it ranks, the pairwise count not
            return MethodTags(kind="single_winner", droop_proportional=droop)
        return MethodTags(kind="committee", droop_proportional=droop)

    def run(self, profile: Profile, /) -> Result[CPOSTVExplanation]:
        """Compare every pair of committees and elect the winning one.

        Raises
        ------
        InvalidProfileError
            If ``profile`` is not a Profile or has fewer candidates than seats.
        EmptyProfileError
            If it has no ballots.
        ComputationTooLargeError
            If more than ``max_comparisons`` comparisons would be needed.
        UnsupportedProfileError
            If the margins of so many voters do not fit int64.
        """
        profile = self.check_profile(profile)
        names = profile.candidates
        c = len(names)
        n = math.comb(c, self.seats)
        pairs = n * (n - 1) // 2
        ballots = _ballots(profile)
        check_size(
            self.name,
            "max_comparisons",
            self.max_comparisons,
            pairs,
            size=f"{c} candidates and {self.seats} seats make {n:,} committees and "
            f"{pairs:,} comparisons",
            detail=f" (estimated {pairs * max(1, len(ballots)) * c * 3e-6:,.0f} s for "
            f"{len(ballots)} distinct ballots)",
            otherwise="restrict the candidates",
        )
        if profile.num_voters * SCALE > 2**63 - 1:  # margins are int64 units of 10^-9
            raise UnsupportedProfileError(
                f"cpo_stv: {profile.num_voters:,} voters exceed the {(2**63 - 1) // SCALE:,} "
                "whose margins int64 holds in units of 10^-9 votes; scale the weights down."
            )
        committees = list(itertools.combinations(range(c), self.seats))
        margins = np.zeros((n, n), dtype=np.int64)
        resolution = _resolution(ballots, c)
        for i, j in itertools.combinations(range(n), 2):
            votes, *_ = _compare(ballots, committees[i], committees[j], self.seats, self.quota)
            m = sum(votes[x] for x in committees[i]) - sum(votes[x] for x in committees[j])
            m = (2 * m + resolution) // (2 * resolution) * resolution  # nearest multiple
            margins[i, j] = m
            margins[j, i] = -m
        margins.setflags(write=False)
        labels = tuple(_label(k, names) for k in committees)
        beats = margins > 0
        cw = [i for i in range(n) if int(beats[i].sum()) == n - 1]
        if cw:
            top_idx = [cw[0]]
            committee_ranking: tuple[tuple[str, ...], ...] = (
                (labels[cw[0]],),
                tuple(labels[i] for i in range(n) if i != cw[0]),
            )
            if n == 1:
                committee_ranking = ((labels[0],),)
        else:
            pm = PairwiseMatrix(labels, np.where(beats, margins, 0))
            committee_ranking = _complete(self.completion, pm)
            top_idx = [labels.index(x) for x in committee_ranking[0]]
        winning = [committees[i] for i in top_idx]
        explanation = CPOSTVExplanation(
            candidates=names,
            committees=tuple(tuple(names[x] for x in k) for k in committees),
            margins=margins,
            resolution=Fraction(resolution, SCALE),
            condorcet_committee=tuple(names[x] for x in committees[cw[0]]) if cw else None,
            completion=self.completion,
            committee_ranking=committee_ranking,
            winning_committees=tuple(tuple(names[x] for x in k) for k in winning),
            _ballots=ballots,
            _seats=self.seats,
            _quota=self.quota,
        )
        return committee_from_committees(self.name, names, winning, self.tie_break, explanation)
