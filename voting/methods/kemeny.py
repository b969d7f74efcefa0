"""Exact Kemeny-Young: every ranking that agrees most with the ballots.

Definition (Kemeny 1959, Young & Levenglick 1978). Let ``d[x, y]`` be the number of
voters ranking ``x`` strictly above ``y`` (ties count for neither; unranked
candidates follow the profile's ``unranked`` policy). The *agreement* of a strict
ranking ``R`` is ``sum d[x, y]`` over the pairs ``x`` above ``y`` in ``R``; its
*disagreement* (the weighted Kendall tau distance to the ballots) is
``sum d[y, x]`` over the same pairs. A *Kemeny ranking* maximises the agreement,
equivalently minimises the disagreement, equivalently maximises the sum of the
margins ``d[x, y] - d[y, x]`` it agrees with.

Several rankings can be optimal. None is picked silently:

* the explanation counts all of them and lists them (up to ``max_listed``);
* ``winners`` are the candidates ranked first by *some* optimal ranking (the tie
  before tie-breaking), ``elected`` breaks that tie with ``tie_break``;
* ``ranking`` is the weak order all optimal rankings agree on: the first tier is
  ``winners``; each later tier is the rest of the candidates that no remaining
  candidate precedes in *every* optimal ranking. When one ranking is optimal the
  tiers are that ranking.

Algorithm: dynamic programming over candidate subsets (:mod:`voting._kernels.kemeny`),
not enumeration of the ``C!`` rankings: the best agreement of the top ``|S|``
positions holding the set ``S`` depends only on ``S``. Exact in int64: pairwise
counts whose sum passes int64 are refused (no score can exceed that sum), and the
count of optimal rankings saturates at ``2^62`` ("at least 2^62"), never wrapping.

Known deviations from the official rules
----------------------------------------
* None: the Kemeny rule is defined by its optimisation problem. Implementations
  that return one optimal ranking (most ILP-based ones) may report a different
  ranking where several are optimal; this module reports them all.
* Sizes: the exact computation is limited to ``max_candidates`` candidates, by default
  :data:`MAX_CANDIDATES` (time and memory grow as ``2^C``); larger profiles raise
  :class:`~voting.exceptions.ComputationTooLargeError` with the estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import kernels
from voting._params import Constraints, Integer
from voting.exceptions import InvalidParameterError, UnsupportedProfileError
from voting.methods._base import MethodTags, PairwiseMethod, check_size
from voting.pairwise_matrix import PairwiseMatrix
from voting.profile import Profile
from voting.render import Explanation
from voting.results import Result

__all__ = [
    "MAX_CANDIDATES",
    "Kemeny",
    "KemenyExplanation",
    "estimate_cost",
]

MAX_CANDIDATES: int = 24
"""The default ``max_candidates`` of :class:`Kemeny`: the most candidates it counts
exactly unless told otherwise (``2^24`` subsets: 272 MiB and 8 s measured on a busy
2-core machine; 20 candidates take under a second; each candidate more doubles both)."""

_NS_PER_OP: float = 2.5
"""Measured cost of one inner-loop addition of the DP (ns, one core), for :func:`estimate_cost`."""

_COUNT_CAP = 1 << 62
_INT64_MAX = 2**63 - 1


def estimate_cost(num_candidates: int) -> tuple[float, int]:
    """Estimated seconds and bytes of the exact computation for ``num_candidates``.

    The DP visits ``2^C`` subsets with about ``C²/4 + C`` additions each
    (measured about 2.5 ns per addition on one core: 0.33 s at 20 candidates) and
    keeps 17 bytes per subset. When very many rankings are optimal the pass that
    collects them can cost as much again.
    """
    c = num_candidates
    subsets = 2**c
    seconds = subsets * (c * c / 4 + c) * _NS_PER_OP * 1e-9
    return seconds, 17 * subsets


def _check_size(c: int, limit: int) -> None:
    seconds, nbytes = estimate_cost(c)
    check_size(
        "kemeny",
        "max_candidates",
        limit,
        c,
        size=f"{c} candidates",
        detail=f": the dynamic programme over 2^{c} = {2**c:,} candidate subsets would need "
        f"about {nbytes / 2**30:.1f} GiB and {seconds:,.0f} s",
        otherwise="restrict the profile (profile.restrict) or use a polynomial method "
        "(Schulze, ranked pairs)",
    )


def _check_scores(support: NDArray[np.int64]) -> None:
    """Refuse support counts whose sum passes int64: every score and step of the
    dynamic programme is at most that sum, so below it nothing can overflow."""
    total = sum(int(x) for x in support.ravel().tolist())  # exact, C <= 24
    if total > _INT64_MAX:
        raise UnsupportedProfileError(
            f"kemeny: the pairwise counts add up to {total:,}, more than the int64 "
            f"maximum {_INT64_MAX:,}; the exact scores could overflow. Scale the weights "
            "down (a common factor does not change the Kemeny rankings)."
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class KemenyExplanation(Explanation):
    """Why Kemeny ranked the candidates as it did.

    ``to_text()`` gives the score and the optimal rankings; ``to_dict()`` the fields.

    Attributes
    ----------
    pairwise : PairwiseMatrix
        The head-to-head counts ``d`` the scores are computed from.
    agreement : int
        The Kemeny score: the largest total agreement ``sum d[x, y]`` (``x`` above
        ``y``) of a ranking.
    disagreement : int
        The smallest weighted Kendall tau distance to the ballots, ``sum d[y, x]``.
    num_optimal : int
        How many strict rankings reach ``agreement`` (at least ``2^62`` when it
        says ``2^62``: the count saturates).
    optimal_rankings : tuple of tuple of str
        The optimal rankings, best candidate first, in lexicographic order of the
        candidates' profile indices; all of them when ``num_optimal <= max_listed``,
        otherwise the first ``max_listed``.
    complete : bool
        Whether ``optimal_rankings`` lists every optimal ranking.
    first : tuple of str
        Candidates ranked first by some optimal ranking (``winners``).
    always_above : NDArray[bool], shape (C, C)
        ``always_above[a, b]``: every optimal ranking puts ``a`` above ``b``; the
        consensus partial order behind ``ranking``.
    """

    pairwise: PairwiseMatrix
    agreement: int
    disagreement: int
    num_optimal: int
    optimal_rankings: tuple[tuple[str, ...], ...]
    complete: bool
    first: tuple[str, ...]
    always_above: NDArray[np.bool_] = field(repr=False, compare=False)

    @property
    def candidates(self) -> tuple[str, ...]:
        """The candidates, in profile order."""
        return self.pairwise.candidates

    def score(self, ranking: tuple[str, ...] | list[str]) -> int:
        """The agreement of a strict ranking (names, best first) with the ballots."""
        idx = [self.pairwise._idx(c) for c in ranking]
        if sorted(idx) != list(range(len(self.candidates))):
            raise InvalidParameterError(
                f"score() needs a ranking of all {len(self.candidates)} candidates, "
                f"each once; got {list(ranking)!r}."
            )
        s = self.pairwise.support
        return int(sum(int(s[a, b]) for i, a in enumerate(idx) for b in idx[i + 1 :]))

    def to_text(self) -> str:
        """The Kemeny score, how many rankings reach it, and those listed."""
        n = self.num_optimal
        many = "at least 2^62" if n >= _COUNT_CAP else str(n)
        lines = [
            f"Kemeny score {self.agreement} (disagreement {self.disagreement}); "
            f"{many} optimal ranking{'s' if n != 1 else ''}"
        ]
        lines += ["  " + " > ".join(r) for r in self.optimal_rankings]
        if not self.complete:
            lines.append(f"  ... ({len(self.optimal_rankings)} listed)")
        return "\n".join(lines)


def _consensus_tiers(first: list[int], above: NDArray[np.bool_]) -> list[list[int]]:
    """``first`` as the top tier, then peel the consensus order on the rest."""
    c = above.shape[0]
    always = ~above.T  # always[a, b]: no optimal ranking puts b above a
    np.fill_diagonal(always, False)
    tiers = [sorted(first)]
    left = [x for x in range(c) if x not in set(first)]
    while left:
        top = [x for x in left if not any(always[y, x] for y in left if y != x)]
        if not top:  # pragma: no cover - an intersection of linear orders is acyclic
            top = left
        tiers.append(top)
        left = [x for x in left if x not in set(top)]
    return tiers


@dataclass(frozen=True, kw_only=True)
class Kemeny(PairwiseMethod[KemenyExplanation]):
    """Kemeny-Young: the rankings closest to the ballots, computed exactly.

    Parameters
    ----------
    seats : int, default 1
        How many candidates to elect: the top ``seats`` of the consensus ranking
        (the weak order every optimal ranking agrees on), as for Schulze.
    tie_break : TieBreak, default CandidateOrder()
        Picks the elected candidates when a tier of the consensus ranking
        straddles the last seat (for one seat: several candidates come first in
        some optimal ranking); the broken tie is recorded in ``ties_broken``.
    max_listed : int, default 100
        How many optimal rankings the explanation lists (all are counted).
    max_candidates : int, default :data:`MAX_CANDIDATES` (24)
        Refuse (:class:`~voting.exceptions.ComputationTooLargeError`, with the time and
        memory the count would need) profiles with more candidates; each candidate more
        doubles both.

    Notes
    -----
    With ``d[x, y]`` the voters ranking ``x`` above ``y``, a Kemeny ranking
    maximises ``sum d[x, y]`` over the pairs it orders ``x`` above ``y``. The
    result reports every optimal ranking: ``winners`` are the candidates first in
    some of them, and ``ranking`` is the weak order they all agree on (first tier:
    ``winners``; then, repeatedly, the remaining candidates no remaining candidate
    precedes in every optimal ranking).

    Kemeny is Condorcet consistent, never elects a Condorcet loser, ranks the
    Smith set first, and is Pareto, monotonic and reversal symmetric (reversing
    every ballot reverses every optimal ranking). It is not clone independent.

    Runtime complexity: O(V·C²) for the pairwise counts (cached on the profile),
    then O(2^C·C²) time and O(2^C) memory (17 bytes per subset) for the dynamic
    programme over candidate subsets, plus O(C²) per listed ranking. Exact up to
    ``max_candidates`` candidates; 20 candidates take under a second.

    References
    ----------
    .. [1] J. G. Kemeny, "Mathematics without numbers", Daedalus 88(4):577–591, 1959.
    .. [2] H. P. Young and A. Levenglick, "A consistent extension of Condorcet's
       election principle", SIAM J. Applied Mathematics 35(2):285–300, 1978.
    .. [3] V. Conitzer, A. Davenport and J. Kalagnanam, "Improved bounds for
       computing Kemeny rankings", AAAI 2006 (the subset dynamic programme).

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings([["A", "B", "C"]] * 4 + [["B", "C", "A"]] * 3
    ...                           + [["C", "A", "B"]] * 2)
    >>> r = Kemeny().run(p)
    >>> r.winner, r.ranking
    ('A', (('A',), ('B',), ('C',)))
    >>> r.explanation.agreement, r.explanation.num_optimal
    (17, 1)
    """

    name: ClassVar[str] = "kemeny"
    parameter_constraints: ClassVar[Constraints] = {
        "max_listed": Integer(low=1),
        "max_candidates": Integer(low=1),
    }
    max_listed: int = 100
    max_candidates: int = MAX_CANDIDATES

    def tags(self) -> MethodTags:
        """Single-winner criteria Kemeny guarantees; for a committee, that the
        Condorcet winner (first in every optimal ranking) is elected."""
        if self.seats > 1:
            return MethodTags(kind="committee", condorcet_winner=True)
        return MethodTags(
            kind="single_winner",
            condorcet_winner=True,
            condorcet_loser=True,
            smith=True,
            majority=True,
            pareto=True,
            monotonic=True,
            reversal_symmetry=True,
        )

    def check_profile(self, profile: object) -> Profile:
        """The profile given to ``run``, validated as every method's is, and refused
        with :class:`~voting.exceptions.ComputationTooLargeError`, before its pairwise
        matrix is counted, when it has more than ``max_candidates`` candidates."""
        checked = super().check_profile(profile)
        _check_size(checked.num_candidates, self.max_candidates)
        return checked

    def run_pairwise(self, pairwise: PairwiseMatrix, /) -> Result[KemenyExplanation]:
        """Kemeny rankings from pairwise counts alone (Kemeny needs nothing else).

        Raises
        ------
        ComputationTooLargeError
            If there are more than ``max_candidates`` candidates.
        """
        pairwise = self.check_pairwise(pairwise)
        c = pairwise.num_candidates
        _check_size(c, self.max_candidates)
        names = pairwise.candidates
        support = np.array(pairwise.support, dtype=np.int64, order="C")
        np.fill_diagonal(support, 0)
        _check_scores(support)
        k = kernels("kemeny")  # numba, imported on first use
        best, count = k._kemeny_dp(support)
        reach, above = k._kemeny_structure(support, best)
        rows = k._kemeny_enumerate(support, best, self.max_listed)
        full = (1 << c) - 1
        num_optimal = int(count[full])
        listed = sorted(tuple(int(x) for x in row) for row in rows)
        first = [x for x in range(c) if reach[1 << x]]
        agreement = int(best[full])
        total = int(support.sum())
        explanation = KemenyExplanation(
            pairwise=pairwise,
            agreement=agreement,
            disagreement=total - agreement,
            num_optimal=num_optimal,
            optimal_rankings=tuple(tuple(names[x] for x in r) for r in listed),
            complete=len(listed) == num_optimal,
            first=tuple(names[x] for x in first),
            always_above=_readonly(~above.T & ~np.eye(c, dtype=np.bool_)),
        )
        tiers = _consensus_tiers(first, above)
        return self.elect(names, tiers, explanation)


def _readonly(a: NDArray[np.bool_]) -> NDArray[np.bool_]:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a
