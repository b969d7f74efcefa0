"""Hypothesis strategies for ballots and profiles.

Every function returns a :class:`hypothesis.strategies.SearchStrategy` and checks
its arguments when it is called, raising :class:`hypothesis.errors.InvalidArgument`
with the argument's name (``Cannot have max_candidates=1 < min_candidates=2``).
Arguments other than ``n_candidates`` are keyword-only.

The strategies are built to shrink toward the simplest election: few candidates
(the count is drawn once), one ballot (ballots are an ``st.lists``), the identity
order ``A > B > C`` (each ballot draws one permutation), no ties (a tie
groups neighbours of that permutation), complete ballots, weight one, and the
``"last"`` policy for unranked candidates. Candidates are named ``A``, ``B``, ``C``, ...
(``c0``, ``c1``, ... beyond 26).

The targeted strategies (:func:`profiles_with_condorcet_winner`,
:func:`condorcet_cycles`, :func:`solid_coalitions`) *construct* their property: they
draw an ordinary profile, then add the ballots the property needs with just enough
weight. They never filter, so they are as fast as :func:`profiles`.

Installing the package registers :func:`profiles` for ``st.from_type(voting.Profile)``
through hypothesis's entry point (:func:`_hypothesis_setup_hook`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from voting._typing import UNRANKED, UNRANKED_POLICIES, UnrankedPolicy
from voting.profile import Profile
from voting.testing import _reference as ref

__all__ = [
    "SolidCoalition",
    "condorcet_cycles",
    "profiles",
    "profiles_with_condorcet_winner",
    "rankings",
    "solid_coalitions",
]

MAX_WEIGHT = 9
"""Largest weight :func:`profiles` draws for one ballot when ``weighted=True``."""

_DEFAULT_MAX_CANDIDATES = 5
_DEFAULT_MAX_VOTERS = 10

Row = tuple[int, ...]
_Ballots = list[tuple[Row, int]]


class SolidCoalition(NamedTuple):
    """A profile in which a group of voters solidly supports a set of candidates.

    Attributes
    ----------
    profile : Profile
    coalition : frozenset of str
        The supported candidates.
    quotas : int
        How many Droop quotas (``floor(num_voters / (seats + 1)) + 1``) of voters
        prefer every member of ``coalition`` to every other candidate; at least 1.
    seats : int
        The committee size the quota is computed for.
    """

    profile: Profile
    coalition: frozenset[str]
    quotas: int
    seats: int


# ----------------------------------------------------------------- validation
def _check_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be True or False")
    return value


def _check_int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r} must be an int")
    if value < minimum:
        raise InvalidArgument(f"{name}={value} must be at least {minimum}")
    return value


def _check_order(lo_name: str, lo: int, hi_name: str, hi: int) -> None:
    if hi < lo:
        raise InvalidArgument(f"Cannot have {hi_name}={hi} < {lo_name}={lo}")


def _check_policy(unranked: object) -> UnrankedPolicy | None:
    if unranked is None:
        return None
    for policy in UNRANKED_POLICIES:
        if unranked == policy:
            return policy
    raise InvalidArgument(f"unranked={unranked!r} must be None, 'last' or 'ignore'")


@dataclass(frozen=True, slots=True)
class _Spec:
    """Validated arguments shared by the profile strategies."""

    min_candidates: int
    max_candidates: int
    min_voters: int
    max_voters: int
    allow_ties: bool
    allow_truncation: bool
    unranked: UnrankedPolicy | None
    weighted: bool
    max_weight: int = MAX_WEIGHT
    allow_empty: bool = False


def _spec(
    min_candidates: object,
    max_candidates: object,
    min_voters: object,
    max_voters: object,
    allow_ties: object,
    allow_truncation: object,
    unranked: object,
    weighted: object,
    *,
    least_candidates: int = 1,
    max_weight: object = None,
    allow_empty: object = False,
) -> _Spec:
    lo_c = _check_int("min_candidates", min_candidates, least_candidates)
    if max_candidates is None:
        hi_c = max(lo_c, _DEFAULT_MAX_CANDIDATES)
    else:
        hi_c = _check_int("max_candidates", max_candidates, least_candidates)
        _check_order("min_candidates", lo_c, "max_candidates", hi_c)
    lo_v = _check_int("min_voters", min_voters, 0)
    if max_voters is None:
        hi_v = max(lo_v, _DEFAULT_MAX_VOTERS)
    else:
        hi_v = _check_int("max_voters", max_voters, 0)
        _check_order("min_voters", lo_v, "max_voters", hi_v)
    truncation = _check_bool("allow_truncation", allow_truncation)
    is_weighted = _check_bool("weighted", weighted)
    if max_weight is None:
        most = MAX_WEIGHT
    elif not is_weighted:
        raise InvalidArgument(f"max_weight={max_weight!r} needs weighted=True")
    else:
        most = _check_int("max_weight", max_weight, 1)
    empty = _check_bool("allow_empty", allow_empty)
    if empty and not truncation:
        raise InvalidArgument("allow_empty=True needs allow_truncation=True")
    return _Spec(
        lo_c,
        hi_c,
        lo_v,
        hi_v,
        _check_bool("allow_ties", allow_ties),
        truncation,
        _check_policy(unranked),
        is_weighted,
        most,
        empty,
    )


# ------------------------------------------------------------------- ballots
def _candidate_names(n: int) -> list[str]:
    if n <= 26:
        return [chr(ord("A") + i) for i in range(n)]
    return [f"c{i}" for i in range(n)]


def _row_from_tiers(tiers: Sequence[Sequence[int]], n: int) -> Row:
    """A ballot ranking ``tiers`` (best first); candidates in none of them unranked."""
    row = [UNRANKED] * n
    for t, tier in enumerate(tiers):
        for c in tier:
            row[c] = t
    return tuple(row)


def _row_from_order(order: Sequence[int], n: int) -> Row:
    """A strict ballot ranking ``order`` (best first); candidates not in it unranked."""
    row = [UNRANKED] * n
    for tier, c in enumerate(order):
        row[c] = tier
    return tuple(row)


def rankings(
    n_candidates: int, *, allow_ties: bool = True, allow_truncation: bool = True
) -> SearchStrategy[tuple[int, ...]]:
    """One ballot over ``n_candidates`` candidates, as a row of :attr:`Profile.ranks`.

    Parameters
    ----------
    n_candidates : int
        At least 1.
    allow_ties : bool, default True
        Neighbours in the ballot's order may share a tier (about one pair in four).
    allow_truncation : bool, default True
        The ballot may leave candidates unranked (:data:`voting.UNRANKED`), about
        half the time; it always ranks at least one.

    Returns
    -------
    SearchStrategy of tuple of int
        ``row[c]`` is candidate ``c``'s tier (0 = top, dense) or ``UNRANKED``.
        Shrinks toward the complete strict ballot ``(0, 1, 2, ...)``.

    Examples
    --------
    >>> from hypothesis import find
    >>> row = find(rankings(3, allow_ties=False, allow_truncation=False), lambda r: r[2] == 0)
    >>> row[2], sorted(row)
    (0, [0, 1, 2])
    """
    n = _check_int("n_candidates", n_candidates, 1)
    ties = _check_bool("allow_ties", allow_ties)
    truncation = _check_bool("allow_truncation", allow_truncation)
    return _rankings(n, ties, truncation)


def _unrank_permutation(n: int, index: int) -> tuple[int, ...]:
    """The permutation of ``range(n)`` with Lehmer code ``index`` (0 is the identity)."""
    items = list(range(n))
    out = []
    for i in range(n - 1, -1, -1):
        pos, index = divmod(index, math.factorial(i))
        out.append(items.pop(pos))
    return tuple(out)


@functools.lru_cache(maxsize=64)
def _permutations(n: int) -> SearchStrategy[tuple[int, ...]]:
    """Permutations of ``range(n)`` from one integer draw, shrinking to the identity.

    One draw per permutation instead of ``st.permutations``'s ``n - 1`` keeps
    generating (and shrinking) a profile of many ballots cheap.
    """
    return st.integers(0, math.factorial(n) - 1).map(functools.partial(_unrank_permutation, n))


def _permutation_of(items: Sequence[int]) -> SearchStrategy[list[int]]:
    """Permutations of ``items``, shrinking toward their given order."""
    seq = list(items)
    return _permutations(len(seq)).map(lambda p: [seq[i] for i in p])


@dataclass(frozen=True, slots=True)
class _BallotCode:
    """Turns four drawn integers into a weighted ballot.

    ``order`` is a Lehmer code of the order of the candidates; ``ties`` has one
    base-4 digit per neighbouring pair in that order (they share a tier when the
    digit is 3, about one pair in four); ``cut`` leaves ``cut - (n - 1)`` candidates
    unranked when positive (so about half the ballots are complete; ``cut = 2n - 1``,
    drawn only where empty ballots are allowed, leaves all ``n``); ``weight`` is
    the weight minus one. Each digit shrinks to 0 on its own: identity order, no
    ties, complete, weight 1.
    """

    n: int

    def __call__(self, digits: tuple[int, int, int, int]) -> tuple[Row, int]:
        order_code, ties, cut, weight = digits
        n = self.n
        n_ranked = n - max(0, cut - (n - 1))
        order = _unrank_permutation(n, order_code)
        row = [UNRANKED] * n
        tier = 0
        for pos, c in enumerate(order[:n_ranked]):
            if pos > 0 and (ties >> (2 * (pos - 1))) & 3 != 3:
                tier += 1
            row[c] = tier
        return tuple(row), weight + 1


@functools.lru_cache(maxsize=256)
def _ballots(
    n: int, allow_ties: bool, allow_truncation: bool, max_weight: int, allow_empty: bool = False
) -> SearchStrategy[tuple[Row, int]]:
    """Weighted ballots from four integer draws (see :class:`_BallotCode`).

    Built once per argument tuple: rebuilding and revalidating strategies inside
    every draw would dominate the cost of generating a profile.
    """
    digits = st.tuples(
        st.integers(0, math.factorial(n) - 1),
        st.integers(0, 4 ** (n - 1) - 1) if allow_ties else st.just(0),
        st.integers(0, 2 * n - (1 if allow_empty else 2)) if allow_truncation else st.just(0),
        st.integers(0, max_weight - 1),
    )
    return digits.map(_BallotCode(n))


def _rankings(n: int, allow_ties: bool, allow_truncation: bool) -> SearchStrategy[Row]:
    return _ballots(n, allow_ties, allow_truncation, 1).map(lambda ballot: ballot[0])


@functools.lru_cache(maxsize=256)
def _ballot_lists(n: int, spec: _Spec) -> SearchStrategy[_Ballots]:
    ballots = _ballots(
        n,
        spec.allow_ties,
        spec.allow_truncation,
        spec.max_weight if spec.weighted else 1,
        spec.allow_empty,
    )
    return st.lists(ballots, min_size=spec.min_voters, max_size=spec.max_voters)


def _draw_base(
    draw: st.DrawFn, spec: _Spec, least_candidates: int = 1
) -> tuple[int, UnrankedPolicy, _Ballots]:
    """The candidate count, the policy and the weighted ballots of a random profile."""
    n = draw(st.integers(max(spec.min_candidates, least_candidates), spec.max_candidates))
    policy: UnrankedPolicy = (
        spec.unranked if spec.unranked is not None else draw(st.sampled_from(UNRANKED_POLICIES))
    )
    rows = draw(_ballot_lists(n, spec))
    return n, policy, rows


def _build(n: int, rows: _Ballots, policy: UnrankedPolicy, weighted: bool) -> Profile:
    if not weighted:
        rows = [(row, 1) for row, w in rows for _ in range(w)]
    ranks = np.array([row for row, _ in rows], dtype=np.int64).reshape(len(rows), n)
    weights = np.array([w for _, w in rows], dtype=np.int64)
    return Profile(ranks, weights, _candidate_names(n), policy)


def _support(n: int, rows: _Ballots, policy: str) -> ref.Support:
    return ref.pairwise_counts([row for row, _ in rows], [w for _, w in rows], policy, n)


# ------------------------------------------------------------------ profiles
def profiles(
    *,
    min_candidates: int = 2,
    max_candidates: int | None = None,
    min_voters: int = 1,
    max_voters: int | None = None,
    allow_ties: bool = True,
    allow_truncation: bool = True,
    unranked: UnrankedPolicy | None = None,
    weighted: bool = True,
    max_weight: int | None = None,
    allow_empty: bool = False,
) -> SearchStrategy[Profile]:
    """Profiles of ranked ballots with ties, truncation and weights.

    Parameters
    ----------
    min_candidates, max_candidates : int
        Bounds on the number of candidates (``max_candidates`` defaults to
        ``max(min_candidates, 5)``).
    min_voters, max_voters : int
        Bounds on the number of ballots, that is rows of the profile
        (``max_voters`` defaults to ``max(min_voters, 10)``). ``min_voters=0``
        allows the empty profile.
    allow_ties : bool, default True
        Ballots may tie candidates.
    allow_truncation : bool, default True
        Ballots may leave candidates unranked.
    unranked : {"last", "ignore"}, optional
        The profile's policy for unranked candidates; drawn when None.
    weighted : bool, default True
        Each ballot stands for 1 to 9 voters; with False every weight is 1.
    max_weight : int, optional
        The largest weight of one ballot (default :data:`MAX_WEIGHT`, 9); large values
        such as ``10**12`` exercise the 64-bit counts. Needs ``weighted=True``.
    allow_empty : bool, default False
        Ballots may rank no candidate at all (a blank ballot, as real elections have).
        Needs ``allow_truncation=True``.

    Returns
    -------
    SearchStrategy of Profile

    Examples
    --------
    >>> from hypothesis import find
    >>> find(profiles(), lambda p: True).to_code()
    "Profile.from_rankings([['A', 'B']], candidates=['A', 'B'], weights=[1], unranked='last')"
    """
    spec = _spec(
        min_candidates,
        max_candidates,
        min_voters,
        max_voters,
        allow_ties,
        allow_truncation,
        unranked,
        weighted,
        max_weight=max_weight,
        allow_empty=allow_empty,
    )
    return _profiles(spec)


@st.composite
def _profiles(draw: st.DrawFn, spec: _Spec) -> Profile:
    n, policy, rows = _draw_base(draw, spec)
    return _build(n, rows, policy, spec.weighted)


def profiles_with_condorcet_winner(
    *,
    min_candidates: int = 2,
    max_candidates: int | None = None,
    min_voters: int = 0,
    max_voters: int | None = None,
    allow_ties: bool = True,
    allow_truncation: bool = True,
    unranked: UnrankedPolicy | None = None,
    weighted: bool = True,
) -> SearchStrategy[Profile]:
    """Profiles with a Condorcet winner: a candidate who beats every other head to head.

    Draws a profile as :func:`profiles` does (``min_voters``/``max_voters`` bound
    those drawn ballots), then adds one complete ballot ranking a drawn candidate
    first, with the smallest weight that makes that candidate beat everyone (as
    that many rows when ``weighted=False``). The added ballot is strict, or (when
    ``allow_ties``, half the time) ties everyone else below the winner, leaving the
    contests among them as drawn. Half the time (with three or more candidates) the
    winner is first *squeezed*, the classic profile on which methods that count first
    preferences fail: for every other candidate ``c`` a ballot ``c > winner > ...``
    is added (all with one drawn weight), so that the winner is everyone's second
    choice and the added first-place ballot only makes up what is still missing.
    Head-to-head counts follow the profile's ``unranked`` policy.

    Returns
    -------
    SearchStrategy of Profile
        Shrinks toward ``A`` winning.
    """
    spec = _spec(
        min_candidates,
        max_candidates,
        min_voters,
        max_voters,
        allow_ties,
        allow_truncation,
        unranked,
        weighted,
    )
    return _with_extreme(spec, first=True)


def _squeeze(draw: st.DrawFn, rows: _Ballots, n: int, target: int, rest: list[int]) -> None:
    """Add ``c > target > ...`` for every other ``c``: ``target`` is everyone's second."""
    weight = draw(st.integers(1, MAX_WEIGHT))
    for c in rest:
        order = [c, target, *(o for o in rest if o != c)]
        rows.append((_row_from_order(order, n), weight))


