"""Strongest-path (widest-path) kernels for the Schulze method.

Input is a matrix of *defeat strength codes*: non-negative integers, ``0`` where
there is no defeat, larger = stronger, that preserve the order of the real
strengths (winning votes, margins or ratios; the encoding lives in
:mod:`voting.methods.schulze`). Widest paths only compare strengths with ``min``
and ``max``, so any order-preserving integer code gives the same paths.

The closure is Floyd–Warshall in the (max, min) semiring,
``p[j, k] = max(p[j, k], min(p[j, i], p[i, k]))``, with two changes that keep the
result exactly equal to the textbook loop (Schulze 2011, section 2.3):

* the pivots ``i`` are taken in blocks (``_PIVOTS``, ``_PIVOTS_PARALLEL``): the
  pivot rows of a block are first closed among themselves, then every other row
  ``j`` is relaxed against
  the (now final) pivot rows one after the other while it sits in L1 cache. Using
  the final pivot rows instead of intermediate ones can only raise entries, and
  every entry stays the strength of a real path, so the fixed point is the same;
* the innermost loop runs over the contiguous row ``k`` with no branch, so LLVM
  vectorises it (``max``/``min`` of int32 or int64 lanes).

The diagonal is ignored (set to 0 on output). The parallel kernel runs the rows
``j`` of each block in ``prange``: pivot rows are read-only during that loop and
every other row is written by exactly one thread, so there are no races.

:func:`_strongest_paths_sorted` gets the same matrix another way: ``p[x, y]`` is
the largest ``s`` such that ``y`` is reachable from ``x`` through defeats of
strength >= ``s``, so adding the defeats strongest first to a transitive closure
(bitsets), the defeat that first connects ``x`` to ``y`` gives ``p[x, y]``. Each
pair is set once; after an O(C²) counting or radix sort it does at most C³/64 word
operations, which makes it several times faster than Floyd–Warshall from a few
dozen candidates on (see ``benchmarks/bench_schulze.py``). It is serial.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from voting._kernels import _config

_PIVOTS = 16
"""Pivots per block in the serial kernel: each other row is streamed from memory once
per block and relaxed against the block's pivot rows while it sits in L1 cache."""

_PIVOTS_PARALLEL = 64
"""Pivots per block in the parallel kernel: every block ends with a barrier (the end of
a ``prange``), so larger blocks mean fewer thread wake-ups; closing the pivot rows of a
block is serial, O(block² · C), about 6% of the work at C = 1000."""


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _relax(row, pivot_row, a, n):
    """``row[k] = max(row[k], min(a, pivot_row[k]))`` for ``k < n`` (vectorised)."""
    for k in range(n):
        row[k] = max(row[k], min(a, pivot_row[k]))


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _close_pivot_rows(p, i0, nu, pivots):
    """Close rows ``i0 : i0 + nu`` over pivots ``i0 : i0 + nu`` and copy them to ``pivots``.

    Sequential Floyd–Warshall restricted to the pivot rows: ``O(nu² · C)``.
    """
    c = p.shape[0]
    for t in range(nu):
        it = i0 + t
        for s in range(nu):
            if s == t:
                continue
            a = p[i0 + s, it]
            if a == 0:
                continue
            _relax(p[i0 + s], p[it], a, c)
    for t in range(nu):
        pivots[t, :] = p[i0 + t]


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _relax_row(p, pivots, i0, nu, j):
    """Relax row ``j`` against the closed pivot rows ``i0 : i0 + nu``, in order."""
    c = p.shape[0]
    row = p[j]
    for t in range(nu):
        a = row[i0 + t]  # already includes the pivots before t: the sequential value
        if a == 0:
            continue
        _relax(row, pivots[t], a, c)


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _strongest_paths_serial(strengths):
    """Strength of the strongest (widest) path between every ordered pair, one thread.

    Parameters
    ----------
    strengths : (C, C) int32 or int64
        Defeat strength codes: ``strengths[i, j] > 0`` is the strength of the
        defeat of ``j`` by ``i``; 0 means no defeat. The diagonal is ignored.

    Returns
    -------
    (C, C) array of the same dtype
        ``p[i, j]``: the largest, over all paths ``i = x0, x1, ..., xn = j`` of
        defeats, of the weakest defeat on the path; 0 when there is no path and on
        the diagonal.

    Preconditions (validated by caller): square, C-contiguous, entries >= 0.
    Runtime complexity: O(C³) time, O(C²) memory (the output) plus O(16 · C).
    """
    c = strengths.shape[0]
    p = strengths.copy()
    for i in range(c):
        p[i, i] = 0
    pivots = np.empty((_PIVOTS, c), dtype=p.dtype)
    for i0 in range(0, c, _PIVOTS):
        nu = min(_PIVOTS, c - i0)
        _close_pivot_rows(p, i0, nu, pivots)
        for j in range(c):
            if i0 <= j < i0 + nu:
                continue
            _relax_row(p, pivots, i0, nu, j)
    for i in range(c):
        p[i, i] = 0
    return p


