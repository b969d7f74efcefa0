"""CIVS proportional contests without numba (:mod:`voting._kernels.civs_prop`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["ClimbTable", "pair_counts", "strong_tallies"]

IntArray = NDArray[np.int64]
_FLOAT_EXACT = 2**53
_BLOCK = 1 << 21
"""Cells of sorted weights (ballots x contests x levels) held per block of contests."""


def strong_tallies(
    first: IntArray, second: IntArray, n_voters: int, seats: int, initial_against: int
) -> tuple[IntArray, IntArray, IntArray]:
    """CIVS's proportional tally of every contest at once, level by level (the
    kernel's loop, vectorised over contests). O(P·k)."""
    p_n, k = first.shape
    ta = np.zeros(p_n, dtype=np.int64)
    tb = np.zeros(p_n, dtype=np.int64)
    level = np.zeros(p_n, dtype=np.int64)
    best_for = np.zeros(p_n, dtype=np.int64)
    best_against = np.full(p_n, initial_against, dtype=np.int64)
    for t in range(k):
        need = (t + 1) * n_voters
        x = np.where(first[:, t] * (seats + 1) < need, 0, first[:, t])
        y = np.where(second[:, t] * (seats + 1) < need, 0, second[:, t])
        for a, b in ((x, y), (y, x)):
            hit = (a >= best_for) & (b <= best_against)
            best_for = np.where(hit, a, best_for)
            best_against = np.where(hit, b, best_against)
            ta = np.where(hit, x, ta)
            tb = np.where(hit, y, tb)
            level = np.where(hit, t + 1, level)
    return ta, tb, level


def _weighted_bins(bins: NDArray[np.intp], wts: IntArray, n_bins: int) -> IntArray:
    """Sum ``wts`` (broadcast over ``bins``) into ``n_bins`` bins, exactly."""
    weights = np.broadcast_to(wts, bins.shape)
    if int(wts.sum()) < _FLOAT_EXACT:  # no bin sums more than every voter once
        got = np.bincount(bins.ravel(), weights=weights.ravel(), minlength=n_bins)
        return got.astype(np.int64)
    out = np.zeros(n_bins, dtype=np.int64)
    np.add.at(out, bins.ravel(), weights.ravel())
    return out


class ClimbTable:
    """The hill climb's committee and table ``G`` (the kernels' ``ClimbState``).

    ``G[c, v]``: members of the committee that voter ``v`` weights at least as much
    as candidate ``c``. O(V·C·k) to build, O(V·C) per swap, O(V) per neighbour.
    """

    def __init__(self, W: IntArray, wts: IntArray, comm: IntArray) -> None:
        self.wt = np.ascontiguousarray(W.T, dtype=np.int64)
        self.wts = np.ascontiguousarray(wts, dtype=np.int64)
        self.k = int(comm.shape[0])
        self.g = np.zeros(self.wt.shape, dtype=np.int64)
        for m in np.asarray(comm).tolist():
            self.g += self.wt[m][None, :] >= self.wt

    def swap(self, old: int, new: int) -> None:
        """Replace member ``old`` by ``new``."""
        self.g += (self.wt[new][None, :] >= self.wt).astype(np.int64)
        self.g -= self.wt[old][None, :] >= self.wt

    def counts(self, xs: IntArray, ys: IntArray) -> IntArray:
        """``[p, s, f - 1]``: voters preferring side ``s`` (0 = the committee, 1 = it
        with ``xs[p]`` replaced by ``ys[p]``) at level ``f`` (see the kernel)."""
        k = self.k
        a, b = self.wt[xs], self.wt[ys]
        idx = (a > b) * self.g[xs] + (b > a) * (k + 1 + self.g[ys])
        n_bins = 2 * k + 1
        bins = (idx + np.arange(xs.shape[0])[:, None] * n_bins).astype(np.intp)
        loc = _weighted_bins(bins, self.wts, xs.shape[0] * n_bins).reshape(-1, n_bins)
        out = np.stack([loc[:, 1 : k + 1], loc[:, k + 1 : 2 * k + 1]], axis=1)
        return np.cumsum(out, axis=2)


def pair_counts(
    W: IntArray, wts: IntArray, comms: IntArray, pairs: IntArray, combined: bool
) -> IntArray:
    """``[p, s, f - 1]``: voters preferring side ``s`` of contest ``p`` at level ``f``.

    Each committee's member weights are sorted once per ballot (prefix sums for
    ``combined``); a ``best`` contest is decided at the first level where the two
    lists differ, and counted from there on (a cumulative sum). O(V·M·k log k +
    V·P·k).
    """
    v, _ = W.shape
    k = comms.shape[1]
    p_n = pairs.shape[0]
    out = np.zeros((p_n, 2, k), dtype=np.int64)
    if p_n == 0 or v == 0:
        return out
    srt = -np.sort(-W[:, comms], axis=2)  # (V, M, k), largest first
    if combined:
        srt = np.cumsum(srt, axis=2)
    step = max(1, _BLOCK // max(1, v * k))
    for lo in range(0, p_n, step):
        pr = pairs[lo : lo + step]
        sx, sy = srt[:, pr[:, 0]], srt[:, pr[:, 1]]  # (V, p, k)
        n = pr.shape[0]
        if combined:
            for s, prefer in enumerate((sx > sy, sx < sy)):
                out[lo : lo + n, s] = np.einsum("v,vpt->pt", wts, prefer.astype(np.int64))
            continue
        differ = sx != sy
        first = differ.argmax(axis=2)  # (V, p)
        x_at = np.take_along_axis(sx, first[..., None], axis=2)[..., 0]
        y_at = np.take_along_axis(sy, first[..., None], axis=2)[..., 0]
        side = (x_at < y_at).astype(np.intp)
        at = np.arange(n)[None, :] * 2 * k + side * k + first
        at = np.where(differ.any(axis=2), at, 2 * k * n)  # no preference: a spare bin
        got = _weighted_bins(at.T.astype(np.intp), wts, 2 * k * n + 1)
        out[lo : lo + n] = got[:-1].reshape(n, 2, k)
    if not combined:
        np.cumsum(out, axis=2, out=out)
    return out
