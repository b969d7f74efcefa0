"""Strongest paths and Schulze tiers without numba (:mod:`voting._kernels.schulze`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["schulze_tiers", "strongest_paths"]


def strongest_paths(strengths: NDArray[Any]) -> NDArray[Any]:
    """Widest-path closure (Floyd–Warshall in the (max, min) semiring), zero diagonal.

    One vectorised relaxation of the whole matrix per pivot; the diagonal can only
    ever feed itself, so it is zeroed at the end. O(C³), same dtype as the input.
    """
    p = np.array(strengths, copy=True)
    c = p.shape[0]
    np.fill_diagonal(p, 0)
    for i in range(c):
        np.maximum(p, np.minimum(p[:, i : i + 1], p[i : i + 1, :]), out=p)
    np.fill_diagonal(p, 0)
    return p


def schulze_tiers(paths: NDArray[Any]) -> NDArray[np.int64]:
    """0-based tier of each candidate: unbeaten ones first, then repeat (-1: left over)."""
    beats = paths > paths.T
    beaten_by = beats.sum(axis=0).astype(np.int64)
    c = paths.shape[0]
    tier = np.full(c, -1, dtype=np.int64)
    t = 0
    while True:
        layer = np.flatnonzero((tier == -1) & (beaten_by == 0))
        if layer.size == 0:
            break
        tier[layer] = t
        beaten_by -= beats[layer].sum(axis=0)
        t += 1
    return tier
