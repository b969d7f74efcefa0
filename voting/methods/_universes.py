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
:class:`~voting.exceptions.TooManyTieResolutionsError`. Not public API.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

from voting.exceptions import InvalidParameterError, TooManyTieResolutionsError
from voting.results import Result

__all__ = [
    "PUT_LIMIT",
    "Chooser",
    "Outcome",
    "Universes",
    "check_put_limit",
    "explore",
    "ranking_outcome",
    "with_universes",
]

T = TypeVar("T")
E = TypeVar("E")


class _Known(Exception):
    """Raised by :meth:`Chooser.pick` at a state whose outcomes are already known."""

    def __init__(self, outcomes: frozenset[Hashable]) -> None:
        super().__init__()
        self.outcomes = outcomes


class Chooser:
    """Decides the ties of one count: a scripted choice, else the tie-break's (option 0).

    Parameters
    ----------
    script : sequence of int
        The option to take at each of the first ``len(script)`` ties.
    memo : dict, optional
        Outcomes reachable from each state key explored so far; a tie past the
        script whose key is in ``memo`` ends the count (:func:`explore` catches it).
    """

    def __init__(
        self,
        script: Sequence[int] = (),
        memo: dict[Hashable, frozenset[Hashable]] | None = None,
    ) -> None:
        self.script = tuple(script)
        self.memo = memo
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
    parameter: str = "put_limit",
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
                "grows with it, one count per resolution explored."
            )
        chooser = Chooser(script, memo)
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

    root = Chooser((), memo)
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


PUT_LIMIT = 1000
"""Default most counts spent on the parallel universes of one count."""


def check_put_limit(value: object, method: str) -> int:
    """Validate a ``put_limit`` parameter (an int >= 1)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidParameterError(
            f"{method}: put_limit={value!r}; it must be an int >= 1 (the most counts run to "
            "find the winners under every resolution of the ties)."
        )
    return value
