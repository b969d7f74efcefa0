"""The committee search of CIVS proportional representation (private helpers).

Everything here works on candidate indices in *choice order* (CIVS's column order,
which :class:`~voting.methods.civs_proportional.CIVSProportional` takes from its
tie-break): committees are sorted tuples of indices, and every deterministic choice
(the order neighbours are tried in, the orientation of a contest) follows that order,
as CIVS's ``results`` script does.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import PARALLEL_MIN_CELLS, kernels, use_numba
from voting._numpy_paths import civs_prop as _np_civs
from voting.methods._civs_kernels import ClimbState, pair_counts
from voting.methods.schulze import _narrow, _tiers, strongest_paths

__all__ = [
    "Contests",
    "SearchLog",
    "all_committees",
    "beatpath_tiers",
    "local_search",
    "rank_committees",
]

Committee = tuple[int, ...]
IntArray = NDArray[np.int64]

EXACT_OPS_PER_SECOND = 2.0e8
"""Voter-level comparisons per second and thread assumed by the exact-search estimate."""


def strong_tallies(
    first: IntArray, second: IntArray, n_voters: int, seats: int, initial_against: int
) -> tuple[IntArray, IntArray, IntArray]:
    """CIVS's proportional tally of many committee contests at once.

    ``first[p, f - 1]`` / ``second[p, f - 1]`` count the voters preferring each side
    at level ``f``. A count ``v`` is *valid* at level ``f`` when
    ``v * (seats + 1) >= f * n_voters``; invalid counts become 0. Walking ``f = 1..k``
    CIVS keeps a (for, against) pair, initially ``(0, initial_against)``: a level's
    pair replaces it when one side's count is at least ``for`` and the other's at most
    ``against`` (first side tried first). Returns the kept counts of each side and
    the level that set them (0: none did).
    """
    a = np.ascontiguousarray(first, dtype=np.int64)
    b = np.ascontiguousarray(second, dtype=np.int64)
    if not use_numba("civs_tallies", a.size):
        return _np_civs.strong_tallies(a, b, n_voters, seats, initial_against)
    out: tuple[IntArray, IntArray, IntArray] = kernels("civs_prop")._strong_tallies(
        a, b, n_voters, seats, initial_against
    )
    return out


def _use_parallel(w: IntArray) -> bool:
    return bool(w.shape[0] * w.shape[1] >= PARALLEL_MIN_CELLS)


@dataclass(frozen=True, slots=True)
class SearchLog:
    """What the hill climb did: the committees it visited, in order."""

    visited: tuple[Committee, ...]
    truncated: bool
    comparisons: int


def local_search(
    w: IntArray,
    wts: IntArray,
    start: Committee,
    *,
    budget: int,
    initial_against: int,
) -> SearchLog:
    """CIVS's hill climb: move to the first single swap that beats the current committee.

    Neighbours are tried by position in the sorted committee, then by replacement
    candidate in choice order; already visited committees are skipped. A neighbour
    beats the current committee when its proportional tally is larger, or equal with
    a larger whole-committee tally. The climb stops at a committee no unvisited
    neighbour beats, or when ``budget`` committees have been visited (``truncated``).

    Neighbours are scored lazily, in batches that double from 8 up to the whole
    neighbourhood, so a step costs O(V·C) to update the climb table plus O(V) per
    neighbour tried rather than O(V·k·C) for all of them. The criterion does not
    change single-swap counts (see :mod:`voting._kernels.civs_prop`), so it is not a
    parameter.
    """
    n_voters = int(wts.sum())
    c = w.shape[1]
    k = len(start)
    comm = np.array(start, dtype=np.int64)
    state: _np_civs.ClimbTable | ClimbState
    if use_numba("civs_climb", w.size):
        state = ClimbState(w, wts, comm, _use_parallel(w))
    else:
        state = _np_civs.ClimbTable(w, wts, comm)
    visited: dict[Committee, None] = {start: None}
    cur = start
    truncated = False
    comparisons = 0
    while True:
        inside = set(cur)
        outs = [j for j in range(c) if j not in inside]
        if not outs:
            break
        found: tuple[Committee, int, int] | None = None
        scan = _unvisited_neighbours(cur, outs, visited)
        size = 8
        while found is None:
            batch = list(itertools.islice(scan, size))
            if not batch:
                break
            xs = np.array([x for _, x, _ in batch], dtype=np.int64)
            ys = np.array([y for _, _, y in batch], dtype=np.int64)
            counts = state.counts(xs, ys)
            ta, tb, _ = strong_tallies(counts[:, 0], counts[:, 1], n_voters, k, initial_against)
            wa, wb = counts[:, 0, k - 1], counts[:, 1, k - 1]
            beats = np.flatnonzero((tb > ta) | ((tb == ta) & (wb > wa)))
            if beats.size:
                first = int(beats[0])
                comparisons += first + 1
                found = batch[first]
            else:
                comparisons += len(batch)
            size *= 2
        if found is None:
            break
        if len(visited) >= budget:
            truncated = True
            break
        nb, old, new = found
        visited[nb] = None
        state.swap(old, new)
        cur = nb
    return SearchLog(tuple(visited), truncated, comparisons)


def _unvisited_neighbours(
    cur: Committee, outs: list[int], visited: dict[Committee, None]
) -> Iterator[tuple[Committee, int, int]]:
    """Single swaps of ``cur`` in CIVS's order: ``(committee, leaving, entering)``."""
    for i, x in enumerate(cur):
        for y in outs:
            nb = tuple(sorted((*cur[:i], y, *cur[i + 1 :])))
            if nb not in visited:
                yield nb, x, y


