"""Helpers the CIVS, Debian and PrefLib readers share: option checks and chunking."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from voting._typing import UNRANKED, UnrankedPolicy
from voting.exceptions import InvalidParameterError
from voting.profile import Profile

__all__ = ["RowChunker", "check_options", "dense_tiers", "repeat_rows"]


def check_options(
    format_name: str, options: Mapping[str, object], known: Mapping[str, object]
) -> dict[str, object]:
    """``known`` (name -> default) updated with ``options``; unknown names raise.

    Raises
    ------
    InvalidParameterError
        For an option the format does not know, naming it and the known ones.
    """
    unknown = sorted(set(options) - set(known))
    if unknown:
        listed = ", ".join(repr(k) for k in sorted(known)) or "none"
        raise InvalidParameterError(
            f"unknown option {unknown[0]!r} for the {format_name!r} ballot format; "
            f"its options are: {listed}."
        )
    out = dict(known)
    out.update(options)
    return out


def dense_tiers(keys: Sequence[int | None]) -> list[int]:
    """Dense tiers from sort keys (smaller = preferred, ``None`` = unranked).

    ``[3, None, 1, 3]`` gives ``[1, UNRANKED, 0, 1]``. Runtime complexity: O(C log C).
    """
    distinct = sorted({k for k in keys if k is not None})
    pos = {k: i for i, k in enumerate(distinct)}
    return [UNRANKED if k is None else pos[k] for k in keys]


def repeat_rows(
    rows: np.ndarray[Any, Any], weights: np.ndarray[Any, Any], block: int = 65536
) -> Iterator[np.ndarray[Any, Any]]:
    """The rows of ``rows``, row ``i`` repeated ``weights[i]`` times, in order, as arrays
    of at most ``block`` rows (a heavier row comes in several arrays).

    What a writer of a format without weights (one line per voter) needs, in memory
    bounded by ``block`` rows whatever the weights: weights are never expanded whole
    (a weight of 10^10 would take 75 GiB). Runtime complexity: O(voters·C) to produce.
    """
    n = len(weights)
    i = 0
    while i < n:
        w = int(weights[i])
        if w >= block:
            row = rows[i : i + 1]
            for start in range(0, w, block):
                yield np.repeat(row, min(block, w - start), axis=0)
            i += 1
            continue
        # rows i..j-1 whose weights add up to at most ``block`` (each weight >= 1, so
        # at most ``block`` rows are looked at)
        cum = np.cumsum(np.minimum(weights[i : i + block], block), dtype=np.int64)
        j = i + max(1, int(np.searchsorted(cum, block, side="right")))
        yield np.repeat(rows[i:j], weights[i:j], axis=0)
        i = j


class RowChunker:
    """Collect rank rows (and weights) and hand them out as profiles of ``chunk_size`` rows.

    Rows arrive in arrays of any length (:meth:`add`); profiles of exactly
    ``chunk_size`` rows leave as soon as enough have arrived, and :meth:`finish`
    yields the rest, or one empty profile when nothing was yielded at all (so the
    candidates are always known). Memory: at most one chunk plus one batch of rows.
    """

    def __init__(
        self, candidates: tuple[str, ...], policy: UnrankedPolicy, chunk_size: int
    ) -> None:
        self.candidates = candidates
        self.policy: UnrankedPolicy = policy
        self.chunk_size = chunk_size
        self._ranks: list[np.ndarray[Any, Any]] = []
        self._weights: list[np.ndarray[Any, Any] | None] = []
        self._pending = 0
        self.yielded = 0

    def _profile(
        self, ranks: np.ndarray[Any, Any], weights: np.ndarray[Any, Any] | None
    ) -> Profile:
        ranks = np.ascontiguousarray(ranks, dtype=np.int32)
        ranks.setflags(write=False)
        if weights is not None:
            weights = np.ascontiguousarray(weights, dtype=np.int64)
            weights.setflags(write=False)
        self.yielded += 1
        return Profile(ranks, weights, self.candidates, self.policy)

    def add(
        self, ranks: np.ndarray[Any, Any], weights: np.ndarray[Any, Any] | None = None
    ) -> Iterator[Profile]:
        """Queue ``ranks`` (rows of dense tiers) with optional ``weights``; yield full chunks."""
        if len(ranks) == 0:
            return
        self._ranks.append(ranks)
        self._weights.append(weights)
        self._pending += len(ranks)
        if self._pending >= self.chunk_size:
            yield from self._drain(final=False)

    def finish(self) -> Iterator[Profile]:
        """Yield the rows still queued, or an empty profile if no chunk was yielded."""
        yield from self._drain(final=True)
        if self.yielded == 0:
            empty = np.empty((0, len(self.candidates)), dtype=np.int32)
            yield self._profile(empty, None)

    def _drain(self, final: bool) -> Iterator[Profile]:
        if not self._ranks:
            return
        ranks = self._ranks[0] if len(self._ranks) == 1 else np.concatenate(self._ranks)
        weights: np.ndarray[Any, Any] | None = None
        if any(w is not None for w in self._weights):
            weights = np.concatenate(
                [
                    np.ones(len(r), dtype=np.int64) if w is None else w
                    for r, w in zip(self._ranks, self._weights, strict=True)
                ]
            )
        self._ranks, self._weights = [], []
        total = len(ranks)
        start = 0
        size = self.chunk_size
        while total - start >= size:
            stop = start + size
            yield self._profile(ranks[start:stop], None if weights is None else weights[start:stop])
            start = stop
        if start < total:
            rest = ranks[start:]
            rest_w = None if weights is None else weights[start:]
            if final:
                yield self._profile(rest, rest_w)
            else:
                self._ranks, self._weights = [rest], [rest_w]
        self._pending = total - start if not final else 0
