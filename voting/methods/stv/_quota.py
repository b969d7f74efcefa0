"""Quotas of the STV rule sets, in each rule's own arithmetic.

=============  ======================================  ==================================
quota          fixed point with ``d`` decimals         exact rationals (``fractional``)
=============  ======================================  ==================================
``droop``      ``floor(T / (S + 1)) + 1`` (integer)    same; elected when ``vote >= q``
``droop-exact`` ``trunc_d(T / (S + 1)) + 10**-d``      ``T / (S + 1)``; elected when
               (ERS97: ``T / (S + 1)`` rounded up to    ``vote > q``
               2 decimals, its rule 5.1.6)
``hare``       ``T / S`` rounded up to ``d`` decimals  ``T / S``; elected when ``vote >= q``
=============  ======================================  ==================================

``T`` is the total valid vote for the Gregory rules (fixed for the whole count, except
ERS97's reduction of rule 5.4.8) and the current total of the candidates' votes for
Meek (recomputed every iteration; for ``meek-nz`` the valid votes less the
non-transferable votes, Schedule 1A clause 5). ``S`` is the number of seats.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from voting.methods.stv._arith import ceil_div

__all__ = ["QUOTAS", "QuotaName", "exact_quota", "fixed_quota"]

QuotaName = Literal["droop", "droop-exact", "hare"]
QUOTAS: tuple[QuotaName, ...] = ("droop", "droop-exact", "hare")


def fixed_quota(
    name: QuotaName, total: int, seats: int, scale: int, *, round_up_exact: bool = False
) -> int:
    """The quota of a fixed-point count, scaled by ``scale``; elected when ``vote >= q``.

    Parameters
    ----------
    name : {"droop", "droop-exact", "hare"}
    total : int
        The total vote ``T``, scaled by ``scale``.
    seats : int
    scale : int
        ``10**decimals``.
    round_up_exact : bool
        For ``droop-exact``: round ``T / (S + 1)`` up to the last decimal (ERS97 rule
        5.1.6) instead of truncating and adding one unit (Reference Meek Rule).
    """
    if name == "droop":
        return (total // ((seats + 1) * scale) + 1) * scale
    if name == "droop-exact":
        if round_up_exact:
            return ceil_div(total, seats + 1)
        return total // (seats + 1) + 1
    return ceil_div(total, seats)


def exact_quota(name: QuotaName, total: Fraction, seats: int) -> tuple[Fraction, bool]:
    """The quota of an exact rational count and whether election needs ``vote > q``."""
    if name == "droop":
        return Fraction(int(total // (seats + 1)) + 1), False
    if name == "droop-exact":
        return total / (seats + 1), True
    return total / seats, False
