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
comparison. No validation happens here (see ``voting.methods.civs_proportional``).
Integer arithmetic only (int64 counts); no fastmath.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
from numba import njit, prange
from numba.cpython.unsafe.numbers import leading_zeros
from numpy.typing import NDArray

from voting._kernels import _config

__all__ = [
    "ClimbState",
    "_neighbour_counts",
    "_pair_counts",
    "_strong_tallies",
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


def _narrowest(low: int, high: int) -> type[np.signedinteger[Any]]:
    """The smallest signed integer type holding ``low..high``."""
    for t in (np.int8, np.int16, np.int32):
        info = np.iinfo(t)
        if info.min <= low and high <= info.max:
            return t
    return np.int64


class ClimbState:
    """The current committee of a hill climb and its table ``G`` (see module notes).

    Parameters
    ----------
    W : (V, C) int64
        Ballot weights, larger = preferred.
    wts : (V,) int64
        Voters per ballot.
    comm : (k,) int64
        The starting committee.
    parallel : bool
        Split the work over all numba threads.

    Notes
    -----
    The weights are stored transposed in the narrowest integer type that holds them,
    and ``G`` in the narrowest that holds ``k``: both passes are bound by memory
    traffic. Memory O(V·C); :meth:`swap` costs O(V·C), :meth:`counts` O(V) per
    neighbour.
    """

    def __init__(
        self, W: NDArray[np.int64], wts: NDArray[np.int64], comm: NDArray[np.int64], parallel: bool
    ) -> None:
        low, high = (int(W.min()), int(W.max())) if W.size else (0, 0)
        self.wt = np.ascontiguousarray(W.T, dtype=_narrowest(low, high))
        self.wts = np.ascontiguousarray(wts, dtype=np.int64)
        self.unit = bool((self.wts == 1).all())
        self.k = int(comm.shape[0])
        self.parallel = parallel
        self.g = np.empty(self.wt.shape, dtype=_narrowest(0, self.k))
        _member_counts(self.wt, np.ascontiguousarray(comm, dtype=np.int64), self.g)

    def swap(self, old: int, new: int) -> None:
        """Replace member ``old`` by ``new``."""
        _member_swap(self.wt, self.g, old, new)

    def counts(self, xs: NDArray[np.int64], ys: NDArray[np.int64]) -> NDArray[np.int64]:
        """``[p, s, f - 1]``: voters preferring side ``s`` (0 = the current committee,
        1 = it with member ``xs[p]`` replaced by ``ys[p]``) at level ``f``."""
        out: NDArray[np.int64]
        args = (self.wt, self.g, self.wts, self.unit, xs, ys, self.k)
        if self.parallel:
            out = _swap_counts_parallel(*args, numba.get_num_threads())
        else:
            out = _swap_counts_serial(*args)
        return out


def _neighbour_counts(
    W: NDArray[np.int64],
    wts: NDArray[np.int64],
    comm: NDArray[np.int64],
    outs: NDArray[np.int64],
    parallel: bool,
) -> NDArray[np.int64]:
    """Counts of every single-swap contest around committee ``comm``, either criterion.

    Both criteria give the same counts on single swaps (module notes), so there is no
    ``combined`` switch; the tests check the claim against the reference under each.

    Parameters
    ----------
    W, wts, parallel
        As for :class:`ClimbState`.
    comm : (k,) int64
        The current committee.
    outs : (m,) int64
        The candidates outside it.

    Returns
    -------
    (k, m, 2, k) int64
        ``[i, j, s, f - 1]``: voters preferring side ``s`` (0 = ``comm``, 1 = the
        committee with ``comm[i]`` replaced by ``outs[j]``) at level ``f``.

    Notes
    -----
    Preconditions (validated by caller): C-contiguous arrays, distinct indices in
    range, ``comm`` and ``outs`` disjoint, ``k >= 1``.
    Runtime complexity: O(V·C·k) for the table, then O(V) per neighbour.
    """
    k, m = comm.shape[0], outs.shape[0]
    state = ClimbState(W, wts, comm, parallel)
    xs = np.repeat(comm, m).astype(np.int64)
    ys = np.tile(outs, k).astype(np.int64)
    return state.counts(xs, ys).reshape(k, m, 2, k)


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
        Ballot weights, larger = preferred, non-negative.
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
    Preconditions (validated by caller): C-contiguous arrays, indices in range,
    non-negative weights.
    Runtime complexity: O(V·(M·k² + P)) for ``best`` with packed keys, O(V·(M·k² +
    P·k)) otherwise; extra memory O(T·P·k + M·B·k) for T threads and blocks of B
    ballots.
    """
    top = int(W.max()) if W.size else 0
    bits = max(1, top.bit_length())
    out: NDArray[np.int64]
    if parallel:
        n = numba.get_num_threads()
        out = _pair_counts_parallel(W, wts, comms, pairs, combined, bits, n)
    else:
        out = _pair_counts_serial(W, wts, comms, pairs, combined, bits)
    return out
