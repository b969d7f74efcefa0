"""Kernels for Schulze STV: committee support strengths and widest paths between committees.

Committees of ``N`` candidates out of ``C`` are numbered in *colex* order: the sorted
members ``s_0 < s_1 < ... < s_{N-1}`` have index ``sum_i binom(s_i, i + 1)``
(:func:`_colex_rank`), so the index of a neighbouring committee (one member swapped
for an outsider) is computed in O(N) without a lookup table.

Support strength (Schulze's "vote management" strength, see
:mod:`voting.methods.schulze_stv`). For a committee ``S`` and an outsider ``d`` the
strength is the largest ``t`` such that the ballots can be divided (fractionally) so
that every member of ``S`` gets at least ``t`` from ballots that prefer that member to
``d``. By the max-flow min-cut theorem (Hall's condition for a fractional
b-matching) this is::

    t(S, d) = min over non-empty T ⊆ S of  W(T) / |T|,

where ``W(T)`` is the total weight of ballots preferring at least one member of
``T`` to ``d``. :func:`_support_strengths` returns ``t * L`` with ``L = lcm(1..N)``,
an exact integer. ``W`` is computed from the weight of each *preference mask*
(which members a ballot prefers to ``d``) by a subset-sum (zeta) transform.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from voting._kernels import _config

_UNRANKED = np.iinfo(np.int32).max


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _binomials(c, n):
    """``b[x, k] = binom(x, k)`` for ``0 <= x <= c``, ``0 <= k <= n + 1`` (int64)."""
    b = np.zeros((c + 1, n + 2), dtype=np.int64)
    for x in range(c + 1):
        b[x, 0] = 1
        for k in range(1, min(x, n + 1) + 1):
            b[x, k] = b[x - 1, k - 1] + (b[x - 1, k] if k <= x - 1 else 0)
    return b


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _colex_rank(members, binom):
    """Colex index of the sorted ``members`` (see the module docstring)."""
    r = 0
    for i in range(members.shape[0]):
        r += binom[members[i], i + 1]
    return r


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _committees(c, n):
    """Every ``n``-subset of ``range(c)``, sorted members per row, row ``k`` = colex index ``k``.

    Preconditions (validated by caller): ``1 <= n <= c``.
    """
    binom = _binomials(c, n)
    k_total = binom[c, n]
    out = np.empty((k_total, n), dtype=np.int32)
    cur = np.arange(n).astype(np.int32)
    for k in range(k_total):
        out[k, :] = cur
        # next in colex order: increment the lowest member that can move up
        i = 0
        while i < n - 1 and cur[i] + 1 == cur[i + 1]:
            i += 1
        if k + 1 < k_total:
            cur[i] += 1
            for j in range(i):
                cur[j] = j
    return out


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _prefers(ranks, ignore_unranked):
    """``p[v, a, b] = 1`` iff ballot ``v`` ranks ``a`` strictly above ``b`` (uint8, V×C×C).

    Under ``ignore_unranked`` a pair counts only when the ballot ranks both; otherwise
    unranked candidates tie below every ranked one.
    """
    v_n, c = ranks.shape
    p = np.zeros((v_n, c, c), dtype=np.uint8)
    for v in range(v_n):
        for a in range(c):
            ra = ranks[v, a]
            if ra == _UNRANKED:
                continue
            for b in range(c):
                rb = ranks[v, b]
                if ra < rb and not (ignore_unranked and rb == _UNRANKED):
                    p[v, a, b] = 1
    return p


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _strengths_of(k, prefers, weights, committees, c, scale, total, popcount, g, is_member, out):
    """Row ``k`` of :func:`_support_strengths` (``g``, ``is_member``: scratch buffers)."""
    n = committees.shape[1]
    v_n = weights.shape[0]
    full = (1 << n) - 1
    for i in range(n):
        is_member[committees[k, i]] = True
    j = 0
    for d in range(c):
        if is_member[d]:
            continue
        g[:] = 0
        for v in range(v_n):
            mask = 0
            for i in range(n):
                if prefers[v, committees[k, i], d]:
                    mask |= 1 << i
            g[mask] += weights[v]
        # zeta transform: g[m] = weight of ballots whose mask is a subset of m
        for i in range(n):
            bit = 1 << i
            for m in range(full + 1):
                if m & bit:
                    g[m] += g[m ^ bit]
        best = np.int64(-1)
        for t in range(1, full + 1):
            w_t = total - g[full ^ t]  # ballots preferring some member of t to d
            val = w_t * (scale // popcount[t])
            if best < 0 or val < best:
                best = val
        out[k, j] = best
        j += 1
    for i in range(n):
        is_member[committees[k, i]] = False


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _popcounts(n):
    popcount = np.zeros(1 << n, dtype=np.int64)
    for m in range(1, 1 << n):
        popcount[m] = popcount[m >> 1] + (m & 1)
    return popcount


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _support_strengths(prefers, weights, committees, c, scale):
    """Scaled support strength ``t(S, d) * scale`` of every committee against every outsider.

    Parameters
    ----------
    prefers : (V, C, C) uint8
        :func:`_prefers` of the (compressed) ballots.
    weights : (V,) int64
        Ballot weights, each >= 1.
    committees : (K, N) int32
        :func:`_committees` output.
    c : int
        Number of candidates.
    scale : int
        ``lcm(1..N)``, so that every ``W(T) * scale / |T|`` is an integer.

    Returns
    -------
    (K, C - N) int64
        ``out[k, j]``: strength of committee ``k`` against its ``j``-th outsider (the
        outsiders in increasing order), times ``scale``.

    Notes
    -----
    Preconditions (validated by caller): ``total weight * scale < 2**63``; ``N <= 20``.
    Runtime complexity: O(K · (C − N) · (V · N + N · 2^N)).
    """
    k_total, n = committees.shape
    total = np.int64(0)
    for v in range(weights.shape[0]):
        total += weights[v]
    popcount = _popcounts(n)
    g = np.zeros(1 << n, dtype=np.int64)
    is_member = np.zeros(c, dtype=np.bool_)
    out = np.empty((k_total, c - n), dtype=np.int64)
    for k in range(k_total):
        _strengths_of(k, prefers, weights, committees, c, scale, total, popcount, g, is_member, out)
    return out


@_config.serialised
@njit(cache=_config.CACHE, fastmath=_config.FASTMATH, parallel=True)
def _support_strengths_parallel(prefers, weights, committees, c, scale):
    """:func:`_support_strengths` with the committees split over threads (same output).

    Each thread owns a block of committee rows and its own scratch buffers, and
    writes only its rows of ``out``: no races, no reduction.
    """
    k_total, n = committees.shape
    total = np.int64(0)
    for v in range(weights.shape[0]):
        total += weights[v]
    popcount = _popcounts(n)
    out = np.empty((k_total, c - n), dtype=np.int64)
    blocks = 64
    step = (k_total + blocks - 1) // blocks
    for b in prange(blocks):
        g = np.zeros(1 << n, dtype=np.int64)
        is_member = np.zeros(c, dtype=np.bool_)
        for k in range(b * step, min(k_total, (b + 1) * step)):
            _strengths_of(
                k, prefers, weights, committees, c, scale, total, popcount, g, is_member, out
            )
    return out


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _better_masks(ranks, ignore_unranked):
    """``out[d, v]``: bitmask of the candidates ballot ``v`` prefers to ``d`` (int64, C×V).

    Preconditions (validated by caller): ``C <= 62``.
    """
    v_n, c = ranks.shape
    out = np.zeros((c, v_n), dtype=np.int64)
    for v in range(v_n):
        for a in range(c):
            ra = ranks[v, a]
            if ra == _UNRANKED:
                continue
            for d in range(c):
                rd = ranks[v, d]
                if ra < rd and not (ignore_unranked and rd == _UNRANKED):
                    out[d, v] |= np.int64(1) << a
    return out


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _lookup_table(better_d, weights, c, h):
    """``h[U]`` = weight of the ballots whose ``better_d`` set lies inside ``U`` (in place)."""
    size = 1 << c
    h[:] = 0
    for v in range(weights.shape[0]):
        h[better_d[v]] += weights[v]
    for i in range(c):
        bit = 1 << i
        for m in range(size):
            if m & bit:
                h[m] += h[m ^ bit]


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _lookup_rows(k_lo, k_hi, d, committees, h, c, scale, total, popcount, tbits, out):
    """Strengths against outsider ``d`` of committees ``k_lo:k_hi`` (those without ``d``)."""
    n = committees.shape[1]
    full_c = (1 << c) - 1
    for k in range(k_lo, k_hi):
        below = 0
        member = False
        for i in range(n):
            x = committees[k, i]
            if x == d:
                member = True
            elif x < d:
                below += 1
        if member:
            continue
        best = np.int64(-1)
        for t in range(1, 1 << n):
            low = t & -t
            i = 0
            while (1 << i) != low:
                i += 1
            tbits[t] = tbits[t ^ low] | (np.int64(1) << committees[k, i])
            val = (total - h[full_c ^ tbits[t]]) * (scale // popcount[t])
            if best < 0 or val < best:
                best = val
        out[k, d - below] = best


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _support_strengths_lookup(better, weights, committees, c, scale):
    """:func:`_support_strengths` by table lookup (same output), for few candidates.

    For each outsider ``d`` it tabulates ``h[U]`` = weight of the ballots whose set
    of candidates preferred to ``d`` (``better[d]``, from :func:`_better_masks`) lies
    inside ``U``, for every ``U`` of the ``2^C`` candidate sets (a histogram and a
    subset-sum transform), so that ``W(T) = total - h[all - T]`` costs one lookup and
    no pass over the ballots.

    Notes
    -----
    Preconditions (validated by caller): ``C <= 30``; as :func:`_support_strengths`.
    Runtime complexity: O(C² · 2^C + C · V + K · (C − N) · 2^N); memory O(2^C).
    """
    k_total, n = committees.shape
    total = np.int64(0)
    for v in range(weights.shape[0]):
        total += weights[v]
    popcount = _popcounts(n)
    out = np.empty((k_total, c - n), dtype=np.int64)
    h = np.empty(1 << c, dtype=np.int64)
    tbits = np.zeros(1 << n, dtype=np.int64)
    for d in range(c):
        _lookup_table(better[d], weights, c, h)
        _lookup_rows(0, k_total, d, committees, h, c, scale, total, popcount, tbits, out)
    return out


@_config.serialised
@njit(cache=_config.CACHE, fastmath=_config.FASTMATH, parallel=True)
def _support_strengths_lookup_parallel(better, weights, committees, c, scale):
    """:func:`_support_strengths_lookup` with each outsider's committees split over
    threads (``h`` is read-only meanwhile; each thread writes only its rows)."""
    k_total, n = committees.shape
    total = np.int64(0)
    for v in range(weights.shape[0]):
        total += weights[v]
    popcount = _popcounts(n)
    out = np.empty((k_total, c - n), dtype=np.int64)
    h = np.empty(1 << c, dtype=np.int64)
    blocks = 16
    step = (k_total + blocks - 1) // blocks
    for d in range(c):
        _lookup_table(better[d], weights, c, h)
        for b in prange(blocks):
            tbits = np.zeros(1 << n, dtype=np.int64)
            lo = b * step
            hi = min(k_total, lo + step)
            _lookup_rows(lo, hi, d, committees, h, c, scale, total, popcount, tbits, out)
    return out


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _committee_links(committees, strengths, c, all_links):
    """The defeats (or all links) between committees that differ in one member.

    The link from ``S`` to ``S' = S - {a} + {d}`` has strength ``t(S, d)``; the one
    back has ``t(S', a)``. ``S`` *defeats* ``S'`` when ``t(S, d) > t(S', a)``. With
    ``all_links`` every link of positive strength is kept instead, and ``lose`` is 0.

    Returns
    -------
    src, dst : (E,) int32
        Committee indices of each defeat.
    win, lose : (E,) int64
        ``t(S, d)`` and ``t(S', a)``, as given in ``strengths``.
    """
    k_total, n = committees.shape
    binom = _binomials(c, n)
    cap = k_total * n * (c - n)
    src = np.empty(cap, dtype=np.int32)
    dst = np.empty(cap, dtype=np.int32)
    win = np.empty(cap, dtype=np.int64)
    lose = np.empty(cap, dtype=np.int64)
    e = 0
    other = np.empty(n, dtype=np.int32)
    for k in range(k_total):
        j = 0
        for d in range(c):
            # d an outsider of k? members are sorted
            member = False
            for i in range(n):
                if committees[k, i] == d:
                    member = True
                    break
            if member:
                continue
            fwd = strengths[k, j]
            j += 1
            for i in range(n):
                a = committees[k, i]
                # S' = S - {a} + {d}, sorted
                pos = 0
                inserted = False
                for q in range(n):
                    if q == i:
                        continue
                    x = committees[k, q]
                    if not inserted and d < x:
                        other[pos] = d
                        pos += 1
                        inserted = True
                    other[pos] = x
                    pos += 1
                if not inserted:
                    other[pos] = d
                target = _colex_rank(other, binom)
                # index of a among the outsiders of S' = a - #members of S' below a
                below = 0
                for q in range(n):
                    if other[q] < a:
                        below += 1
                back = strengths[target, a - below]
                if (all_links and fwd > 0) or (not all_links and fwd > back):
                    src[e] = k
                    dst[e] = target
                    win[e] = fwd
                    lose[e] = 0 if all_links else back
                    e += 1
    return src[:e].copy(), dst[:e].copy(), win[:e].copy(), lose[:e].copy()


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _widest_from(indptr, targets, codes, source, n_nodes):
    """Strongest path strength (code) from ``source`` to every node over a CSR graph.

    ``codes`` are positive, order-preserving strength codes; the result is 0 where
    there is no path and, at ``source``, the largest int64. A max-heap Dijkstra with
    lazy deletion: O(E log E).
    """
    inf = np.iinfo(np.int64).max
    best = np.zeros(n_nodes, dtype=np.int64)
    best[source] = inf
    cap = targets.shape[0] + 1
    heap_key = np.empty(cap, dtype=np.int64)
    heap_node = np.empty(cap, dtype=np.int64)
    size = 1
    heap_key[0] = inf
    heap_node[0] = source
    while size > 0:
        key = heap_key[0]
        u = heap_node[0]
        size -= 1
        if size > 0:  # move the last entry to the root and sift down
            lk = heap_key[size]
            ln = heap_node[size]
            pos = 0
            while True:
                child = 2 * pos + 1
                if child >= size:
                    break
                if child + 1 < size and heap_key[child + 1] > heap_key[child]:
                    child += 1
                if heap_key[child] <= lk:
                    break
                heap_key[pos] = heap_key[child]
                heap_node[pos] = heap_node[child]
                pos = child
            heap_key[pos] = lk
            heap_node[pos] = ln
        if key < best[u]:
            continue  # stale entry
        for e in range(indptr[u], indptr[u + 1]):
            v = targets[e]
            cand = min(key, codes[e])
            if cand > best[v]:
                best[v] = cand
                # push (sift up)
                pos = size
                size += 1
                while pos > 0:
                    parent = (pos - 1) // 2
                    if heap_key[parent] >= cand:
                        break
                    heap_key[pos] = heap_key[parent]
                    heap_node[pos] = heap_node[parent]
                    pos = parent
                heap_key[pos] = cand
                heap_node[pos] = v
    best[source] = 0
    return best
