"""Kernel for rank spread: how often each candidate received each (average) position.

A candidate in a tier of ``s`` candidates below ``S`` others holds positions
``S + 1 .. S + s``; it is given their average ``S + (s + 1) / 2``. Averages are
multiples of one half, so positions are stored doubled: bin ``h`` of the output holds
average position ``(h + 2) / 2``, i.e. bins ``0, 1, 2, ...`` are positions
``1, 1.5, 2, ...`` up to ``C``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from voting._kernels import _config

_UNRANKED = np.int32(np.iinfo(np.int32).max)


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _position_counts(ranks, weights, ignore_unranked):
    """Weighted histogram of each candidate's average position.

    Parameters
    ----------
    ranks : (V, C) int32
        Dense tiers with ``_UNRANKED`` for unranked candidates.
    weights : (V,) int64
    ignore_unranked : bool
        True: an unranked candidate gets no position on that ballot. False: the
        unranked candidates of a ballot share its last positions ``R + 1 .. C`` (R
        ranked), each at their average ``(R + 1 + C) / 2``.

    Returns
    -------
    (C, 2C - 1) int64
        ``out[c, h]`` = weight of ballots placing ``c`` at average position
        ``(h + 2) / 2``.

    Preconditions (validated by caller): ranks dense per row, shapes agree.
    Runtime complexity: O(V·C).
    """
    n_v, c = ranks.shape
    out = np.zeros((c, max(2 * c - 1, 1)), dtype=np.int64)
    sizes = np.zeros(max(c, 1), dtype=np.int64)
    before = np.zeros(max(c, 1), dtype=np.int64)
    for v in range(n_v):
        for t in range(c):
            sizes[t] = 0
        m = 0
        n_ranked = 0
        for j in range(c):
            r = ranks[v, j]
            if r != _UNRANKED:
                sizes[r] += 1
                n_ranked += 1
                if r + 1 > m:
                    m = r + 1
        acc = 0
        for t in range(m):
            before[t] = acc
            acc += sizes[t]
        w = weights[v]
        for j in range(c):
            r = ranks[v, j]
            if r == _UNRANKED:
                if ignore_unranked:
                    continue
                pos2 = n_ranked + 1 + c
            else:
                pos2 = 2 * before[r] + sizes[r] + 1
            out[j, pos2 - 2] += w
    return out
