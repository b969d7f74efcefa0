"""Kernels for CIVS proportional representation: voters comparing committees.

Every ballot is a row of *weights* ``W[v, c]`` (larger = preferred). A voter compares
committees ``A`` and ``B`` (``k`` members each) by their members' weights sorted in
decreasing order, ``a_1 >= ... >= a_k`` and ``b_1 >= ... >= b_k``:

* ``best`` criterion: at level ``f`` the voter prefers ``A`` when, at the first
  position ``d <= f`` where the two lists differ, ``a_d > b_d`` (no preference when
  they agree on the first ``f`` positions). A voter whose lists first differ at
  position ``d`` therefore prefers the same side at every ``f >= d``, so the kernels
  count voters by ``d`` and take a cumulative sum at the end.
* ``combined`` criterion: at level ``f`` the voter prefers the committee whose ``f``
  largest weights have the larger sum.

Single swaps (the hill climb). Let ``B`` be ``A`` with member ``x`` replaced by
outsider ``y`` and ``S = A - {x}``, sorted ``s_1 >= ... >= s_{k-1}``. The ``f``
largest weights of ``S + {z}`` are ``s_1..s_{f-1}`` and ``max(z, s_f)``, so at every
level both criteria prefer ``A`` exactly when ``w_x > w_y`` and ``w_x > s_f``, which
first holds at ``f = g(x)``, the number of members of ``A`` weighted at least ``w_x``
(``B`` symmetrically from ``f = g(y) + 1``). The climb therefore keeps one small
table ``G[c, v]`` (members of the current committee that voter ``v`` weights at
least as much as candidate ``c``), updates it in O(V·C) per swap, and scores a
neighbour in O(V), whatever the criterion.

Many committees (the ranking). For ``best``, a voter's sorted weights packed into
one integer (``b`` bits a position, most significant first) order committees
exactly as the lists do, and the highest differing bit gives ``d``; ballots are
processed in blocks so each committee's keys stay in cache while every contest is
counted. ``combined``, and ``best`` when ``b·k > 63``, compare prefix sums or sorted
lists position by position in the same blocks.

The kernels return weighted counts ``counts[..., s, f - 1]``: voters preferring
side ``s`` (0 = ``A``, 1 = ``B``) at level ``f``; ``f = k`` is the whole-committee
comparison. No validation happens here: the typed entry points are in
:mod:`voting.methods._civs_kernels` (see also ``voting.methods.civs_proportional``).
Integer arithmetic only (int64 counts); no fastmath.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from numba.cpython.unsafe.numbers import leading_zeros

from voting._kernels import _config

__all__ = [
    "_member_counts",
    "_member_swap",
    "_pair_counts_parallel",
    "_pair_counts_serial",
    "_strong_tallies",
    "_swap_counts_parallel",
    "_swap_counts_serial",
]

KEYS_PER_BLOCK = 1 << 20
"""Packed keys held per thread (8 MiB): ``KEYS_PER_BLOCK // M`` ballots a block,
clamped to 256..4096 (larger blocks amortise the per-contest bookkeeping)."""


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _sort_desc(vals, n):
    """Insertion sort of ``vals[:n]`` in place, largest first (n is small)."""
    for i in range(1, n):
        x = vals[i]
        j = i - 1
        while j >= 0 and vals[j] < x:
            vals[j + 1] = vals[j]
            j -= 1
        vals[j + 1] = x


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _finish_best(acc):
    """Turn first-difference histograms into per-level counts (cumulative sum)."""
    k = acc.shape[-1]
    flat = acc.reshape(-1, k)
    for r in range(flat.shape[0]):
        for t in range(1, k):
            flat[r, t] += flat[r, t - 1]


# ------------------------------------------------------------------ tallies
@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _strong_tallies(first, second, n_voters, seats, initial_against):
    """CIVS's proportional tally of each contest (see ``_civs_search.strong_tallies``)."""
    p_n, k = first.shape
    ta = np.zeros(p_n, dtype=np.int64)
    tb = np.zeros(p_n, dtype=np.int64)
    level = np.zeros(p_n, dtype=np.int64)
    for p in range(p_n):
        best_for = 0
        best_against = initial_against
        for t in range(k):
            need = (t + 1) * n_voters
            x = first[p, t]
            y = second[p, t]
            if x * (seats + 1) < need:
                x = 0
            if y * (seats + 1) < need:
                y = 0
            if x >= best_for and y <= best_against:
                best_for, best_against = x, y
                ta[p], tb[p], level[p] = x, y, t + 1
            if y >= best_for and x <= best_against:
                best_for, best_against = y, x
                ta[p], tb[p], level[p] = x, y, t + 1
    return ta, tb, level


