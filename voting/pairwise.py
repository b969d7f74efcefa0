"""Pairwise (head-to-head) counts of a profile and the majority relation they define."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

import numpy as np

from voting._dispatch import kernels, num_threads, use_numba
from voting._kernels import _config
from voting._numpy_paths.pairwise import pairwise_counts
from voting._typing import CountMatrix
from voting.exceptions import EmptyProfileError, InvalidProfileError
from voting.limits import MAX_VOTERS
from voting.profile import Profile, check_total

__all__ = ["HeadToHead", "PairwiseMatrix", "pairwise"]

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


def pairwise(
    profile: Profile | Iterable[Profile],
    *,
    parallel: bool | None = None,
    progress: bool = False,
) -> PairwiseMatrix:
    """Count, for every pair of candidates, how many voters rank one above the other.

    Parameters
    ----------
    profile : Profile or iterable of Profile
        One profile, or a stream of profile chunks over the same candidates and
        unranked policy, such as :func:`voting.iter_ballots` yields: the chunks are
        counted one at a time and their matrices summed, so a file larger than
        memory is counted in the memory of one chunk.
    parallel : bool, optional
        Force the multi-threaded numba kernel (True) or a single thread (False: the
        NumPy path or the serial kernel, by size). Default: the NumPy path for small
        profiles (see :mod:`voting._dispatch`), else the parallel kernel when a
        profile (chunk) has at least ``VOTING_PARALLEL_MIN_CELLS`` ballot-candidate
        cells, else the serial one.
    progress : bool, default False
        For a stream of chunks, show a progress bar of the voters counted on
        standard error when it is a terminal (needs the ``progress`` extra, tqdm).

    Returns
    -------
    PairwiseMatrix
        ``support[i, j]`` = total weight of ballots ranking ``i`` strictly above
        ``j``. Under ``unranked="last"`` a ranked candidate is above an unranked
        one; under ``"ignore"`` a pair counts only when the ballot ranks both.

    Raises
    ------
    InvalidProfileError
        ``profile`` is neither a Profile nor an iterable of them, or two chunks
        differ in candidates or unranked policy.
    EmptyProfileError
        An iterable that yields no chunk (its candidates are unknown).

    Notes
    -----
    Runtime complexity: O(V·C²) for V ballots and C candidates, split across
    ``numba.get_num_threads()`` threads with one private ``C×C`` buffer each
    (O(T·C²) extra memory, at most :data:`PARALLEL_BUFFER_BYTES`: fewer threads when
    C is large), reduced serially. Small profiles are counted by a vectorised NumPy path
    instead, with no numba compilation or import (the cost model of
    :mod:`voting._dispatch`). int64 counts throughout, exact: a count is at most
    the number of voters, which a profile keeps within int64, and the running total
    of a stream of chunks is checked against :data:`voting.limits.MAX_VOTERS`. A stream
    of chunks costs the same time plus O(C²) per chunk, and holds one chunk at a
    time.

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings([["A", "B"], ["B"], [("A", "B")]], weights=[3, 2, 1])
    >>> pairwise(p).support.tolist()
    [[0, 3], [2, 0]]

    A stream of chunks (here the first ballot, then the other two) gives the same
    counts:

    >>> chunks = [Profile(p.ranks[:1], p.weights[:1], p.candidates),
    ...           Profile(p.ranks[1:], p.weights[1:], p.candidates)]
    >>> pairwise(iter(chunks)) == pairwise(p)
    True
    """
    if isinstance(profile, Profile):
        counts = _readonly(_count(profile, parallel))
        return PairwiseMatrix(profile.candidates, counts, profile.unranked)
    if not isinstance(profile, Iterable):
        raise InvalidProfileError(
            f"pairwise() needs a voting.Profile or an iterable of Profile chunks "
            f"(such as voting.iter_ballots(path)), got {type(profile).__name__}."
        )
    from voting._progress import check_progress, progress_bar

    check_progress(progress, "pairwise()")
    first: Profile | None = None
    total: np.ndarray[Any, np.dtype[np.int64]] | None = None
    voters = 0
    with progress_bar(progress, total=None, unit="voters", desc="pairwise") as bar:
        for i, chunk in enumerate(profile):
            if not isinstance(chunk, Profile):
                raise InvalidProfileError(
                    f"pairwise() needs a voting.Profile or an iterable of Profile chunks; "
                    f"chunk {i} is a {type(chunk).__name__}."
                )
            if first is None:
                first = chunk
            elif chunk.candidates != first.candidates or chunk.unranked != first.unranked:
                raise InvalidProfileError(
                    f"pairwise(): chunk {i} has candidates {list(chunk.candidates)} and "
                    f"unranked={chunk.unranked!r}, chunk 0 {list(first.candidates)} and "
                    f"unranked={first.unranked!r}; every chunk must match the first."
                )
            voters += chunk.num_voters
            check_total(voters, f"the first {i + 1} chunks' ballots")
            counts = _count(chunk, parallel)
            total = counts if total is None else total + counts  # <= voters: exact
            bar.advance(chunk.num_voters)
    if first is None or total is None:
        raise EmptyProfileError(
            "pairwise() got an empty iterable of chunks, so the candidates are unknown."
        )
    return PairwiseMatrix(first.candidates, _readonly(total), first.unranked)


def _count(profile: Profile, parallel: bool | None) -> np.ndarray[Any, np.dtype[np.int64]]:
    """The support counts of one profile (a fresh, writeable int64 array)."""
    ignore = profile.unranked == "ignore"
    v, c = profile.num_ballots, profile.num_candidates
    if not use_numba("pairwise", v * c * c, prefer_numba=bool(parallel)):
        return pairwise_counts(profile.ranks, profile.weights, ignore)
    cells = v * c
    use_parallel = cells >= _config.PARALLEL_MIN_CELLS if parallel is None else parallel
    k = kernels("pairwise")
    if use_parallel:
        # one private C x C buffer per chunk of ballots, as many as fit the budget
        fit = PARALLEL_BUFFER_BYTES // (8 * profile.num_candidates**2)
        n_chunks = max(1, min(num_threads(), fit))
        counts = k._pairwise_counts_parallel(profile.ranks, profile.weights, ignore, n_chunks)
    else:
        counts = k._pairwise_counts_serial(profile.ranks, profile.weights, ignore)
    return cast(np.ndarray[Any, np.dtype[np.int64]], counts)
