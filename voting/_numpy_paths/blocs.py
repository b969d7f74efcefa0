"""Prefix sets of ballots without numba (:mod:`voting._kernels.blocs`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from voting._typing import UNRANKED

__all__ = ["prefix_sets"]


def prefix_sets(
    ranks: NDArray[np.int32], max_size: int
) -> tuple[NDArray[np.uint64], NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
    """Every prefix set (union of a ballot's top tiers) of at most ``max_size``
    candidates, ballot by ballot, smallest first: ``(masks, sizes, ballot, strict)``
    as the kernel returns them. Ranks must be dense. O(V·C·W)."""
    n, c = ranks.shape
    words = (c + 63) // 64
    unranked = ranks == UNRANKED
    tier = np.where(unranked, c, ranks).astype(np.int64)
    sizes_by_tier = np.zeros((n, c + 1), dtype=np.int64)
    np.add.at(sizes_by_tier, (np.broadcast_to(np.arange(n)[:, None], (n, c)), tier), 1)
    tsz = sizes_by_tier[:, :c]
    n_tiers = (tsz > 0).sum(axis=1)
    total = np.cumsum(tsz, axis=1)
    valid = (np.arange(c)[None, :] < n_tiers[:, None]) & (total <= max_size)
    singles = np.cumprod(tsz == 1, axis=1).astype(np.bool_)
    ballot, t = np.nonzero(valid)
    members = ~unranked[ballot] & (ranks[ballot] <= t[:, None])
    masks = np.zeros((ballot.shape[0], words), dtype=np.uint64)
    for i in range(words):
        cols = members[:, 64 * i : 64 * (i + 1)].astype(np.uint64)
        shifts = np.arange(cols.shape[1], dtype=np.uint64)
        masks[:, i] = np.bitwise_or.reduce(cols << shifts, axis=1) if cols.shape[1] else 0
    return masks, total[ballot, t], ballot.astype(np.int64), singles[ballot, t]
