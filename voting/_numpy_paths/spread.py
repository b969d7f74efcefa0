"""Rank-spread histograms without numba (:mod:`voting._kernels.spread`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from voting._typing import UNRANKED

__all__ = ["position_counts"]


def position_counts(
    ranks: NDArray[np.int32], weights: NDArray[np.int64], ignore_unranked: bool
) -> NDArray[np.int64]:
    """``out[c, h]``: weight of the ballots placing ``c`` at average position
    ``(h + 2) / 2`` (doubled positions; see the kernel). Ranks must be dense. O(V·C)."""
    n, c = ranks.shape
    out = np.zeros((c, max(2 * c - 1, 1)), dtype=np.int64)
    if n == 0 or c == 0:
        return out
    unranked = ranks == UNRANKED
    tier = np.where(unranked, c, ranks).astype(np.int64)
    rows = np.broadcast_to(np.arange(n)[:, None], (n, c))
    sizes = np.zeros((n, c + 1), dtype=np.int64)
    np.add.at(sizes, (rows, tier), 1)
    sizes[:, c] = 0
    before = np.cumsum(sizes, axis=1) - sizes
    n_ranked = (~unranked).sum(axis=1)
    pos2 = np.where(
        unranked,
        n_ranked[:, None] + 1 + c,
        2 * np.take_along_axis(before, tier, axis=1) + np.take_along_axis(sizes, tier, axis=1) + 1,
    )
    keep = ~unranked if ignore_unranked else np.ones((n, c), dtype=np.bool_)
    row, col = np.nonzero(keep)
    np.add.at(out, (col, pos2[row, col] - 2), weights[row])
    return out
