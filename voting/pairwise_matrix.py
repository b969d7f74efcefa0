"""Pairwise (head-to-head) counts and the majority relation they define.

:class:`PairwiseMatrix` holds the counts, :class:`HeadToHead` one contest, and
:func:`count_matrix` counts them from ballot arrays, on the engine the cost model of
:mod:`voting._dispatch` picks. This module reads ballots as arrays, never as a
:class:`~voting.Profile`, so that :mod:`voting.profile` can build
:attr:`voting.Profile.pairwise` from it; :func:`voting.pairwise`, which takes a
profile or a stream of profile chunks, lives with the other stream counts in
:mod:`voting.streaming`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple, cast

import numpy as np

from voting._dispatch import PARALLEL_MIN_CELLS, kernels, num_threads, use_numba
from voting._numpy_paths.pairwise import pairwise_counts
from voting._typing import CountMatrix, RankArray, WeightArray
from voting.exceptions import InvalidProfileError
from voting.limits import MAX_VOTERS

__all__ = ["HeadToHead", "PairwiseMatrix", "count_matrix", "count_support"]

PARALLEL_BUFFER_BYTES = 1 << 28
"""Memory the parallel count may spend on per-thread C x C buffers (256 MiB): with many
candidates it runs on fewer threads rather than allocate T copies of the matrix."""


class HeadToHead(NamedTuple):
    """One pairwise contest: ``for_a`` voters prefer ``a``, ``for_b`` voters prefer ``b``."""

    a: str
    b: str
    for_a: int
    for_b: int

    @property
    def margin(self) -> int:
        """``for_a - for_b``: positive when ``a`` wins."""
        return self.for_a - self.for_b

    def __str__(self) -> str:
        if self.for_a > self.for_b:
            return f"{self.a} beats {self.b} {self.for_a}-{self.for_b}"
        if self.for_a < self.for_b:
            return f"{self.b} beats {self.a} {self.for_b}-{self.for_a}"
        return f"{self.a} ties {self.b} {self.for_a}-{self.for_b}"


def _readonly(a: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class PairwiseMatrix:
    """Pairwise counts: ``support[i, j]`` voters rank candidate ``i`` strictly above ``j``.

    Attributes
    ----------
    candidates : tuple of str
    support : ndarray of int64, shape (C, C)
        Read-only, non-negative; the diagonal is zero (both are checked: a negative or
        diagonal count raises :class:`~voting.InvalidProfileError`).
    unranked : {"last", "ignore"}
        The policy the counts were made under.

    Notes
    -----
    Two matrices over the same candidates and policy add with ``+`` (counts of
    disjoint chunks of ballots sum to the counts of their union); a sum that would
    pass :data:`voting.limits.MAX_VOTERS` in some cell is refused, not wrapped.
    """

    candidates: tuple[str, ...]
    support: CountMatrix
    unranked: str = "last"

    def __post_init__(self) -> None:
        s = np.asarray(self.support)
        c = len(self.candidates)
        if s.shape != (c, c):
            raise InvalidProfileError(f"support has shape {s.shape}; expected ({c}, {c}).")
        if s.dtype == np.bool_ or not np.issubdtype(s.dtype, np.integer):
            raise InvalidProfileError(f"support has dtype {s.dtype}; expected integers.")
        if s.size:
            if (s < 0).any():
                i, j = (int(x) for x in np.argwhere(s < 0)[0])
                raise InvalidProfileError(
                    f"support[{i}, {j}] = {int(s[i, j])} is negative; support counts the "
                    f"voters ranking {self.candidates[i]!r} above {self.candidates[j]!r}."
                )
            if s.dtype.kind == "u" and (s > MAX_VOTERS).any():
                i, j = (int(x) for x in np.argwhere(s > MAX_VOTERS)[0])
                raise InvalidProfileError(
                    f"support[{i}, {j}] = {int(s[i, j])} is more than the {MAX_VOTERS:,} "
                    "voters an int64 count holds."
                )
            if np.diagonal(s).any():
                i = int(np.flatnonzero(np.diagonal(s))[0])
                raise InvalidProfileError(
                    f"support[{i}, {i}] = {int(s[i, i])}; the diagonal must be zero (no voter "
                    "ranks a candidate above itself)."
                )
        if s.flags.writeable or s.dtype != np.int64:
            s = _readonly(np.array(s, dtype=np.int64))
        object.__setattr__(self, "support", s)

    # ---------------------------------------------------------------- derived
    @property
    def num_candidates(self) -> int:
        return len(self.candidates)

    @property
    def margins(self) -> CountMatrix:
        """``support - support.T``: positive where the row candidate wins."""
        return cast(CountMatrix, _readonly(self.support - self.support.T))

    def _idx(self, candidate: str | int) -> int:
        if isinstance(candidate, str):
            try:
                return self.candidates.index(candidate)
            except ValueError:
                raise InvalidProfileError(
                    f"unknown candidate {candidate!r}; candidates are {list(self.candidates)}."
                ) from None
        i = int(candidate)
        if not 0 <= i < self.num_candidates:
            raise InvalidProfileError(f"candidate index {i} is out of range.")
        return i

    def head_to_head(self, a: str | int, b: str | int) -> HeadToHead:
        """The contest between ``a`` and ``b`` (names or indices)."""
        i, j = self._idx(a), self._idx(b)
        return HeadToHead(
            self.candidates[i], self.candidates[j], int(self.support[i, j]), int(self.support[j, i])
        )

    def beats(self) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Boolean matrix: ``beats()[i, j]`` when ``i`` wins its contest with ``j``."""
        return cast(np.ndarray[Any, np.dtype[np.bool_]], self.support > self.support.T)

    def condorcet_winner(self) -> str | None:
        """The candidate who beats every other one head to head, or None."""
        b = self.beats()
        c = self.num_candidates
        for i in range(c):
            if int(b[i].sum()) == c - 1:
                return self.candidates[i]
        return None

    def weak_condorcet_winners(self) -> tuple[str, ...]:
        """Candidates beaten by nobody (they may tie some), in candidate order."""
        b = self.beats()
        return tuple(self.candidates[i] for i in range(self.num_candidates) if not b[:, i].any())

    def condorcet_loser(self) -> str | None:
        """The candidate every other one beats head to head, or None."""
        b = self.beats()
        c = self.num_candidates
        if c < 2:
            return None
        for i in range(c):
            if int(b[:, i].sum()) == c - 1:
                return self.candidates[i]
        return None

    def smith_set(self) -> frozenset[str]:
        """The smallest non-empty set whose members all beat every non-member.

        Computed as the candidates who reach every other candidate through the
        "beats or ties" relation (its transitive closure). O(C³).
        """
        reach = _closure(self.support >= self.support.T)
        top = reach.all(axis=1)
        return frozenset(self.candidates[i] for i in np.flatnonzero(top))

    def schwartz_set(self) -> frozenset[str]:
        """Union of the minimal sets that no outsider beats (the Schwartz set).

        ``x`` belongs when every candidate with a beat-path to ``x`` is also reached by
        a beat-path from ``x``. O(C³).
        """
        reach = _closure(self.beats())
        c = self.num_candidates
        members = [
            i for i in range(c) if all(reach[i, j] or not reach[j, i] for j in range(c) if j != i)
        ]
        return frozenset(self.candidates[i] for i in members)

    # ---------------------------------------------------------------- algebra
    def __add__(self, other: object) -> PairwiseMatrix:
        if not isinstance(other, PairwiseMatrix):
            return NotImplemented
        if other.candidates != self.candidates or other.unranked != self.unranked:
            raise InvalidProfileError(
                "cannot add pairwise matrices over different candidates or unranked policies."
            )
        return PairwiseMatrix(
            self.candidates, _checked_sum(self.support, other.support), self.unranked
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PairwiseMatrix):
            return NotImplemented
        return (
            self.candidates == other.candidates
            and self.unranked == other.unranked
            and bool(np.array_equal(self.support, other.support))
        )

    __hash__ = None  # type: ignore[assignment]

    def to_text(self) -> str:
        """The matrix as a table, rows beating columns (like Debian's results pages)."""
        c = self.num_candidates
        width = max(5, len(str(int(self.support.max(initial=0)))) + 1)
        label = [f"{i + 1}" for i in range(c)]
        lines = [" " * 6 + "".join(f"{x:>{width}}" for x in label)]
        for i in range(c):
            cells = "".join(
                f"{'-' if i == j else int(self.support[i, j]):>{width}}" for j in range(c)
            )
            lines.append(f"{label[i]:>4}  {cells}")
        lines.append("")
        lines.extend(f"{label[i]:>4}  {name}" for i, name in enumerate(self.candidates))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``type``, ``candidates``, ``support`` (``support[i][j]``: voters
        ranking ``candidates[i]`` above ``candidates[j]``) and ``unranked``."""
        return {
            "type": type(self).__name__,
            "candidates": list(self.candidates),
            "support": self.support.tolist(),
            "unranked": self.unranked,
        }


def _checked_sum(
    a: np.ndarray[Any, np.dtype[np.int64]], b: np.ndarray[Any, np.dtype[np.int64]]
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """``a + b`` for non-negative int64 counts, refused where a cell would pass int64."""
    if (a > MAX_VOTERS - b).any():
        raise InvalidProfileError(
            f"adding these pairwise counts would pass the {MAX_VOTERS:,} voters an int64 "
            "count holds; the sum cannot be counted exactly."
        )
    return a + b


def _closure(rel: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Reflexive-transitive closure of a boolean relation (Warshall). O(C³)."""
    r = np.array(rel, dtype=np.bool_)
    np.fill_diagonal(r, True)
    for k in range(r.shape[0]):
        r |= r[:, k : k + 1] & r[k : k + 1, :]
    return r