@_config.serialised
@njit(cache=_config.CACHE, fastmath=_config.FASTMATH, parallel=True)
def _strongest_paths_parallel(strengths):
    """Same result as :func:`_strongest_paths_serial`, rows of each block in ``prange``.

    Preconditions (validated by caller): square, C-contiguous, entries >= 0.
    Runtime complexity: O(C³ / T) for T threads, plus O(64 · C²) serial work and one
    parallel-region launch per block of 64 pivots.
    """
    c = strengths.shape[0]
    p = strengths.copy()
    for i in range(c):
        p[i, i] = 0
    pivots = np.empty((_PIVOTS_PARALLEL, c), dtype=p.dtype)
    for i0 in range(0, c, _PIVOTS_PARALLEL):
        nu = min(_PIVOTS_PARALLEL, c - i0)
        _close_pivot_rows(p, i0, nu, pivots)
        for j in prange(c):
            if j < i0 or j >= i0 + nu:
                _relax_row(p, pivots, i0, nu, j)
    for i in range(c):
        p[i, i] = 0
    return p


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _schulze_tiers(paths):
    """Peel the Schulze order into tiers: unbeaten candidates first, then repeat.

    ``i`` beats ``j`` when ``paths[i, j] > paths[j, i]``; this relation is a strict
    partial order (Schulze 2011, section 4.1).

    Returns
    -------
    tier : (C,) int64
        ``tier[c]`` is the 0-based tier of candidate ``c``; -1 for candidates left
        over if the relation had a cycle (impossible for a closure; the caller
        checks).

    Preconditions (validated by caller): ``paths`` is a strongest-path closure.
    Runtime complexity: O(C²).
    """
    c = paths.shape[0]
    beaten_by = np.zeros(c, dtype=np.int64)
    for i in range(c):
        for j in range(c):
            if paths[i, j] > paths[j, i]:
                beaten_by[j] += 1
    tier = np.full(c, -1, dtype=np.int64)
    layer = np.empty(c, dtype=np.int64)
    done = 0
    t = 0
    while done < c:
        n = 0
        for j in range(c):
            if tier[j] == -1 and beaten_by[j] == 0:
                layer[n] = j
                n += 1
        if n == 0:
            break
        for q in range(n):
            tier[layer[q]] = t
        for q in range(n):
            i = layer[q]
            for j in range(c):
                if paths[i, j] > paths[j, i]:
                    beaten_by[j] -= 1
        done += n
        t += 1
    return tier


