"""Kernels that tally tiers of ballots: first preferences and CIVS's rank counts.

Both return integer weight sums keyed by the size of the tier, so that the caller can
split a tied tier exactly (``weight / size`` as a fraction) or count it whole.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from voting._kernels import _config

_UNRANKED = np.int32(np.iinfo(np.int32).max)


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _top_tier_counts(ranks, weights, active, unranked_tier):
    """Weight of the ballots whose best tier among ``active`` has each size.

    Returns ``(out, exhausted)``: ``out[k, c]`` is the total weight of the ballots
    whose best tier among the active candidates has ``k`` members, ``c`` among them;
    ``exhausted`` is the weight of the ballots that rank no active candidate. With
    ``unranked_tier`` the unranked candidates form one last tier, so a ballot ranking
    no active candidate ties all of them instead (and nothing is exhausted unless no
    candidate is active).

    Preconditions (validated by caller): ``ranks`` is a (V, C) int32 array with
    ``_UNRANKED`` for unranked cells; ``weights`` (V,) int64 >= 1; ``active`` (C,)
    bool. Runtime complexity: O(V·C), no temporaries beyond the output.
    """
    n, c = ranks.shape
    out = np.zeros((c + 1, c), dtype=np.int64)
    exhausted = np.int64(0)
    for v in range(n):
        best = np.int64(_UNRANKED) + 1
        size = 0
        for j in range(c):
            if not active[j]:
                continue
            r = np.int64(ranks[v, j])
            if r < best:
                best = r
                size = 1
            elif r == best:
                size += 1
        if size == 0 or (best == _UNRANKED and not unranked_tier):
            exhausted += weights[v]
            continue
        for j in range(c):
            if active[j] and ranks[v, j] == best:
                out[size, j] += weights[v]
    return out, exhausted


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _tier_counts(ranks, weights, unranked_last):
    """Weight of the ballots placing each candidate in each tier, by tier size.

    ``out[t, k, c]`` is the total weight of the ballots that place ``c`` in their
    tier ``t`` (0 = top), a tier of ``k`` candidates. With ``unranked_last`` the
    unranked candidates of a ballot form its last tier; otherwise they are skipped.

    Preconditions (validated by caller): ``ranks`` is a (V, C) int32 array of
    *dense* tiers (each row's ranked values are ``0..k-1``) with ``_UNRANKED`` for
    unranked cells; ``weights`` (V,) int64 >= 1. Runtime complexity: O(V·C).
    """
    n, c = ranks.shape
    out = np.zeros((c + 1, c + 1, c), dtype=np.int64)
    sizes = np.zeros(c + 1, dtype=np.int64)
    for v in range(n):
        sizes[:] = 0
        n_tiers = 0
        n_unranked = 0
        for j in range(c):
            r = ranks[v, j]
            if r == _UNRANKED:
                n_unranked += 1
            else:
                sizes[r] += 1
                if r + 1 > n_tiers:
                    n_tiers = r + 1
        if unranked_last and n_unranked > 0:
            sizes[n_tiers] = n_unranked
        for j in range(c):
            r = ranks[v, j]
            if r == _UNRANKED:
                if not unranked_last:
                    continue
                t = n_tiers
            else:
                t = r
            out[t, sizes[t], j] += weights[v]
    return out
