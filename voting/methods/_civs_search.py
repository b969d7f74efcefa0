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
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from voting._kernels._config import PARALLEL_MIN_CELLS
from voting._kernels.civs_prop import _neighbour_counts, _pair_counts
from voting.methods.schulze import _encode, _tiers, strongest_paths

__all__ = ["Contests", "SearchLog", "all_committees", "local_search", "rank_committees"]

Committee = tuple[int, ...]
IntArray = NDArray[np.int64]

EXACT_OPS_PER_SECOND = 2.0e8
"""Voter-level comparisons per second and thread assumed by the exact-search estimate."""


def strong_tallies(
    first: IntArray, second: IntArray, n_voters: int, seats: int, initial_against: int
) -> tuple[IntArray, IntArray, IntArray]:
    """CIVS's proportional tally of committee contests, vectorised over contests.

    ``first[p, f - 1]`` / ``second[p, f - 1]`` count the voters preferring each side
    at level ``f``. A count ``v`` is *valid* at level ``f`` when
    ``v * (seats + 1) >= f * n_voters``; invalid counts become 0. Walking ``f = 1..k``
    CIVS keeps a (for, against) pair, initially ``(0, initial_against)``: a level's
    pair replaces it when one side's count is at least ``for`` and the other's at most
    ``against`` (first side tried first). Returns the kept counts of each side and
    the level that set them (0: none did).
    """
    p, k = first.shape
    f_idx = np.arange(1, k + 1, dtype=np.int64)
    need = f_idx * n_voters
    a = np.where(first * (seats + 1) >= need, first, 0)
    b = np.where(second * (seats + 1) >= need, second, 0)
    best_for = np.zeros(p, dtype=np.int64)
    best_against = np.full(p, initial_against, dtype=np.int64)
    ta = np.zeros(p, dtype=np.int64)
    tb = np.zeros(p, dtype=np.int64)
    level = np.zeros(p, dtype=np.int64)
    for t in range(k):
        x, y = a[:, t], b[:, t]
        up = (x >= best_for) & (y <= best_against)
        best_for = np.where(up, x, best_for)
        best_against = np.where(up, y, best_against)
        ta = np.where(up, x, ta)
        tb = np.where(up, y, tb)
        level = np.where(up, t + 1, level)
        up = (y >= best_for) & (x <= best_against)
        best_for = np.where(up, y, best_for)
        best_against = np.where(up, x, best_against)
        tb = np.where(up, y, tb)
        ta = np.where(up, x, ta)
        level = np.where(up, t + 1, level)
    return ta, tb, level


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
    combined: bool,
    budget: int,
    initial_against: int,
) -> SearchLog:
    """CIVS's hill climb: move to the first single swap that beats the current committee.

    Neighbours are tried by position in the sorted committee, then by replacement
    candidate in choice order; already visited committees are skipped. A neighbour
    beats the current committee when its proportional tally is larger, or equal with
    a larger whole-committee tally. The climb stops at a committee no unvisited
    neighbour beats, or when ``budget`` committees have been visited (``truncated``).
    """
    n_voters = int(wts.sum())
    c = w.shape[1]
    k = len(start)
    parallel = _use_parallel(w)
    visited: dict[Committee, None] = {start: None}
    cur = start
    truncated = False
    comparisons = 0
    while True:
        members = np.array(cur, dtype=np.int64)
        inside = set(cur)
        outs = np.array([j for j in range(c) if j not in inside], dtype=np.int64)
        if outs.size == 0:
            break
        counts = _neighbour_counts(w, wts, members, outs, combined, parallel)
        flat = counts.reshape(k * outs.size, 2, k)
        ta, tb, _ = strong_tallies(flat[:, 0], flat[:, 1], n_voters, k, initial_against)
        wa, wb = flat[:, 0, k - 1], flat[:, 1, k - 1]
        beats = (tb > ta) | ((tb == ta) & (wb > wa))
        found: Committee | None = None
        for pos in range(k * outs.size):
            i, j = divmod(pos, outs.size)
            nb = tuple(sorted((*cur[:i], int(outs[j]), *cur[i + 1 :])))
            if nb in visited:
                continue
            comparisons += 1
            if beats[pos]:
                found = nb
                break
        if found is None:
            break
        if len(visited) >= budget:
            truncated = True
            break
        visited[found] = None
        cur = found
    return SearchLog(tuple(visited), truncated, comparisons)


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
    ``strong * D + weak``, ranked by winning votes (then losing votes) with the
    closure computed once and tiers peeled off unbeaten first.
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
        raw = _pair_counts(w, wts, comms, pairs, combined, _use_parallel(w))
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
    codes = _encode(matrix, "winning")
    tiers = _tiers(strongest_paths(codes.codes))
    ranking = tuple(tuple(t) for t in tiers)
    return Contests(strong, weak, level, counts, ranking)


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
