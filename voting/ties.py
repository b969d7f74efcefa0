"""Explicit tie-breaking: a total priority order over the candidates, fixed per count.

A method that must choose among tied candidates (the last seat, an elimination)
asks its tie-break for a *priority order* once per run and uses it for every tie in
that run, recording each broken tie in the result. Two rules:

- :class:`CandidateOrder`: the order of the candidates in the profile, which is
  the order of the input file (CIVS's fallback, "choice order"), or an order given
  by name. It is *not* alphabetical order: a file listing ``Zoe, Adam`` favours Zoe.
- :class:`Random`: a uniformly random order drawn from an explicit seed, so the same
  input and seed always give the same result.

``Lexicographic``, the former name of :class:`CandidateOrder`, still works and
emits a :class:`DeprecationWarning`: "lexicographic" suggested alphabetical order.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

from voting._seed import as_generator, seed_int
from voting.exceptions import InvalidParameterError, InvalidProfileError

__all__ = ["BrokenTie", "CandidateOrder", "Random", "ReverseCandidateOrder", "TieBreak"]


@runtime_checkable
class TieBreak(Protocol):
    """A tie-breaking rule: gives a priority order over the candidates of a profile."""

    def priority(self, candidates: Sequence[str]) -> tuple[int, ...]:
        """A permutation of ``range(len(candidates))``; earlier means preferred."""
        ...

    def describe(self) -> str:
        """A short description for results (``"random order (seed=3)"``)."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidateOrder:
    """Break ties by a fixed order of candidates: by default, their order in the input.

    Parameters
    ----------
    order : sequence of str, optional
        Names from most to least preferred. Candidates missing from ``order`` come
        after those listed, in profile order. Default: the profile's candidate
        order, which is the order of the input file (CIVS's deterministic fallback,
        "choice order"); not alphabetical order.

    Examples
    --------
    >>> CandidateOrder().priority(["Zoe", "Adam"])
    (0, 1)
    >>> CandidateOrder().describe()
    'candidate order (the candidate listed first in the input is favoured)'
    >>> CandidateOrder(order=["Adam"]).describe()
    'given order (Adam first, then the others in input order)'
    """

    name: ClassVar[str] = "candidate_order"
    order: Sequence[str] | None = None

    def __post_init__(self) -> None:
        if self.order is not None:
            if isinstance(self.order, str):
                raise InvalidParameterError(
                    "CandidateOrder(order=...) takes a sequence of names, not a string."
                )
            object.__setattr__(self, "order", tuple(self.order))
            if len(set(self.order)) != len(self.order):
                raise InvalidParameterError(f"CandidateOrder order repeats a name: {self.order}.")

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
        if self.order is None:
            return "candidate order (the candidate listed first in the input is favoured)"
        return f"given order ({' > '.join(self.order)} first, then the others in input order)"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReverseCandidateOrder:
    """Break ties against the earliest candidate: the one listed last in the input is favoured.

    This is the rule of CIVS's Condorcet-IRV: when several candidates tie for the
    fewest first preferences, the one with the lowest choice index (the earliest
    column of the ballot file) is eliminated. :class:`CandidateOrder` favours the
    earliest candidate instead.

    Examples
    --------
    >>> ReverseCandidateOrder().priority(["A", "B", "C"])
    (2, 1, 0)
    """

    name: ClassVar[str] = "reverse_candidate_order"

    def priority(self, candidates: Sequence[str]) -> tuple[int, ...]:
        """Profile order reversed: the last candidate is the most favoured."""
        return tuple(range(len(candidates) - 1, -1, -1))

    def describe(self) -> str:
        return "reverse candidate order (the candidate listed last in the input is favoured)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Random:
    """Break ties by a random order of candidates drawn from ``seed``.

    Parameters
    ----------
    seed : int
        Seed of :func:`numpy.random.default_rng`, an int >= 0 (the library's one seed
        rule, :mod:`voting._seed`). The order is a uniformly random permutation,
        drawn once per count: same input and seed, same result.
    """

    name: ClassVar[str] = "random"
    seed: int

    def __post_init__(self) -> None:
        seed_int(self.seed, "Random: seed")

    def priority(self, candidates: Sequence[str]) -> tuple[int, ...]:
        rng = as_generator(seed_int(self.seed))
        return tuple(int(i) for i in rng.permutation(len(candidates)))

    def describe(self) -> str:
        return f"random order (seed={self.seed})"


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
        The tie-break's :meth:`TieBreak.describe`, after any rule of the method that
        narrowed the tie first (``"votes at round 2, then ..."``).
    decisive : bool or None, default None
        Whether breaking this tie another way (and the ties after it in any way)
        elects someone else; None where the method does not say.
    """

    tied: tuple[str, ...]
    order: tuple[str, ...]
    context: str
    rule: str
    decisive: bool | None = None

    def __str__(self) -> str:
        tied = ", ".join(self.tied)
        note = {True: " (decisive)", False: " (not decisive)", None: ""}[self.decisive]
        return f"{self.context}: {tied} tied; {self.rule} gives {' > '.join(self.order)}{note}"


def __getattr__(name: str) -> Any:
    """``Lexicographic``: the deprecated name of :class:`CandidateOrder`."""
    if name == "Lexicographic":
        warnings.warn(
            "voting.ties.Lexicographic is deprecated; use voting.ties.CandidateOrder (the "
            "same rule: the order of the candidates in the input, not alphabetical order).",
            DeprecationWarning,
            stacklevel=2,
        )
        return CandidateOrder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