def count_support(
    ranks: RankArray, weights: WeightArray, *, ignore: bool, parallel: bool | None = None
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """``support[i, j]``: the total weight of the rows ranking ``i`` strictly above ``j``
    (a fresh, writeable int64 array).

    ``ignore``: a pair counts only when the row ranks both (``unranked="ignore"``).
    ``parallel``: as in :func:`voting.pairwise`. Small inputs take the NumPy path, large
    ones the serial or parallel numba kernel (:mod:`voting._dispatch`). O(V·C²).
    """
    v, c = ranks.shape
    if not use_numba("pairwise", v * c * c, prefer_numba=bool(parallel)):
        return pairwise_counts(ranks, weights, ignore)
    use_parallel = v * c >= PARALLEL_MIN_CELLS if parallel is None else parallel
    k = kernels("pairwise")
    if use_parallel:
        # one private C x C buffer per chunk of ballots, as many as fit the budget
        fit = PARALLEL_BUFFER_BYTES // (8 * c**2)
        n_chunks = max(1, min(num_threads(), fit))
        counts = k._pairwise_counts_parallel(ranks, weights, ignore, n_chunks)
    else:
        counts = k._pairwise_counts_serial(ranks, weights, ignore)
    return cast(np.ndarray[Any, np.dtype[np.int64]], counts)


def count_matrix(
    candidates: tuple[str, ...],
    ranks: RankArray,
    weights: WeightArray,
    unranked: str,
    *,
    parallel: bool | None = None,
) -> PairwiseMatrix:
    """The :class:`PairwiseMatrix` of validated ballot arrays (those of a
    :class:`~voting.Profile`); see :func:`count_support`."""
    counts = count_support(ranks, weights, ignore=unranked == "ignore", parallel=parallel)
    return PairwiseMatrix(candidates, _readonly(counts), unranked)
