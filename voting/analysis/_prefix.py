"""The sets of candidates that form each ballot's top tiers, counted (for bloc analyses).

:class:`PrefixTable` runs the kernel :func:`voting._kernels.blocs._prefix_sets` and
merges equal sets (bitmasks of ``W = ceil(C / 64)`` words), so that the number of
voters who put any given set on top, "on top" or "strictly on top", is one binary
search away (:meth:`Counts.lookup`). See :mod:`voting.analysis.blocs` for the
definitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import kernels, use_numba
from voting._distinct import group_sums, unique_rows
from voting._numpy_paths.blocs import prefix_sets
from voting.profile import Profile

__all__ = ["Counts", "PrefixTable", "as_records", "masks_of"]


def as_records(masks: NDArray[np.uint64]) -> NDArray[Any]:
    """View ``(N, W)`` bitmasks as ``N`` structured records that sort lexicographically."""
    w = masks.shape[1]
    dt = np.dtype([(f"w{i}", "<u8") for i in range(w)])
    return np.ascontiguousarray(masks, dtype="<u8").view(dt).reshape(-1)


@dataclass(frozen=True, slots=True)
class Counts:
    keys: NDArray[Any]  # sorted distinct bitmasks: uint64 (one word) or structured records
    words: NDArray[np.uint64]  # the same sets as (N, W) words
    sizes: NDArray[np.int64]
    weight: NDArray[np.int64]
    eligible: NDArray[np.int64]  # eligible[k]: weight of ballots with a k-prefix

    def lookup(self, query: NDArray[np.uint64]) -> NDArray[np.int64]:
        """Weight of each queried set (0 if no ballot has it on top)."""
        q = query[:, 0] if query.shape[1] == 1 else as_records(query)
        if len(self.keys) == 0:
            return np.zeros(len(q), dtype=np.int64)
        pos = np.searchsorted(self.keys, q)
        pos = np.minimum(pos, len(self.keys) - 1)
        hit = self.keys[pos] == q
        return np.where(hit, self.weight[pos], 0).astype(np.int64)

    def members(self, i: int, n_candidates: int) -> list[int]:
        """Candidate indices of the ``i``-th set."""
        row = [int(x) for x in self.words[i]]
        return [c for c in range(n_candidates) if row[c // 64] >> (c % 64) & 1]


def count_sets(
    masks: NDArray[np.uint64], sizes: NDArray[np.int64], w: NDArray[np.int64], max_size: int
) -> Counts:
    eligible = np.zeros(max_size + 1, dtype=np.int64)
    np.add.at(eligible, sizes, w)
    uniq, inv, _ = unique_rows(masks)
    weight = group_sums(inv, w, len(uniq))
    set_sizes = np.zeros(len(uniq), dtype=np.int64)
    set_sizes[inv] = sizes
    keys = uniq[:, 0] if masks.shape[1] == 1 else as_records(uniq)
    return Counts(keys, uniq, set_sizes, weight, eligible)


@dataclass(frozen=True, slots=True)
class PrefixTable:
    n_words: int
    top: Counts
    strict: Counts

    @classmethod
    def build(cls, profile: Profile, max_size: int) -> PrefixTable:
        if use_numba("blocs", profile.ranks.size):
            found = kernels("blocs")._prefix_sets(profile.ranks, max_size)
        else:
            found = prefix_sets(profile.ranks, max_size)
        masks, sizes, ballot, strict = found
        w = np.asarray(profile.weights)[ballot]
        n_words = (profile.num_candidates + 63) // 64
        masks = masks.reshape(-1, n_words)
        return cls(
            n_words,
            count_sets(masks, sizes, w, max_size),
            count_sets(masks[strict], sizes[strict], w[strict], max_size),
        )


def masks_of(members: NDArray[np.int64], n_words: int) -> NDArray[np.uint64]:
    """Bitmasks ``(P, W)`` of ``P`` candidate sets given as rows of indices ``(P, k)``."""
    out = np.zeros((members.shape[0], n_words), dtype=np.uint64)
    for col in range(members.shape[1]):
        c = members[:, col].astype(np.uint64)
        word = (c // np.uint64(64)).astype(np.int64)
        bits = np.left_shift(np.uint64(1), c % np.uint64(64))
        for i in range(n_words):
            out[:, i] |= np.where(word == i, bits, np.uint64(0))
    return out
