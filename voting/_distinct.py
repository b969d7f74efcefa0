"""Distinct ballots: the library's one way of merging identical rows.

Every count that needs each distinct ballot once, with its number of voters, merges
rows here: :meth:`voting.Profile.compress`, :class:`voting.BallotCounter`, the STV
counts, CPO-STV, CIVS proportional, the cast-vote-record builder and RCTab's ballot
groups. Rows are compared cell by cell, so two different ballots are never merged,
and weights are summed exactly in int64. Two orders are on offer, and callers pick
the one their output promises:

* :func:`distinct_rows` with ``ordered=True``: rows in lexicographic order (unranked
  after every tier), so that two profiles holding the same multiset of ballots
  compress to equal arrays. Each row is packed into int64 keys (:func:`row_keys`) and
  sorted once (:func:`lex_order`): O(V·C + V log V); leading rows already in order
  are merged rather than sorted again.
* :func:`distinct_rows` with ``ordered=False``, and :func:`group_rows`: groups in
  order of first appearance, in one pass through a hash table (the numba kernel
  :func:`voting._kernels.rows._unique_rows`, O(V·C) expected, about twice as fast as
  sorting at 10^6 x 20), or, for small inputs, a sort by the NumPy path
  (:func:`voting._numpy_paths.rows.group_rows`; see :mod:`voting._dispatch`).

:func:`unique_rows` serves the callers that need each row's group as well (Schulze's
defeat codes, the completed strengths of Schulze STV, the prefix sets of bloc
discovery): the sorted distinct rows of any integer matrix, with the inverse map and
each group's first row.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import DTypeLike, NDArray

from voting._dispatch import kernels, use_numba
from voting._numpy_paths import rows as _np_rows
from voting._typing import UNRANKED, RankArray, WeightArray

__all__ = [
    "distinct_rows",
    "group_rows",
    "group_sums",
    "is_sorted_distinct",
    "lex_order",
    "merge_distinct",
    "narrow_ranks",
    "row_keys",
    "unique_rows",
    "widen_ranks",
]

IntRows = NDArray[np.integer[Any]]
Int64Array = NDArray[np.int64]
IntT = TypeVar("IntT", bound=np.integer[Any])
RowsT = TypeVar("RowsT", bound=IntRows)
"""Rank rows: a profile's int32 ranks, or :func:`narrow_ranks` rows."""


def _readonly(a: NDArray[Any]) -> NDArray[Any]:
    a.setflags(write=False)
    return a


def distinct_rows(
    ranks: RowsT, weights: WeightArray, *, ordered: bool = True
) -> tuple[RowsT, WeightArray]:
    """Distinct rows of ``ranks`` with their summed ``weights``.

    Parameters
    ----------
    ranks : (V, C) int32, or uint8
        Rank rows (:attr:`voting.Profile.ranks`, or :func:`narrow_ranks` rows, which
        come back narrow); with ``ordered=False`` any integer rows (CIVS proportional
        merges its int64 weight rows here).
    weights : (V,) int64
    ordered : bool, default True
        True: rows in lexicographic order, ``UNRANKED`` after every tier (the order
        of :meth:`voting.Profile.compress`). False: in order of first appearance,
        hashed (see the module notes); for callers that do not need the order.

    Returns
    -------
    rows, weights
        Read-only and C-contiguous; ``ranks`` itself when every row is distinct and
        read-only under ``ordered=False``. Weights summed exactly in int64.

    Notes
    -----
    Runtime complexity: O(V·C + V log V) ordered, O(V·C) expected unordered. Sorting
    the distinct rows of the unordered mode afterwards would not pay: it is slower
    than sorting every row when most rows are distinct. Ordered, on the numba engine,
    the leading rows already distinct and in order (one pass finds them) are not
    sorted again: when they are at least ``1 / MERGE_MIN_SHARE`` of the rows, only
    the rest is sorted, and merged with them in one pass
    (:func:`voting._kernels.rows._merge_sorted_rows`); when they are every row, the
    arrays are returned as they are (copied only if writeable). This is what a
    :class:`voting.BallotCounter` asks for, with its distinct rows first and the rows
    queued since after them: O(V·C + Q log Q) for Q queued rows.
    """
    if ranks.shape[0] == 0:
        return ranks, weights
    if not ordered:
        first, sums = group_rows(ranks, weights)
        # all distinct: the groups are the rows, in order (a read-only array needs no copy)
        same = first.shape[0] == ranks.shape[0] and not ranks.flags.writeable
        rows = ranks if same else np.ascontiguousarray(ranks[first])
        return cast(RowsT, _readonly(rows)), cast(WeightArray, _readonly(sums))
    if use_numba("rows", ranks.size):
        k = kernels("rows")
        head = int(k._sorted_prefix(ranks))
        if head == ranks.shape[0]:  # distinct and in order already: nothing to merge
            return _owned(ranks, ranks.dtype), _owned(weights, np.int64)
        if MERGE_MIN_SHARE * head >= ranks.shape[0]:
            rest, rest_w = _sort_distinct(ranks[head:], weights[head:])
            rows, summed = k._merge_sorted_rows(ranks[:head], weights[:head], rest, rest_w)
            return cast(RowsT, _readonly(rows)), cast(WeightArray, _readonly(summed))
    return _sort_distinct(ranks, weights)


