"""CIVS proportional representation: a Condorcet method over committees.

Definition (CIVS ``results``, proportional mode). Each ballot gives every candidate
a *weight* (larger = preferred). A voter compares two committees of ``k`` members by
their members' weights sorted in decreasing order; at *level* ``f`` (``1 <= f <= k``):

* ``criterion="best"`` (best candidate): the voter prefers the committee whose list
  is larger at the first of the top ``f`` positions where the lists differ;
* ``criterion="combined"`` (combined weights): the voter prefers the committee whose
  ``f`` largest weights have the larger sum.

With ``N`` voters, a count ``v`` of voters preferring one side at level ``f`` is
*valid* only if ``v * (k + 1) >= f * N``: a group needs the proportional share
``f / (k + 1)`` of the electorate to claim ``f`` seats' worth of preference. The
contest between two committees keeps the strongest valid (for, against) pair over
``f = 1..k`` (see :func:`~voting.methods._civs_search.strong_tallies`); equal
proportional tallies are decided by the whole-committee comparison (level ``k``
without the validity rule).

Committees are not all compared (there are ``C(C, k)``). The search starts from the
top ``k`` candidates of the individual ranking, moves to the first committee
differing by one swap that beats the current one, until none does or 500 committees
have been visited, then adds the ``k + 1`` committees that leave one candidate out
of the individual top ``k + 1``. All these committees are compared pairwise and
ranked by beat path as CIVS's ``beatpath.pm`` does (a defeat's strength is the
winning side's entry alone); the unbeaten committees are the result. CIVS never
picks among several unbeaten committees; this module reports them all (``winners``,
``tied_at_last_seat``) and, since a result elects exactly ``seats`` candidates,
picks the first by the tie-break's order, recording it.

CIVS versions
-------------
The proportional code changed twice; ``version`` selects one. Each was read in the
published CIVS source (``cgi-bin/results``; revisions ``e4381137`` legacy,
``82869e3c`` March 2024, ``4d4f4fc8`` current):

* ``"2025-07"`` (default, current): the (for, against) pair of a contest starts at
  ``(0, N)``.
* ``"2024-03"``: the pair starts at ``(0, C)`` (the number of candidates). With
  ``N > C`` a level's pair is then kept only when its losing side has at most ``C``
  voters, so many contests fall back to the whole-committee comparison.
* ``"legacy"``: as ``"2024-03"``, but the individual ranking is the beat-path
  ranking of the ballots' pairwise matrix.

The individual ranking of the two newer versions is what CIVS actually uses, not what
it meant to: it computes Minimax-PM over the ballots, then a loop left over from the
legacy code overwrites that order with the Minimax-PM ranking of the
*non-proportional* matrix, built by ``SetupMatrix`` from the stored counts ``j.k``
(voters weighting ``j`` below ``k``; a ballot whose cell for either is ``No
opinion`` is skipped, as ``upload_ballots`` and ``election.pm`` store them: pass
:class:`Ratings` with ``no_opinion``, or a profile with ``unranked="ignore"``,
whose unranked candidates are CIVS's ``No opinion``) through ``FixProp``: ``C - count`` in
best-candidate polls (the true margins, but equal margins ordered the other way round)
and the count itself in combined-weights polls (the reversed preference). This
module reproduces that order and shows it as ``individual_order``, as CIVS shows it.
All three versions elect the official Nix 2024 committee.

Known deviations from the official rules
----------------------------------------
* CIVS stores ``strong + weak / D`` as floating point; this module uses the exact
  integer ``strong * D + weak``; the order is the same up to float rounding.
* The choice order (CIVS's CSV column order) is the tie-break's priority order; with
  the default :class:`~voting.ties.CandidateOrder` it is the profile's order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import InitVar, dataclass, field
from typing import ClassVar, Literal, cast, get_args

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import num_threads
from voting._distinct import distinct_rows
from voting._params import Constraints, Integer, OneOf
from voting._typing import RankArray
from voting.exceptions import (
    ComputationTooLargeError,
    UnsupportedProfileError,
)
from voting.formats.ratings import Ratings, weights_from_profile
from voting.methods._base import MethodTags, SeatsMethod, check_size
from voting.methods._civs_search import (
    Committee,
    Contests,
    all_committees,
    beatpath_tiers,
    exact_seconds,
    local_search,
    n_committees,
    rank_committees,
)
from voting.methods.minimax import minimax_pm_tiers
from voting.methods.schulze import Schulze
from voting.profile import Profile
from voting.render import Explanation
from voting.results import Result, committee_from_committees, committee_order

__all__ = [
    "CIVSProportional",
    "CIVSProportionalExplanation",
    "CommitteeContest",
    "ExactSearchTooLargeError",
    "Ratings",
    "SchulzeComparison",
]

Criterion = Literal["best", "combined"]
Search = Literal["civs", "exact"]
Version = Literal["2025-07", "2024-03", "legacy"]
IntArray = NDArray[np.int64]


class ExactSearchTooLargeError(ComputationTooLargeError):
    """``search="exact"`` was asked for more committees than ``max_committees`` allows.

    A :class:`~voting.exceptions.ComputationTooLargeError` (and so an
    :class:`~voting.exceptions.UnsupportedProfileError` and a ``ValueError``).
    """


def _readonly(a: IntArray) -> IntArray:
    a.setflags(write=False)
    return a


# ------------------------------------------------------------------ explanation
@dataclass(frozen=True, slots=True, kw_only=True)
class CommitteeContest:
    """One pairwise contest between two committees.

    Attributes
    ----------
    first, second : tuple of str
        The committees (names in profile order).
    counts_first, counts_second : tuple of int
        Voters preferring each side at levels ``f = 1..k`` (before the validity rule).
    strong_first, strong_second : int
        The proportional tallies CIVS keeps (valid counts only).
    level : int
        The level ``f`` whose counts were kept (0: no level had a valid count).
    weak_first, weak_second : int
        Whole-committee tallies (level ``k``), which break equal proportional tallies.
    """

    first: tuple[str, ...]
    second: tuple[str, ...]
    counts_first: tuple[int, ...]
    counts_second: tuple[int, ...]
    strong_first: int
    strong_second: int
    level: int
    weak_first: int
    weak_second: int

    @property
    def winner(self) -> Literal["first", "second"] | None:
        """Which side wins the contest (None: a tie)."""
        a = (self.strong_first, self.weak_first)
        b = (self.strong_second, self.weak_second)
        return "first" if a > b else "second" if b > a else None

    def __str__(self) -> str:
        valid = self.level and (self.strong_first or self.strong_second)
        lvl = f"level {self.level}" if valid else "no valid level"
        return (
            f"{{{', '.join(self.first)}}} vs {{{', '.join(self.second)}}}: "
            f"{self.strong_first}-{self.strong_second} ({lvl}), whole committee "
            f"{self.weak_first}-{self.weak_second}"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SchulzeComparison:
    """How the elected committee differs from the plain Schulze top ``k``.

    Attributes
    ----------
    schulze_top : tuple of str
        The top ``k`` of the Schulze ranking (winning votes; its tie-break applied).
    only_civs : tuple of str
        Elected here but not in the Schulze top ``k``.
    only_schulze : tuple of str
        In the Schulze top ``k`` but not elected here.
    head_to_head : tuple of (str, str, int, int)
        For each pair (``only_civs`` member, ``only_schulze`` member): the names and
        the voters preferring each to the other.
    """

    schulze_top: tuple[str, ...]
    only_civs: tuple[str, ...]
    only_schulze: tuple[str, ...]
    head_to_head: tuple[tuple[str, str, int, int], ...]

    def __str__(self) -> str:
        if not self.only_civs:
            return "same committee as the Schulze top k"
        parts = [f"{a} instead of {b} (head to head {x}-{y})" for a, b, x, y in self.head_to_head]
        return "; ".join(parts)


@dataclass(frozen=True, eq=False, kw_only=True)
class CIVSProportionalExplanation(Explanation):
    """Why CIVS proportional representation elected its committee.

    ``to_text()`` summarises the search and the deciding contests; ``to_dict()``
    gives the public fields.

    Attributes
    ----------
    criterion : {"best", "combined"}
    version : {"2025-07", "2024-03", "legacy"}
    search : {"civs", "exact"}
    individual_order : tuple of tuple of str
        The ranking of single candidates the search starts from, as CIVS computes
        and shows it, tiers best first: beat path over the ballots for
        ``version="legacy"``; otherwise Minimax-PM over CIVS's non-proportional
        matrix (see the module notes: equal margins ordered the other way round for
        ``"best"``, the reversed preference for ``"combined"``).
    committees : tuple of tuple of str
        Every committee considered, in CIVS's order: the hill climb's, then the
        leave-one-out committees of the individual top ``k + 1`` (exact search: all).
    n_climbed : int
        How many of ``committees`` the hill climb visited (CIVS's search).
    truncated : bool
        The hill climb hit ``budget`` (CIVS warns "Search for best set of choices
        failed").
    ranking : tuple of tuple of int
        Beat-path tiers of ``committees`` (indices), best first.
    winning : tuple of tuple of str
        The unbeaten committees.
    contests : tuple of CommitteeContest
        The contests that decided the result: the first winning committee against
        every other committee considered.
    schulze : SchulzeComparison
    local_winning : tuple of tuple of str or None
        Exact search only: the committees CIVS's local search elects.
    local_agrees : bool or None
        Exact search only: whether the local search found the same unbeaten committees.
    strong, weak, level : ndarray of int64, shape (M, M)
        Proportional tallies, whole-committee tallies and deciding levels of every
        contest between ``committees``.
    """

    criterion: Criterion
    version: Version
    search: Search
    individual_order: tuple[tuple[str, ...], ...]
    committees: tuple[tuple[str, ...], ...]
    n_climbed: int
    truncated: bool
    ranking: tuple[tuple[int, ...], ...]
    winning: tuple[tuple[str, ...], ...]
    contests: tuple[CommitteeContest, ...]
    schulze: SchulzeComparison
    local_winning: tuple[tuple[str, ...], ...] | None
    local_agrees: bool | None
    strong: IntArray = field(repr=False)
    weak: IntArray = field(repr=False)
    level: IntArray = field(repr=False)
    _counts: IntArray = field(repr=False)

    def to_text(self) -> str:
        """A readable summary: start order, search, winning committees, contests."""
        lines = [
            f"criterion {self.criterion}, CIVS version {self.version}, search {self.search}",
            "individual order: " + " > ".join(" = ".join(t) for t in self.individual_order),
            f"hill climb visited {self.n_climbed} committee(s)"
            + (" and hit its budget" if self.truncated else "")
            + f"; {len(self.committees)} committees compared",
        ]
        for comm in self.winning:
            lines.append("unbeaten: {" + ", ".join(comm) + "}")
        if self.local_agrees is not None:
            lines.append(f"local search agrees with the exact search: {self.local_agrees}")
        lines.append(f"vs Schulze top k: {self.schulze}")
        lines.append("deciding contests:")
        lines.extend(f"  {c}" for c in self.contests)
        return "\n".join(lines)

    def contest(self, a: int, b: int) -> CommitteeContest:
        """The contest between ``committees[a]`` and ``committees[b]``."""
        return CommitteeContest(
            first=self.committees[a],
            second=self.committees[b],
            counts_first=tuple(int(x) for x in self._counts[a, b]),
            counts_second=tuple(int(x) for x in self._counts[b, a]),
            strong_first=int(self.strong[a, b]),
            strong_second=int(self.strong[b, a]),
            level=int(self.level[a, b]),
            weak_first=int(self.weak[a, b]),
            weak_second=int(self.weak[b, a]),
        )


# ----------------------------------------------------------------------- method
CRITERIA: tuple[Criterion, ...] = get_args(Criterion)
SEARCHES: tuple[Search, ...] = get_args(Search)
VERSIONS: tuple[Version, ...] = get_args(Version)


@dataclass(frozen=True, kw_only=True)
class CIVSProportional(SeatsMethod):
    """CIVS proportional representation: Condorcet over committees.

    Parameters
    ----------
    seats : int, default 1
        Committee size ``k``.
    criterion : {"best", "combined"}, default "best"
        How a voter compares committees: lexicographically by their best members
        ("best candidate") or by sums of their top weights ("combined weights";
        pass :class:`Ratings` to use typed weights).
    search : {"civs", "exact"}, default "civs"
        ``"civs"``: CIVS's local search. ``"exact"``: compare every committee (and
        report whether the local search agrees); refused above ``max_committees``.
    budget : int, default 500
        Most committees the hill climb visits (CIVS: 500).
    max_committees : int, default 2000
        Most committees ``search="exact"`` compares; more raise
        :class:`ExactSearchTooLargeError` (a
        :class:`~voting.exceptions.ComputationTooLargeError`). ``exact_limit`` is its
        former name (deprecated).
    version : {"2025-07", "2024-03", "legacy"}, default "2025-07"
        Which CIVS revision to reproduce (see the module docstring).
    tie_break : TieBreak, default CandidateOrder()
        CIVS's choice order: the order neighbours are tried in, contests are
        oriented and tied committees are chosen from (default: profile order).

    Notes
    -----
    See the module docstring for the definition. A committee method that does not
    guarantee Droop proportionality: the validity rule gives a solid coalition of
    ``f`` Droop quotas a valid count at level ``f``, but the local search may never
    reach the committees that honour it, and the whole-committee tie-break can
    favour larger groups. It is not Condorcet-consistent for one seat either (a
    pairwise majority must also reach half of all voters to count).

    Runtime complexity: O(V·C²) for the individual ranking; per hill-climb step
    O(V·k·C) (best) or O(V·k²·C) (combined); O(V·M²·k) to compare the M committees
    considered (M = steps + k + 1; ``C(C, k)`` for the exact search).

    References
    ----------
    A. C. Myers, CIVS, "Proportional representation",
    https://civs1.civs.us/proportional.html, and ``cgi-bin/results``.

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings(
    ...     [["A", "B", "C", "D"]] * 6 + [["C", "D", "A", "B"]] * 4
    ... )
    >>> r = CIVSProportional(seats=2).run(p)
    >>> r.elected
    ('A', 'C')
    >>> r.explanation.schulze.schulze_top
    ('A', 'B')
    """

    name: ClassVar[str] = "civs_proportional"
    parameter_constraints: ClassVar[Constraints] = {
        "criterion": OneOf(CRITERIA),
        "search": OneOf(SEARCHES),
        "budget": Integer(low=1),
        "max_committees": Integer(low=1),
        "version": OneOf(VERSIONS),
    }
    renamed_parameters: ClassVar[Mapping[str, str]] = {"exact_limit": "max_committees"}
    criterion: Criterion = "best"
    search: Search = "civs"
    budget: int = 500
    max_committees: int = 2000
    version: Version = "2025-07"
    exact_limit: InitVar[int | None] = None

    def tags(self) -> MethodTags:
        """A committee method; it guarantees none of the tagged criteria."""
        return MethodTags(kind="committee")

    def run(self, profile: Profile | Ratings, /) -> Result[CIVSProportionalExplanation]:
        """Elect a committee of ``seats`` candidates from ``profile`` (or :class:`Ratings`)."""
        prof = self.check_profile(profile.to_profile() if isinstance(profile, Ratings) else profile)
        if prof.num_voters >= _MAX_PACKED_VOTERS:
            raise UnsupportedProfileError(
                f"{self.name}: {prof.num_voters:,} voters; the contests pack two counts of up "
                f"to that size in one int64, which holds fewer than {_MAX_PACKED_VOTERS:,} "
                "voters. Scale the weights down."
            )
        if isinstance(profile, Ratings):
            values = profile.values
            stored = _stored_counts(profile.values, profile.weights, profile.no_opinion)
        else:
            values = weights_from_profile(prof)
            # CIVS's stored count "j.k" is the voters weighting j below k, skipping a
            # pair where either is "No opinion" (unranked="ignore"); a blank weighs 0
            # and is counted (unranked="last")
            stored = np.ascontiguousarray(prof.pairwise.support.T, dtype=np.int64)
        return _count(self, prof, values, stored)


_MAX_PACKED_VOTERS = 9 * 10**8
"""Voters below which ``strong * 10^k + weak`` (``10^k`` >= voters > each count) fits
int64, as the committee contests pack them (:func:`._civs_search.rank_committees`)."""


def _compress(values: IntArray, weights: IntArray) -> tuple[IntArray, IntArray]:
    """Merge identical weight rows, summing their voters (order of first appearance).

    The library's one deduplication (:func:`voting._distinct.distinct_rows`), hashed:
    the counts do not depend on the order of the rows.
    """
    # the hashed grouping compares cells, whatever their integer type (int64 here)
    rows, sums = distinct_rows(cast(RankArray, values), weights, ordered=False)
    return np.ascontiguousarray(rows, dtype=np.int64), np.ascontiguousarray(sums, dtype=np.int64)


def _stored_counts(values: IntArray, weights: IntArray, no_opinion: NDArray[np.bool_]) -> IntArray:
    """CIVS's stored pairwise counts ``"j.k"``: voters whose weight for ``j`` is below ``k``.

    A pair is skipped on a ballot where either cell is ``No opinion`` (CIVS
    ``election.pm``, ``UpdateMatrix``; ``upload_ballots``). O(V·C²), C numpy passes.
    """
    c = values.shape[1]
    out = np.zeros((c, c), dtype=np.int64)
    opinion = ~no_opinion
    for j in range(c):
        below = (values[:, j : j + 1] < values) & opinion & opinion[:, j : j + 1]
        out[j] = weights @ below.astype(np.int64)
    return out


def _individual_tiers(
    support: IntArray, stored: IntArray, names: tuple[str, ...], version: Version, combined: bool
) -> list[list[int]]:
    """The individual order the search starts from, as each CIVS version computes it.

    ``legacy`` ranks the candidates with ``beatpath.pm`` on the ballots' pairwise
    matrix (``support``, "No opinion" weighing 0). Since March 2024 CIVS ranks them
    with Minimax-PM, but a loop left over from the old code then overwrites that
    order with the Minimax ranking of the *non-proportional* matrix: the stored
    counts ``"j.k"`` (``stored[j, k]``: voters weighting ``j`` below ``k``, a pair
    skipped where either is "No opinion") passed through ``FixProp``, which gives
    ``C - count`` in best-candidate polls and the count itself in combined-weights
    polls. The first keeps the margins (only equal margins are ordered the other
    way round); the second is the reversed preference. This reproduces what CIVS
    does (``cgi-bin/results``, ``PrintProportionalResults`` and ``SetupMatrix``).
    """
    if version == "legacy":
        return beatpath_tiers(support)
    table = stored if combined else len(names) - stored
    tiers, _ = minimax_pm_tiers(np.ascontiguousarray(table), names)
    return tiers


@dataclass(frozen=True, slots=True, kw_only=True)
class _Search:
    """The committees a search compared, their contests, and how the search went."""

    committees: list[Committee]
    contests: Contests
    n_climbed: int = 1
    truncated: bool = False
    local_winning: tuple[tuple[str, ...], ...] | None = None
    local_agrees: bool | None = None


def _count(
    method: CIVSProportional, profile: Profile, values: IntArray, stored: IntArray
) -> Result[CIVSProportionalExplanation]:
    names = profile.candidates
    c = profile.num_candidates
    k = method.seats
    perm = list(method.tie_break.priority(names))  # choice order: position -> candidate
    last = profile if profile.unranked == "last" else profile.with_unranked("last")
    support = np.asarray(last.pairwise.support, dtype=np.int64)[np.ix_(perm, perm)]
    combined = method.criterion == "combined"
    tiers = _individual_tiers(
        support,
        stored[np.ix_(perm, perm)],
        tuple(names[i] for i in perm),
        method.version,
        combined,
    )
    choice_index = [i for t in tiers for i in sorted(t)]
    w, wts = _compress(np.ascontiguousarray(values[:, perm]), profile.weights)
    initial_against = profile.num_voters if method.version == "2025-07" else c

    def rank(committees: list[Committee]) -> Contests:
        return rank_committees(
            w, wts, committees, combined=combined, initial_against=initial_against
        )

    start = tuple(sorted(choice_index[:k]))
    if k == c:
        search = _Search(committees=[start], contests=rank([start]))
    else:
        log = local_search(w, wts, start, budget=method.budget, initial_against=initial_against)
        local = list(log.visited)
        top = choice_index[: k + 1]
        for j in range(k + 1):  # the committees leaving one of the top k + 1 out
            comm = tuple(sorted(top[:j] + top[j + 1 :]))
            if comm not in local:
                local.append(comm)
        search = _Search(
            committees=local,
            contests=rank(local),
            n_climbed=len(log.visited),
            truncated=log.truncated,
        )
        if method.search == "exact":
            search = _exact_search(method, c, w.shape[0], search, rank, names, perm)
    return _result(method, profile, search, perm, tiers)


def _exact_search(
    method: CIVSProportional,
    c: int,
    n_ballots: int,
    local: _Search,
    rank: Callable[[list[Committee]], Contests],
    names: tuple[str, ...],
    perm: list[int],
) -> _Search:
    """Every committee compared (refused above ``max_committees``), with whether the
    local search ``local`` found the same unbeaten committees."""
    k = method.seats
    total = n_committees(c, k)
    check_size(
        method.name,
        "max_committees",
        method.max_committees,
        total,
        size=f"search='exact' would compare all {total:,} committees of {k} of {c} candidates",
        detail=f" (about {exact_seconds(total, n_ballots, k, num_threads()):,.0f} s on "
        f"{n_ballots:,} distinct ballots)",
        otherwise="use search='civs'",
        error=ExactSearchTooLargeError,
    )
    committees = all_committees(c, k)
    contests = rank(committees)
    local_set = {local.committees[i] for i in local.contests.ranking[0]}
    exact_set = {committees[i] for i in contests.ranking[0]}
    return dataclasses.replace(
        local,
        committees=committees,
        contests=contests,
        local_winning=tuple(sorted(_names_of(x, names, perm) for x in local_set)),
        local_agrees=local_set == exact_set,
    )


def _names_of(committee: Committee, names: tuple[str, ...], perm: list[int]) -> tuple[str, ...]:
    """A committee of choice positions as candidate names, in profile order."""
    return tuple(names[j] for j in sorted(perm[i] for i in committee))


def _result(
    method: CIVSProportional,
    profile: Profile,
    search: _Search,
    perm: list[int],
    tiers: list[list[int]],
) -> Result[CIVSProportionalExplanation]:
    names = profile.candidates
    committees, contests = search.committees, search.contests
    unbeaten = list(contests.ranking[0])
    as_indices = [[perm[i] for i in committees[j]] for j in unbeaten]
    win_idx = [unbeaten[i] for i in committee_order(names, as_indices, method.tie_break)]
    names_committees = tuple(_names_of(x, names, perm) for x in committees)
    first = win_idx[0]
    individual = [[perm[i] for i in t] for t in tiers]
    explanation = CIVSProportionalExplanation(
        criterion=method.criterion,
        version=method.version,
        search=method.search,
        individual_order=tuple(tuple(names[j] for j in sorted(t)) for t in individual),
        committees=names_committees,
        n_climbed=search.n_climbed,
        truncated=search.truncated,
        ranking=contests.ranking,
        winning=tuple(names_committees[i] for i in win_idx),
        contests=tuple(
            _contest(contests, names_committees, first, j)
            for j in range(len(committees))
            if j != first
        ),
        schulze=_schulze_comparison(method, profile, {perm[i] for i in committees[first]}),
        local_winning=search.local_winning,
        local_agrees=search.local_agrees,
        strong=_readonly(contests.strong),
        weak=_readonly(contests.weak),
        level=_readonly(contests.level),
        _counts=_readonly(contests.counts),
    )
    return committee_from_committees(
        method.name, names, as_indices, method.tie_break, explanation, order=individual
    )


def _contest(
    contests: Contests, committees: tuple[tuple[str, ...], ...], a: int, b: int
) -> CommitteeContest:
    return CommitteeContest(
        first=committees[a],
        second=committees[b],
        counts_first=tuple(int(x) for x in contests.counts[a, b]),
        counts_second=tuple(int(x) for x in contests.counts[b, a]),
        strong_first=int(contests.strong[a, b]),
        strong_second=int(contests.strong[b, a]),
        level=int(contests.level[a, b]),
        weak_first=int(contests.weak[a, b]),
        weak_second=int(contests.weak[b, a]),
    )


def _schulze_comparison(
    method: CIVSProportional, profile: Profile, elected: set[int]
) -> SchulzeComparison:
    names = profile.candidates
    top = Schulze(seats=method.seats, tie_break=method.tie_break).run(profile).elected
    top_idx = {profile.index(n) for n in top}
    only_civs = sorted(elected - top_idx)
    only_schulze = sorted(top_idx - elected)
    s = profile.pairwise.support
    h2h = tuple(
        (names[a], names[b], int(s[a, b]), int(s[b, a])) for a in only_civs for b in only_schulze
    )
    return SchulzeComparison(
        schulze_top=tuple(top),
        only_civs=tuple(names[i] for i in only_civs),
        only_schulze=tuple(names[i] for i in only_schulze),
        head_to_head=h2h,
    )
