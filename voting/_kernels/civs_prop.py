"""Kernels for CIVS proportional representation: voters comparing committees.

Every ballot is a row of *weights* ``W[v, c]`` (larger = preferred). A voter compares
committees ``A`` and ``B`` (``k`` members each) by their members' weights sorted in
decreasing order, ``a_1 >= ... >= a_k`` and ``b_1 >= ... >= b_k``:

* ``best`` criterion: at level ``f`` the voter prefers ``A`` when, at the first
  position ``d < f`` where the two lists differ, ``a_d > b_d`` (no preference when
  they agree on the first ``f`` positions). A voter whose lists first differ at
  position ``d`` therefore prefers the same side at every ``f > d``, so the kernels
  count voters by ``d`` and take a cumulative sum at the end.
* ``combined`` criterion: at level ``f`` the voter prefers the committee whose ``f``
  largest weights have the larger sum.

The kernels return weighted counts ``counts[..., s, f - 1]``: voters preferring
side ``s`` (0 = ``A``, 1 = ``B``) at level ``f``; ``f = k`` is the whole-committee
comparison. No validation happens here (see ``voting.methods.civs_proportional``).
Integer arithmetic only (int64 counts); no fastmath.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from voting._kernels import _config

__all__ = [
    "_neighbour_counts",
    "_pair_counts",
]


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
def _neighbour_block(W, wts, comm, outs, combined, lo, hi, acc):
    """Accumulate the neighbour contests of ballots ``lo:hi`` into ``acc``.

    ``acc[i, j, s, t]``: for ``best``, voters whose first difference is at position
    ``t`` and who prefer side ``s``; for ``combined``, voters preferring side ``s``
    at level ``t + 1``. The neighbour ``(i, j)`` replaces ``comm[i]`` by ``outs[j]``.
    """
    k = comm.shape[0]
    m = outs.shape[0]
    a = np.empty(k, dtype=np.int64)
    srt = np.empty(k, dtype=np.int64)
    pa = np.empty(k, dtype=np.int64)
    gx = np.empty(k, dtype=np.int64)
    gy = np.empty(m, dtype=np.int64)
    sb = np.empty(k, dtype=np.int64)
    for v in range(lo, hi):
        w = wts[v]
        for i in range(k):
            a[i] = W[v, comm[i]]
        if not combined:
            for i in range(k):
                g = 0
                for t in range(k):
                    if a[t] >= a[i]:
                        g += 1
                gx[i] = g - 1
            for j in range(m):
                wy = W[v, outs[j]]
                g = 0
                for t in range(k):
                    if a[t] >= wy:
                        g += 1
                gy[j] = g
            for i in range(k):
                wx = a[i]
                for j in range(m):
                    wy = W[v, outs[j]]
                    if wx > wy:
                        acc[i, j, 0, gx[i]] += w
                    elif wy > wx:
                        acc[i, j, 1, gy[j]] += w
        else:
            for i in range(k):
                srt[i] = a[i]
            _sort_desc(srt, k)
            s = 0
            for t in range(k):
                s += srt[t]
                pa[t] = s
            for i in range(k):
                wx = a[i]
                # srt without one occurrence of wx
                n = 0
                dropped = False
                for t in range(k):
                    if not dropped and srt[t] == wx:
                        dropped = True
                    else:
                        sb[n] = srt[t]
                        n += 1
                for j in range(m):
                    wy = W[v, outs[j]]
                    if wy == wx:
                        continue
                    # prefix sums of (sb[:k-1] + wy) sorted, compared level by level
                    s = 0
                    placed = False
                    p = 0
                    for t in range(k):
                        if not placed and (p >= k - 1 or wy > sb[p]):
                            s += wy
                            placed = True
                        else:
                            s += sb[p]
                            p += 1
                        if pa[t] > s:
                            acc[i, j, 0, t] += w
                        elif s > pa[t]:
                            acc[i, j, 1, t] += w


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _finish_best(acc):
    """Turn first-difference histograms into per-level counts (cumulative sum)."""
    k = acc.shape[-1]
    flat = acc.reshape(-1, k)
    for r in range(flat.shape[0]):
        for t in range(1, k):
            flat[r, t] += flat[r, t - 1]


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _neighbour_counts_serial(W, wts, comm, outs, combined):
    k = comm.shape[0]
    acc = np.zeros((k, outs.shape[0], 2, k), dtype=np.int64)
    _neighbour_block(W, wts, comm, outs, combined, 0, W.shape[0], acc)
    if not combined:
        _finish_best(acc)
    return acc


@njit(parallel=True, fastmath=_config.FASTMATH, cache=_config.CACHE)
def _neighbour_counts_parallel(W, wts, comm, outs, combined, n_chunks):
    k = comm.shape[0]
    m = outs.shape[0]
    n = W.shape[0]
    part = np.zeros((n_chunks, k, m, 2, k), dtype=np.int64)
    chunk = (n + n_chunks - 1) // n_chunks
    for t in prange(n_chunks):
        lo = t * chunk
        hi = min(n, lo + chunk)
        if lo < hi:
            _neighbour_block(W, wts, comm, outs, combined, lo, hi, part[t])
    acc = np.zeros((k, m, 2, k), dtype=np.int64)
    for t in range(n_chunks):
        acc += part[t]
    if not combined:
        _finish_best(acc)
    return acc


def _neighbour_counts(
    W: NDArray[np.int64],
    wts: NDArray[np.int64],
    comm: NDArray[np.int64],
    outs: NDArray[np.int64],
    combined: bool,
    parallel: bool,
) -> NDArray[np.int64]:
    """Counts of every single-swap contest around committee ``comm``.

    Parameters
    ----------
    W : (V, C) int64
        Ballot weights, larger = preferred.
    wts : (V,) int64
        Voters per ballot.
    comm : (k,) int64
        The current committee.
    outs : (m,) int64
        The candidates outside it.
    combined : bool
        Criterion: ``combined`` weights (True) or ``best`` candidate (False).
    parallel : bool
        Split ballots over all numba threads.

    Returns
    -------
    (k, m, 2, k) int64
        ``[i, j, s, f - 1]``: voters preferring side ``s`` (0 = ``comm``, 1 = the
        committee with ``comm[i]`` replaced by ``outs[j]``) at level ``f``.

    Notes
    -----
    Preconditions (validated by caller): C-contiguous arrays, distinct indices in
    range, ``comm`` and ``outs`` disjoint, ``k >= 1``.
    Runtime complexity: O(V·k·C) for ``best``, O(V·k²·C) for ``combined``.
    """
    out: NDArray[np.int64]
    if parallel:
        out = _neighbour_counts_parallel(W, wts, comm, outs, combined, numba.get_num_threads())
    else:
        out = _neighbour_counts_serial(W, wts, comm, outs, combined)
    return out


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _pair_block(W, wts, comms, pairs, combined, lo, hi, acc):
    """Accumulate the contests ``pairs`` between ``comms`` for ballots ``lo:hi``."""
    n_comm, k = comms.shape
    srt = np.empty((n_comm, k), dtype=np.int64)
    for v in range(lo, hi):
        w = wts[v]
        for c in range(n_comm):
            for t in range(k):
                srt[c, t] = W[v, comms[c, t]]
            _sort_desc(srt[c], k)
        for p in range(pairs.shape[0]):
            x = pairs[p, 0]
            y = pairs[p, 1]
            if not combined:
                for t in range(k):
                    if srt[x, t] != srt[y, t]:
                        if srt[x, t] > srt[y, t]:
                            acc[p, 0, t] += w
                        else:
                            acc[p, 1, t] += w
                        break
            else:
                sx = 0
                sy = 0
                for t in range(k):
                    sx += srt[x, t]
                    sy += srt[y, t]
                    if sx > sy:
                        acc[p, 0, t] += w
                    elif sy > sx:
                        acc[p, 1, t] += w


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _pair_counts_serial(W, wts, comms, pairs, combined):
    k = comms.shape[1]
    acc = np.zeros((pairs.shape[0], 2, k), dtype=np.int64)
    _pair_block(W, wts, comms, pairs, combined, 0, W.shape[0], acc)
    if not combined:
        _finish_best(acc)
    return acc


@njit(parallel=True, fastmath=_config.FASTMATH, cache=_config.CACHE)
def _pair_counts_parallel(W, wts, comms, pairs, combined, n_chunks):
    k = comms.shape[1]
    n = W.shape[0]
    part = np.zeros((n_chunks, pairs.shape[0], 2, k), dtype=np.int64)
    chunk = (n + n_chunks - 1) // n_chunks
    for t in prange(n_chunks):
        lo = t * chunk
        hi = min(n, lo + chunk)
        if lo < hi:
            _pair_block(W, wts, comms, pairs, combined, lo, hi, part[t])
    acc = np.zeros((pairs.shape[0], 2, k), dtype=np.int64)
    for t in range(n_chunks):
        acc += part[t]
    if not combined:
        _finish_best(acc)
    return acc


def _pair_counts(
    W: NDArray[np.int64],
    wts: NDArray[np.int64],
    comms: NDArray[np.int64],
    pairs: NDArray[np.int64],
    combined: bool,
    parallel: bool,
) -> NDArray[np.int64]:
    """Counts of the contests ``comms[pairs[p, 0]]`` vs ``comms[pairs[p, 1]]``.

    Parameters
    ----------
    W : (V, C) int64
    wts : (V,) int64
    comms : (M, k) int64
        Committees, one per row.
    pairs : (P, 2) int64
        Row indices into ``comms``.
    combined : bool
    parallel : bool

    Returns
    -------
    (P, 2, k) int64
        ``[p, s, f - 1]``: voters preferring side ``s`` of pair ``p`` at level ``f``.

    Notes
    -----
    Preconditions (validated by caller): C-contiguous arrays, indices in range.
    Runtime complexity: O(V·(M·k² + P·k)); extra memory O(T·P·k) for T threads.
    """
    out: NDArray[np.int64]
    if parallel:
        out = _pair_counts_parallel(W, wts, comms, pairs, combined, numba.get_num_threads())
    else:
        out = _pair_counts_serial(W, wts, comms, pairs, combined)
    return out