def _cycle_above(
    draw: st.DrawFn, rows: _Ballots, n: int, target: int, rest: list[int], policy: str
) -> None:
    """Add a strong majority cycle among some of the others, ``target`` in its middle.

    The rotations of ``c1 > ... > ck`` (``k >= 3`` of the other candidates) put
    ``target`` just below the first ``k // 2`` of each, so that the cycle beats
    ``target`` by little (or loses to it) while its members beat each other by a
    wide margin: the profile on which methods that look at the worst defeat
    (minimax) elect the Condorcet loser that the caller then makes of ``target``.
    """
    k = draw(st.integers(3, len(rest)))
    cycle, outside = rest[:k], rest[k:]
    s = _support(n, rows, policy)
    inner = max(s[cycle[(i + 1) % k]][cycle[i]] - s[cycle[i]][cycle[(i + 1) % k]] for i in range(k))
    weight = max(1, -(-(inner + 1) // (k - 2))) + draw(st.integers(0, MAX_WEIGHT))
    for r in range(k):
        rotation = cycle[r:] + cycle[:r]
        order = [*rotation[: k // 2], target, *rotation[k // 2 :], *outside]
        rows.append((_row_from_order(order, n), weight))


def _profiles_with_condorcet_loser(spec: _Spec) -> SearchStrategy[Profile]:
    """Like :func:`profiles_with_condorcet_winner`, for a candidate everyone beats.

    Instead of the squeeze, half the time (with four or more candidates) a strong
    majority cycle among the others is added first, the loser in its middle
    (:func:`_cycle_above`).
    """
    return _with_extreme(spec, first=False)


@st.composite
def _with_extreme(draw: st.DrawFn, spec: _Spec, first: bool) -> Profile:
    n, policy, rows = _draw_base(draw, spec, least_candidates=2)
    target = draw(st.integers(0, n - 1))
    rest = list(draw(_permutation_of([c for c in range(n) if c != target])))
    others = [c for c in range(n) if c != target]
    # Either one strict ballot, or (with ties) the target alone against everyone else
    # tied, which leaves the contests among the others as the drawn ballots made them.
    tied = spec.allow_ties and draw(st.booleans())
    if first and n >= 3 and draw(st.booleans()):
        _squeeze(draw, rows, n, target, rest)
    elif not first and n >= 4 and draw(st.booleans()):
        _cycle_above(draw, rows, n, target, rest, policy)
    s = _support(n, rows, policy)
    if first:
        deficit = max(s[c][target] - s[target][c] for c in others)
        row = _row_from_tiers([[target], others] if tied else [[target], *([c] for c in rest)], n)
    else:
        deficit = max(s[target][c] - s[c][target] for c in others)
        row = _row_from_tiers([others, [target]] if tied else [*([c] for c in rest), [target]], n)
    rows.append((row, max(1, deficit + 1)))
    return _build(n, rows, policy, spec.weighted)


@st.composite
def _profiles_with_majority_winner(draw: st.DrawFn, spec: _Spec) -> Profile:
    """Profiles where more than half of the voters prefer one candidate to all others."""
    n, policy, rows = _draw_base(draw, spec)
    target = draw(st.integers(0, n - 1))
    rest = list(draw(_permutation_of([c for c in range(n) if c != target])))
    total = sum(w for _, w in rows)
    top = sum(
        w
        for row, w in rows
        if all(ref.prefers(row, target, b, policy) for b in range(n) if b != target)
    )
    rows.append((_row_from_order([target, *rest], n), max(1, total - 2 * top + 1)))
    return _build(n, rows, policy, spec.weighted)


def condorcet_cycles(
    *,
    min_candidates: int = 3,
    max_candidates: int | None = None,
    min_voters: int = 0,
    max_voters: int | None = None,
    allow_ties: bool = True,
    allow_truncation: bool = True,
    unranked: UnrankedPolicy | None = None,
    weighted: bool = True,
) -> SearchStrategy[Profile]:
    """Profiles whose majority relation has a cycle and no Condorcet winner.

    Draws a profile as :func:`profiles` does, picks ``k >= 3`` candidates
    ``c1, ..., ck``, and adds the ``k`` rotations of the ballot
    ``c1 > ... > ck > (everyone else)`` with a common weight just large enough that
    each ``ci`` beats ``c(i+1)``, ``ck`` beats ``c1``, and every member of the cycle
    beats every other candidate. So no candidate beats all others, and the Smith
    set contains the cycle. Half the time (when some candidates are left out of the
    cycle) everyone else goes just below the middle of each rotation instead
    (``c1 > ... > c(k//2+1) > (everyone else) > ... > ck``), so that they lose to
    the cycle narrowly while its members beat each other widely: where methods
    that look only at the worst defeat (minimax) leave the Smith set.

    Parameters
    ----------
    min_candidates : int, default 3
        At least 3.

    Returns
    -------
    SearchStrategy of Profile
        Shrinks toward the cycle ``A > B > C > A``.
    """
    spec = _spec(
        min_candidates,
        max_candidates,
        min_voters,
        max_voters,
        allow_ties,
        allow_truncation,
        unranked,
        weighted,
        least_candidates=3,
    )
    return _cycles(spec)


@st.composite
def _cycles(draw: st.DrawFn, spec: _Spec) -> Profile:
    n, policy, rows = _draw_base(draw, spec, least_candidates=3)
    k = draw(st.integers(3, n))
    cycle = list(draw(_permutations(n))[:k])
    outside = [c for c in range(n) if c not in cycle]
    # the others go last on every rotation, or (half the time) just below its middle,
    # where the cycle beats them by as little as it can (``2 * above - k`` rotations)
    narrow = len(outside) > 0 and draw(st.booleans())
    above = k // 2 + 1 if narrow else k
    s = _support(n, rows, policy)
    inner = max(s[cycle[(i + 1) % k]][cycle[i]] - s[cycle[i]][cycle[(i + 1) % k]] for i in range(k))
    outer = max((s[o][a] - s[a][o] for a in cycle for o in outside), default=-1)
    weight = max(1, -(-(inner + 1) // (k - 2)), -(-(outer + 1) // (2 * above - k)))
    for r in range(k):
        rotation = cycle[r:] + cycle[:r]
        rows.append((_row_from_order([*rotation[:above], *outside, *rotation[above:]], n), weight))
    return _build(n, rows, policy, spec.weighted)


def solid_coalitions(
    *,
    seats: int | None = None,
    min_candidates: int = 2,
    max_candidates: int | None = None,
    min_voters: int = 0,
    max_voters: int | None = None,
    allow_ties: bool = True,
    allow_truncation: bool = True,
    unranked: UnrankedPolicy | None = None,
    weighted: bool = True,
) -> SearchStrategy[SolidCoalition]:
    """Profiles with a solid coalition: voters who prefer a set of candidates to all others.

    Draws a profile as :func:`profiles` does, a committee size, a coalition of
    candidates (not all of them) and a number ``j`` of quotas at most ``seats``, then
    adds one complete strict ballot ranking the coalition first, with the smallest
    weight that makes at least ``j`` Droop quotas of voters solid supporters.

    A voter solidly supports the coalition when the ballot ranks every member and
    prefers each of them to every non-member; under ``unranked="last"`` an unranked
    non-member counts as below, under ``"ignore"`` it does not.

    Parameters
    ----------
    seats : int, optional
        The committee size; drawn from 1 to 3 (and below the candidate count) when
        None. Profiles then have at least ``seats + 1`` candidates.

    Returns
    -------
    SearchStrategy of SolidCoalition
        ``(profile, coalition, quotas, seats)`` where ``quotas`` counts the whole
        Droop quotas of solid supporters (``quotas <= seats``).
    """
    fixed = None if seats is None else _check_int("seats", seats, 1)
    spec = _spec(
        min_candidates,
        max_candidates,
        min_voters,
        max_voters,
        allow_ties,
        allow_truncation,
        unranked,
        weighted,
        least_candidates=1,
    )
    if fixed is not None and spec.max_candidates < fixed + 1:
        raise InvalidArgument(
            f"Cannot have max_candidates={spec.max_candidates} < seats + 1 = {fixed + 1}"
        )
    return _solid(spec, fixed)


@st.composite
def _solid(draw: st.DrawFn, spec: _Spec, seats: int | None) -> SolidCoalition:
    n, policy, rows = _draw_base(draw, spec, least_candidates=2 if seats is None else seats + 1)
    k = seats if seats is not None else draw(st.integers(1, max(1, min(3, n - 1))))
    size = draw(st.integers(1, n - 1))
    order = list(draw(_permutations(n)))
    members = order[:size]
    quotas = draw(st.integers(1, k))
    base_total = sum(w for _, w in rows)
    base_support = sum(
        w
        for row, w in rows
        if all(row[m] != UNRANKED for m in members)
        and all(ref.prefers(row, m, o, policy) for m in members for o in order[size:])
    )
    weight = 1
    while base_support + weight < quotas * ref.droop_quota(base_total + weight, k):
        weight += 1
    rows.append((_row_from_order(order, n), weight))
    profile = _build(n, rows, policy, spec.weighted)
    have = (base_support + weight) // ref.droop_quota(profile.num_voters, k)
    names = frozenset(profile.candidates[m] for m in members)
    return SolidCoalition(profile, names, have, k)


def _hypothesis_setup_hook() -> None:
    """Register :func:`profiles` for ``st.from_type(voting.Profile)``.

    Called by hypothesis through the ``hypothesis`` entry point of this package.
    """
    st.register_type_strategy(Profile, profiles())
