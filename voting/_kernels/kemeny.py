"""Exact Kemeny-Young by dynamic programming over candidate subsets.

A ranking of ``C`` candidates is built from the top: the candidates of a set ``S``
occupy the top ``|S|`` positions, in some order, and the next candidate ``x`` goes
just below them. Its *agreement* with the ballots grows by
``gain(x, S) = sum_{y in S} support[y, x]`` (every ``y`` of ``S`` is above ``x``),
which does not depend on how ``S`` is ordered. So the best agreement of an ordering
of ``S`` satisfies (Held–Karp style)::

    best[{}] = 0
    best[S]  = max_{x in S} best[S - x] + gain(x, S - x)

over the ``2^C`` subsets, and ``best[all]`` is the Kemeny score. An ordering of the
whole set is optimal iff every prefix set ``S`` it passes through is reached by an
*optimal step* (``best[S - x] + gain(x, S - x) == best[S]``) from an optimal
prefix. ``count[S]`` (the number of optimal orderings of ``S``) and ``reach[S]``
(``S`` is the set of the top ``|S|`` candidates of some optimal ranking of all
candidates) follow from the same steps.

Everything is int64. Scores are sums of support counts: every ``best[S]`` and every
candidate step is at most the sum of all the support counts, which the caller checks
to fit in int64. Counts saturate at ``2^62`` (they would exceed int64 from 21
candidates on, when every ranking is optimal); the saturating addition never forms a
sum above ``2^62``. Memory: 17 bytes per subset (``best``, ``count``, ``reach``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from voting._kernels import _config

_SATURATE = np.int64(1) << np.int64(62)


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _kemeny_dp(support):
    """Best agreement and the number of optimal orderings of every subset.

    Parameters
    ----------
    support : (C, C) int64
        ``support[a, b]``: weighted voters ranking ``a`` strictly above ``b``.

    Returns
    -------
    best : (2^C,) int64
        ``best[S]``: the largest total agreement of an ordering of the set ``S``
        (bit ``x`` of ``S`` set when candidate ``x`` is in it), counting only pairs
        inside ``S``.
    count : (2^C,) int64
        Number of orderings of ``S`` achieving ``best[S]``, saturated at ``2^62``.

    Preconditions (validated by caller)
    -----------------------------------
    ``1 <= C <= 30``, support non-negative, C-contiguous.

    Runtime complexity: O(2^C · C²) time (about ``2^C · C²/4`` additions), O(2^C) memory.
    """
    c = support.shape[0]
    n = np.int64(1) << np.int64(c)
    best = np.empty(n, dtype=np.int64)
    count = np.empty(n, dtype=np.int64)
    best[0] = 0
    count[0] = 1
    sup_t = np.ascontiguousarray(support.T)  # row x: support[., x], read contiguously
    members = np.empty(c, dtype=np.int64)
    for s in range(1, n):
        k = 0
        for x in range(c):
            if (s >> x) & 1:
                members[k] = x
                k += 1
        top = np.int64(-1)
        cnt = np.int64(0)
        for i in range(k):
            x = members[i]
            gain = np.int64(0)
            row = sup_t[x]
            for j in range(k):
                gain += row[members[j]]
            gain -= row[x]
            prev = s ^ (np.int64(1) << x)
            v = best[prev] + gain
            if v > top:
                top = v
                cnt = count[prev]
            elif v == top:
                # saturating add: both terms are <= 2^62, and cnt + count[prev] could
                # reach 2^63, one past the int64 maximum
                if cnt >= _SATURATE - count[prev]:
                    cnt = _SATURATE
                else:
                    cnt += count[prev]
        best[s] = top
        count[s] = cnt
    return best, count


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _step_gain(support, s, x):
    """``gain(x, s - x)``: agreement added by putting ``x`` below the rest of ``s``."""
    c = support.shape[0]
    g = np.int64(0)
    for y in range(c):
        if (s >> y) & 1:
            g += support[y, x]
    return g - support[x, x]


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _kemeny_structure(support, best):
    """Which prefixes, firsts and pairwise orders occur in optimal rankings.

    Parameters
    ----------
    support : (C, C) int64
    best : (2^C,) int64
        From :func:`_kemeny_dp`.

    Returns
    -------
    reach : (2^C,) bool
        ``reach[S]``: ``S`` is the set of the top ``|S|`` candidates of some optimal
        ranking.
    above : (C, C) bool
        ``above[a, b]``: some optimal ranking puts ``a`` above ``b``.

    Preconditions (validated by caller)
    -----------------------------------
    As :func:`_kemeny_dp`; ``best`` computed from the same ``support``.

    Runtime complexity: O(2^C · C²) time in the worst case (every subset reachable).
    """
    c = support.shape[0]
    n = np.int64(1) << np.int64(c)
    full = n - 1
    reach = np.zeros(n, dtype=np.bool_)
    reach[full] = True
    masks = np.zeros(c, dtype=np.int64)  # masks[a]: candidates some optimal ranking puts below a
    for s in range(full, 0, -1):
        if not reach[s]:
            continue
        below = full ^ s
        for x in range(c):
            if (s >> x) & 1:
                masks[x] |= below
                prev = s ^ (np.int64(1) << x)
                if not reach[prev] and best[prev] + _step_gain(support, s, x) == best[s]:
                    reach[prev] = True
    above = np.zeros((c, c), dtype=np.bool_)
    for a in range(c):
        for b in range(c):
            above[a, b] = (masks[a] >> b) & 1 == 1
    return reach, above


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _kemeny_enumerate(support, best, limit):
    """Up to ``limit`` optimal rankings (rows of candidate indices, best first).

    Depth-first over the optimal steps from the full set, choosing the bottom
    candidate first; every path that reaches the empty set is one optimal ranking,
    and each ranking is produced once.

    Preconditions (validated by caller)
    -----------------------------------
    As :func:`_kemeny_structure`; ``limit >= 1``.

    Runtime complexity: O(limit · C²) plus dead ends (none: every optimal step
    leads to the empty set).
    """
    c = support.shape[0]
    full = (np.int64(1) << np.int64(c)) - 1
    out = np.empty((limit, c), dtype=np.int64)
    order = np.empty(c, dtype=np.int64)
    sets = np.empty(c + 1, dtype=np.int64)
    nxt = np.zeros(c + 1, dtype=np.int64)
    n_out = 0
    depth = 0
    sets[0] = full
    while depth >= 0 and n_out < limit:
        s = sets[depth]
        if s == 0:
            out[n_out, :] = order
            n_out += 1
            depth -= 1
            continue
        x = nxt[depth]
        found = False
        while x < c:
            if (s >> x) & 1:
                prev = s ^ (np.int64(1) << x)
                if best[prev] + _step_gain(support, s, x) == best[s]:
                    found = True
                    break
            x += 1
        if not found:
            depth -= 1
            continue
        nxt[depth] = x + 1
        order[c - 1 - depth] = x
        sets[depth + 1] = s ^ (np.int64(1) << x)
        nxt[depth + 1] = 0
        depth += 1
    return out[:n_out].copy()
