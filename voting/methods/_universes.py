"""Parallel universes: the outcome of a count under every resolution of its ties.

A count that breaks ties (an elimination, the order of surpluses, a seeding) asks a
:class:`Chooser` at each tie that the tie-break, not the rules, decides; option 0 is
what the tie-break picks. :func:`explore` runs the count again with every other
choice, depth first, and collects the outcome of every *parallel universe*: the
answer pref_voting's PUT variants give, computed exactly. The count may pass a
*state key* with each tie (what the rest of the count depends on, such as the set of
continuing candidates); universes that meet a state already explored stop there and
reuse its outcomes.

Each explored alternative costs one count (aborted early when it meets an explored
state); past ``limit`` counts :func:`explore` raises
:class:`~voting.exceptions.TooManyTieResolutionsError`. :class:`TieExploringMethod` is
the base of the methods that do this (IRV, Condorcet-IRV, bottom-two runoff, STV): it
holds their size guard, ``max_counts``. Not public API.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import InitVar, dataclass
from typing import Any, ClassVar, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

from voting._distinct import distinct_rows, group_sums
from voting._params import Constraints, Integer
from voting._typing import RankArray
from voting.exceptions import TooManyTieResolutionsError
from voting.methods._base import SeatsMethod
from voting.results import Result

__all__ = [
    "MAX_COUNTS",
    "Chooser",
    "Classes",
    "Outcome",
    "TieExploringMethod",
    "Universes",
    "close_under_swaps",
    "explore",
    "mark_swaps",
    "pairwise_classes",
    "ranking_outcome",
    "representatives",
    "symmetric_classes",
    "with_universes",
]

T = TypeVar("T")
E = TypeVar("E")


class _Known(Exception):
    """Raised by :meth:`Chooser.pick` at a state whose outcomes are already known."""

    def __init__(self, outcomes: frozenset[Hashable]) -> None:
        super().__init__()
        self.outcomes = outcomes


class Classes:
    """Classes of interchangeable candidates, computed on first use (most counts meet no tie).

    Parameters
    ----------
    compute : callable
        Returns a class label per candidate (:func:`symmetric_classes`,
        :func:`pairwise_classes`).
    """

    def __init__(self, compute: Callable[[], Sequence[int]]) -> None:
        self._compute = compute
        self._kind: Sequence[int] | None = None

    @property
    def computed(self) -> bool:
        """Whether the classes were needed (a tie was left to the tie-break)."""
        return self._kind is not None

    def get(self) -> Sequence[int]:
        """The class label of each candidate."""
        if self._kind is None:
            self._kind = self._compute()
        return self._kind

    def close(self, universes: Universes) -> tuple[Universes, set[int], Sequence[int]]:
        """:func:`close_under_swaps` if the classes were needed; the universes as they are
        otherwise (no tie was explored, so no mirror image is missing)."""
        if not self.computed:
            return universes, set(), ()
        kind = self.get()
        closed, swaps = close_under_swaps(universes, kind)
        return closed, swaps, kind


class Chooser:
    """Decides the ties of one count: a scripted choice, else the tie-break's (option 0).

    Parameters
    ----------
    script : sequence of int
        The option to take at each of the first ``len(script)`` ties.
    memo : dict, optional
        Outcomes reachable from each state key explored so far; a tie past the
        script whose key is in ``memo`` ends the count (:func:`explore` catches it).
    kind : Classes, optional
        Classes of interchangeable candidates, for counts that pass candidates to
        :meth:`choose`.
    """

    def __init__(
        self,
        script: Sequence[int] = (),
        memo: dict[Hashable, frozenset[Hashable]] | None = None,
        kind: Classes | None = None,
    ) -> None:
        self.script = tuple(script)
        self.memo = memo
        self.kind = kind
        self.exhaustive = False
        """Also explore ties the count knows cannot matter (tests check that claim)."""
        self.options: list[int] = []
        self.keys: list[Hashable | None] = []

    def pick(self, n_options: int, key: Hashable | None = None) -> int:
        """The index of the option to take at this tie (0: the tie-break's choice).

        ``n_options`` (>= 2) options, ordered as the tie-break ranks them; ``key``
        identifies the state of the count before the choice, or None.
        """
        position = len(self.options)
        if (
            position >= len(self.script)
            and key is not None
            and self.memo is not None
            and key in self.memo
        ):
            raise _Known(self.memo[key])
        self.options.append(n_options)
        self.keys.append(key)
        return self.script[position] if position < len(self.script) else 0

    def choose(self, options: Sequence[int], key: Hashable | None = None) -> tuple[int, bool]:
        """The candidate taken among ``options`` (tie-break order), and whether asked.

        Interchangeable candidates are one option (the first of each class): the
        universes of the others are mirror images (:func:`close_under_swaps`).
        """
        if len(options) < 2:
            return options[0], False
        reps = list(options) if self.kind is None else representatives(options, self.kind.get())
        if len(reps) < 2:
            return reps[0], False
        return reps[self.pick(len(reps), key)], True


@dataclass(frozen=True, slots=True)
class Universes:
    """What :func:`explore` found.

    Attributes
    ----------
    outcomes : frozenset
        The outcome of every parallel universe (the actual one included).
    actual : outcome
        The outcome with every tie broken by the tie-break.
    decisive : tuple of bool
        For each tie of the actual count at which :meth:`Chooser.pick` was asked, in
        order: whether another option there changes which outcomes can still be
        reached (over every resolution of the later ties). A tie that is not
        decisive cannot change the result however the later ties go; when no tie is
        decisive, ``outcomes`` is ``{actual}``.
    counts : int
        Counts run (the actual one included).
    """

    outcomes: frozenset[Hashable]
    actual: Hashable
    decisive: tuple[bool, ...]
    counts: int


def explore(
    count: Callable[[Chooser], tuple[Hashable, T]],
    *,
    limit: int,
    method: str,
    parameter: str = "max_counts",
    kind: Classes | None = None,
) -> tuple[T, Universes]:
    """Run ``count`` under every resolution of its ties; return the actual run and all outcomes.

    ``count(chooser)`` returns ``(outcome, detail)``; ``detail`` of the actual run
    (every tie broken by option 0) is returned. Runtime: one count per universe
    explored (memoised states are explored once).

    Raises
    ------
    TooManyTieResolutionsError
        When more than ``limit`` counts would be needed.
    """
    memo: dict[Hashable, frozenset[Hashable]] = {}
    runs = 0

    def run(script: list[int]) -> tuple[frozenset[Hashable], Chooser]:
        nonlocal runs
        runs += 1
        if runs > limit:
            raise TooManyTieResolutionsError(
                f"{method}: finding the winners under every resolution of the ties "
                f"needs more than {parameter}={limit:,} counts (the actual count breaks "
                f"{len(root.options)} tie(s) left to the tie-break, among up to "
                f"{max(root.options)} candidates each, and the other resolutions break "
                f"more). Raise {parameter} (e.g. {parameter}={limit * 10:,}); the time "
                "grows with it, one count per resolution explored.",
                parameter=parameter,
                limit=limit,
            )
        chooser = Chooser(script, memo, kind)
        try:
            outcome, _ = count(chooser)
        except _Known as known:
            return known.outcomes, chooser
        return frozenset((outcome,)), chooser

    def subtree(
        script: list[int], reached: frozenset[Hashable], chooser: Chooser
    ) -> frozenset[Hashable]:
        found = set(reached)
        for j in range(len(chooser.options) - 1, len(script) - 1, -1):
            for alt in range(1, chooser.options[j]):
                branch = [*script, *([0] * (j - len(script))), alt]
                got, sub = run(branch)
                found |= subtree(branch, got, sub)
            key = chooser.keys[j]
            if key is not None:
                memo[key] = frozenset(found)
        return frozenset(found)

    root = Chooser((), memo, kind)
    runs = 1
    actual, detail = count(root)
    decisive: list[bool] = []
    outcomes: set[Hashable] = {actual}
    # the ties of the actual count, last first, so that memoised states are reused
    flags: dict[int, bool] = {}
    below: frozenset[Hashable] = frozenset((actual,))
    for j in range(len(root.options) - 1, -1, -1):
        other: set[Hashable] = set()
        changed = False
        for alt in range(1, root.options[j]):
            branch = [*([0] * j), alt]
            got, sub = run(branch)
            reached = subtree(branch, got, sub)
            changed = changed or reached != below
            other |= reached
        flags[j] = changed
        below = below | frozenset(other)
        key = root.keys[j]
        if key is not None:
            memo[key] = below
        outcomes |= other
    decisive = [flags[j] for j in range(len(root.options))]
    return detail, Universes(
        outcomes=frozenset(outcomes),
        actual=actual,
        decisive=tuple(decisive),
        counts=runs,
    )


Outcome = tuple[frozenset[int], frozenset[int]]
"""One universe's result: its winners (indices) and those of them tied across the last seat."""


def ranking_outcome(tiers: Sequence[Sequence[int]], seats: int) -> Outcome:
    """The winners of a weak order (tiers needed to fill ``seats``) and the straddling tier."""
    winners: list[int] = []
    straddle: frozenset[int] = frozenset()
    for tier in tiers:
        if len(winners) >= seats:
            break
        if len(winners) + len(tier) > seats:
            straddle = frozenset(tier)
        winners.extend(tier)
    return frozenset(winners), straddle


def with_universes(
    result: Result[E], universes: Universes, picks: Sequence[int | bool]
) -> Result[E]:
    """``result`` with its parallel-universe winners, ties decided and decisive flags.

    ``picks`` has one entry per tie recorded by the count itself (the first
    ``len(picks)`` entries of ``result.ties_broken``): how many times the count
    asked its :class:`Chooser` for it (True: once); a tie is decisive when one of
    its choices is. A tie never asked cannot change the winners and is marked not
    decisive. Ties recorded after them (the tier straddling the last seat) keep
    their flags.
    """
    names = result.candidates
    outcomes = [cast(Outcome, o) for o in universes.outcomes]
    every = frozenset().union(*(w for w, _ in outcomes))
    certain = frozenset(range(len(names))).intersection(*(w - s for w, s in outcomes))
    order = [names.index(c) for tier in result.ranking for c in tier]
    winners = tuple(names[i] for i in order if i in every)
    tied = tuple(names[i] for i in order if i in every - certain)
    flags = iter(universes.decisive)
    ties = list(result.ties_broken)
    for k, asked in enumerate(picks):
        decisive = [next(flags) for _ in range(int(asked))]
        ties[k] = dataclasses.replace(ties[k], decisive=any(decisive))
    return dataclasses.replace(
        result, winners=winners, tied_at_last_seat=tied, ties_broken=tuple(ties)
    )


MAX_COUNTS = 1000
"""Default most counts spent on the parallel universes of one count."""


@dataclass(frozen=True, kw_only=True)
class TieExploringMethod(SeatsMethod):
    """A method that breaks ties while it counts and reports the winners of every
    resolution of them (parallel universes), at most ``max_counts`` counts.

    ``put_limit``, the former name of ``max_counts``, is still accepted (with a
    ``DeprecationWarning``).
    """

    parameter_constraints: ClassVar[Constraints] = {
        "max_counts": Integer(
            low=1, note="the most counts run to find the winners under every resolution of the ties"
        )
    }
    renamed_parameters: ClassVar[Mapping[str, str]] = {"put_limit": "max_counts"}
    max_counts: int = MAX_COUNTS
    put_limit: InitVar[int | None] = None

    def explore(
        self, count: Callable[[Chooser], tuple[Hashable, T]], kind: Classes | None = None
    ) -> tuple[T, Universes]:
        """:func:`explore` with this method's name and ``max_counts``."""
        return explore(count, limit=self.max_counts, method=self.name, kind=kind)


# ------------------------------------------------------------------- symmetry
def symmetric_classes(ranks: NDArray[np.integer[Any]], weights: NDArray[np.int64]) -> list[int]:
    """A class label per candidate: candidates the ballots cannot tell apart share one.

    Two candidates are *interchangeable* when swapping their columns leaves the
    multiset of ballots unchanged (for example two candidates nobody ranks). Any
    count then treats them alike: a universe that favours one has a mirror image
    that favours the other. Classes are the orbits of these swaps.

    ``ranks`` are a profile's (dense tiers, :data:`voting.UNRANKED` for unranked).
    Only two columns with the same voters at each tier (a necessary condition,
    O(V) per column) are swapped and compared, as the distinct ballots with their
    summed weights (:func:`voting._distinct.distinct_rows`): O(V·C + V log V) per such
    pair.
    """
    c = ranks.shape[1]
    kind = list(range(c))
    if c < 2 or ranks.shape[0] == 0:
        return kind
    rows = cast(RankArray, ranks)
    columns: dict[bytes, list[int]] = {}
    for x in range(c):
        columns.setdefault(_tier_voters(rows[:, x], weights, c), []).append(x)
    base: tuple[NDArray[Any], NDArray[Any]] | None = None
    for same in columns.values():
        for i, x in enumerate(same):
            for y in same[i + 1 :]:
                if kind[y] != y:
                    continue
                if base is None:
                    base = distinct_rows(rows, weights)
                perm = list(range(c))
                perm[x], perm[y] = y, x
                s_rows, s_weights = distinct_rows(rows[:, perm], weights)
                if np.array_equal(base[0], s_rows) and np.array_equal(base[1], s_weights):
                    kind[y] = kind[x]
    return kind


def _tier_voters(column: NDArray[Any], weights: NDArray[np.int64], c: int) -> bytes:
    """The voters at each tier of one candidate's column (unranked last), exact int64,
    as bytes: equal for two interchangeable candidates."""
    tiers = np.minimum(column, c).astype(np.intp)  # UNRANKED (the int32 maximum) -> c
    return group_sums(tiers, weights, c + 1).tobytes()


def pairwise_classes(keys: Sequence[Hashable], support: NDArray[np.int64]) -> list[int]:
    """Classes of candidates that a count using only ``keys`` and the pairwise matrix
    cannot tell apart: equal keys (rank counts, say), equal head-to-head counts against
    everyone else, and a tie between them. O(C³) at most.
    """
    c = support.shape[0]
    kind = list(range(c))
    for x in range(c):
        if kind[x] != x:
            continue
        for y in range(x + 1, c):
            if kind[y] == y and keys[x] == keys[y] and _alike(x, y, support):
                kind[y] = x
    return kind


def _alike(x: int, y: int, s: NDArray[np.int64]) -> bool:
    others = [z for z in range(s.shape[0]) if z not in (x, y)]
    return (
        bool(s[x, y] == s[y, x])
        and bool((s[x, others] == s[y, others]).all())
        and bool((s[others, x] == s[others, y]).all())
    )


def representatives(options: Sequence[int], kind: Sequence[int]) -> list[int]:
    """The first option of each class, in the order given (the others mirror it)."""
    seen: set[int] = set()
    out: list[int] = []
    for x in options:
        if kind[x] not in seen:
            seen.add(kind[x])
            out.append(x)
    return out


def close_under_swaps(universes: Universes, kind: Sequence[int]) -> tuple[Universes, set[int]]:
    """Add the mirror images of every outcome under swaps of interchangeable candidates.

    Returns the closed universes and the candidates whose election such a swap can
    change (some but not all of their class are elected in some universe): the ties
    among them decide which of them is elected.
    """
    groups: dict[int, list[int]] = {}
    for x, k in enumerate(kind):
        groups.setdefault(k, []).append(x)
    multi = [cls for cls in groups.values() if len(cls) > 1]
    if not multi:
        return universes, set()
    inside = {x for cls in multi for x in cls}
    closed: set[Hashable] = set()
    swaps: set[int] = set()
    for outcome in universes.outcomes:
        winners, straddle = cast(Outcome, outcome)
        per_class: list[list[tuple[frozenset[int], frozenset[int]]]] = []
        for cls in multi:
            w, s = winners & set(cls), straddle & set(cls)
            if 0 < len(w) < len(cls):
                swaps.update(cls)
            images = []
            for picked in itertools.permutations(cls, len(w)):
                image = dict(zip(sorted(w), picked, strict=True))
                images.append((frozenset(picked), frozenset(image[x] for x in s if x in image)))
            per_class.append(list(set(images)))
        fixed_w, fixed_s = winners - inside, straddle - inside
        for choice in itertools.product(*per_class):
            closed.add(
                (
                    fixed_w.union(*(w for w, _ in choice)),
                    fixed_s.union(*(s for _, s in choice)),
                )
            )
    return dataclasses.replace(universes, outcomes=frozenset(closed)), swaps


def mark_swaps(
    result: Result[E], swaps: set[int], kind: Sequence[int], lots: Sequence[int | bool]
) -> Result[E]:
    """Mark decisive the ties that order interchangeable candidates whose order matters.

    ``lots`` has one entry per tie recorded by the count itself (the first
    ``len(lots)`` of ``result.ties_broken``): whether the tie-break decided it at a
    point where it could change who is elected. Such a tie is decisive when two of
    the tied candidates are interchangeable and some but not all of their class can
    be elected (``swaps``).
    """
    if not swaps:
        return result
    names = result.candidates
    ties = list(result.ties_broken)
    for k, lot in enumerate(lots):
        if not lot:
            continue
        classes = [kind[names.index(c)] for c in ties[k].tied if names.index(c) in swaps]
        if len(classes) > len(set(classes)):
            ties[k] = dataclasses.replace(ties[k], decisive=True)
    return dataclasses.replace(result, ties_broken=tuple(ties))
