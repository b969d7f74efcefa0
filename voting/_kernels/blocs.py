"""Kernel for bloc analysis: the sets of candidates that form each ballot's top tiers.

A ballot with ranked tiers ``T_0, T_1, ..., T_{m-1}`` (best first) has one *prefix
set* per ``j = 1..m``: ``T_0 ∪ ... ∪ T_{j-1}``. A group of candidates is "on top" of
the ballot exactly when it equals one of these sets, and "strictly on top" when, in
addition, each of ``T_0, ..., T_{j-1}`` holds a single candidate. Sets are returned as
bitmasks of ``W = ceil(C / 64)`` unsigned 64-bit words (candidate ``c`` is bit
``c % 64`` of word ``c // 64``), so any number of candidates is handled exactly.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from voting._kernels import _config

_UNRANKED = np.int32(np.iinfo(np.int32).max)


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _tier_sizes(ranks, v, sizes):
    """Fill ``sizes[t]`` with the size of tier ``t`` of ballot ``v``; return the tier count."""
    c = ranks.shape[1]
    for t in range(c):
        sizes[t] = 0
    m = 0
    for j in range(c):
        r = ranks[v, j]
        if r != _UNRANKED:
            sizes[r] += 1
            if r + 1 > m:
                m = r + 1
    return m


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _prefix_sets(ranks, max_size):
    """Every prefix set of at most ``max_size`` candidates, of every ballot.

    Parameters
    ----------
    ranks : (V, C) int32
        Dense tiers (each ballot's ranked values are ``0..m-1``), ``_UNRANKED`` for
        unranked candidates.
    max_size : int
        Largest prefix size reported.

    Returns
    -------
    masks : (N, W) uint64
        The prefix sets as bitmasks, ballot by ballot, smallest prefix first.
    sizes : (N,) int64
        Number of candidates in each set.
    ballot : (N,) int64
        Row of ``ranks`` the set comes from.
    strict : (N,) bool
        True when each tier of the prefix holds exactly one candidate.

    Preconditions (validated by caller): ranks are dense per row (``Profile``
    guarantees it), ``max_size >= 0``.
    Runtime complexity: O(V·(C + m·W)) where m is the number of prefixes kept per
    ballot; two passes (count, then fill).
    """
    n_v, c = ranks.shape
    w = (c + 63) // 64
    sizes_buf = np.zeros(max(c, 1), dtype=np.int64)
    total = 0
    for v in range(n_v):
        m = _tier_sizes(ranks, v, sizes_buf)
        s = 0
        for t in range(m):
            s += sizes_buf[t]
            if s > max_size:
                break
            total += 1
    masks = np.zeros((total, w), dtype=np.uint64)
    sizes = np.zeros(total, dtype=np.int64)
    ballot = np.zeros(total, dtype=np.int64)
    strict = np.zeros(total, dtype=np.bool_)
    start = np.zeros(c + 1, dtype=np.int64)
    fill = np.zeros(c + 1, dtype=np.int64)
    order = np.zeros(max(c, 1), dtype=np.int64)
    cur = np.zeros(w, dtype=np.uint64)
    n = 0
    for v in range(n_v):
        m = _tier_sizes(ranks, v, sizes_buf)
        if m == 0 or sizes_buf[0] > max_size:
            continue
        # counting sort of the ranked candidates by tier
        start[0] = 0
        for t in range(m):
            start[t + 1] = start[t] + sizes_buf[t]
            fill[t] = start[t]
        for j in range(c):
            r = ranks[v, j]
            if r != _UNRANKED:
                order[fill[r]] = j
                fill[r] += 1
        for k in range(w):
            cur[k] = np.uint64(0)
        s = 0
        singles = True
        for t in range(m):
            if s + sizes_buf[t] > max_size:
                break
            for idx in range(start[t], start[t + 1]):
                cand = order[idx]
                cur[cand // 64] |= np.uint64(1) << np.uint64(cand % 64)
            s += sizes_buf[t]
            if sizes_buf[t] != 1:
                singles = False
            for k in range(w):
                masks[n, k] = cur[k]
            sizes[n] = s
            ballot[n] = v
            strict[n] = singles
            n += 1
    return masks, sizes, ballot, strict
