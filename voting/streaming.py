"""Counts of a profile or of a stream of profile chunks: :func:`pairwise`,
:class:`BallotCounter` and :func:`count_ballots`.

A ballot file larger than memory is read as a stream of profile chunks
(:func:`voting.iter_ballots`). Methods that need only the pairwise matrix run from
``voting.pairwise(chunks)`` (see ``run_pairwise``), which sums the matrices of the
chunks; the others, STV first, need the
ballots themselves, but only once per distinct ranking: a :class:`BallotCounter`
keeps the distinct rankings seen so far with their exact int64 weights, so its
memory grows with the number of *distinct* ballots, not with the number of voters.
Counters merge (``+``, :meth:`BallotCounter.merge`), which is what a parallel or
distributed count (:mod:`voting.dask`) needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Self, cast

import numpy as np
from numpy.typing import NDArray

from voting._checks import check_candidates, check_policy
from voting._distinct import distinct_rows, merge_distinct, narrow_ranks, widen_ranks
from voting._progress import check_progress, progress_bar
from voting._typing import RankArray, UnrankedPolicy, WeightArray
from voting.exceptions import EmptyProfileError, InvalidProfileError
from voting.limits import check_total, exact_total
from voting.pairwise_matrix import PairwiseMatrix, count_matrix, count_support
from voting.profile import Profile

__all__ = ["BallotCounter", "count_ballots", "pairwise"]

NarrowRows = NDArray[np.uint8] | RankArray
"""Rows as the counter holds them: :func:`voting._distinct.narrow_ranks` (one byte a
cell up to 255 candidates)."""

MIN_BATCH_ROWS = 1 << 20
"""Rows queued before a merge, at the least (a merge also waits for as many queued rows
as the counter holds, so that each row is sorted O(log) times overall)."""


class BallotCounter:
    """A mergeable counter of distinct rankings, with exact int64 weights.

    Parameters
    ----------
    candidates : iterable of str, optional
        The candidates, in column order. Default: those of the first profile given
        to :meth:`update` (or of the first non-empty counter merged in).
    unranked : {"last", "ignore"}, optional
        The unranked policy. Default: that of the first profile.

    Attributes
    ----------
    candidates : tuple of str, or None until known
    unranked : {"last", "ignore"}, or None until known

    Raises
    ------
    InvalidProfileError
        From :meth:`update` or :meth:`merge`, when a profile or counter has other
        candidates or another unranked policy than this counter.

    See Also
    --------
    count_ballots : count a whole stream of chunks into a compressed profile.
    voting.Profile.compress : the same result for a profile held in memory.

    Notes
    -----
    Rows given to :meth:`update` are queued and merged into the distinct rows in
    batches: the queued rows are sorted by the int64 row keys of
    :meth:`voting.Profile.compress`, then merged with the distinct rows held in one
    pass (:func:`voting._distinct.merge_distinct`, no copy of both into one array
    first). Rows are held one byte a cell (:func:`voting._distinct.narrow_ranks`, up
    to 255 candidates; widened back by :meth:`to_profile`): a quarter of the memory
    of a profile's int32 ranks. A merge waits for at least ``max(distinct rows held, 2**20)`` queued
    rows, so counting V ballots with U distinct rankings over C candidates costs
    O(V·C·log V) time at worst and holds O((U + 2**20 + chunk)·C) memory. The result
    does not depend on how the ballots were split into chunks, or in which order
    counters were merged: :meth:`to_profile` equals ``Profile.compress()`` of all
    the ballots together.

    Examples
    --------
    >>> from voting import Profile
    >>> a = Profile.from_rankings([["A", "B"], ["B", "A"]], candidates=["A", "B"])
    >>> b = Profile.from_rankings([["B", "A"], ["B"]], candidates=["A", "B"], weights=[2, 1])
    >>> counter = BallotCounter().update(a).update(b)
    >>> counter.num_ballots, counter.num_voters
    (3, 5)
    >>> counter.to_profile().ranks.tolist()
    [[0, 1], [1, 0], [2147483647, 0]]
    >>> counter.to_profile().weights.tolist()
    [1, 3, 1]
    >>> counter.to_profile() == (a + b).compress()
    True
    """

    def __init__(
        self,
        candidates: Iterable[str] | None = None,
        unranked: UnrankedPolicy | None = None,
    ) -> None:
        self._candidates = None if candidates is None else check_candidates(candidates)
        self._unranked: UnrankedPolicy | None = None if unranked is None else check_policy(unranked)
        self._ranks: NarrowRows | None = None  # distinct rows, sorted (narrow_ranks)
        self._weights: WeightArray | None = None
        self._queued: list[tuple[NarrowRows, WeightArray]] = []
        self._queued_rows = 0
        self._total = 0  # every weight counted, exact (a Python int)

    # ----------------------------------------------------------------- properties
    @property
    def candidates(self) -> tuple[str, ...] | None:
        """The candidates, or None before the first profile."""
        return self._candidates

    @property
    def unranked(self) -> UnrankedPolicy | None:
        """The unranked policy, or None before the first profile."""
        return self._unranked

    @property
    def num_ballots(self) -> int:
        """Distinct rankings counted so far (merges what is queued). O(V·log V)."""
        self._consolidate()
        return 0 if self._ranks is None else int(self._ranks.shape[0])

    @property
    def num_voters(self) -> int:
        """Total weight counted so far. O(1)."""
        return self._total

    # ------------------------------------------------------------------- counting
    def _check(
        self, candidates: tuple[str, ...], unranked: UnrankedPolicy | None, what: str
    ) -> None:
        if self._candidates is None:
            self._candidates = candidates
        elif candidates != self._candidates:
            raise InvalidProfileError(
                f"BallotCounter: {what} has candidates {list(candidates)}, the counter "
                f"{list(self._candidates)}; align them with Profile.restrict() first."
            )
        if unranked is None:
            return
        if self._unranked is None:
            self._unranked = unranked
        elif unranked != self._unranked:
            raise InvalidProfileError(
                f"BallotCounter: {what} has unranked={unranked!r}, the counter "
                f"unranked={self._unranked!r}; convert it with Profile.with_unranked()."
            )

    def _enqueue(self, ranks: NarrowRows, weights: WeightArray, total: int) -> None:
        if ranks.shape[0] == 0:
            return
        check_total(self._total + total, "the ballots counted")
        self._total += total
        self._queued.append((narrow_ranks(ranks), weights))
        self._queued_rows += int(ranks.shape[0])
        held = 0 if self._ranks is None else int(self._ranks.shape[0])
        if self._queued_rows >= max(held, MIN_BATCH_ROWS):
            self._consolidate()

    def _consolidate(self) -> None:
        if not self._queued:
            return
        parts = self._queued
        if len(parts) == 1:
            ranks, weights = parts[0]
        else:
            ranks = np.concatenate([r for r, _ in parts])
            weights = cast(WeightArray, np.concatenate([w for _, w in parts]))
        self._queued = []
        self._queued_rows = 0
        if self._ranks is None or self._weights is None:
            self._ranks, self._weights = distinct_rows(ranks, weights)
        else:  # the rows held are distinct and sorted: merged, not sorted again
            self._ranks, self._weights = merge_distinct(self._ranks, self._weights, ranks, weights)

    def update(self, profile: Profile) -> Self:
        """Count the ballots of ``profile``; returns the counter (calls chain).

        Amortised O(V·C·log V) for V ballots of C candidates.
        """
        if not isinstance(profile, Profile):
            raise InvalidProfileError(
                f"BallotCounter.update() needs a voting.Profile, got {type(profile).__name__}."
            )
        self._check(profile.candidates, profile.unranked, "the profile")
        self._enqueue(profile.ranks, profile.weights, profile.num_voters)
        return self

    def merge(self, other: BallotCounter) -> Self:
        """Add the counts of ``other`` (left unchanged) to this counter; returns it."""
        if not isinstance(other, BallotCounter):
            raise InvalidProfileError(
                f"BallotCounter.merge() needs a BallotCounter, got {type(other).__name__}."
            )
        if other._candidates is None:
            return self
        self._check(other._candidates, other._unranked, "the other counter")
        parts = list(other._queued)  # a snapshot: ``other`` may be ``self``
        if other._ranks is not None and other._weights is not None:
            parts.insert(0, (other._ranks, other._weights))
        check_total(self._total + other._total, "the merged counters' ballots")
        for ranks, weights in parts:
            self._enqueue(ranks, weights, exact_total(weights))
        return self

    def __add__(self, other: object) -> BallotCounter:
        """A new counter holding the counts of both."""
        if not isinstance(other, BallotCounter):
            return NotImplemented
        return BallotCounter(self._candidates, self._unranked).merge(self).merge(other)

    def to_profile(self) -> Profile:
        """The distinct rankings and their weights, as a compressed :class:`~voting.Profile`.

        Rows are in the order of :meth:`voting.Profile.compress`. O(V·log V) for what
        is still queued, plus the profile's O(U·C) validation.

        Raises
        ------
        EmptyProfileError
            No profile was ever counted, so the candidates are unknown.
        """
        self._consolidate()
        if self._candidates is None or self._unranked is None:
            raise EmptyProfileError(
                "BallotCounter.to_profile(): nothing was counted, so the candidates are "
                "unknown; call update() with a profile (even an empty one) first."
            )
        if self._ranks is None:
            empty = np.empty((0, len(self._candidates)), dtype=np.int32)
            return Profile(empty, None, self._candidates, self._unranked)
        ranks = widen_ranks(self._ranks)
        ranks.setflags(write=False)  # the profile takes it without a copy
        return Profile(ranks, self._weights, self._candidates, self._unranked)

    # -------------------------------------------------------------------- dunders
    def __getstate__(self) -> dict[str, Any]:
        self._consolidate()  # pickle (to a Dask worker, say) one array, not a queue
        return self.__dict__.copy()

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        # rows pickled by a version that held int32 rows: narrowed like every row held,
        # so that they never meet narrow rows in a merge
        if self._ranks is not None:
            self._ranks = narrow_ranks(self._ranks)
        self._queued = [(narrow_ranks(r), w) for r, w in self._queued]

    def __repr__(self) -> str:
        names = "?" if self._candidates is None else list(self._candidates)
        return (
            f"BallotCounter({self.num_voters} voters, candidates={names}, "
            f"unranked={self._unranked!r})"
        )


def count_ballots(chunks: Profile | Iterable[Profile], *, progress: bool = False) -> Profile:
    """Compress a stream of profile chunks into one profile of distinct rankings.

    Parameters
    ----------
    chunks : Profile or iterable of Profile
        Chunks over the same candidates and unranked policy, such as
        :func:`voting.iter_ballots` yields.
    progress : bool, default False
        Show a progress bar of the voters counted on standard error when it is a
        terminal (needs the ``progress`` extra, tqdm).

    Returns
    -------
    Profile
        Equal to ``Profile.compress()`` of all the chunks concatenated, built in the
        memory of the distinct rankings plus one batch (see :class:`BallotCounter`).

    Raises
    ------
    InvalidProfileError
        A chunk that is not a Profile, or that differs from the first in candidates
        or unranked policy.
    EmptyProfileError
        An iterable that yields no chunk.

    Examples
    --------
    >>> from voting import Profile
    >>> chunk = Profile.from_rankings([["A", "B"], ["B", "A"], ["A", "B"]])
    >>> count_ballots([chunk, chunk]).weights.tolist()
    [4, 2]
    """
    check_progress(progress, "count_ballots()")
    if isinstance(chunks, Profile):
        return chunks.compress()
    stream = _profiles(chunks, "count_ballots()")
    counter = BallotCounter()
    with progress_bar(progress, total=None, unit="voters", desc="count") as bar:
        for chunk in stream:
            counter.update(chunk)
            bar.advance(chunk.num_voters)
    return counter.to_profile()


def _profiles(chunks: Iterable[Profile], what: str) -> Iterator[Profile]:
    """The chunks of a stream, each checked to be a :class:`~voting.Profile`; ``what``
    names the function for the messages. Refuses a non-iterable at once."""
    if not isinstance(chunks, Iterable):
        raise InvalidProfileError(
            f"{what} needs a voting.Profile or an iterable of Profile chunks "
            f"(such as voting.iter_ballots(path)), got {type(chunks).__name__}."
        )

    def checked() -> Iterator[Profile]:
        for i, chunk in enumerate(chunks):
            if not isinstance(chunk, Profile):
                raise InvalidProfileError(
                    f"{what} needs a voting.Profile or an iterable of Profile chunks; "
                    f"chunk {i} is a {type(chunk).__name__}."
                )
            yield chunk

    return checked()


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
    (O(T·C²) extra memory, at most
    :data:`~voting.pairwise_matrix.PARALLEL_BUFFER_BYTES`: fewer threads when C is
    large), reduced serially. Small profiles are counted by a vectorised NumPy path
    instead, with no numba compilation or import (the cost model of
    :mod:`voting._dispatch`). int64 counts throughout, exact: a count is at most
    the number of voters, which a profile keeps within int64, and the running total
    of a stream of chunks is checked against :data:`voting.limits.MAX_VOTERS`. A stream
    of chunks costs the same time plus O(C²) per chunk, and holds one chunk at a
    time.

    Examples
    --------
    >>> from voting import Profile, pairwise
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
        return count_matrix(
            profile.candidates, profile.ranks, profile.weights, profile.unranked, parallel=parallel
        )
    stream = _profiles(profile, "pairwise()")
    check_progress(progress, "pairwise()")
    first: Profile | None = None
    total: np.ndarray[Any, np.dtype[np.int64]] | None = None
    voters = 0
    with progress_bar(progress, total=None, unit="voters", desc="pairwise") as bar:
        for i, chunk in enumerate(stream):
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
            counts = count_support(
                chunk.ranks, chunk.weights, ignore=chunk.unranked == "ignore", parallel=parallel
            )
            total = counts if total is None else total + counts  # <= voters: exact
            bar.advance(chunk.num_voters)
    if first is None or total is None:
        raise EmptyProfileError(
            "pairwise() got an empty iterable of chunks, so the candidates are unknown."
        )
    total.setflags(write=False)
    return PairwiseMatrix(first.candidates, total, first.unranked)
