"""Compress a profile to the unique rankings an STV count needs.

Two ballots with the same ranking travel together through every STV rule here (their
transfers depend only on the ranking and the count's state), so a count only needs
each distinct ranking once, with its number of voters. Rows are grouped by the
library's one deduplication, :func:`voting._distinct.distinct_rows` (behind
:meth:`voting.Profile.compress`), in its unordered mode: one pass through a hash
table, O(V·C), comparing rows cell by cell whenever hashes match, so different
ballots are never merged. A count does not need the lexicographic order that
:meth:`~voting.Profile.compress` guarantees, and skipping the sort halves the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import kernels, use_numba
from voting._distinct import distinct_rows, is_sorted_distinct
from voting._numpy_paths import stv as _np_stv
from voting.exceptions import EmptyProfileError, UnsupportedProfileError
from voting.profile import Profile

__all__ = ["Ballots", "compress", "order_dtype"]


def order_dtype(n_candidates: int) -> type[np.signedinteger[Any]]:
    """The dtype of :attr:`Ballots.order`: int8 up to 127 candidates (the values are
    ``-1 .. C-1``), else int32."""
    return np.int8 if n_candidates <= np.iinfo(np.int8).max else np.int32


MAX_VOTERS = 9 * 10**9
"""Above this many voters the int64 fixed-point kernels could overflow (10^9 scale)."""


@dataclass(frozen=True, slots=True)
class Ballots:
    """Unique non-empty rankings as orders, with their voter counts.

    Attributes
    ----------
    order : (U, C) int8 (up to 127 candidates) or int32 (:func:`order_dtype`)
        ``order[u, i]``: the candidate at position ``i`` of ranking ``u``, ``-1`` after
        its last ranked candidate.
    tier : (U, C) int32
        The tier of each position (``-1`` after the last); candidates ranked equal
        share a tier. Built on request when every ranking is strict (the tier of
        position ``i`` is ``i``), so that a large strict count, which never reads it,
        does not hold an array of the size of ``order``.
    stored_tier : (U, C) or (0, C) int32
        ``tier`` as stored: no rows when every ranking is strict.
    length : (U,) int32
    mult : (U,) int64
        Voters who cast each ranking.
    strict : bool
        No ranking puts two candidates in one tier.
    valid : int
        Voters whose ballot ranks someone.
    invalid : int
        Voters whose ballot ranks no one (not counted).
    """

    order: NDArray[np.signedinteger[Any]]
    stored_tier: NDArray[np.int32]
    length: NDArray[np.int32]
    mult: NDArray[np.int64]
    strict: bool
    valid: int
    invalid: int

    @property
    def tier(self) -> NDArray[np.int32]:
        """The tier of each position (see the class docstring). O(U·C) when built."""
        if self.stored_tier.shape[0] == self.order.shape[0]:
            return self.stored_tier
        positions = np.arange(self.order.shape[1], dtype=np.int32)
        built = np.where(positions[None, :] < self.length[:, None], positions[None, :], -1)
        return np.ascontiguousarray(built, dtype=np.int32)

    @property
    def n_candidates(self) -> int:
        return int(self.order.shape[1])

    @property
    def n_unique(self) -> int:
        return int(self.order.shape[0])


def compress(profile: Profile) -> Ballots:
    """The unique non-empty rankings of ``profile`` (see :class:`Ballots`).

    Raises
    ------
    EmptyProfileError
        No ballot ranks any candidate.
    UnsupportedProfileError
        More voters than the fixed-point kernels can hold exactly.

    Runtime complexity: O(V·C) expected for V ballots of C candidates. A profile
    whose rows are already distinct and sorted (as :func:`voting.read_ballots` and
    :meth:`voting.Profile.compress` return them) is taken as it is, after one pass
    that checks the order.
    """
    if is_sorted_distinct(profile.ranks):  # read_ballots and Profile.compress give such rows
        distinct, summed = profile.ranks, profile.weights
    else:  # the library's one deduplication (Profile.compress), in its unordered mode
        distinct, summed = distinct_rows(profile.ranks, profile.weights, ordered=False)
    mult = summed.copy()  # writeable, like every array the STV kernels are compiled for
    rows = np.arange(distinct.shape[0], dtype=np.int64)
    dtype = order_dtype(distinct.shape[1])
    if use_numba("orders", distinct.size):
        out = np.empty(distinct.shape, dtype=dtype)
        order, tier, length, strict = kernels("stv")._ballot_orders(distinct, rows, out)
    else:
        order, tier, length, strict = _np_stv.ballot_orders(distinct, rows)
        order = order.astype(dtype)
    keep = length > 0
    invalid = int(mult[~keep].sum())
    if invalid or not keep.all():
        order, length, mult = order[keep], length[keep], mult[keep]
        tier = tier[keep] if tier.shape[0] else tier
    valid = int(mult.sum())
    if valid == 0:
        raise EmptyProfileError(
            "stv: no ballot ranks any candidate, so there is no valid vote to count."
        )
    if valid > MAX_VOTERS:
        raise UnsupportedProfileError(
            f"stv: {valid} voters exceed the {MAX_VOTERS} that the exact fixed-point "
            "kernels can count without overflow."
        )
    return Ballots(
        np.ascontiguousarray(order),
        np.ascontiguousarray(tier),
        np.ascontiguousarray(length),
        np.ascontiguousarray(mult, dtype=np.int64),
        bool(strict),
        valid,
        invalid,
    )