# ----------------------------------------------------------------- single swaps
@_config.serialised
@njit(parallel=True, fastmath=_config.FASTMATH, cache=_config.CACHE)
def _member_counts(Wt, comm, g):
    """Fill ``G[c, v]``: members of ``comm`` that voter ``v`` weights at least ``Wt[c, v]``."""
    c_n, v_n = Wt.shape
    for c in prange(c_n):
        row = g[c]
        wc = Wt[c]
        row[:] = 0
        for t in range(comm.shape[0]):
            wm = Wt[comm[t]]
            for v in range(v_n):
                row[v] = row[v] + (wm[v] >= wc[v])


@_config.serialised
@njit(parallel=True, fastmath=_config.FASTMATH, cache=_config.CACHE)
def _member_swap(Wt, g, old, new):
    """Update ``G`` in place when member ``old`` is replaced by ``new``."""
    c_n, v_n = Wt.shape
    wo = Wt[old]
    wn = Wt[new]
    for c in prange(c_n):
        row = g[c]
        wc = Wt[c]
        for v in range(v_n):
            row[v] = row[v] + (wn[v] >= wc[v]) - (wo[v] >= wc[v])


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _swap_one(Wt, g, wts, unit, x, y, k, lo, hi, out):
    """Add the first-difference histogram of swap ``x -> y`` over ballots ``lo:hi``.

    Bin 0 collects voters with no preference, ``g(x)`` those preferring the current
    committee from level ``g(x)``, ``k + 1 + g(y)`` those preferring the neighbour.
    """
    loc = np.zeros(2 * k + 1, dtype=np.int64)
    wx = Wt[x]
    wy = Wt[y]
    gx = g[x]
    gy = g[y]
    if unit:
        for v in range(lo, hi):
            a = wx[v]
            b = wy[v]
            loc[(a > b) * np.int64(gx[v]) + (b > a) * (k + 1 + np.int64(gy[v]))] += 1
    else:
        for v in range(lo, hi):
            a = wx[v]
            b = wy[v]
            loc[(a > b) * np.int64(gx[v]) + (b > a) * (k + 1 + np.int64(gy[v]))] += wts[v]
    for t in range(k):
        out[0, t] += loc[1 + t]
        out[1, t] += loc[k + 1 + t]


@_config.serialised
@njit(parallel=True, fastmath=_config.FASTMATH, cache=_config.CACHE)
def _swap_counts_parallel(Wt, g, wts, unit, xs, ys, k, n_chunks):
    p_n = xs.shape[0]
    v_n = Wt.shape[1]
    part = np.zeros((n_chunks, p_n, 2, k), dtype=np.int64)
    chunk = (v_n + n_chunks - 1) // n_chunks
    for t in prange(n_chunks * p_n):
        c = t // p_n
        p = t - c * p_n
        lo = c * chunk
        hi = min(v_n, lo + chunk)
        if lo < hi:
            _swap_one(Wt, g, wts, unit, xs[p], ys[p], k, lo, hi, part[c, p])
    out = np.zeros((p_n, 2, k), dtype=np.int64)
    for c in range(n_chunks):
        out += part[c]
    _finish_best(out)
    return out


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _swap_counts_serial(Wt, g, wts, unit, xs, ys, k):
    out = np.zeros((xs.shape[0], 2, k), dtype=np.int64)
    for p in range(xs.shape[0]):
        _swap_one(Wt, g, wts, unit, xs[p], ys[p], k, 0, Wt.shape[1], out[p])
    _finish_best(out)
    return out


