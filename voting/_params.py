"""Declarative parameter validation: each class declares its parameters' constraints once.

In the spirit of scikit-learn's ``_parameter_constraints``: a class maps each of its
parameters to a :class:`Constraint` in a ``parameter_constraints`` class attribute,
and :func:`validate_parameters` checks an instance against every constraint its class
and base classes declare. A value that breaks one raises
:class:`~voting.exceptions.InvalidParameterError` with one message style::

    schulze_stv: seats=21; expected an int from 1 to 20 (the support strength ...).
    stv: quota='imperiali'; expected one of ['droop', 'droop-exact', 'hare'] (or None for ...).

``<name>: <parameter>=<value!r>; expected <what the constraint accepts>.``, where
``<name>`` is the method's registered name. A parameter without a declared
constraint is a programming error (``TypeError`` at the first instance), so no
parameter goes unchecked.

Example
-------
>>> from voting import Schulze
>>> [(name, c.describe()) for name, c in constraints_of(Schulze)][:2]
[('seats', 'an int >= 1'), ('tie_break', 'a TieBreak such as CandidateOrder() or Random(seed=0)')]
>>> Schulze(seats=0)
Traceback (most recent call last):
...
voting.exceptions.InvalidParameterError: schulze: seats=0; expected an int >= 1.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from voting.exceptions import InvalidParameterError

__all__ = [
    "Constraint",
    "Constraints",
    "InstanceOf",
    "Integer",
    "Number",
    "OneOf",
    "OrNone",
    "Satisfies",
    "constraints_of",
    "mapping_of",
    "validate_parameters",
]


@dataclass(frozen=True)
class Constraint:
    """What a parameter accepts: :meth:`accepts` a value, :meth:`describe` it in words.

    Attributes
    ----------
    note : str
        Why, appended to the description in parentheses (optional).
    """

    note: str = field(default="", kw_only=True)

    def accepts(self, value: object) -> bool:
        """Whether ``value`` satisfies the constraint."""
        raise NotImplementedError  # pragma: no cover - every constraint defines it

    def expected(self) -> str:
        """What is accepted, as the end of "expected ..." (``"an int >= 1"``)."""
        raise NotImplementedError  # pragma: no cover - every constraint defines it

    def describe(self) -> str:
        """:meth:`expected` and the note."""
        return f"{self.expected()} ({self.note})" if self.note else self.expected()


def _bounds(low: object, high: object, low_open: bool = False) -> str:
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" {'>' if low_open else '>='} {low}"
    if high is not None:
        return f" <= {high}"
    return ""


@dataclass(frozen=True)
class Integer(Constraint):
    """A Python ``int`` (not a ``bool``) in ``[low, high]`` (either bound optional)."""

    low: int | None = None
    high: int | None = None

    def accepts(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def expected(self) -> str:
        return "an int" + _bounds(self.low, self.high)


@dataclass(frozen=True)
class Number(Constraint):
    """An ``int``, ``float`` or :class:`~fractions.Fraction` (not a ``bool``), at least
    ``low`` (more than ``low`` when ``low_open``); NaN is refused."""

    low: float | None = None
    low_open: bool = False

    def accepts(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
            return False
        if value != value:  # NaN
            return False
        if self.low is None:
            return True
        return value > self.low if self.low_open else value >= self.low

    def expected(self) -> str:
        return "a number" + _bounds(self.low, None, self.low_open)


@dataclass(frozen=True)
class OneOf(Constraint):
    """One of a few strings (``Literal`` options)."""

    options: tuple[str, ...]

    def accepts(self, value: object) -> bool:
        return isinstance(value, str) and value in self.options

    def expected(self) -> str:
        return f"one of {list(self.options)}"


@dataclass(frozen=True)
class InstanceOf(Constraint):
    """An instance of ``kind`` (a class, a tuple of classes, or a runtime-checkable
    protocol), described as ``what``."""

    kind: type[Any] | tuple[type[Any], ...]
    what: str

    def accepts(self, value: object) -> bool:
        return isinstance(value, self.kind)

    def expected(self) -> str:
        return self.what


@dataclass(frozen=True)
class Satisfies(Constraint):
    """A value for which ``test`` is true, described as ``what``."""

    test: Callable[[object], bool]
    what: str

    def accepts(self, value: object) -> bool:
        return bool(self.test(value))

    def expected(self) -> str:
        return self.what


@dataclass(frozen=True)
class OrNone(Constraint):
    """``None`` (meaning ``none_means``) or a value ``inner`` accepts."""

    inner: Constraint
    none_means: str = ""

    def accepts(self, value: object) -> bool:
        return value is None or self.inner.accepts(value)

    def expected(self) -> str:
        if self.none_means:
            return f"{self.inner.describe()} (or None {self.none_means})"
        return f"{self.inner.describe()} or None"


Constraints = Mapping[str, Constraint]
"""The type of a ``parameter_constraints`` class attribute: parameter -> constraint."""


_DECLARED: dict[type[Any], tuple[tuple[str, Constraint], ...]] = {}


def constraints_of(cls: type[Any]) -> tuple[tuple[str, Constraint], ...]:
    """Every ``(parameter, constraint)`` that ``cls`` and its bases declare, in field order.

    A subclass's declaration replaces its base's for the same parameter.

    Raises
    ------
    TypeError
        A dataclass field of ``cls`` has no declared constraint (a programming error).
    """
    known = _DECLARED.get(cls)
    if known is not None:
        return known
    declared: dict[str, Constraint] = {}
    for klass in reversed(cls.__mro__):
        declared.update(klass.__dict__.get("parameter_constraints", {}))
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    missing = [n for n in names if n not in declared]
    if missing:
        raise TypeError(f"{cls.__name__} declares no constraint for parameter(s) {missing}.")
    _DECLARED[cls] = tuple((n, declared[n]) for n in names)
    return _DECLARED[cls]


def validate_parameters(obj: Any) -> None:
    """Check every parameter of ``obj`` against its class's declared constraints.

    Raises
    ------
    InvalidParameterError
        ``"<obj.name>: <parameter>=<value!r>; expected <what>."`` for the first
        parameter, in field order, whose value its constraint refuses.
    """
    for parameter, constraint in constraints_of(type(obj)):
        value = getattr(obj, parameter)
        if not constraint.accepts(value):
            raise InvalidParameterError(
                f"{obj.name}: {parameter}={value!r}; expected {constraint.describe()}."
            )


def mapping_of(keys: type[Any], values: Constraint) -> Callable[[object], bool]:
    """A test for :class:`Satisfies`: a mapping whose keys are ``keys`` instances and
    whose values ``values`` accepts."""

    def test(value: object) -> bool:
        return isinstance(value, Mapping) and all(
            isinstance(k, keys) and values.accepts(v) for k, v in value.items()
        )

    return test
