"""First-preference and tier tallies without numba (:mod:`voting._kernels.tallies`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from voting._typing import UNRANKED

__all__ = ["tier_counts", "top_tier_counts"]


def top_tier_counts(
    ranks: NDArray[np.int32],
    weights: NDArray[np.int64],
    active: NDArray[np.bool_],
    unranked_tier: bool,
) -> tuple[NDArray[np.int64], int]:
    """``(out, exhausted)``: ``out[k, c]`` the weight of ballots whose best tier among
    ``active`` has ``k`` members, ``c`` among them; see the kernel. O(V·C)."""
    n, c = ranks.shape
    out = np.zeros((c + 1, c), dtype=np.int64)
    if n == 0:
        return out, 0
    if c == 0 or not active.any():
        return out, int(weights.sum())
    none = np.int64(UNRANKED) + 1
    r = np.where(active[None, :], ranks.astype(np.int64), none)
    best = r.min(axis=1)
    at_best = r == best[:, None]
    size = at_best.sum(axis=1)
    exhausted = best == UNRANKED if not unranked_tier else np.zeros(n, dtype=np.bool_)
    exhausted |= best == none
    rows = np.flatnonzero(~exhausted)
    np.add.at(out, size[rows], at_best[rows] * weights[rows, None])
    return out, int(weights[exhausted].sum())


def tier_counts(
    ranks: NDArray[np.int32], weights: NDArray[np.int64], unranked_last: bool
) -> NDArray[np.int64]:
    """``out[t, k, c]``: weight of the ballots placing ``c`` in their tier ``t``, a tier
    of ``k`` candidates (unranked candidates form a last tier under ``unranked_last``,
    else are skipped). Ranks must be dense. O(V·C)."""
    n, c = ranks.shape
    out = np.zeros((c + 1, c + 1, c), dtype=np.int64)
    if n == 0 or c == 0:
        return out
    unranked = ranks == UNRANKED
    n_tiers = np.where(unranked, -1, ranks).max(axis=1).astype(np.int64) + 1
    tier = np.where(unranked, n_tiers[:, None], ranks).astype(np.int64)
    counted = ~unranked if not unranked_last else np.ones((n, c), dtype=np.bool_)
    row, col = np.nonzero(counted)
    t = tier[row, col]
    sizes = np.zeros((n, c + 1), dtype=np.int64)
    np.add.at(sizes, (row, t), 1)
    np.add.at(out, (t, sizes[row, t], col), weights[row])
    return out
