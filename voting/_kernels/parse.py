"""Byte-level parsing kernels for ballot files.

:func:`_parse_civs_block` turns a block of CIVS / Elekto ballot CSV text, already
encoded to UTF-8 bytes, into dense rank rows in one pass. It handles only the plain
cases (unquoted numbers, ``No opinion``, blank cells, spaces, ``\\r\\n``); every other
line is flagged so that the Python reader (:mod:`voting.formats.civs`) re-examines
just that line, either parsing it (quoted cells, ``no opinion`` in other cases, very
long numbers) or rejecting it with a precise reason. The plain-Python reference of
the whole line grammar is ``voting.formats.civs._parse_row``; a hypothesis test checks
that the two agree on every line the kernel accepts.

:func:`_parse_civs_block_parallel` gives exactly the same arrays, the lines split over
threads once the newlines are found (each line's parse is independent of the others).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from voting._kernels import _config
from voting._typing import LINE_BLANK, LINE_FLAGGED, LINE_OK

__all__ = ["_parse_civs_block", "_parse_civs_block_parallel"]

_UNRANKED = np.int32(np.iinfo(np.int32).max)
_NO_KEY = np.int64(np.iinfo(np.int64).max)
_NO_OPINION = np.frombuffer(b"No opinion", dtype=np.uint8).copy()
_MAX_DIGITS = 18
_SLOTS = 256


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _count_lines(buf):
    """Number of newline bytes in ``buf``. Runtime complexity: O(len(buf))."""
    count = 0
    for i in range(buf.shape[0]):
        if buf[i] == 10:
            count += 1
    return count


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _dense_row(keys, order, mark, tierof, stamp, lo, hi, k, n_cands, out, row):
    """Write the dense tiers of ``keys`` into ``out[row]`` (smaller key = better).

    ``keys[j] == _NO_KEY`` marks an unranked candidate; ``k`` keys are ranked, the
    smallest ``lo`` and the largest ``hi``. When ``hi - lo < _SLOTS`` (the usual case:
    ranks are small numbers) each key is bucketed: ``mark[key - lo] = stamp`` (a
    value unique to this row, so ``mark`` never needs clearing) and ``tierof`` gets
    the tier of every marked slot, O(C + span). Otherwise an insertion sort through
    ``order`` is used, O(C²) worst case. ``order`` (length ``n_cands``), ``mark`` and
    ``tierof`` (length ``_SLOTS``) are scratch space.
    """
    if k == 0:
        for j in range(n_cands):
            out[row, j] = _UNRANKED
        return
    if hi - lo < _SLOTS:
        for j in range(n_cands):
            key = keys[j]
            if key != _NO_KEY:
                mark[key - lo] = stamp
        tier = 0
        for v in range(hi - lo + 1):
            if mark[v] == stamp:
                tierof[v] = tier
                tier += 1
        for j in range(n_cands):
            key = keys[j]
            out[row, j] = _UNRANKED if key == _NO_KEY else tierof[key - lo]
        return
    k = 0
    for j in range(n_cands):
        key = keys[j]
        out[row, j] = _UNRANKED
        if key == _NO_KEY:
            continue
        i = k
        while i > 0 and keys[order[i - 1]] > key:
            order[i] = order[i - 1]
            i -= 1
        order[i] = j
        k += 1
    tier = -1
    prev = _NO_KEY
    for i in range(k):
        key = keys[order[i]]
        if i == 0 or key != prev:
            tier += 1
            prev = key
        out[row, order[i]] = tier


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _parse_civs_line(buf, pos, n_cands, inverted, keys, order, mark, tierof, stamp, ranks, li):
    """Parse the line starting at ``buf[pos]`` into ``ranks[li]``.

    Returns ``(status, end)`` where ``end`` is the position of the line's newline.
    ``keys``, ``order`` (length ``n_cands``), ``mark`` and ``tierof`` (length
    ``_SLOTS``) are scratch space; ``stamp`` is a value unique to this line among the
    lines that share ``mark`` (see :func:`_dense_row`). ``ranks[li]`` is written
    only when the status is ``LINE_OK``.
    """
    while buf[pos] == 32 or buf[pos] == 9:
        pos += 1
    b = buf[pos]
    if b == 13 and buf[pos + 1] == 10:
        pos += 1
        b = buf[pos]
    if b == 10:
        return LINE_BLANK, pos
    st = LINE_OK
    col = 0
    lo = _NO_KEY
    hi = -_NO_KEY
    k = 0
    while True:
        while buf[pos] == 32 or buf[pos] == 9:
            pos += 1
        b = buf[pos]
        if b >= 48 and b <= 57:
            value = np.int64(b - 48)
            pos += 1
            digits = 1
            b = buf[pos]
            while b >= 48 and b <= 57:
                value = value * 10 + np.int64(b - 48)
                digits += 1
                pos += 1
                b = buf[pos]
            if digits > _MAX_DIGITS:
                st = LINE_FLAGGED
                break
            key = (_NO_KEY if value <= 1 else -value) if inverted else value
        elif b == 78:
            same = True
            for i in range(10):
                if buf[pos + i] != _NO_OPINION[i]:
                    same = False
                    break
            if not same:
                st = LINE_FLAGGED
                break
            pos += 10
            key = _NO_KEY
        elif b == 44 or b == 10 or b == 13:
            key = _NO_KEY
        else:
            st = LINE_FLAGGED
            break
        while buf[pos] == 32 or buf[pos] == 9:
            pos += 1
        if col >= n_cands:
            st = LINE_FLAGGED
            break
        keys[col] = key
        col += 1
        if key != _NO_KEY:
            k += 1
            if key < lo:
                lo = key
            if key > hi:
                hi = key
        b = buf[pos]
        if b == 44:
            pos += 1
            continue
        if b == 13 and buf[pos + 1] == 10:
            pos += 1
            b = buf[pos]
        if b != 10:
            st = LINE_FLAGGED
        break
    if st == LINE_OK and col != n_cands:
        st = LINE_FLAGGED
    while buf[pos] != 10:
        pos += 1
    if st == LINE_OK:
        _dense_row(keys, order, mark, tierof, stamp, lo, hi, k, n_cands, ranks, li)
    return st, pos


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _parse_civs_block(buf, n_cands, inverted):
    """Parse a block of CIVS ballot lines into dense rank rows.

    Parameters
    ----------
    buf : (N,) uint8
        UTF-8 bytes of whole lines, each ending with ``\\n`` (the last newline is
        the sentinel that lets the loops run without bounds checks).
    n_cands : int
        Number of candidates (values expected per line), >= 1.
    inverted : bool
        False: a smaller number is preferred. True (CIVS proportional exports): a
        larger number is preferred and a value <= 1 means unranked.

    Returns
    -------
    ranks : (L, n_cands) int32
        Row ``i`` holds the dense tiers of line ``i`` (0 = top, ``_UNRANKED`` for
        ``No opinion`` or a blank cell) where ``status[i] == LINE_OK``; other rows
        are undefined.
    status : (L,) int8
        ``LINE_OK``, ``LINE_FLAGGED`` or ``LINE_BLANK`` per line.
    starts, ends : (L,) int64
        Byte offsets of each line, newline excluded (a ``\\r`` before it included).

    Notes
    -----
    The grammar accepted here, per line: cells separated by ``,``; each cell is
    spaces/tabs around either a run of at most 18 ASCII digits, the exact text
    ``No opinion``, or nothing; exactly ``n_cands`` cells; an optional ``\\r``
    before the newline. A line of only spaces/tabs is ``LINE_BLANK``. Anything else
    is ``LINE_FLAGGED``.

    Preconditions (validated by caller): ``buf`` is 1-D and empty or ending with a
    newline byte; ``n_cands >= 1``.
    Runtime complexity: O(len(buf) + L·C) when each row's numbers span fewer than
    ``_SLOTS`` = 256 values (always, in practice); O(len(buf) + L·C²) worst case
    otherwise (insertion sort of the row).
    """
    n_lines = _count_lines(buf)
    ranks = np.empty((n_lines, n_cands), dtype=np.int32)
    status = np.empty(n_lines, dtype=np.int8)
    starts = np.empty(n_lines, dtype=np.int64)
    ends = np.empty(n_lines, dtype=np.int64)
    keys = np.empty(n_cands, dtype=np.int64)
    order = np.empty(n_cands, dtype=np.int64)
    mark = np.zeros(_SLOTS, dtype=np.int64)
    tierof = np.zeros(_SLOTS, dtype=np.int32)
    pos = 0
    for li in range(n_lines):
        starts[li] = pos
        st, end = _parse_civs_line(
            buf, pos, n_cands, inverted, keys, order, mark, tierof, li + 1, ranks, li
        )
        status[li] = st
        ends[li] = end
        pos = end + 1
    return ranks, status, starts, ends


@_config.serialised
@njit(parallel=True, cache=_config.CACHE, fastmath=_config.FASTMATH)
def _parse_civs_block_parallel(buf, n_cands, inverted, n_chunks):
    """:func:`_parse_civs_block` with the lines split over ``n_chunks`` threads.

    One serial pass finds the newlines (so every line's start is known), then each
    chunk of consecutive lines is parsed by :func:`_parse_civs_line` with its own
    scratch rows, into disjoint rows of the outputs: the same arrays as the serial
    kernel. Same preconditions. Runtime complexity: O(len(buf) + L·C) in total.
    """
    n_lines = _count_lines(buf)
    ends = np.empty(n_lines, dtype=np.int64)
    k = 0
    for i in range(buf.shape[0]):
        if buf[i] == 10:
            ends[k] = i
            k += 1
    starts = np.empty(n_lines, dtype=np.int64)
    if n_lines:
        starts[0] = 0
        for li in range(1, n_lines):
            starts[li] = ends[li - 1] + 1
    ranks = np.empty((n_lines, n_cands), dtype=np.int32)
    status = np.empty(n_lines, dtype=np.int8)
    keys = np.empty((n_chunks, n_cands), dtype=np.int64)
    order = np.empty((n_chunks, n_cands), dtype=np.int64)
    mark = np.zeros((n_chunks, _SLOTS), dtype=np.int64)
    tierof = np.zeros((n_chunks, _SLOTS), dtype=np.int32)
    size = (n_lines + n_chunks - 1) // n_chunks
    for t in prange(n_chunks):
        lo = t * size
        hi = min(n_lines, lo + size)
        for li in range(lo, hi):
            st, _ = _parse_civs_line(
                buf,
                starts[li],
                n_cands,
                inverted,
                keys[t],
                order[t],
                mark[t],
                tierof[t],
                li + 1,
                ranks,
                li,
            )
            status[li] = st
    return ranks, status, starts, ends