MERGE_MIN_SHARE = 4
""":func:`distinct_rows` (ordered, numba engine) merges the leading rows that are
already distinct and in order with the sorted rest, rather than sorting everything,
when they are at least ``1 / MERGE_MIN_SHARE`` of the rows (a
:class:`voting.BallotCounter` merging its rows with those queued since)."""


def _owned(a: NDArray[Any], dtype: DTypeLike) -> Any:
    """``a`` read-only and C-contiguous: itself when it is so already, else a copy."""
    if not a.flags.writeable and a.flags.c_contiguous and a.dtype == dtype:
        return a
    return _readonly(np.array(a, dtype=dtype, order="C"))


def _sort_distinct(ranks: RowsT, weights: WeightArray) -> tuple[RowsT, WeightArray]:
    """The distinct rows of ``ranks`` in lexicographic order, summed weights: a sort of
    the :func:`row_keys` (:func:`lex_order`). O(V·C + V log V)."""
    keys = row_keys(ranks)
    order = lex_order(keys)
    first = keys[0][order]
    change = np.ones(len(order), dtype=np.bool_)
    change[1:] = first[1:] != first[:-1]
    if len(keys) > 1:  # the other keys decide only where the first ones are equal
        at = np.flatnonzero(~change)
        now, before = order[at], order[at - 1]
        for k in keys[1:]:
            change[at] |= k[now] != k[before]
    starts = np.flatnonzero(change)
    summed = np.add.reduceat(weights[order], starts)  # exact int64 sums
    rows = np.ascontiguousarray(ranks[order[starts]])
    return cast(RowsT, _readonly(rows)), cast(WeightArray, _readonly(summed))


def lex_order(keys: list[Int64Array]) -> NDArray[np.intp]:
    """An order of the rows that sorts their ``keys`` (most significant first)
    lexicographically; rows with equal keys in any order among themselves.

    The first key is sorted alone (NumPy's quicksort, vectorised: several times
    faster than the stable sorts of :func:`numpy.lexsort`), then only the runs of
    equal first keys are sorted by the other keys; when most rows are in such runs
    (many identical ballots), :func:`numpy.lexsort` sorts every row by every key at
    once instead. O(V log V).
    """
    first = keys[0]
    if len(keys) == 1:
        return np.argsort(first)
    order = np.argsort(first)
    sorted_first = first[order]
    tie = sorted_first[1:] == sorted_first[:-1]
    n_tied = int(np.count_nonzero(tie))
    if n_tied == 0:
        return order
    if 2 * n_tied > len(order):
        return cast(NDArray[np.intp], np.lexsort(keys[::-1]))
    inside = np.zeros(len(order), dtype=np.bool_)  # positions in a run of equal first keys
    inside[1:] = tie
    inside[:-1] |= tie
    where = np.flatnonzero(inside)
    run = np.cumsum(np.concatenate(([True], ~tie))[where])  # a new run where keys change
    rows = order[where]
    # runs stay where they are (``run`` first); inside each, the other keys decide
    order[where] = rows[np.lexsort([k[rows] for k in keys[:0:-1]] + [run])]
    return order


