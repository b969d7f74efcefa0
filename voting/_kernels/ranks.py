"""Kernels that canonicalise rank arrays."""

from __future__ import annotations

import numpy as np
from numba import njit

from voting._kernels import _config

_UNRANKED = np.int32(np.iinfo(np.int32).max)


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _first_non_dense_row(ranks):
    """Return the index of the first row whose tiers are not ``0..k-1``, or -1.

    Preconditions (validated by caller): ``ranks`` is a 2-D int32 array whose values
    are non-negative; ``_UNRANKED`` marks unranked cells.

    A row is dense when the set of its ranked values is exactly ``{0, ..., k-1}``.
    Runtime complexity: O(V·C).
    """
    n, c = ranks.shape
    seen = np.zeros(c, dtype=np.bool_)
    for v in range(n):
        seen[:] = False
        top = -1
        count = 0
        ok = True
        for j in range(c):
            r = ranks[v, j]
            if r == _UNRANKED:
                continue
            if r >= c:
                ok = False
                break
            if not seen[r]:
                seen[r] = True
                count += 1
            if r > top:
                top = r
        if not ok or count != top + 1:
            return v
    return -1


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _dense_ranks_from(ranks, start):
    """Return a copy of ``ranks`` whose rows from ``start`` on are made dense.

    Each row's ranked values are replaced by their position among the row's
    distinct ranked values (so ``[3, 7, 3, U]`` becomes ``[0, 1, 0, U]``); unranked
    cells stay ``_UNRANKED``. Order and ties are preserved.

    Preconditions (validated by caller): as :func:`_first_non_dense_row`.
    Runtime complexity: O(V·C log C).
    """
    n, c = ranks.shape
    out = ranks.copy()
    vals = np.empty(c, dtype=np.int32)
    for v in range(start, n):
        k = 0
        for j in range(c):
            r = ranks[v, j]
            if r != _UNRANKED:
                vals[k] = r
                k += 1
        if k == 0:
            continue
        s = np.sort(vals[:k])
        for j in range(c):
            r = ranks[v, j]
            if r == _UNRANKED:
                continue
            # position of r among the distinct sorted values
            lo = 0
            hi = k
            while lo < hi:
                mid = (lo + hi) // 2
                if s[mid] < r:
                    lo = mid + 1
                else:
                    hi = mid
            # count distinct values strictly below r
            d = 0
            for i in range(lo):
                if i == 0 or s[i] != s[i - 1]:
                    d += 1
            out[v, j] = d
    return out
