"""Pairwise counts and distinct-ballot counts as Dask reductions (the ``dask`` extra).

Two reductions, each mapped over the partitions of a Dask collection with the same
code as the in-memory path and then reduced in a tree:

- :func:`pairwise`: each partition's pairwise matrix by the numba kernel of
  :func:`voting.pairwise`; partial matrices are summed (exact int64).
- :func:`count_ballots`: each partition's distinct rankings in a
  :class:`voting.BallotCounter`; partial counters are merged.

The reduced result is small (C×C counts, or one row per distinct ranking) and comes
back to the client, where the methods run locally::

    Schulze().run_pairwise(voting.dask.pairwise(ranks))
    STV(seats=3).run(voting.dask.count_ballots(bag))

Inputs are either a 2-D Dask array of ranks (``ranks[v, c]``, the tiers of
:class:`voting.Profile`, with optional ``weights``), or a Dask bag whose elements are
:class:`voting.Profile` objects (chunks read on the workers, say) or single ballots
written as tiers (as :meth:`voting.Profile.from_rankings` takes them). Any scheduler
runs the graphs: the threaded default, or a ``distributed`` cluster once a
``Client`` exists.

This module is not imported by ``import voting``; import it as ``voting.dask``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, TypeVar, cast, overload

import dask.array as da
import dask.bag as db
import numpy as np
from dask.delayed import Delayed, delayed

from voting._checks import check_candidates, check_policy
from voting._typing import UnrankedPolicy
from voting.exceptions import EmptyProfileError, InvalidParameterError, InvalidProfileError
from voting.pairwise_matrix import PairwiseMatrix, count_matrix
from voting.profile import Profile
from voting.streaming import BallotCounter

__all__ = ["count_ballots", "pairwise"]

T = TypeVar("T")
Data = da.Array | db.Bag
_Spec = tuple[tuple[str, ...] | None, UnrankedPolicy | None]


# ------------------------------------------------------------------ partitions
def _profiles_of(items: Iterable[Any], spec: _Spec) -> list[Profile]:
    """The profiles of one bag partition: Profile elements as they are, rankings as one."""
    candidates, unranked = spec
    profiles: list[Profile] = []
    rankings: list[Any] = []
    for item in items:
        if isinstance(item, Profile):
            if candidates is not None and item.candidates != candidates:
                raise InvalidProfileError(
                    f"voting.dask: a Profile in the bag has candidates {list(item.candidates)}, "
                    f"expected {list(candidates)}."
                )
            if unranked is not None and item.unranked != unranked:
                raise InvalidProfileError(
                    f"voting.dask: a Profile in the bag has unranked={item.unranked!r}, "
                    f"expected {unranked!r}."
                )
            profiles.append(item)
        else:
            rankings.append(item)
    if rankings:
        if candidates is None:
            raise InvalidProfileError(
                "voting.dask: a bag of ballots written as tiers needs candidates=[...] so "
                "that every partition uses the same columns."
            )
        policy: UnrankedPolicy = "last" if unranked is None else unranked
        profiles.append(Profile.from_rankings(rankings, candidates, unranked=policy))
    return profiles


def _block_profile(
    ranks: np.ndarray[Any, Any], weights: np.ndarray[Any, Any] | None, spec: _Spec
) -> Profile:
    candidates, unranked = spec  # both set by _array_blocks
    return Profile(ranks, weights, cast(tuple[str, ...], candidates), unranked or "last")


def _pairwise_partial(profiles: list[Profile], parallel: bool | None) -> PairwiseMatrix | None:
    total: PairwiseMatrix | None = None
    for p in profiles:
        part = count_matrix(p.candidates, p.ranks, p.weights, p.unranked, parallel=parallel)
        total = part if total is None else total + part
    return total


def _counter_partial(profiles: list[Profile]) -> BallotCounter:
    counter = BallotCounter()
    for p in profiles:
        counter.update(p)
    return counter


def _pairwise_of_block(
    ranks: np.ndarray[Any, Any],
    weights: np.ndarray[Any, Any] | None,
    spec: _Spec,
    parallel: bool | None,
) -> PairwiseMatrix | None:
    return _pairwise_partial([_block_profile(ranks, weights, spec)], parallel)


def _counter_of_block(
    ranks: np.ndarray[Any, Any], weights: np.ndarray[Any, Any] | None, spec: _Spec
) -> BallotCounter:
    return _counter_partial([_block_profile(ranks, weights, spec)])


def _pairwise_of_partition(
    items: Iterable[Any], spec: _Spec, parallel: bool | None
) -> PairwiseMatrix | None:
    return _pairwise_partial(_profiles_of(items, spec), parallel)


def _counter_of_partition(items: Iterable[Any], spec: _Spec) -> BallotCounter:
    return _counter_partial(_profiles_of(items, spec))


# ---------------------------------------------------------------------- reduce
def _add_matrices(parts: Sequence[PairwiseMatrix | None]) -> PairwiseMatrix | None:
    total: PairwiseMatrix | None = None
    for p in parts:
        if p is not None:
            total = p if total is None else total + p
    return total


def _merge_counters(parts: Sequence[BallotCounter]) -> BallotCounter:
    total = BallotCounter()
    for p in parts:
        total.merge(p)
    return total


def _tree(parts: list[Delayed], combine: Callable[[Sequence[T]], T], split_every: int) -> Delayed:
    """Reduce ``parts`` with ``combine`` in a tree of fan-in ``split_every``."""
    while len(parts) > 1:
        parts = [
            delayed(combine, pure=True)(parts[i : i + split_every])
            for i in range(0, len(parts), split_every)
        ]
    return parts[0]


def _finish_pairwise(total: PairwiseMatrix | None, spec: _Spec) -> PairwiseMatrix:
    if total is not None:
        return total
    candidates, unranked = spec
    if candidates is None:
        raise EmptyProfileError(
            "voting.dask.pairwise(): the bag holds no ballots, so the candidates are "
            "unknown; pass candidates=[...]."
        )
    c = len(candidates)
    zero = np.zeros((c, c), dtype=np.int64)
    return PairwiseMatrix(candidates, zero, "last" if unranked is None else unranked)


def _finish_counter(total: BallotCounter, spec: _Spec) -> Profile:
    candidates, unranked = spec
    if total.candidates is None:
        if candidates is None:
            raise EmptyProfileError(
                "voting.dask.count_ballots(): the bag holds no ballots, so the candidates are "
                "unknown; pass candidates=[...]."
            )
        empty = np.empty((0, len(candidates)), dtype=np.int32)
        return Profile(empty, None, candidates, "last" if unranked is None else unranked)
    return total.to_profile()


# ---------------------------------------------------------------------- inputs
def _spec(candidates: Iterable[str] | None, unranked: UnrankedPolicy | None) -> _Spec:
    names = None if candidates is None else check_candidates(candidates)
    policy = None if unranked is None else check_policy(unranked)
    return names, policy


def _array_blocks(
    ranks: da.Array, weights: da.Array | None, spec: _Spec
) -> tuple[list[tuple[Delayed, Delayed | None]], _Spec]:
    """Row blocks of ``ranks`` (all columns each) with the matching weight blocks."""
    if ranks.ndim != 2:
        raise InvalidProfileError(
            f"voting.dask: ranks has {ranks.ndim} dimension(s); expected a 2-D array of "
            "shape (n_ballots, n_candidates)."
        )
    if ranks.dtype == np.bool_ or not np.issubdtype(ranks.dtype, np.integer):
        raise InvalidProfileError(
            f"voting.dask: ranks has dtype {ranks.dtype}; expected integers (tiers, 0 = top)."
        )
    n_cand = ranks.shape[1]
    candidates, unranked = spec
    if candidates is None:
        candidates = tuple(f"c{i}" for i in range(n_cand))
    elif len(candidates) != n_cand:
        raise InvalidProfileError(
            f"voting.dask: ranks has {n_cand} columns but {len(candidates)} candidates were given."
        )
    spec = (candidates, "last" if unranked is None else unranked)
    if ranks.numblocks[1] != 1:
        ranks = ranks.rechunk({1: -1})  # each block holds whole ballots
    rank_blocks = list(ranks.to_delayed().ravel())
    if weights is None:
        return [(r, None) for r in rank_blocks], spec
    if not isinstance(weights, da.Array):
        raise InvalidParameterError(
            f"voting.dask: weights must be a 1-D dask array, got {type(weights).__name__}."
        )
    if weights.ndim != 1:
        raise InvalidProfileError(
            f"voting.dask: weights has {weights.ndim} dimension(s); expected 1 (one per ballot)."
        )
    n, m = ranks.shape[0], weights.shape[0]
    if not (np.isnan(n) or np.isnan(m)) and n != m:
        raise InvalidProfileError(
            f"voting.dask: weights has {m} entries for {n} ballots; expected one per ballot."
        )
    weights = weights.rechunk((ranks.chunks[0],))
    weight_blocks = list(weights.to_delayed().ravel())
    return list(zip(rank_blocks, weight_blocks, strict=True)), spec


def _check_data(data: object, function: str) -> None:
    if not isinstance(data, da.Array | db.Bag):
        raise InvalidParameterError(
            f"voting.dask.{function}() needs a dask.array.Array of ranks or a dask.bag.Bag "
            f"of Profiles or ballots, got {type(data).__name__}."
        )


def _check_split(split_every: object) -> int:
    if isinstance(split_every, bool) or not isinstance(split_every, int) or split_every < 2:
        raise InvalidParameterError(f"voting.dask: split_every={split_every!r}; it must be >= 2.")
    return split_every


# ------------------------------------------------------------------------ API
@overload
def pairwise(
    data: Data,
    *,
    weights: da.Array | None = ...,
    candidates: Iterable[str] | None = ...,
    unranked: UnrankedPolicy | None = ...,
    parallel: bool | None = ...,
    split_every: int = ...,
    compute: Literal[True] = ...,
) -> PairwiseMatrix: ...


@overload
def pairwise(
    data: Data,
    *,
    weights: da.Array | None = ...,
    candidates: Iterable[str] | None = ...,
    unranked: UnrankedPolicy | None = ...,
    parallel: bool | None = ...,
    split_every: int = ...,
    compute: Literal[False],
) -> Delayed: ...


def pairwise(
    data: Data,
    *,
    weights: da.Array | None = None,
    candidates: Iterable[str] | None = None,
    unranked: UnrankedPolicy | None = None,
    parallel: bool | None = None,
    split_every: int = 8,
    compute: bool = True,
) -> PairwiseMatrix | Delayed:
    """The pairwise matrix of ballots held in a Dask array or bag.

    Parameters
    ----------
    data : dask.array.Array or dask.bag.Bag
        A 2-D integer array of ranks, ``(n_ballots, n_candidates)``, chunked along
        ballots (column chunks are merged first); or a bag of :class:`voting.Profile`
        objects and/or ballots written as tiers (``["A", ("B", "C")]``).
    weights : dask.array.Array, optional
        With an array: voters per ballot, ``(n_ballots,)``; default one each.
    candidates : iterable of str, optional
        Candidate names. Arrays default to ``c0, c1, ...``; a bag of tiered ballots
        needs them; a bag of profiles checks them.
    unranked : {"last", "ignore"}, optional
        The policy for arrays and tiered ballots (default ``"last"``); a bag of
        profiles checks it.
    parallel : bool, optional
        Passed to the kernel on each worker (see :func:`voting.pairwise`).
    split_every : int, default 8
        Fan-in of the reduction tree.
    compute : bool, default True
        False returns a ``dask.delayed.Delayed`` (to compute together with other
        work, e.g. ``dask.compute(pairwise(..., compute=False), count_ballots(...,
        compute=False))`` in one pass over the data).

    Returns
    -------
    PairwiseMatrix
        Equal to :func:`voting.pairwise` of the same ballots in memory.

    Raises
    ------
    InvalidParameterError
        ``data`` is not a Dask array or bag, or a bad ``split_every``.
    InvalidProfileError
        Wrong shape or dtype, weights that do not match, profiles over other
        candidates or policy, tiered ballots without ``candidates`` (raised on
        compute for the checks that need the data).
    EmptyProfileError
        A bag with no ballot and no ``candidates``.

    Notes
    -----
    Work O(V·C²) spread over the partitions, as in memory; the reduction moves one
    C×C int64 matrix per partition (O(P·C²)), summed in a tree of fan-in
    ``split_every``. Each worker holds one partition at a time.

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> from voting import Profile, pairwise as local_pairwise
    >>> ranks = np.array([[0, 1, 2], [2, 0, 1], [1, 2, 0], [0, 1, 2]], dtype=np.int32)
    >>> matrix = pairwise(da.from_array(ranks, chunks=(2, 3)), candidates=["A", "B", "C"])
    >>> matrix == local_pairwise(Profile(ranks, None, ["A", "B", "C"]))
    True
    """
    _check_data(data, "pairwise")
    fan_in = _check_split(split_every)
    spec = _spec(candidates, unranked)
    if isinstance(data, da.Array):
        blocks, spec = _array_blocks(data, weights, spec)
        parts = [delayed(_pairwise_of_block, pure=True)(r, w, spec, parallel) for r, w in blocks]
    else:
        if weights is not None:
            raise InvalidParameterError(
                "voting.dask.pairwise(): weights= is for arrays; a bag carries weights in "
                "its Profiles."
            )
        parts = [
            delayed(_pairwise_of_partition, pure=True)(p, spec, parallel) for p in data.to_delayed()
        ]
    result = delayed(_finish_pairwise, pure=True)(_tree(parts, _add_matrices, fan_in), spec)
    if compute:
        return cast(PairwiseMatrix, result.compute())
    return cast(Delayed, result)


@overload
def count_ballots(
    data: Data,
    *,
    weights: da.Array | None = ...,
    candidates: Iterable[str] | None = ...,
    unranked: UnrankedPolicy | None = ...,
    split_every: int = ...,
    compute: Literal[True] = ...,
) -> Profile: ...


@overload
def count_ballots(
    data: Data,
    *,
    weights: da.Array | None = ...,
    candidates: Iterable[str] | None = ...,
    unranked: UnrankedPolicy | None = ...,
    split_every: int = ...,
    compute: Literal[False],
) -> Delayed: ...


def count_ballots(
    data: Data,
    *,
    weights: da.Array | None = None,
    candidates: Iterable[str] | None = None,
    unranked: UnrankedPolicy | None = None,
    split_every: int = 8,
    compute: bool = True,
) -> Profile | Delayed:
    """The distinct rankings of ballots held in a Dask array or bag, with their weights.

    Parameters are those of :func:`pairwise` (without ``parallel``).

    Returns
    -------
    Profile
        Compressed: equal to ``Profile.compress()`` of the same ballots in memory
        (see :class:`voting.BallotCounter`), ready for :class:`voting.STV` or any
        other method.

    Notes
    -----
    Each partition is counted into a :class:`voting.BallotCounter` (O(n·C·log n) for
    n ballots), and counters are merged in a tree of fan-in ``split_every``; what
    moves between workers is the distinct rankings of a partition, at most its size.

    Examples
    --------
    >>> import dask.bag as db
    >>> bag = db.from_sequence([["A", "B"], ["B", "A"], ["A", "B"]], npartitions=2)
    >>> count_ballots(bag, candidates=["A", "B"]).weights.tolist()
    [2, 1]
    """
    _check_data(data, "count_ballots")
    fan_in = _check_split(split_every)
    spec = _spec(candidates, unranked)
    if isinstance(data, da.Array):
        blocks, spec = _array_blocks(data, weights, spec)
        parts = [delayed(_counter_of_block, pure=True)(r, w, spec) for r, w in blocks]
    else:
        if weights is not None:
            raise InvalidParameterError(
                "voting.dask.count_ballots(): weights= is for arrays; a bag carries weights "
                "in its Profiles."
            )
        parts = [delayed(_counter_of_partition, pure=True)(p, spec) for p in data.to_delayed()]
    result = delayed(_finish_counter, pure=True)(_tree(parts, _merge_counters, fan_in), spec)
    if compute:
        return cast(Profile, result.compute())
    return cast(Delayed, result)