def merge_distinct(
    rows: RowsT, weights: WeightArray, more: RowsT, more_weights: WeightArray
) -> tuple[RowsT, WeightArray]:
    """:func:`distinct_rows` (ordered) of ``rows`` followed by ``more``, where ``rows``
    are distinct and in order already (what :func:`distinct_rows` returns).

    On the numba engine ``more`` alone is sorted and then merged with ``rows`` in one
    pass (:func:`voting._kernels.rows._merge_sorted_rows`), so the two are never
    copied into one array first: a :class:`voting.BallotCounter` adding a batch of
    ballots to the distinct ballots it holds. O((R + M)·C + M log M).
    """
    if rows.dtype != more.dtype:  # 255 is unranked in narrow rows only: never mix them
        raise TypeError(f"merge_distinct: {rows.dtype} rows with {more.dtype} rows")
    if more.shape[0] == 0:
        return _owned(rows, rows.dtype), _owned(weights, np.int64)
    if rows.shape[0] == 0:
        return distinct_rows(more, more_weights)
    if use_numba("rows", rows.size + more.size):
        rest, rest_w = distinct_rows(more, more_weights)
        merged, summed = kernels("rows")._merge_sorted_rows(rows, weights, rest, rest_w)
        return cast(RowsT, _readonly(merged)), cast(WeightArray, _readonly(summed))
    return distinct_rows(
        cast(RowsT, np.concatenate([rows, more])),
        cast(WeightArray, np.concatenate([weights, more_weights])),
    )


NARROW_UNRANKED = 255
"""The unranked mark of :func:`narrow_ranks` rows (``UNRANKED`` wraps to it)."""


def narrow_ranks(ranks: NDArray[np.uint8] | RankArray) -> NDArray[np.uint8] | RankArray:
    """Rank rows in one byte a cell when every tier fits (at most 255 candidates):
    ``UNRANKED`` becomes :data:`NARROW_UNRANKED`, which stays above every tier, so
    rows keep their lexicographic order and :func:`distinct_rows`,
    :func:`merge_distinct` and :func:`row_keys` take them as they are. A quarter of
    the memory (and of the bytes every sort and merge moves); :func:`widen_ranks`
    turns them back. Wider profiles, and rows narrowed already, come back as they
    are. O(V·C)."""
    if ranks.shape[1] > NARROW_UNRANKED or ranks.dtype == np.uint8:
        return ranks
    return ranks.astype(np.uint8)  # wraps: the int32 maximum is 0x7FFFFFFF -> 0xFF


def widen_ranks(rows: NDArray[np.uint8] | RankArray) -> RankArray:
    """The int32 rank rows of :func:`narrow_ranks` rows (a new, writeable array, or
    ``rows`` itself when they were not narrowed). O(V·C)."""
    if rows.dtype != np.uint8:
        return cast(RankArray, rows)
    if use_numba("rows", rows.size):  # one pass, no mask
        return cast(RankArray, kernels("rows")._widen_rows(rows, NARROW_UNRANKED))
    wide = rows.astype(np.int32)
    wide[rows == NARROW_UNRANKED] = UNRANKED
    return wide


