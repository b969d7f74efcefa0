"""Fixed-decimal and rational helpers for exact STV counts.

A fixed-point value with ``d`` decimals is a Python ``int`` scaled by ``10**d``
(``1.5`` with 5 decimals is ``150000``). Python ints never overflow, so these helpers
are exact; the kernels use int64 only where the caller has checked the range.
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["ceil_div", "format_value"]


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
