"""STV ballot orders, Meek distributions and Gregory moves without numba
(:mod:`voting._kernels.stv`).

Same integer arithmetic as the kernels, vectorised over the unique ballots: the
kernels walk one ballot at a time down its positions, these walk every ballot's
position ``i`` at once.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from numpy.typing import NDArray

from voting._typing import UNRANKED

__all__ = [
    "MeekFlat",
    "ballot_orders",
    "gregory_move",
    "gregory_parcel",
    "gregory_start",
    "gregory_tally",
]

IntArray = NDArray[np.int64]


def ballot_orders(
    ranks: NDArray[np.int32], rows: IntArray
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32], bool]:
    """``(order, tier, length, strict)`` of rows ``rows`` (see the kernel: no tier rows
    when every ballot is strict). O(U·C log C)."""
    sub = ranks[rows]
    c = sub.shape[1]
    order = np.argsort(sub, axis=1, kind="stable").astype(np.int32)
    tier = np.take_along_axis(sub, order, axis=1).astype(np.int32)
    length = (sub != UNRANKED).sum(axis=1).astype(np.int32)
    past = np.arange(c)[None, :] >= length[:, None]
    order[past] = -1
    tier[past] = -1
    strict = not bool(((tier[:, 1:] == tier[:, :-1]) & ~past[:, 1:]).any()) if c > 1 else True
    return order, tier[:0] if strict else tier, length, strict


class MeekFlat:
    """One Meek distribution of every unique ballot, as :func:`_meek_add` computes it.

    The tier groups of the ballots are found once: for each position, where its group
    of candidates ranked equal starts and ends. A distribution then walks the
    positions, every ballot at once: a position alone in its group keeps
    ``ceil(w·f / scale)`` (the weight going on: ``w - keep``, or with ``nz``
    ``ceil(w·(scale - f) / scale)``); a position in a group of several, ``k'`` of
    them with ``f > 0``, keeps ``floor(w·f / (k'·scale))`` from the weight ``w`` that
    reached the group, which falls by the group's total at its last position.
    Positions past a ballot's length point at a dummy candidate with ``f = 0``.
    O(U·C) per distribution.
    """

    def __init__(
        self,
        order: NDArray[np.int32],
        tier: NDArray[np.int32],
        length: NDArray[np.int32],
        mult: IntArray,
    ) -> None:
        u, c = order.shape
        self.n_candidates = c
        self.cand = np.where(order >= 0, order, c).astype(np.intp)
        self.mult = np.asarray(mult, dtype=np.int64)
        self.width = int(length.max()) if u else 0
        valid = order >= 0
        same_prev = np.zeros((u, c), dtype=np.bool_)
        if c > 1:
            same_prev[:, 1:] = (tier[:, 1:] == tier[:, :-1]) & valid[:, 1:]
        pos = np.arange(c)
        self.start = np.maximum.accumulate(np.where(same_prev, 0, pos[None, :]), axis=1)
        same_next = np.zeros((u, c), dtype=np.bool_)
        same_next[:, :-1] = same_prev[:, 1:]
        ends = np.where(same_next, c, pos[None, :] + 1)
        self.end = np.minimum.accumulate(ends[:, ::-1], axis=1)[:, ::-1]
        self.single = (self.end - self.start) == 1
        self.last = self.end == pos[None, :] + 1
        self.strict = bool(self.single.all())
        self.single_col = self.single.all(axis=0)

    def __call__(self, kf: IntArray, scale: int, nz: bool) -> tuple[IntArray, int]:
        """Scaled votes per candidate and the scaled non-transferable weight."""
        c = self.n_candidates
        u = self.cand.shape[0]
        s = np.int64(scale)
        f_all = np.append(np.asarray(kf, dtype=np.int64), np.int64(0))[self.cand]
        kprime = None
        if not self.strict:
            held = np.zeros((u, c + 1), dtype=np.int64)
            np.cumsum(f_all > 0, axis=1, out=held[:, 1:])
            kprime = np.take_along_axis(held, self.end, axis=1) - np.take_along_axis(
                held, self.start, axis=1
            )
        w = np.full(u, s, dtype=np.int64)
        taken = np.zeros(u, dtype=np.int64)
        keeps = np.empty((u, self.width), dtype=np.int64)
        for i in range(self.width):
            f = f_all[:, i]
            # f = 0 (excluded, or past the ballot's end) keeps 0 and passes w on whole
            keep: IntArray = (w * f + s - 1) // s
            w_single = cast(IntArray, (w * (s - f) + s - 1) // s if nz else w - keep)
            if kprime is None or self.single_col[i]:
                w = w_single
            else:
                single = self.single[:, i]
                share = (w * f) // np.maximum(kprime[:, i] * s, 1)
                keep = np.where(single, keep, share)
                taken += np.where(single, 0, keep)
                last = self.last[:, i] & ~single
                w = np.where(single, w_single, np.where(last, w - taken, w))
                taken[last] = 0
            keeps[:, i] = keep
        votes = _exact_bincount(self.cand[:, : self.width], keeps * self.mult[:, None], c + 1)
        return votes[:c], int((w * self.mult).sum())


def _exact_bincount(index: NDArray[np.intp], values: IntArray, n: int) -> IntArray:
    """``out[k]``: the sum of ``values`` where ``index == k``, exact in int64.

    Through float64 ``bincount`` (one pass) when the values are non-negative and their
    total is below 2**53, where every partial sum is an exact integer; else ``add.at``.
    """
    if values.size == 0:
        return np.zeros(n, dtype=np.int64)
    total = int(values.sum(dtype=np.float64))
    if total < 2**52 and int(values.min()) >= 0:
        got = np.bincount(index.ravel(), weights=values.ravel().astype(np.float64), minlength=n)
        return np.rint(got).astype(np.int64)
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, index.ravel(), values.ravel())
    return out


def _next_continuing(
    order: NDArray[np.int32],
    length: NDArray[np.int32],
    after: NDArray[np.int32],
    continuing: NDArray[np.bool_],
) -> NDArray[np.int64]:
    """The first position past ``after`` holding a continuing candidate, else ``length``."""
    c = order.shape[1]
    ok = np.append(continuing, False)[order]  # position -1 (past the end) is never continuing
    ok &= np.arange(c)[None, :] > after[:, None]
    return np.where(ok.any(axis=1), ok.argmax(axis=1), length).astype(np.int64)


def gregory_start(
    order: NDArray[np.int32], length: NDArray[np.int32], continuing: NDArray[np.bool_]
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """``(at, pos)``: each ballot's first continuing candidate (``-1``: none). O(U·C)."""
    u = order.shape[0]
    pos = _next_continuing(order, length, np.full(u, -1, dtype=np.int32), continuing)
    held = pos < length
    at = np.full(u, -1, dtype=np.int32)
    at[held] = order[np.flatnonzero(held), pos[held]]
    return at, pos.astype(np.int32)


def _selected(
    at: NDArray[np.int32],
    arrived: NDArray[np.int32],
    source: NDArray[np.bool_],
    parcel: int,
) -> NDArray[np.bool_]:
    sel: NDArray[np.bool_] = np.append(source, False)[at]  # at = -1: exhausted, never a source
    if parcel >= 0:
        sel &= arrived == parcel
    return sel


def gregory_move(
    order: NDArray[np.int32],
    length: NDArray[np.int32],
    at: NDArray[np.int32],
    pos: NDArray[np.int32],
    cls: NDArray[np.int32],
    arrived: NDArray[np.int32],
    source: NDArray[np.bool_],
    class_select: NDArray[np.bool_],
    class_map: NDArray[np.int32],
    continuing: NDArray[np.bool_],
    parcel: int,
    stage: int,
    keep_stuck: bool,
) -> None:
    """Move the selected ballots to their next continuing candidate, in place (see the
    kernel). O(U·C)."""
    sel = _selected(at, arrived, source, parcel)
    sel &= class_select[cls]
    rows = np.flatnonzero(sel)
    p = _next_continuing(order[rows], length[rows], pos[rows], continuing)
    if keep_stuck:
        moving = p < length[rows]
        rows, p = rows[moving], p[moving]
    held = p < length[rows]
    cls[rows] = class_map[cls[rows]]
    pos[rows] = p
    at[rows] = np.where(held, order[rows, np.minimum(p, order.shape[1] - 1)], -1)
    arrived[rows] = stage


def gregory_parcel(
    order: NDArray[np.int32],
    length: NDArray[np.int32],
    at: NDArray[np.int32],
    pos: NDArray[np.int32],
    cls: NDArray[np.int32],
    arrived: NDArray[np.int32],
    mult: IntArray,
    source: NDArray[np.bool_],
    parcel: int,
    continuing: NDArray[np.bool_],
    n_classes: int,
) -> IntArray:
    """``(2, K)`` voters of the source candidates' papers by value class; row 0 with a
    next continuing preference, row 1 without. O(U·C)."""
    out = np.zeros((2, n_classes), dtype=np.int64)
    rows = np.flatnonzero(_selected(at, arrived, source, parcel))
    p = _next_continuing(order[rows], length[rows], pos[rows], continuing)
    np.add.at(out, ((p >= length[rows]).astype(np.intp), cls[rows]), mult[rows])
    return out


def gregory_tally(
    at: NDArray[np.int32], cls: NDArray[np.int32], mult: IntArray, n_candidates: int, n_classes: int
) -> IntArray:
    """``(C + 1, K)`` voters per holding candidate and value class (row C: exhausted)."""
    out = np.zeros((n_candidates + 1, n_classes), dtype=np.int64)
    np.add.at(out, (np.where(at < 0, n_candidates, at), cls), mult)
    return out