# ------------------------------------------------------ strongest paths by sorting
_DIGIT_BITS = 11
_DEBRUIJN = np.uint64(0x03F79D71B4CB0A89)
_DEBRUIJN_TABLE = np.array(
    [0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4,
     62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
     63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
     46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6],
    dtype=np.int64,
)  # fmt: skip


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _lowest_bit(x):
    """Index of the lowest set bit of the non-zero uint64 ``x`` (de Bruijn)."""
    low = x & (~x + np.uint64(1))
    return _DEBRUIJN_TABLE[(low * _DEBRUIJN) >> np.uint64(58)]


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _defeats_strongest_first(strengths):
    """Flat indices ``i * C + j`` of the cells, strongest first, and how many are > 0.

    Only the first ``n`` entries matter (the cells with a positive strength; the
    diagonal may be among them and is skipped by the caller). A branch-free counting
    sort over all cells when the largest strength is at most ``4 C²`` (margins of
    ordinary elections, dense codes); otherwise an LSD radix sort of the positive
    cells on ``max - strength`` in 11-bit digits.
    Runtime complexity: O(C² + max) or O(C² · digits).
    """
    c = strengths.shape[0]
    cells = c * c
    flat = strengths.reshape(cells)
    top = 0
    for q in range(cells):
        top = max(top, flat[q])
    if top <= 0:
        return np.empty(0, dtype=np.int64), 0
    if top <= 4 * cells:
        count = np.zeros(top + 2, dtype=np.int64)
        for q in range(cells):
            count[top - flat[q] + 1] += 1
        for b in range(top + 1):
            count[b + 1] += count[b]
        n = count[top]  # cells before the zeros
        order = np.empty(cells, dtype=np.int64)
        for q in range(cells):
            d = top - flat[q]
            order[count[d]] = q
            count[d] += 1
        return order, n
    n = 0
    for q in range(cells):
        if flat[q] > 0:
            n += 1
    keys = np.empty(n, dtype=np.int64)
    idx = np.empty(n, dtype=np.int64)
    e = 0
    for q in range(cells):
        v = flat[q]
        if v > 0:
            keys[e] = np.int64(top) - np.int64(v)
            idx[e] = q
            e += 1
    buckets = 1 << _DIGIT_BITS
    mask = buckets - 1
    keys2 = np.empty_like(keys)
    idx2 = np.empty_like(idx)
    shift = 0
    while (np.int64(top) >> shift) > 0:
        count = np.zeros(buckets + 1, dtype=np.int64)
        for q in range(n):
            count[((keys[q] >> shift) & mask) + 1] += 1
        for b in range(buckets):
            count[b + 1] += count[b]
        for q in range(n):
            d = (keys[q] >> shift) & mask
            pos = count[d]
            keys2[pos] = keys[q]
            idx2[pos] = idx[q]
            count[d] = pos + 1
        keys, keys2 = keys2, keys
        idx, idx2 = idx2, idx
        shift += _DIGIT_BITS
    return idx, n


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _strongest_paths_sorted(strengths):
    """Strongest paths by adding defeats strongest first to a transitive closure.

    ``p[x, y]`` is the largest ``s`` such that ``y`` is reachable from ``x`` using
    defeats of strength >= ``s``. Adding the defeats in decreasing order of
    strength, the defeat ``(u, v)`` that first makes ``y`` reachable from ``x`` has
    exactly that strength. The closure is kept as bitsets, forwards (``reach``) and
    backwards (``by``): adding ``(u, v)`` ORs ``reach[v]`` into ``reach[x]`` for every
    ``x`` that reaches ``u`` but not yet ``v``, and every newly set bit ``y`` fixes
    ``p[x, y]``.

    Same contract as :func:`_strongest_paths_serial` (same output).

    Preconditions (validated by caller): square, C-contiguous, entries >= 0.
    Runtime complexity: O(C² · d) for the radix sort (d digits of 11 bits) plus at
    most O(C³ / 64) word operations (each update adds a new bit, C² bits in all),
    O(C²) memory. Serial.
    """
    c = strengths.shape[0]
    p = np.zeros((c, c), dtype=strengths.dtype)
    if c < 2:
        return p
    order, n_cells = _defeats_strongest_first(strengths)
    words = (c + 63) >> 6
    one = np.uint64(1)
    reach = np.zeros((c, words), dtype=np.uint64)
    by = np.zeros((c, words), dtype=np.uint64)
    for x in range(c):
        bit = one << np.uint64(x & 63)
        reach[x, x >> 6] |= bit
        by[x, x >> 6] |= bit
    xs = np.empty(words, dtype=np.uint64)
    missing = c * (c - 1)  # ordered pairs not yet reachable
    for q in range(n_cells):
        if missing == 0:
            break  # every pair has its strongest path: the weaker defeats change nothing
        u = order[q] // c
        v = order[q] - u * c
        if (reach[u, v >> 6] >> np.uint64(v & 63)) & one:
            continue  # u already reaches v (or u == v): nothing new
        s = strengths[u, v]
        rv = reach[v]
        for w in range(words):
            xs[w] = by[u, w] & ~by[v, w]  # reach u, not yet v (v's row stays fixed)
        for w in range(words):
            xw = xs[w]
            while xw:
                x = w * 64 + _lowest_bit(xw)
                xw &= xw - one
                rx = reach[x]
                px = p[x]
                xbit = one << np.uint64(x & 63)
                xword = x >> 6
                for w2 in range(words):
                    new = rv[w2] & ~rx[w2]
                    if new:
                        rx[w2] |= new
                        while new:
                            y = w2 * 64 + _lowest_bit(new)
                            new &= new - one
                            px[y] = s
                            by[y, xword] |= xbit
                            missing -= 1
    return p
