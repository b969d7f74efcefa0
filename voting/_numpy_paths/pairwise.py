"""Pairwise counts without numba (:mod:`voting._kernels.pairwise`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from voting._typing import UNRANKED

__all__ = ["pairwise_counts"]

_FLOAT_EXACT = 2**53
"""Sums of integers below this are exact in float64."""
_BLOCK_CELLS = 1 << 17
"""Ballot cells compared per block (1 MiB of float64): the block stays in cache."""


def pairwise_counts(
    ranks: NDArray[np.int32], weights: NDArray[np.int64], ignore: bool
) -> NDArray[np.int64]:
    """``support[a, b]``: total weight of the ballots ranking ``a`` strictly above ``b``.

    For each block of ballots and each candidate ``a``, one comparison of ``a``'s
    tier with every candidate's gives a 0/1 matrix that a matrix-vector product with
    the weights sums. The product runs in float64 (BLAS) when the total weight is
    below 2**53, where every partial sum is an exact integer, and in int64
    otherwise. Under ``ignore`` an unranked ``b`` compares as tier -1, below which
    nothing ranks. O(V·C²).
    """
    v, c = ranks.shape
    if v == 0 or c == 0:
        return np.zeros((c, c), dtype=np.int64)
    exact = int(weights.sum()) < _FLOAT_EXACT
    acc = np.zeros((c, c), dtype=np.float64 if exact else np.int64)
    block = max(16, _BLOCK_CELLS // c)
    for lo in range(0, v, block):
        r = ranks[lo : lo + block]
        below = np.where(r == UNRANKED, -1, r) if ignore else r
        w = weights[lo : lo + block]
        if exact:
            wf = w.astype(np.float64)
            above = np.empty(r.shape, dtype=np.float64)
            for a in range(c):
                np.less(r[:, a : a + 1], below, out=above)
                acc[a] += wf @ above
        else:
            for a in range(c):
                acc[a] += w @ np.less(r[:, a : a + 1], below).astype(np.int64)
    return acc.astype(np.int64)
