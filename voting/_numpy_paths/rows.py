"""Grouping identical rows without numba (:mod:`voting._kernels.rows`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["group_rows", "rows_strictly_increasing"]


def group_rows(
    ranks: NDArray[np.integer], weights: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The first row of each group of identical rows, in order of first appearance,
    and the group's summed weights (exact int64). O(V·C log V) (a sort of the rows).
    """
    n = ranks.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    _, first, inverse = np.unique(ranks, axis=0, return_index=True, return_inverse=True)
    by_first = np.argsort(first, kind="stable")
    group = np.empty(by_first.shape[0], dtype=np.int64)
    group[by_first] = np.arange(by_first.shape[0], dtype=np.int64)
    sums = np.zeros(by_first.shape[0], dtype=np.int64)
    np.add.at(sums, group[np.asarray(inverse).reshape(-1)], np.asarray(weights, dtype=np.int64))
    return first[by_first].astype(np.int64), sums


def rows_strictly_increasing(ranks: NDArray[np.integer]) -> bool:
    """True when every row is lexicographically above the one before (distinct rows in
    :meth:`voting.Profile.compress` order). O(V·C)."""
    if ranks.shape[0] < 2:
        return True
    prev, cur = ranks[:-1], ranks[1:]
    differ = prev != cur
    first = differ.argmax(axis=1)[:, None]
    above = np.take_along_axis(cur, first, axis=1) > np.take_along_axis(prev, first, axis=1)
    return bool((differ.any(axis=1) & above[:, 0]).all())