@dataclass(frozen=True, slots=True)
class Contests:
    """Tallies of every contest between the committees considered.

    ``strong[a, b]`` is the proportional tally of ``a`` against ``b``, ``weak[a, b]``
    the whole-committee tally, ``level[a, b]`` the level that set the proportional
    tally (0: no valid level), ``counts[a, b, f - 1]`` the raw count at level ``f``.
    """

    strong: IntArray
    weak: IntArray
    level: IntArray
    counts: IntArray
    ranking: tuple[tuple[int, ...], ...]


def rank_committees(
    w: IntArray,
    wts: IntArray,
    committees: list[Committee],
    *,
    combined: bool,
    initial_against: int,
) -> Contests:
    """Compare every pair of committees and rank them by beat path, as CIVS does.

    The pair ``(j, i)`` with ``i < j`` is tallied with committee ``j`` as the first
    side. CIVS's matrix entry is ``strong + weak / D`` with ``D`` the smallest power
    of ten at least the number of voters; here it is the exact integer
    ``strong * D + weak``, ranked as CIVS's ``beatpath.pm`` ranks it: a defeat's
    strength is the winning side's entry alone (:func:`beatpath_tiers`).
    """
    n_voters = int(wts.sum())
    m = len(committees)
    k = len(committees[0])
    strong = np.zeros((m, m), dtype=np.int64)
    weak = np.zeros((m, m), dtype=np.int64)
    level = np.zeros((m, m), dtype=np.int64)
    counts = np.zeros((m, m, k), dtype=np.int64)
    if m > 1:
        comms = np.array(committees, dtype=np.int64).reshape(m, k)
        jj, ii = np.tril_indices(m, -1)
        pairs = np.ascontiguousarray(np.stack([jj, ii], axis=1), dtype=np.int64)
        if use_numba("civs_contests", w.shape[0] * pairs.shape[0] * k):
            raw = pair_counts(w, wts, comms, pairs, combined, _use_parallel(w))
        else:
            raw = _np_civs.pair_counts(w, wts, comms, pairs, combined)
        ta, tb, lv = strong_tallies(raw[:, 0], raw[:, 1], n_voters, k, initial_against)
        strong[jj, ii], strong[ii, jj] = ta, tb
        weak[jj, ii], weak[ii, jj] = raw[:, 0, k - 1], raw[:, 1, k - 1]
        level[jj, ii] = level[ii, jj] = lv
        counts[jj, ii], counts[ii, jj] = raw[:, 0], raw[:, 1]
    divisor = 1
    while divisor < n_voters:
        divisor *= 10
    matrix = strong * divisor + weak
    np.fill_diagonal(matrix, 0)
    ranking = tuple(tuple(t) for t in beatpath_tiers(matrix))
    return Contests(strong, weak, level, counts, ranking)


def beatpath_tiers(matrix: IntArray) -> list[list[int]]:
    """CIVS's ``beatpath.pm`` ranking of ``matrix`` (the one proportional mode uses).

    A pair's defeat strength is the larger entry alone (equal entries: no defeat),
    never the losing side's; the strongest-path closure is computed once and tiers
    of unbeaten entries are peeled off, each in index order.
    """
    m = np.asarray(matrix, dtype=np.int64)
    return _tiers(strongest_paths(_narrow(np.where(m > m.T, m, 0))))


def all_committees(c: int, k: int) -> list[Committee]:
    """Every committee of ``k`` of ``c`` candidates, in lexicographic order."""
    return list(itertools.combinations(range(c), k))


def exact_seconds(n_committees: int, n_ballots: int, seats: int, threads: int) -> float:
    """Rough running time of comparing ``n_committees`` committees on every ballot."""
    pairs = n_committees * (n_committees - 1) / 2
    ops = n_ballots * (pairs * seats + n_committees * seats * seats)
    return ops / (EXACT_OPS_PER_SECOND * max(1, threads))


def n_committees(c: int, k: int) -> int:
    """``C(c, k)``."""
    return math.comb(c, k)
