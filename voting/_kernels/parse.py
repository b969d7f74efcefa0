"""Byte-level parsing kernels for ballot files.

:func:`_parse_civs_block` turns a block of CIVS / Elekto ballot CSV text, already
encoded to UTF-8 bytes, into dense rank rows in one pass. It handles only the plain
cases (unquoted numbers, ``No opinion``, blank cells, spaces, ``\\r\\n``); every other
line is flagged so that the Python reader (:mod:`voting.formats.civs`) re-examines
just that line, either parsing it (quoted cells, ``no opinion`` in other cases, very
long numbers) or rejecting it with a precise reason. The plain-Python reference of
the whole line grammar is ``voting.formats.civs._parse_row``; a hypothesis test checks
that the two agree on every line the kernel accepts.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from voting._kernels import _config

_UNRANKED = np.int32(np.iinfo(np.int32).max)
_NO_KEY = np.int64(np.iinfo(np.int64).max)
_NO_OPINION = np.frombuffer(b"No opinion", dtype=np.uint8).copy()
_MAX_DIGITS = 18

LINE_OK = 0
"""Status of a line parsed into a ballot row."""
LINE_FLAGGED = 1
"""Status of a line the kernel does not accept; Python re-examines it."""
LINE_BLANK = 2
"""Status of an empty or whitespace-only line: not a ballot."""


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _count_lines(buf):
    """Number of lines in ``buf``: newlines, plus one for a last line without one.

    Runtime complexity: O(len(buf)).
    """
    n = buf.shape[0]
    count = 0
    for i in range(n):
        if buf[i] == 10:
            count += 1
    if n > 0 and buf[n - 1] != 10:
        count += 1
    return count


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _dense_row(keys, order, n_cands, out, row):
    """Write the dense tiers of ``keys`` into ``out[row]`` (smaller key = better).

    ``keys[j] == _NO_KEY`` marks an unranked candidate. ``order`` is scratch space of
    length ``n_cands``. Insertion sort: O(C²) worst case, O(C) on sorted input.
    """
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
def _parse_civs_line(buf, start, stop, n_cands, inverted, keys):
    """Parse one line ``buf[start:stop]`` (no newline) into ``keys``.

    Returns ``LINE_OK``, ``LINE_FLAGGED`` or ``LINE_BLANK``. On ``LINE_OK``,
    ``keys[j]`` is the sort key of candidate ``j`` (smaller = preferred) or
    ``_NO_KEY`` for unranked.
    """
    if stop > start and buf[stop - 1] == 13:
        stop -= 1
    p = start
    while p < stop and (buf[p] == 32 or buf[p] == 9):
        p += 1
    if p == stop:
        return LINE_BLANK
    p = start
    col = 0
    while True:
        while p < stop and (buf[p] == 32 or buf[p] == 9):
            p += 1
        if col >= n_cands:
            return LINE_FLAGGED
        b = buf[p] if p < stop else np.uint8(44)
        if 48 <= b <= 57:
            value = np.int64(0)
            digits = 0
            while p < stop and 48 <= buf[p] <= 57:
                value = value * 10 + np.int64(buf[p] - 48)
                digits += 1
                p += 1
                if digits > _MAX_DIGITS:
                    return LINE_FLAGGED
            if inverted:
                key = _NO_KEY if value <= 1 else -value
            else:
                key = value
        elif b == 78:
            if stop - p < 10:
                return LINE_FLAGGED
            for i in range(10):
                if buf[p + i] != _NO_OPINION[i]:
                    return LINE_FLAGGED
            p += 10
            key = _NO_KEY
        elif b == 44:
            key = _NO_KEY
        else:
            return LINE_FLAGGED
        while p < stop and (buf[p] == 32 or buf[p] == 9):
            p += 1
        keys[col] = key
        col += 1
        if p >= stop:
            break
        if buf[p] != 44:
            return LINE_FLAGGED
        p += 1
    if col != n_cands:
        return LINE_FLAGGED
    return LINE_OK


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _parse_civs_block(buf, n_cands, inverted):
    """Parse a block of CIVS ballot lines into dense rank rows.

    Parameters
    ----------
    buf : (N,) uint8
        UTF-8 bytes of whole lines (the last one may lack its newline).
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
        Byte offsets of each line, newline excluded (``\\r`` included).

    Preconditions (validated by caller): ``buf`` is C-contiguous, ``n_cands >= 1``.
    Runtime complexity: O(len(buf) + L·C²) worst case; O(len(buf) + L·C) when most
    rows are nearly sorted.
    """
    n = buf.shape[0]
    n_lines = _count_lines(buf)
    ranks = np.empty((n_lines, n_cands), dtype=np.int32)
    status = np.empty(n_lines, dtype=np.int8)
    starts = np.empty(n_lines, dtype=np.int64)
    ends = np.empty(n_lines, dtype=np.int64)
    keys = np.empty(n_cands, dtype=np.int64)
    order = np.empty(n_cands, dtype=np.int64)
    pos = 0
    for li in range(n_lines):
        start = pos
        stop = start
        while stop < n and buf[stop] != 10:
            stop += 1
        pos = stop + 1
        starts[li] = start
        ends[li] = stop
        st = _parse_civs_line(buf, start, stop, n_cands, inverted, keys)
        status[li] = st
        if st == LINE_OK:
            _dense_row(keys, order, n_cands, ranks, li)
    return ranks, status, starts, ends
