"""Fixed-decimal and rational arithmetic for exact STV counts.

A fixed-point value with ``d`` decimals is a Python ``int`` scaled by ``10**d``
(``1.5`` with 5 decimals is ``150000``). Python ints never overflow, so these helpers
are exact; the kernels use int64 only where the caller has checked the range.

A count keeps its values in its rule's own arithmetic, an :class:`Arithmetic`:
:class:`FixedPoint` (scaled ints, every division truncated to the rule's decimals) or
:class:`Rational` (:class:`~fractions.Fraction`, no rounding). Either converts a
value to the exact :class:`~fractions.Fraction` of the explanation (:meth:`frac`)
and renders it (:meth:`show`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

__all__ = ["Arithmetic", "FixedPoint", "Rational", "ceil_div", "format_value"]

Value = Any
"""A value in a count's arithmetic: a scaled ``int`` or a ``Fraction``."""


def ceil_div(a: int, b: int) -> int:
    """``ceil(a / b)`` for integers, ``b > 0``."""
    return -((-a) // b)


def format_value(value: Fraction, decimals: int | None) -> str:
    """Render ``value`` with ``decimals`` places.

    Values of a fixed-point rule are exact at their own number of decimals, so the
    text is exact; for exact rational counts (``decimals=None``) the value is shown
    to 6 places, with ``~`` marking a rounded figure.
    """
    shown = 6 if decimals is None else decimals
    scaled = value * 10**shown
    exact = scaled.denominator == 1
    n = round(scaled) if not exact else scaled.numerator
    sign = "-" if n < 0 else ""
    n = abs(n)
    whole, frac = divmod(n, 10**shown)
    text = f"{sign}{whole}" + (f".{frac:0{shown}d}" if shown else "")
    return text if exact else "~" + text


class Arithmetic:
    """The arithmetic of one count: its zero and one, conversion and rendering.

    Attributes
    ----------
    decimals : int or None
        Decimal places of a fixed-point arithmetic; None for exact rationals.
    zero, one : int or Fraction
        ``0`` and ``1`` in this arithmetic.
    """

    decimals: int | None
    zero: Value
    one: Value

    def frac(self, x: Value) -> Fraction:
        """``x`` as the exact fraction it stands for."""
        raise NotImplementedError

    def times_ratio(self, value: Value, num: Value, den: Value) -> Value:
        """``value × num / den`` in this arithmetic (truncated for fixed point)."""
        raise NotImplementedError

    def show(self, x: Value) -> str:
        """``x`` as text, exact at the arithmetic's decimals (:func:`format_value`)."""
        return format_value(self.frac(x), self.decimals)


class FixedPoint(Arithmetic):
    """Scaled ints with ``decimals`` places; a division drops its remainder.

    Examples
    --------
    >>> five = FixedPoint(5)
    >>> five.times_ratio(five.one, 1, 3)  # 0.33333, remainder ignored
    33333
    >>> five.show(150000)
    '1.50000'
    """

    def __init__(self, decimals: int) -> None:
        self.decimals = decimals
        self.scale = 10**decimals
        self.zero, self.one = 0, self.scale

    def frac(self, x: Value) -> Fraction:
        return Fraction(int(x), self.scale)

    def times_ratio(self, value: Value, num: Value, den: Value) -> Value:
        return (value * num) // den


class Rational(Arithmetic):
    """Exact fractions, no rounding.

    Examples
    --------
    >>> Rational().times_ratio(Fraction(1), Fraction(1), Fraction(3))
    Fraction(1, 3)
    """

    def __init__(self) -> None:
        self.decimals = None
        self.zero, self.one = Fraction(0), Fraction(1)

    def frac(self, x: Value) -> Fraction:
        return Fraction(x)

    def times_ratio(self, value: Value, num: Value, den: Value) -> Value:
        return value * num / den