# ------------------------------------------------------------- many committees
@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _block_keys(W, comms, lo, hi, bits, keys):
    """``keys[c, v - lo]``: committee ``c``'s sorted weights for ballot ``v``, packed.

    With at most 64 candidates each ballot's candidates are ordered once (ties in
    any order: equal weights pack alike) and a committee becomes a 64-bit mask of
    its members' places; reading the mask from the top gives its weights in
    decreasing order without sorting every committee.
    """
    n_comm, k = comms.shape
    n_cand = W.shape[1]
    if n_cand > 64:
        vals = np.empty(k, dtype=np.int64)
        for c in range(n_comm):
            for v in range(lo, hi):
                for t in range(k):
                    vals[t] = W[v, comms[c, t]]
                _sort_desc(vals, k)
                key = np.int64(0)
                for t in range(k):
                    key = (key << bits) | vals[t]
                keys[c, v - lo] = key
        return
    place = np.empty(n_cand, dtype=np.int64)
    order = np.empty(n_cand, dtype=np.int64)
    value_at = np.zeros(65, dtype=np.int64)
    one = np.uint64(1)
    for v in range(lo, hi):
        row = W[v]
        for r in range(n_cand):  # candidates by decreasing weight (insertion sort)
            x = row[r]
            j = r - 1
            while j >= 0 and row[order[j]] < x:
                order[j + 1] = order[j]
                j -= 1
            order[j + 1] = r
        for r in range(n_cand):
            place[order[r]] = 63 - r
            value_at[r] = row[order[r]]
        for c in range(n_comm):
            mask = np.uint64(0)
            for t in range(k):
                mask |= one << np.uint64(place[comms[c, t]])
            key = np.int64(0)
            for _ in range(k):
                z = leading_zeros(mask)
                key = (key << bits) | value_at[z]
                mask ^= one << np.uint64(63 - z)
            keys[c, v - lo] = key


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _pair_block_keys(W, wts, comms, pairs, bits, lo, hi, acc):
    """``best`` contests over ballots ``lo:hi`` through packed keys (``bits·k <= 63``).

    Each voter adds their weight to bin ``65·s + z``: ``s`` the side they prefer,
    ``z`` the leading zeros of the two keys' xor (64 when equal); after each block
    the bins are folded into first-difference positions.
    """
    n_comm, k = comms.shape
    # leading zeros of the xor -> first differing position t (0-based)
    level = np.full(65, -1, dtype=np.int64)
    for z in range(64 - bits * k, 64):
        level[z] = (k - 1) - (63 - z) // bits
    block = max(256, min(4096, KEYS_PER_BLOCK // max(1, n_comm)))
    keys = np.empty((n_comm, block), dtype=np.int64)
    loc = np.zeros(130, dtype=np.int64)
    unit = True
    for v in range(lo, hi):
        if wts[v] != 1:
            unit = False
            break
    for blo in range(lo, hi, block):
        bhi = min(hi, blo + block)
        n = bhi - blo
        _block_keys(W, comms, blo, bhi, bits, keys)
        wb = wts[blo:bhi]
        for p in range(pairs.shape[0]):
            kx = keys[pairs[p, 0]]
            ky = keys[pairs[p, 1]]
            loc[:] = 0
            if unit:
                for v in range(n):
                    a = kx[v]
                    b = ky[v]
                    loc[(a < b) * 65 + leading_zeros(a ^ b)] += 1
            else:
                for v in range(n):
                    a = kx[v]
                    b = ky[v]
                    loc[(a < b) * 65 + leading_zeros(a ^ b)] += wb[v]
            for z in range(64 - bits * k, 64):
                t = level[z]
                acc[p, 0, t] += loc[z]
                acc[p, 1, t] += loc[65 + z]


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _pair_block_lists(W, wts, comms, pairs, combined, lo, hi, acc):
    """Contests over ballots ``lo:hi`` by sorted lists (``best``) or prefix sums."""
    n_comm, k = comms.shape
    blk = 64
    srt = np.empty((n_comm, blk, k), dtype=np.int64)
    for blo in range(lo, hi, blk):
        bhi = min(hi, blo + blk)
        n = bhi - blo
        for c in range(n_comm):
            for v in range(n):
                row = srt[c, v]
                for t in range(k):
                    row[t] = W[blo + v, comms[c, t]]
                _sort_desc(row, k)
                if combined:
                    for t in range(1, k):
                        row[t] += row[t - 1]
        for p in range(pairs.shape[0]):
            sx = srt[pairs[p, 0]]
            sy = srt[pairs[p, 1]]
            for v in range(n):
                w = wts[blo + v]
                rx = sx[v]
                ry = sy[v]
                for t in range(k):
                    if rx[t] != ry[t]:
                        s = 0 if rx[t] > ry[t] else 1
                        acc[p, s, t] += w
                        if not combined:
                            break


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _pair_block(W, wts, comms, pairs, combined, bits, lo, hi, acc):
    if not combined and bits * comms.shape[1] <= 63:
        _pair_block_keys(W, wts, comms, pairs, bits, lo, hi, acc)
    else:
        _pair_block_lists(W, wts, comms, pairs, combined, lo, hi, acc)


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _pair_counts_serial(W, wts, comms, pairs, combined, bits):
    k = comms.shape[1]
    acc = np.zeros((pairs.shape[0], 2, k), dtype=np.int64)
    _pair_block(W, wts, comms, pairs, combined, bits, 0, W.shape[0], acc)
    if not combined:
        _finish_best(acc)
    return acc


@_config.serialised
@njit(parallel=True, fastmath=_config.FASTMATH, cache=_config.CACHE)
def _pair_counts_parallel(W, wts, comms, pairs, combined, bits, n_chunks):
    k = comms.shape[1]
    n = W.shape[0]
    part = np.zeros((n_chunks, pairs.shape[0], 2, k), dtype=np.int64)
    chunk = (n + n_chunks - 1) // n_chunks
    for t in prange(n_chunks):
        lo = t * chunk
        hi = min(n, lo + chunk)
        if lo < hi:
            _pair_block(W, wts, comms, pairs, combined, bits, lo, hi, part[t])
    acc = np.zeros((pairs.shape[0], 2, k), dtype=np.int64)
    for t in range(n_chunks):
        acc += part[t]
    if not combined:
        _finish_best(acc)
    return acc
