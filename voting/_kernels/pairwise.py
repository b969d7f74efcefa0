"""Pairwise-count kernels: ``support[a, b]`` = weight of ballots ranking a above b.

Ballots are processed in blocks that are transposed into a ``(C, block)`` scratch
buffer, so the innermost loop runs over contiguous ballots for a fixed pair of
candidates. The parallel kernel gives each thread its own count matrix and reduces
them serially afterwards (no races, no atomics).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from voting._kernels import _config

_UNRANKED = np.int32(np.iinfo(np.int32).max)
_BLOCK = 256


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _add_pairwise_counts(ranks, weights, lo, hi, ignore_unranked, out):
    """Add the pairwise counts of ballots ``lo:hi`` to ``out`` in place.

    Parameters
    ----------
    ranks : (V, C) int32, tiers with ``_UNRANKED`` for unranked cells.
    weights : (V,) int64, positive.
    lo, hi : int, the ballot range.
    ignore_unranked : bool
        False: an unranked candidate is below every ranked one (``x < U`` holds).
        True: a pair counts only when the ballot ranks both candidates.
    out : (C, C) int64, accumulated in place.

    Preconditions (validated by caller): shapes agree, weights >= 1.
    Runtime complexity: O((hi - lo)·C²).
    """
    c = ranks.shape[1]
    buf = np.empty((c, _BLOCK), dtype=np.int32)
    wb = np.empty(_BLOCK, dtype=np.int64)
    for start in range(lo, hi, _BLOCK):
        n = min(_BLOCK, hi - start)
        for i in range(n):
            for j in range(c):
                buf[j, i] = ranks[start + i, j]
            wb[i] = weights[start + i]
        for a in range(c):
            for b in range(a + 1, c):
                s_ab = np.int64(0)
                s_ba = np.int64(0)
                if ignore_unranked:
                    for i in range(n):
                        x = buf[a, i]
                        y = buf[b, i]
                        if x != _UNRANKED and y != _UNRANKED:
                            if x < y:
                                s_ab += wb[i]
                            elif y < x:
                                s_ba += wb[i]
                else:
                    for i in range(n):
                        x = buf[a, i]
                        y = buf[b, i]
                        if x < y:
                            s_ab += wb[i]
                        elif y < x:
                            s_ba += wb[i]
                out[a, b] += s_ab
                out[b, a] += s_ba


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _pairwise_counts_serial(ranks, weights, ignore_unranked):
    """Pairwise count matrix of all ballots, on one thread. O(V·C²)."""
    c = ranks.shape[1]
    out = np.zeros((c, c), dtype=np.int64)
    _add_pairwise_counts(ranks, weights, 0, ranks.shape[0], ignore_unranked, out)
    return out


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH, parallel=True)
def _pairwise_counts_parallel(ranks, weights, ignore_unranked, n_chunks):
    """Pairwise count matrix, ballots split in ``n_chunks`` ranges across threads.

    Each chunk accumulates into its own ``(C, C)`` buffer; the buffers are summed
    serially at the end. Extra memory O(n_chunks·C²). Runtime O(V·C²/T + T·C²).
    """
    v, c = ranks.shape
    partial = np.zeros((n_chunks, c, c), dtype=np.int64)
    chunk = (v + n_chunks - 1) // n_chunks
    for t in prange(n_chunks):
        lo = t * chunk
        hi = min(v, lo + chunk)
        if lo < hi:
            _add_pairwise_counts(ranks, weights, lo, hi, ignore_unranked, partial[t])
    out = np.zeros((c, c), dtype=np.int64)
    for t in range(n_chunks):
        out += partial[t]
    return out