def group_rows(rows: IntRows, weights: Int64Array) -> tuple[Int64Array, Int64Array]:
    """The first row of each group of identical rows, in order of first appearance, and
    each group's summed weight (exact int64).

    The numba kernel (a hash table of more than twice as many slots as rows, rows
    compared cell by cell when hashes match; O(V·C) expected) for large inputs, the
    NumPy path (a sort, O(V·C log V)) for small ones: both give the same groups in the
    same order (``tests/test_engines.py``).
    """
    if use_numba("rows", rows.size):
        bits = max(4, int(2 * rows.shape[0]).bit_length())
        first, sums = kernels("rows")._unique_rows(rows, weights, bits)
        return cast(Int64Array, first), cast(Int64Array, sums)
    return _np_rows.group_rows(rows, weights)


def row_keys(ranks: IntRows) -> list[Int64Array]:
    """int64 keys, most significant first, that order rank rows lexicographically.

    ``UNRANKED`` maps to ``C`` (after every tier), each cell is a digit in base
    ``C + 1``, and as many digits go in one key as fit below 2**62. Cells must be
    tiers ``0..C-1`` or ``UNRANKED`` (a profile's ranks), or rows of
    :func:`narrow_ranks` (whose unranked mark, 255, maps to ``C`` as well). O(V·C).
    """
    c = ranks.shape[1]
    base = c + 1
    per = 1
    while base ** (per + 1) <= 2**62:
        per += 1
    if use_numba("rows", ranks.size):  # one pass over the rows (voting._dispatch)
        n_keys = -(-c // per)
        return list(kernels("rows")._row_keys(ranks, per, n_keys))
    x = np.minimum(ranks, c).astype(np.int64)  # the unranked mark (UNRANKED or 255) -> C
    keys = []
    for g in range(0, c, per):
        block = x[:, g : g + per]
        powers = base ** np.arange(block.shape[1] - 1, -1, -1, dtype=np.int64)
        keys.append(block @ powers)
    return keys


def is_sorted_distinct(ranks: RankArray) -> bool:
    """Whether the rows are distinct and in :func:`distinct_rows` order already
    (nothing to merge), as :func:`voting.read_ballots` and
    :meth:`voting.Profile.compress` return them. One pass, O(V·C)."""
    if use_numba("rows", ranks.size):
        return bool(kernels("rows")._rows_strictly_increasing(ranks))
    return _np_rows.rows_strictly_increasing(ranks)


def unique_rows(
    rows: NDArray[IntT],
) -> tuple[NDArray[IntT], NDArray[np.intp], NDArray[np.intp]]:
    """The sorted distinct rows of an integer matrix, each row's group, and each
    group's first row.

    Returns ``(uniq, inverse, first)`` with ``rows[i] == uniq[inverse[i]]`` and
    ``first[g]`` the smallest ``i`` in group ``g``: what ``numpy.unique(rows, axis=0,
    return_index=True, return_inverse=True)`` returns, in the same order, with one
    column sorted by :func:`numpy.unique` on a 1-D array and more by a stable
    :func:`numpy.lexsort` on the columns (much faster than ``axis=0``, which sorts
    structured records). Runtime complexity: O(W·N log N) for N rows of W columns.
    """
    arr = rows
    n, w = arr.shape
    if w == 0:  # every row is the empty row
        idx = np.zeros(n, dtype=np.intp)
        return arr[:1], idx, idx[:1]
    if w == 1:
        uniq, first, inv = np.unique(arr[:, 0], return_index=True, return_inverse=True)
        return uniq.reshape(-1, 1), inv.reshape(-1), first
    order = np.lexsort(arr.T[::-1])  # stable: the first row of a group comes first
    s = arr[order]
    new = np.ones(n, dtype=np.bool_)
    if n > 1:
        new[1:] = (s[1:] != s[:-1]).any(axis=1)
    group = np.cumsum(new) - 1
    inv = np.empty(n, dtype=np.intp)
    inv[order] = group
    return s[new], inv, order[new]


def group_sums(inverse: NDArray[np.intp], weights: Int64Array, n_groups: int) -> Int64Array:
    """Each group's summed weight, exact in int64 (``numpy.bincount`` would sum in
    float64). O(N)."""
    sums = np.zeros(n_groups, dtype=np.int64)
    np.add.at(sums, inverse, np.asarray(weights, dtype=np.int64))
    return sums
