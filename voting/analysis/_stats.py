"""Small exact statistics used by the analyses (no SciPy needed).

- :func:`binom_log_sf`: log of the binomial upper tail ``P(X >= x)``, summed term by
  term in log space, so p-values far below ``1e-300`` still order correctly.
- :func:`wilson_interval`: the Wilson score interval for a proportion.
- :func:`bh_qvalues`: Benjamini–Hochberg adjusted p-values over ``m`` hypotheses,
  of which only the given ones can be below 1.

References
----------
.. [1] E. B. Wilson, "Probable inference, the law of succession, and statistical
   inference", J. Amer. Statist. Assoc. 22 (1927) 209–212.
.. [2] L. D. Brown, T. T. Cai, A. DasGupta, "Interval estimation for a binomial
   proportion", Statist. Sci. 16 (2001) 101–133.
.. [3] Y. Benjamini, Y. Hochberg, "Controlling the false discovery rate", J. Roy.
   Statist. Soc. B 57 (1995) 289–300.
.. [4] B. Phipson, G. K. Smyth, "Permutation p-values should never be zero", Stat.
   Appl. Genet. Mol. Biol. 9 (2010) 39.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

__all__ = ["bh_qvalues", "binom_log_sf", "binom_sf", "wilson_interval", "z_value"]

_NEGLIGIBLE = 45.0  # stop summing once a term is below exp(-45) ≈ 3e-20 of the sum


def _log_add(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    hi, lo = (a, b) if a >= b else (b, a)
    return hi + math.log1p(math.exp(lo - hi))


def binom_log_sf(x: int, n: int, q: float) -> float:
    """Natural log of ``P(X >= x)`` for ``X ~ Binomial(n, q)``.

    Exact up to floating point: the tail is summed from ``x`` upwards when ``x``
    exceeds the mean (terms decrease), and otherwise obtained from the lower tail,
    which is then at most 1/2 (the median of a binomial is at least ``floor(nq)``).
    Runtime complexity: O(number of non-negligible terms), about ``10·sqrt(nq)``.
    """
    if x <= 0:
        return 0.0
    if x > n or q <= 0.0:
        return -math.inf
    if q >= 1.0:
        return 0.0
    lq, l1q = math.log(q), math.log1p(-q)
    base = math.lgamma(n + 1)

    def logpmf(j: int) -> float:
        return base - math.lgamma(j + 1) - math.lgamma(n - j + 1) + j * lq + (n - j) * l1q

    if x > n * q:
        acc = -math.inf
        for j in range(x, n + 1):
            t = logpmf(j)
            acc = _log_add(acc, t)
            if t < acc - _NEGLIGIBLE:
                break
        return acc
    low = -math.inf  # log P(X <= x - 1)
    for j in range(x - 1, -1, -1):
        t = logpmf(j)
        low = _log_add(low, t)
        if t < low - _NEGLIGIBLE:
            break
    return math.log1p(-math.exp(low)) if low < 0.0 else -math.inf


def binom_sf(x: int, n: int, q: float) -> float:
    """``P(X >= x)`` for ``X ~ Binomial(n, q)`` (see :func:`binom_log_sf`)."""
    return math.exp(binom_log_sf(x, n, q))


def z_value(confidence: float) -> float:
    """The two-sided normal quantile for ``confidence`` (1.959... for 0.95)."""
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion of ``k`` successes in ``n`` trials.

    ``(c - h, c + h)`` with ``c = (p + z²/2n) / (1 + z²/n)`` and
    ``h = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n)``, ``p = k/n``. Unlike the Wald
    interval it stays inside [0, 1] and does not collapse to a point at ``k = 0`` or
    ``k = n`` (Brown, Cai and DasGupta 2001 recommend it for all ``n``).
    """
    if n <= 0:
        return (0.0, 1.0)
    z = z_value(confidence)
    p = k / n
    z2n = z * z / n
    denom = 1.0 + z2n
    centre = (p + z2n / 2.0) / denom
    half = z * math.sqrt(p * (1.0 - p) / n + z2n / (4.0 * n)) / denom
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


def bh_qvalues(pvalues: Sequence[float], m: int) -> list[float]:
    """Benjamini–Hochberg adjusted p-values of ``pvalues`` among ``m >= len(pvalues)`` tests.

    The ``m - len(pvalues)`` hypotheses not listed have p-value 1 (sets of candidates
    no ballot put on top), so they rank last and leave the listed q-values unchanged
    except for the cap at 1. ``q_(i) = min_{j >= i} p_(j)·m/j``.
    """
    n = len(pvalues)
    if n == 0:
        return []
    order = sorted(range(n), key=lambda i: pvalues[i])
    out = [1.0] * n
    running = 1.0
    for rank in range(n, 0, -1):
        i = order[rank - 1]
        running = min(running, pvalues[i] * m / rank)
        out[i] = min(1.0, running)
    return out
