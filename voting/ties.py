"""Explicit tie-breaking: a total priority order over the candidates, fixed per count.

A method that must choose among tied candidates (the last seat, an elimination)
asks its tie-break for a *priority order* once per run and uses it for every tie in
that run, recording each broken tie in the result. Two rules:

- :class:`Lexicographic`: a given order of names (default: the profile's candidate
  order, which is CIVS's fallback).
- :class:`Random`: a uniformly random order drawn from an explicit seed, so the same
  input and seed always give the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol, runtime_checkable

import numpy as np

from voting.exceptions import InvalidParameterError, InvalidProfileError

__all__ = ["BrokenTie", "Lexicographic", "Random", "TieBreak"]


@runtime_checkable
class TieBreak(Protocol):
    """A tie-breaking rule: gives a priority order over the candidates of a profile."""

    def priority(self, candidates: Sequence[str]) -> tuple[int, ...]:
        """A permutation of ``range(len(candidates))``; earlier means preferred."""
        ...

    def describe(self) -> str:
        """A short description for results (``"lexicographic"``, ``"random(seed=3)"``)."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Lexicographic:
    """Break ties by a fixed order of candidates.

    Parameters
    ----------
    order : sequence of str, optional
        Names from most to least preferred. Candidates missing from ``order`` come
        after those listed, in profile order. Default: the profile's candidate
        order (CIVS's deterministic fallback, "choice order").
    """

    name: ClassVar[str] = "lexicographic"
    order: Sequence[str] | None = None

    def __post_init__(self) -> None:
        if self.order is not None:
            if isinstance(self.order, str):
                raise InvalidParameterError(
                    "Lexicographic(order=...) takes a sequence of names, not a string."
                )
            object.__setattr__(self, "order", tuple(self.order))
            if len(set(self.order)) != len(self.order):
                raise InvalidParameterError(f"Lexicographic order repeats a name: {self.order}.")

    def priority(self, candidates: Sequence[str]) -> tuple[int, ...]:
        if self.order is None:
            return tuple(range(len(candidates)))
        pos = {name: i for i, name in enumerate(candidates)}
        unknown = [n for n in self.order if n not in pos]
        if unknown:
            raise InvalidProfileError(
                f"tie-break order names {unknown}, which are not candidates of this profile."
            )
        first = [pos[n] for n in self.order]
        rest = [i for i in range(len(candidates)) if i not in set(first)]
        return tuple(first + rest)

    def describe(self) -> str:
        return "lexicographic" if self.order is None else f"lexicographic({list(self.order)})"


@dataclass(frozen=True, slots=True, kw_only=True)
class Random:
    """Break ties by a random order of candidates drawn from ``seed``.

    Parameters
    ----------
    seed : int
        Seed of :func:`numpy.random.default_rng`. The order is a uniformly random
        permutation, drawn once per count: same input and seed, same result.
    """

    name: ClassVar[str] = "random"
    seed: int

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, int | np.integer):
            raise InvalidParameterError(
                f"Random(seed=...) needs an int seed, got {self.seed!r}; pass e.g. seed=0."
            )
        if self.seed < 0:
            raise InvalidParameterError(f"Random(seed={self.seed}): the seed must be >= 0.")

    def priority(self, candidates: Sequence[str]) -> tuple[int, ...]:
        rng = np.random.default_rng(int(self.seed))
        return tuple(int(i) for i in rng.permutation(len(candidates)))

    def describe(self) -> str:
        return f"random(seed={self.seed})"


@dataclass(frozen=True, slots=True)
class BrokenTie:
    """One tie a method broke: who was tied, the order chosen, where, and by what rule.

    Attributes
    ----------
    tied : tuple of str
        The tied candidates, in profile order.
    order : tuple of str
        The same candidates after breaking the tie, first = favoured.
    context : str
        What was being decided (``"seat 3"``, ``"exclusion in round 2"``).
    rule : str
        The tie-break's :meth:`TieBreak.describe`.
    """

    tied: tuple[str, ...]
    order: tuple[str, ...]
    context: str
    rule: str

    def __str__(self) -> str:
        tied = ", ".join(self.tied)
        return f"{self.context}: {tied} tied; {self.rule} gives {' > '.join(self.order)}"
