"""Kernels over the rows of a rank array: grouping identical rows in one pass through a
hash table, the int64 sort keys of rows, the check that rows are sorted (how many lead
in order), and the merge of two sorted sets of distinct rows.

The engines of :mod:`voting._distinct` (the library's one deduplication): its unordered
mode (:func:`voting._distinct.group_rows`) is O(V·C) expected, about twice as fast as
sorting every row at 10^6 x 20, but its groups come in order of first appearance.
:meth:`voting.Profile.compress`, which promises lexicographic order, sorts the keys of
:func:`_row_keys` instead, and merges rows already in that order
(:func:`_merge_sorted_rows`: a :class:`voting.BallotCounter`'s distinct rows with the
rows queued since) instead of sorting them again.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from voting._kernels import _config

_UNRANKED = np.int32(np.iinfo(np.int32).max)


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _row_hash(ranks, v):
    """A 64-bit hash of row ``v`` of ``ranks`` (splitmix64 mixing of each cell)."""
    h = np.uint64(0x9E3779B97F4A7C15)
    for j in range(ranks.shape[1]):
        x = h ^ np.uint64(np.int64(ranks[v, j]) & 0xFFFFFFFF) ^ np.uint64(j << 32)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        h = x ^ (x >> np.uint64(31))
    return h


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _unique_rows(ranks, weights, table_bits):
    """Group identical rows of ``ranks`` and sum their weights, in one pass.

    An open-addressing hash table (``2**table_bits`` slots, more than twice the rows)
    maps each row's 64-bit hash to its group; rows whose hashes match are compared
    cell by cell, so different rows are never merged.

    Parameters
    ----------
    ranks : (V, C) int32
    weights : (V,) int64
    table_bits : int, with ``2**table_bits >= 2·V``.

    Returns
    -------
    first : (G,) int64, the first row of each group, in order of first appearance.
    sums : (G,) int64, the summed weights of each group.

    Runtime complexity: O(V·C) expected.
    """
    n, c = ranks.shape
    size = np.int64(1) << table_bits
    mask = np.uint64(size - 1)
    table = np.full(size, -1, dtype=np.int64)
    first = np.empty(n, dtype=np.int64)
    hashes = np.empty(n, dtype=np.uint64)
    sums = np.zeros(n, dtype=np.int64)
    g = 0
    for v in range(n):
        h = _row_hash(ranks, v)
        idx = np.int64(h & mask)
        while True:
            r = table[idx]
            if r == -1:
                table[idx] = g
                first[g] = v
                hashes[g] = h
                sums[g] = weights[v]
                g += 1
                break
            if hashes[r] == h:
                rv = first[r]
                same = True
                for j in range(c):
                    if ranks[rv, j] != ranks[v, j]:
                        same = False
                        break
                if same:
                    sums[r] += weights[v]
                    break
            idx = (idx + 1) & (size - 1)
    return first[:g].copy(), sums[:g].copy()


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _row_keys(ranks, per, n_keys):
    """``keys[g, v]``: cells ``g·per .. g·per + per - 1`` of row ``v`` as digits in base
    ``C + 1`` (the unranked mark, any value from ``C`` up: ``UNRANKED``, or 255 in
    narrowed rows, as ``C``), most significant first.

    The keys of :func:`voting._distinct.row_keys`, built in one pass over the rows
    instead of one array operation per column. Preconditions (validated by caller):
    ``(C + 1)**per < 2**63``, ``n_keys = ceil(C / per)``. Runtime complexity: O(V·C).
    """
    n, c = ranks.shape
    base = np.int64(c + 1)
    keys = np.empty((n_keys, n), dtype=np.int64)
    for v in range(n):
        for g in range(n_keys):
            key = np.int64(0)
            for j in range(g * per, min(c, (g + 1) * per)):
                r = ranks[v, j]
                key = key * base + (c if r >= c else r)
            keys[g, v] = key
    return keys


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _row_above(ranks, v):
    """True when row ``v`` of ``ranks`` is lexicographically above row ``v - 1``."""
    for j in range(ranks.shape[1]):
        a = ranks[v - 1, j]
        b = ranks[v, j]
        if a != b:
            return b > a
    return False


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _sorted_prefix(ranks):
    """The number of leading rows of ``ranks`` that are each lexicographically above
    the one before: distinct and in :meth:`voting.Profile.compress` order (``UNRANKED``,
    the largest int32, sorts after every tier, as there). One pass that stops at the
    first row out of order. Runtime complexity: O(V·C).
    """
    n = ranks.shape[0]
    for v in range(1, n):
        if not _row_above(ranks, v):
            return v
    return n


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _rows_strictly_increasing(ranks):
    """True when every row of ``ranks`` is lexicographically above the one before
    (:func:`_sorted_prefix` is every row). Runtime complexity: O(V·C)."""
    return _sorted_prefix(ranks) == ranks.shape[0]


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _compare_rows(a, i, b, k):
    """-1, 0 or 1 as row ``i`` of ``a`` is below, equal to or above row ``k`` of ``b``
    (lexicographically, cell by cell)."""
    for j in range(a.shape[1]):
        x = a[i, j]
        y = b[k, j]
        if x != y:
            return -1 if x < y else 1
    return 0


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _merge_sorted_rows(a, a_weights, b, b_weights):
    """Merge two sets of distinct rows, each in lexicographic order, summing the
    weights of rows present in both (exact int64).

    Parameters
    ----------
    a, b : (A, C), (B, C) int32 rows, each strictly increasing (:func:`_sorted_prefix`).
    a_weights, b_weights : (A,), (B,) int64.

    Returns
    -------
    rows : (G, C) int32, strictly increasing; weights : (G,) int64.

    Two passes, the first only counting the rows out, so that the result is allocated
    once at its size. Runtime complexity: O((A + B)·C).
    """
    na = a.shape[0]
    nb = b.shape[0]
    c = a.shape[1]
    g = 0
    i = 0
    k = 0
    while i < na and k < nb:
        cmp = _compare_rows(a, i, b, k)
        if cmp <= 0:
            i += 1
        if cmp >= 0:
            k += 1
        g += 1
    g += (na - i) + (nb - k)
    rows = np.empty((g, c), dtype=a.dtype)
    weights = np.empty(g, dtype=np.int64)
    g = 0
    i = 0
    k = 0
    while i < na or k < nb:
        if i == na:
            cmp = 1
        elif k == nb:
            cmp = -1
        else:
            cmp = _compare_rows(a, i, b, k)
        if cmp <= 0:
            rows[g, :] = a[i, :]
            w = a_weights[i]
            i += 1
            if cmp == 0:
                w += b_weights[k]
                k += 1
        else:
            rows[g, :] = b[k, :]
            w = b_weights[k]
            k += 1
        weights[g] = w
        g += 1
    return rows, weights


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _widen_rows(rows, mark):
    """``rows`` (uint8, :func:`voting._distinct.narrow_ranks`) as int32 ranks, the
    unranked ``mark`` (255) as ``UNRANKED``, in one pass. Runtime complexity: O(V·C)."""
    n, c = rows.shape
    out = np.empty((n, c), dtype=np.int32)
    for v in range(n):
        for j in range(c):
            x = rows[v, j]
            out[v, j] = _UNRANKED if x == mark else np.int32(x)
    return out
