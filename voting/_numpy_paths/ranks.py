"""Canonical rank arrays without numba (:mod:`voting._kernels.ranks`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from voting._typing import UNRANKED

__all__ = ["dense_ranks_from", "first_non_dense_row"]


def first_non_dense_row(ranks: NDArray[np.int32]) -> int:
    """The first row whose ranked values are not exactly ``0..k-1``, or -1.

    Each row is sorted: it is dense when its smallest ranked value is 0 and
    consecutive ranked values differ by at most 1. O(V·C log C).
    """
    n, c = ranks.shape
    if n == 0 or c == 0:
        return -1
    s = np.sort(ranks, axis=1)
    ranked = s != UNRANKED
    ok = (s[:, 0] == 0) | ~ranked[:, 0]
    if c > 1:
        steps = (s[:, 1:] - s[:, :-1] <= 1) | ~ranked[:, 1:]
        ok &= steps.all(axis=1)
    bad = np.flatnonzero(~ok)
    return int(bad[0]) if bad.size else -1


def dense_ranks_from(ranks: NDArray[np.int32], start: int) -> NDArray[np.int32]:
    """A copy of ``ranks`` whose rows from ``start`` on hold dense tiers ``0..k-1``.

    Each value becomes the number of distinct ranked values below it in its row;
    unranked cells stay unranked. O(V·C log C).
    """
    out = ranks.copy()
    sub = ranks[start:]
    if sub.size == 0:
        return out
    order = np.argsort(sub, axis=1, kind="stable")
    s = np.take_along_axis(sub, order, axis=1)
    new = np.zeros(s.shape, dtype=np.int32)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    tier = np.cumsum(new, axis=1, dtype=np.int32)
    tier[s == UNRANKED] = UNRANKED
    dense = np.empty_like(sub)
    np.put_along_axis(dense, order, tier, axis=1)
    out[start:] = dense
    return out
