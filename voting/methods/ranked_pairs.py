"""Ranked pairs as CIVS computes it: :class:`RankedPairs` (deterministic) and :class:`MAM`.

Both take the pairwise majorities from strongest to weakest and lock each one unless
it contradicts the majorities already locked; the ranking is then read off the locked
relation, best tier first, by CIVS's readout. Strength is *winning votes*, then
*losing votes* (fewer is stronger); margins are never used.

- :class:`RankedPairs` ("CIVS Ranked Pairs") never breaks a tie: majorities of equal
  strength form a *bunch*; a majority of the bunch is locked if it contradicts no
  strictly stronger locked majority, even when it contradicts other members of its
  bunch, whose candidates then tie.
- :class:`MAM` (Maximize Affirmed Majorities) orders equal-strength majorities by a
  *random voter hierarchy* built from the ballots read in a random order: the
  majority whose loser the hierarchy ranks lower comes first, then the one whose
  winner it ranks higher.

The readout (CIVS ``rp.pm``, since 2011, described in CIVS's ``rp.html``): the
candidates not yet ranked that none of them is locked above form a *group*; each
member's *strongest defeat* is taken from the raw pairwise matrix (defeats that were
never locked count, and so do defeats by candidates outside the group), compared as
majorities are (MAM: with the hierarchy too); the members whose strongest defeat is
the weakest form the next tier, an undefeated member counting as weakest of all. So
a locked cycle need not stay a tie: with ``2 c>a>b``, ``2 a>b>c`` and ``1 b>c>a`` all
three majorities are locked as a bunch, yet ``a`` and ``c`` (strongest defeats 3-2)
rank above ``b`` (strongest defeat 4-1).

Agreement with CIVS
-------------------
Both methods were compared with CIVS's own ``rp.pm`` (current revision, run offline
with a stub of ``CGI.pm``) on random polls with ties, truncation and ``No opinion``;
see the CIVS completions page of the documentation for the figures. Remaining
differences:

- MAM, seeded (the default): CIVS draws its random ballot order from Perl's ``rand``
  (unseeded); here it comes from ``shuffle``, a :class:`~voting.ties.Random` seed. The
  two cannot draw the same order; given the same order they give the same ranking.
- MAM with an *incomplete* hierarchy (some pair of candidates that no ballot orders,
  ``hierarchy_complete`` False): the hierarchy then orders some equal-strength
  majorities inconsistently (not transitively), and the order CIVS locks them in
  depends on the internals of Perl's merge sort; here Python's stable sort decides.
  Rankings can differ (1 of 12,000 random polls in file order, 2 seeded). Where CIVS's
  readout would then select nobody for a tier (CIVS never finishes), the whole group
  forms the tier.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
from numpy.typing import NDArray

from voting._params import Constraints, InstanceOf, OrNone
from voting._seed import as_generator
from voting._typing import UNRANKED
from voting.exceptions import UnsupportedProfileError
from voting.limits import max_expanded_voters
from voting.methods._base import MethodTags, PairwiseMethod, SeatsMethod
from voting.methods._common import ranking_tags
from voting.pairwise_matrix import PairwiseMatrix
from voting.profile import Profile
from voting.render import Explanation, json_ready, text_table
from voting.results import Result
from voting.ties import Random

__all__ = ["MAM", "Majority", "RankedPairs", "RankedPairsExplanation", "ReadoutStep"]

BoolMatrix = NDArray[np.bool_]
Status = Literal["locked", "locked_with_bunch", "skipped"]


@dataclass(frozen=True, slots=True)
class Majority:
    """One pairwise majority and what ranked pairs did with it.

    Attributes
    ----------
    winner, loser : str
    votes_for : int
        Voters ranking ``winner`` above ``loser`` (the winning votes).
    votes_against : int
        Voters ranking ``loser`` above ``winner``.
    status : {"locked", "locked_with_bunch", "skipped"}
        ``"locked"``: consistent with every majority locked before it.
        ``"locked_with_bunch"``: it contradicts majorities of its own strength but
        no stronger one, so it is locked and the candidates of the cycle tie.
        ``"skipped"``: it contradicts stronger locked majorities.
    """

    winner: str
    loser: str
    votes_for: int
    votes_against: int
    status: Status

    def __str__(self) -> str:
        return f"{self.winner} over {self.loser} {self.votes_for}-{self.votes_against}: " + (
            self.status.replace("_", " ")
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadoutStep:
    """How one tier of the ranking was read off the locked majorities (CIVS's readout).

    Attributes
    ----------
    unbeaten : tuple of str
        The candidates not yet ranked that no candidate not yet ranked is locked
        above (the *group*), in profile order.
    strongest_defeats : tuple of (str, Majority or None)
        Each member of the group and its strongest defeat in the pairwise matrix by
        a candidate not yet ranked (None: undefeated), whether or not that majority
        was locked. The ``status`` of these records is always ``"locked"``; see
        :attr:`RankedPairsExplanation.majorities` for what locking did.
    placed : tuple of str
        The members placed in this tier: those whose strongest defeat is the
        weakest (undefeated members first of all).
    """

    unbeaten: tuple[str, ...]
    strongest_defeats: tuple[tuple[str, Majority | None], ...]
    placed: tuple[str, ...]

    def __str__(self) -> str:
        parts = [
            f"{name} (undefeated)"
            if d is None
            else f"{name} ({d.winner} {d.votes_for}-{d.votes_against})"
            for name, d in self.strongest_defeats
        ]
        return f"unbeaten {', '.join(parts)}: placed {', '.join(self.placed)}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``unbeaten``, ``strongest_defeats`` (one ``{"candidate",
        "defeat"}`` per member of the group; ``defeat`` null when undefeated) and
        ``placed``."""
        return {
            "unbeaten": list(self.unbeaten),
            "strongest_defeats": [
                {"candidate": name, "defeat": json_ready(d)} for name, d in self.strongest_defeats
            ],
            "placed": list(self.placed),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RankedPairsExplanation(Explanation):
    """Why ranked pairs (or MAM) ranked the candidates as it did.

    ``to_text()`` lists the majorities, strongest first, with what locking did, then
    the readout of each tier (and MAM's voter hierarchy); ``to_dict()`` gives the
    fields.

    Attributes
    ----------
    pairwise : PairwiseMatrix
    majorities : tuple of Majority
        Every majority, in the order considered (strongest first).
    readout : tuple of ReadoutStep
        How each tier of the ranking was read off the locked majorities, best first.
    hierarchy : tuple of tuple of str, or None
        MAM only: the random voter hierarchy as layers, best first (a total order
        when every layer has one name; otherwise some pairs stayed unordered).
    hierarchy_used : bool
        MAM only: whether two majorities of equal winning and losing votes were
        compared through the hierarchy (CIVS's "random tie-breaking used"). When
        False the ranking is the same for every ``shuffle``: it does not depend on
        the seed. (True does not mean that another seed changes the ranking.)
    hierarchy_complete : bool or None
        MAM only: whether the hierarchy orders every pair of candidates. When False
        CIVS's ranking can depend on Perl's sort (see the module notes).
    """

    pairwise: PairwiseMatrix
    majorities: tuple[Majority, ...]
    readout: tuple[ReadoutStep, ...] = ()
    hierarchy: tuple[tuple[str, ...], ...] | None = None
    hierarchy_used: bool = False
    hierarchy_complete: bool | None = None

    def locked(self) -> tuple[Majority, ...]:
        """The majorities that were locked (with or without their bunch)."""
        return tuple(m for m in self.majorities if m.status != "skipped")

    def skipped(self) -> tuple[Majority, ...]:
        """The majorities that were not locked."""
        return tuple(m for m in self.majorities if m.status == "skipped")

    def to_text(self) -> str:
        """The majorities, strongest first, each locked or skipped; then the readout."""
        lines = ["Majorities, strongest first; each is locked unless it contradicts stronger ones:"]
        rows = [
            [str(k), m.winner, m.loser, str(m.votes_for), str(m.votes_against), _STATUS[m.status]]
            for k, m in enumerate(self.majorities, 1)
        ]
        header = ["#", "winner", "loser", "for", "against", "status"]
        lines.append(text_table(header, rows, "><<>><"))
        if not self.majorities:
            lines.append("(no majorities: every pair of candidates is tied)")
        if self.readout:
            lines.append("")
            lines.append("Ranking read off the locked majorities, one tier at a time:")
            lines += [f"  {k}. {step}" for k, step in enumerate(self.readout, 1)]
        if self.hierarchy is not None:
            lines.append("")
            lines.append(
                "Random voter hierarchy: "
                + " > ".join(" = ".join(layer) for layer in self.hierarchy)
                + ("" if self.hierarchy_complete else " (not a total order)")
            )
            lines.append(
                "It ordered majorities of equal strength: "
                + (
                    "yes (another seed may rank differently)"
                    if self.hierarchy_used
                    else "no (every seed gives this ranking)"
                )
            )
        return "\n".join(lines)


_STATUS: dict[str, str] = {
    "locked": "locked",
    "locked_with_bunch": "locked (with its equals: a tie)",
    "skipped": "skipped (contradicts stronger ones)",
}


def _add_edge(m: BoolMatrix, winner: int, loser: int) -> tuple[BoolMatrix, bool]:
    """The closure of ``m`` plus ``winner -> loser``, and whether it made a new cycle.

    ``m`` must be transitively closed. A new cycle is a new diagonal entry, as in
    CIVS's ``TransitiveClosure``: adding an edge inside an existing cycle reports
    none. O(C²).
    """
    if m[winner, loser]:
        return m, False
    into = m[:, winner].copy()
    into[winner] = True
    out_of = m[loser, :].copy()
    out_of[loser] = True
    new = np.outer(into, out_of)
    cycle = bool((np.diagonal(new) & ~np.diagonal(m)).any())
    return m | new, cycle


def _peel(rel: BoolMatrix) -> list[list[int]]:
    """Tiers of a preorder ``rel``: each tier is everyone no remaining candidate beats."""
    c = rel.shape[0]
    beaten = rel.T & ~rel  # beaten[i, j]: j is above i
    ranked = np.zeros(c, dtype=np.bool_)
    tiers: list[list[int]] = []
    while not ranked.all():
        remaining = ~ranked
        top = remaining & ~(beaten[:, remaining].any(axis=1))
        if not top.any():  # cannot happen for a transitive relation; guard anyway
            top = remaining
        tiers.append(np.flatnonzero(top).tolist())
        ranked |= top
    return tiers


Pair = tuple[int, int, int, int]
"""A majority as CIVS stores it: (winner, loser, votes for, votes against)."""


def _readout(
    affirmed: BoolMatrix,
    support: NDArray[np.int64],
    names: Sequence[str],
    compare: Callable[[Pair, Pair], int],
) -> tuple[list[list[int]], list[ReadoutStep]]:
    """CIVS's readout of the locked relation (``rp.pm``, the loop after locking).

    Each tier: the unranked candidates that no unranked candidate beats in the
    locked relation form a *group*; each member's *strongest defeat* is the
    strongest majority against it in the raw pairwise matrix, by any unranked
    candidate (``compare`` orders majorities, strongest first; the first found in
    candidate order is kept among equals); the members whose strongest defeat is
    the weakest (an undefeated member counts as weakest of all) form the tier.
    Where no member qualifies (possible only under MAM with an incomplete
    hierarchy, whose comparison is then not an order; CIVS would loop forever)
    the whole group forms the tier. O(C²) per tier, O(C³) in all.
    """
    c = len(names)
    ranked = [False] * c
    tiers: list[list[int]] = []
    steps: list[ReadoutStep] = []
    beats = (affirmed & ~affirmed.T).tolist()  # beats[j][i]: j locked above i only
    s = support.tolist()
    while not all(ranked):
        open_ = [i for i in range(c) if not ranked[i]]
        group = [i for i in open_ if not any(beats[j][i] for j in open_)]
        strongest: dict[int, Pair | None] = {}
        for i in group:
            best: Pair | None = None
            for j in open_:
                if s[j][i] > s[i][j]:
                    pair = (j, i, s[j][i], s[i][j])
                    if best is None or compare(best, pair) > 0:
                        best = pair
            strongest[i] = best
        tier = []
        for i in group:
            a = strongest[i]
            if a is not None and any(
                j != i and ((b := strongest[j]) is None or compare(a, b) < 0) for j in group
            ):
                continue
            tier.append(i)
        if not tier:
            tier = list(group)
        steps.append(
            ReadoutStep(
                unbeaten=tuple(names[i] for i in group),
                strongest_defeats=tuple(
                    (names[i], None if (d := strongest[i]) is None else _majority(d, names))
                    for i in group
                ),
                placed=tuple(names[i] for i in tier),
            )
        )
        tiers.append(tier)
        for i in tier:
            ranked[i] = True
    return tiers, steps


def _majority(pair: Pair, names: Sequence[str], status: Status = "locked") -> Majority:
    return Majority(names[pair[0]], names[pair[1]], pair[2], pair[3], status)


def _rank_pairs(
    support: NDArray[np.int64],
    names: Sequence[str],
    hierarchy: BoolMatrix | None,
) -> tuple[list[list[int]], list[Majority], list[ReadoutStep], bool]:
    """CIVS ranked pairs on ``support``; MAM when ``hierarchy`` is given.

    Runtime complexity: O(C⁴) worst case (each of O(C²) majorities costs O(C²)).
    """
    c = len(names)
    winners, losers = np.nonzero(support > support.T)  # row-major: CIVS's pair order
    pairs = [
        (int(w), int(lo), int(support[w, lo]), int(support[lo, w]))
        for w, lo in zip(winners.tolist(), losers.tolist(), strict=True)
    ]
    used = False

    def compare(a: Pair, b: Pair) -> int:
        """<0 when ``a`` is considered before ``b`` (CIVS ``order_pairs``)."""
        nonlocal used
        if a[2] != b[2]:
            return b[2] - a[2]
        if a[3] != b[3]:
            return a[3] - b[3]
        if hierarchy is None:
            return 0
        used = True  # CIVS's "random tie-breaking used"
        x, y, z, w = b[0], b[1], a[0], a[1]
        if w != y and hierarchy[w, y] != hierarchy[y, w]:
            return int(hierarchy[w, y]) - int(hierarchy[y, w])
        return int(hierarchy[x, z]) - int(hierarchy[z, x])

    pairs.sort(key=functools.cmp_to_key(compare))
    affirmed = np.zeros((c, c), dtype=np.bool_)
    committed = affirmed
    majorities: list[Majority] = []
    previous: Pair | None = None
    bunch_index = 0
    for pair in pairs:
        w, lo = pair[0], pair[1]
        if previous is None or compare(previous, pair) < 0:
            committed = affirmed
            bunch_index = 0
        else:
            bunch_index += 1
        previous = pair
        current, cycle = _add_edge(affirmed, w, lo)
        status: Status = "locked"
        if cycle and bunch_index != 0:
            _, cycle = _add_edge(committed, w, lo)
            status = "locked_with_bunch"
        if cycle:
            status = "skipped"
        else:
            affirmed = current
        majorities.append(_majority(pair, names, status))
    tiers, steps = _readout(affirmed, support, names, compare)
    return tiers, majorities, steps, used


def random_voter_hierarchy(profile: Profile, shuffle: Random | None) -> BoolMatrix:
    """MAM's random voter hierarchy: a strict partial order built ballot by ballot.

    Ballots (one per voter) are read in an order drawn from ``shuffle``; each
    preference ``i > j`` of a ballot is added, with closure, whenever the hierarchy
    does not relate ``i`` and ``j`` yet, until every pair is ordered (CIVS
    ``create_RVH``). Unranked candidates ("No opinion") give no preference; under
    ``unranked="last"`` they are below the ranked ones (CIVS's blank, rank ``n``).

    With a seed, the voters are first put in a canonical order (identical ballots
    merged, ballots sorted with the candidates taken in name order), then shuffled,
    as CIVS shuffles its stored ballots before reading them (since March 2024): the
    hierarchy depends on the multiset of ballots, the seed and the names only, so
    MAM stays anonymous, neutral and blind to :meth:`Profile.compress`. With
    ``shuffle=None`` the ballots are read in profile order, as CIVS did before March
    2024 (it shuffled a copy of the list that it then did not use).
    Runtime complexity: O(V) to shuffle, then O(C²) per ballot read.
    """
    c = profile.num_candidates
    if profile.num_voters > max_expanded_voters():  # one entry per voter below
        raise UnsupportedProfileError(
            f"MAM's random voter hierarchy orders every voter, and {profile.num_voters:,} "
            f"voters are more than the limit of {max_expanded_voters():,} (raise it with the "
            "environment variable VOTING_MAX_EXPANDED_VOTERS)"
        )
    if shuffle is None:
        order = list(range(c))
        ranks = profile.ranks
        rows: NDArray[np.int64] = np.repeat(np.arange(profile.num_ballots), profile.weights)
    else:
        order = sorted(range(c), key=lambda i: profile.candidates[i])
        canon = Profile(
            profile.ranks[:, order],
            profile.weights,
            [profile.candidates[i] for i in order],
            profile.unranked,
        ).compress()
        ranks = canon.ranks
        rng = as_generator(shuffle.seed)
        voters = rng.permutation(canon.num_voters)
        rows = np.searchsorted(np.cumsum(canon.weights), voters, side="right")
    rel = np.zeros((c, c), dtype=np.bool_)
    unrelated = c * (c - 1) // 2
    ignore = profile.unranked == "ignore"
    for v in rows.tolist():
        if unrelated == 0:
            break
        r = ranks[v].astype(np.int64)
        prefers = r[:, None] < r[None, :]
        if ignore:
            ranked = r != UNRANKED
            prefers &= ranked[:, None] & ranked[None, :]
        for i, j in zip(*np.nonzero(prefers & ~rel & ~rel.T), strict=True):
            if rel[i, j] or rel[j, i]:
                continue
            rel, _ = _add_edge(rel, int(i), int(j))
            unrelated = int(np.triu(~(rel | rel.T), 1).sum())
    out = np.zeros((c, c), dtype=np.bool_)
    idx = np.array(order)
    out[np.ix_(idx, idx)] = rel
    return out


@dataclass(frozen=True, kw_only=True)
class RankedPairs(PairwiseMethod[RankedPairsExplanation]):
    """CIVS Ranked Pairs: deterministic ranked pairs with winning votes.

    Parameters
    ----------
    seats : int, default 1
        How many candidates to elect: the top ``seats`` of the ranking; a tier that
        straddles the last seat is reported and broken by ``tie_break``.
    tie_break : TieBreak, default CandidateOrder()
        Orders a tier straddling the last seat. The method itself never breaks a
        tie: cycles among equal-strength majorities come out as tied candidates.

    Notes
    -----
    Definition (CIVS ``rp.pm``). Every majority ``x > y`` (more voters rank ``x``
    above ``y`` than the reverse) is sorted by winning votes, most first, then by
    losing votes, fewest first; majorities equal on both form a *bunch*. In this
    order each majority is *locked* unless, together with the majorities locked
    before it, it makes a cycle; a majority that makes a cycle only with earlier
    members of its own bunch is still locked. The ranking is read off the transitive
    closure of the locked majorities by CIVS's readout, one tier at a time: the
    candidates not yet ranked that none of them is locked above form a group; each
    member's strongest defeat by a candidate not yet ranked is taken from the
    pairwise matrix (locked or not); the members whose strongest defeat is the
    weakest (undefeated members first of all) form the tier
    (``explanation.readout``).

    Ranked pairs elects the Condorcet winner, never the Condorcet loser, stays in
    the Smith set and is independent of clones.

    Runtime complexity: O(C⁴) worst case on the pairwise matrix (O(C²) majorities,
    each locked in O(C²)).

    References
    ----------
    T. N. Tideman (1987), "Independence of clones as a criterion for voting
    rules", *Social Choice and Welfare* 4(3). A. C. Myers, CIVS,
    https://civs.cs.cornell.edu/rp.html and ``cgi-bin/rp.pm``.

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings(
    ...     [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]], weights=[4, 3, 2]
    ... )
    >>> r = RankedPairs().run(p)
    >>> r.ranking
    (('A',), ('B',), ('C',))
    >>> [str(m) for m in r.explanation.majorities]
    ['B over C 7-2: locked', 'A over B 6-3: locked', 'C over A 5-4: skipped']

    A cycle locked as a bunch, split by the readout (CIVS ranks ``a = c > b``):

    >>> q = Profile.from_rankings(
    ...     [["c", "a", "b"], ["a", "b", "c"], ["b", "c", "a"]], weights=[2, 2, 1]
    ... )
    >>> RankedPairs().run(q).ranking
    (('a', 'c'), ('b',))
    """

    name: ClassVar[str] = "ranked_pairs"

    def tags(self) -> MethodTags:
        """Condorcet winner and loser, Smith, independence of clones."""
        return _rp_tags(self.seats)

    def run_pairwise(self, pairwise: PairwiseMatrix, /) -> Result[RankedPairsExplanation]:
        """Rank from pairwise counts alone (ranked pairs needs nothing else)."""
        self.check_pairwise(pairwise)
        tiers, majorities, steps, _ = _rank_pairs(pairwise.support, pairwise.candidates, None)
        explanation = RankedPairsExplanation(
            pairwise=pairwise, majorities=tuple(majorities), readout=tuple(steps)
        )
        return self.elect(pairwise.candidates, tiers, explanation)


@dataclass(frozen=True, kw_only=True)
class MAM(SeatsMethod):
    """Maximize Affirmed Majorities: ranked pairs with a random voter hierarchy.

    Parameters
    ----------
    seats : int, default 1
        How many candidates to elect (the top of the ranking).
    shuffle : Random or None, default Random(seed=0)
        The order in which ballots are read to build the random voter hierarchy: a
        random order drawn from a :class:`~voting.ties.Random` seed (same seed, same
        result), as current CIVS does with an unseeded shuffle; or None, the legacy
        order: ballots in profile order, as CIVS read them before March 2024. The
        legacy order is not anonymous (the ranking can depend on the order of the
        ballots and on how the profile was compressed).
    tie_break : TieBreak, default CandidateOrder()
        Orders a tier straddling the last seat.

    Notes
    -----
    Definition (CIVS ``rp.pm``). As :class:`RankedPairs`, except that majorities of
    equal winning and losing votes are ordered by the *random voter hierarchy*
    (RVH): ballots are read one voter at a time in a random order, and each of a
    ballot's preferences ``i > j`` is added to the hierarchy (with transitive
    closure) whenever the hierarchy does not yet relate ``i`` and ``j``, until it is
    a total order. Of two equal-strength majorities, the one whose loser the RVH
    ranks lower comes first; otherwise the one whose winner it ranks higher.
    Majorities the RVH cannot order remain in one bunch. The readout compares
    strongest defeats the same way.

    Which results depend on the seed: only those where two majorities of equal
    winning *and* losing votes had to be compared; ``explanation.hierarchy_used``
    says so. When it is False, every seed (and CIVS) gives the same ranking.

    Runtime complexity: O(C⁴) for the locking, plus O(V) to shuffle the voters and
    O(C²) per ballot read for the hierarchy (usually a handful of ballots).

    References
    ----------
    S. Eppley, "Maximize Affirmed Majorities (MAM) procedure definition".
    A. C. Myers, CIVS, ``cgi-bin/rp.pm``.

    Examples
    --------
    >>> from voting import Profile
    >>> from voting.ties import Random
    >>> p = Profile.from_rankings([["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]])
    >>> r = MAM(shuffle=Random(seed=1)).run(p)
    >>> r.explanation.hierarchy_used
    True
    >>> r.ranking == MAM(shuffle=Random(seed=1)).run(p).ranking
    True
    """

    name: ClassVar[str] = "mam"
    parameter_constraints: ClassVar[Constraints] = {
        "shuffle": OrNone(
            InstanceOf(Random, "voting.ties.Random(seed=...)"),
            "to read the ballots in profile order",
        ),
    }
    shuffle: Random | None = field(default_factory=lambda: Random(seed=0))

    def tags(self) -> MethodTags:
        """Condorcet winner and loser, Smith, independence of clones."""
        return _rp_tags(self.seats)

    def run(self, profile: Profile, /) -> Result[RankedPairsExplanation]:
        """Build the hierarchy, lock the majorities in MAM order, rank."""
        self.check_profile(profile)
        pm = profile.pairwise
        rvh = random_voter_hierarchy(profile, self.shuffle)
        tiers, majorities, steps, used = _rank_pairs(pm.support, profile.candidates, rvh)
        layers = tuple(tuple(profile.candidates[i] for i in t) for t in _peel(rvh))
        explanation = RankedPairsExplanation(
            pairwise=pm,
            majorities=tuple(majorities),
            readout=tuple(steps),
            hierarchy=layers,
            hierarchy_used=used,
            hierarchy_complete=bool((rvh | rvh.T | np.eye(len(rvh), dtype=np.bool_)).all()),
        )
        return self.elect(profile.candidates, tiers, explanation)


def _rp_tags(seats: int) -> MethodTags:
    return ranking_tags(
        seats, condorcet_winner=True, condorcet_loser=True, smith=True, clone_independent=True
    )
