"""Kernel for tie resolution: turn each ballot's tied tiers into a strict order.

Every ranked candidate ``c`` of ballot ``v`` is given a random key ``keys[v, c]``;
within a tier candidates are ordered by key (then by index, for exactly equal keys),
tiers keep their order and unranked candidates stay unranked. With independent
uniform keys each tier's order is a uniformly random permutation.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from voting._kernels import _config

_UNRANKED = np.int32(np.iinfo(np.int32).max)


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _resolve_ties(ranks, keys):
    """Strict ranks ``0..k-1`` (k ranked candidates) that refine each ballot's tiers.

    Parameters
    ----------
    ranks : (V, C) int32
        Tiers, ``_UNRANKED`` for unranked candidates.
    keys : (V, C) float64
        Tie-breaking keys; smaller comes first within a tier.

    Returns
    -------
    (V, C) int32
        ``out[v, c]`` = number of ranked candidates that come before ``c`` on ballot
        ``v`` (in a lower tier, or in the same tier with a smaller key, or an equal
        key and a smaller index); ``_UNRANKED`` where ``ranks`` is.

    Preconditions (validated by caller): shapes agree.
    Runtime complexity: O(V·C²), no allocation besides the output.
    """
    n_v, c = ranks.shape
    out = np.empty((n_v, c), dtype=np.int32)
    for v in range(n_v):
        for a in range(c):
            ra = ranks[v, a]
            if ra == _UNRANKED:
                out[v, a] = _UNRANKED
                continue
            ka = keys[v, a]
            before = 0
            for b in range(c):
                rb = ranks[v, b]
                if rb == _UNRANKED or b == a:
                    continue
                if rb < ra:
                    before += 1
                elif rb == ra:
                    kb = keys[v, b]
                    if kb < ka or (kb == ka and b < a):
                        before += 1
            out[v, a] = before
    return out
