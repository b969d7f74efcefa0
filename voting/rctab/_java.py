"""What RCTab inherits from the Java platform, written from the Java SE specifications.

RCTab's results depend on a few documented behaviours of Java's standard library; the
count reproduces them exactly:

* :class:`JavaRandom`: ``java.util.Random``, the 48-bit linear congruential generator
  of its documentation (``seed = (seed * 0x5DEECE66D + 0xB) mod 2**48``), with
  ``nextDouble``, ``nextInt(bound)`` and ``Collections.shuffle``'s draws.
* :func:`hash_order`: the iteration order of a ``java.util.HashMap`` / ``HashSet`` of
  strings (bucket ``(h ^ (h >>> 16)) & (capacity - 1)`` of ``String.hashCode``, buckets in
  index order, insertion order within a bucket, capacity doubling past a load of 0.75).
  RCTab's random tie-breaks draw from a list in this order in one case, and its CSV lists
  candidates tied in the first round in this order.
* :func:`java_key`: ``String.compareTo`` order (UTF-16 code units), used by every sort of
  names.
* ``java.math.BigDecimal``: Python's :class:`decimal.Decimal` keeps the same (coefficient,
  exponent) pair and prints it by the same rule as ``BigDecimal.toString``, so sums and
  products agree digit for digit, scale included; :func:`divide`, :func:`set_scale` and
  :func:`to_string` cover the operations that round.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeVar

__all__ = [
    "EXACT",
    "JavaRandom",
    "divide",
    "hash_order",
    "java_key",
    "percent",
    "set_scale",
    "string_hash",
    "to_string",
]

T = TypeVar("T")

_MASK48 = (1 << 48) - 1
_MULTIPLIER = 0x5DEECE66D
_ADDEND = 0xB

EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[
        decimal.InvalidOperation,
        decimal.DivisionByZero,
        decimal.Overflow,
        decimal.Inexact,
        decimal.Rounded,
    ],
)
"""Unbounded, trapping context: additions and products are exact, any rounding raises."""


class JavaRandom:
    """``java.util.Random``: the same draws as Java for the same seed.

    Parameters
    ----------
    seed : int
        Any integer; as in Java, only its low 48 bits matter.

    Examples
    --------
    >>> JavaRandom(42).next_int()
    -1170105035
    >>> JavaRandom(0).next_double()
    0.730967787376657
    """

    __slots__ = ("_seed",)

    def __init__(self, seed: int) -> None:
        self._seed = (seed ^ _MULTIPLIER) & _MASK48

    def _next(self, bits: int) -> int:
        self._seed = (self._seed * _MULTIPLIER + _ADDEND) & _MASK48
        value = self._seed >> (48 - bits)
        if bits == 32 and value >= 1 << 31:  # Java's (int) cast
            value -= 1 << 32
        return value

    def next_int(self, bound: int | None = None) -> int:
        """``nextInt()`` (a signed 32-bit int) or ``nextInt(bound)`` in ``[0, bound)``."""
        if bound is None:
            return self._next(32)
        if bound <= 0:
            raise ValueError(f"bound must be positive, got {bound}")
        r = self._next(31)
        m = bound - 1
        if bound & m == 0:  # a power of two: the high bits
            return (bound * r) >> 31
        u = r
        r = u % bound
        while u - r + m >= 1 << 31:  # Java's int overflow test: reject the partial last block
            u = self._next(31)
            r = u % bound
        return r

    def next_double(self) -> float:
        """``nextDouble()``: 53 random bits scaled to ``[0, 1)``."""
        return ((self._next(26) << 27) + self._next(27)) * (1.0 / (1 << 53))

    def shuffle(self, items: list[T]) -> None:
        """``Collections.shuffle(items, random)``, in place."""
        for i in range(len(items), 1, -1):
            j = self.next_int(i)
            items[i - 1], items[j] = items[j], items[i - 1]


def string_hash(s: str) -> int:
    """``String.hashCode()``: ``s[0]*31^(n-1) + ... + s[n-1]`` over UTF-16 code units, int32."""
    h = 0
    data = s.encode("utf-16-be")
    for i in range(0, len(data), 2):
        h = (31 * h + (data[i] << 8 | data[i + 1])) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


def _bucket_hash(s: str) -> int:
    h = string_hash(s) & 0xFFFFFFFF
    return h ^ (h >> 16)


def hash_order(keys: Iterable[str], *, presized: bool = False) -> list[str]:
    """The iteration order of a Java ``HashSet`` (or ``HashMap`` keys) built from ``keys``.

    ``keys`` are inserted in the order given (duplicates kept once). ``presized``: the set
    was built as ``new HashSet<>(collection)``, whose table is sized for the collection
    up front; otherwise it starts at 16 buckets and doubles past three quarters full.
    Buckets come in index order and keys within a bucket in insertion order (a resize
    splits a bucket without reordering it). Java turns a bucket of 8 or more colliding
    keys into a tree; that cannot happen below 64 buckets and is not modelled.
    """
    order: list[str] = list(dict.fromkeys(keys))
    n = len(order)
    if presized:
        need = max(int(n / 0.75) + 1, 16)
        capacity = 1
        while capacity < need:
            capacity <<= 1
    else:
        capacity = 16
        while n > capacity * 3 // 4:
            capacity <<= 1
    position = {k: i for i, k in enumerate(order)}
    return sorted(order, key=lambda k: (_bucket_hash(k) & (capacity - 1), position[k]))


def java_key(s: str) -> bytes:
    """Sort key of ``String.compareTo``: UTF-16 code units, lexicographically."""
    return s.encode("utf-16-be")


def sorted_java(names: Iterable[str]) -> list[str]:
    """``Collections.sort`` of strings."""
    return sorted(names, key=java_key)


_Rounding = Literal["down", "up", "half_up"]


def _round_fraction(q: Fraction, rounding: _Rounding) -> int:
    n, d = q.numerator, q.denominator
    whole, rest = divmod(abs(n), d)
    if rest and (rounding == "up" or (rounding == "half_up" and 2 * rest >= d)):
        whole += 1
    return -whole if n < 0 else whole


def _scaled(value: int, scale: int) -> Decimal:
    return Decimal(f"{value}E{-scale}")


def divide(a: Decimal | int, b: Decimal | int, scale: int, rounding: _Rounding) -> Decimal:
    """``a.divide(b, scale, RoundingMode.DOWN / UP / HALF_UP)``: exact quotient, rounded once."""
    q = Fraction(a) / Fraction(b) * 10**scale
    return _scaled(_round_fraction(q, rounding), scale)


def set_scale(a: Decimal | int, scale: int, rounding: _Rounding = "down") -> Decimal:
    """``a.setScale(scale, rounding)``."""
    return _scaled(_round_fraction(Fraction(a) * 10**scale, rounding), scale)


def to_string(a: Decimal | int) -> str:
    """``BigDecimal.toString()`` (no negative zero in Java)."""
    if isinstance(a, int):
        return str(a)
    if a.is_zero():
        a = a.copy_abs()
    return str(a)


_DECIMAL32 = decimal.Context(prec=7, rounding=decimal.ROUND_HALF_EVEN)


def percent(part: Decimal | int, whole: Decimal | int) -> str:
    """RCTab's ``% of vote`` cell: ``part / whole`` to 7 digits (``MathContext.DECIMAL32``),
    truncated to hundredths of a percent, printed as a Java double (``24.13%``, ``25.0%``)."""
    q = _DECIMAL32.divide(Decimal(part), Decimal(whole))
    hundredths = int(q.scaleb(4, context=decimal.Context(prec=decimal.MAX_PREC)))
    return f"{_double_string(hundredths / 100.0)}%"


def _double_string(x: float) -> str:
    """``Double.toString`` for the values of :func:`percent` (shortest repr, ``.0`` kept)."""
    if x == int(x) and abs(x) < 1e7:
        return f"{int(x)}.0"
    return repr(x)
