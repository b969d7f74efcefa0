"""Slow, obviously correct reference for CIVS proportional representation.

Written from the description of CIVS's ``results`` script (kPrefVoter, kPref,
compare_sets, visit), one voter and one contest at a time, sharing no code with
``voting._kernels.civs_prop`` or ``voting.methods._civs_search``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .naive import maximin_closure, schulze_tiers

Row = Sequence[int]


def voter_pref(weights: Row, a: Sequence[int], b: Sequence[int], f: int, combined: bool) -> int:
    """-1 if the voter prefers committee ``a`` at level ``f``, 1 if ``b``, 0 if neither."""
    wa = sorted((weights[c] for c in a), reverse=True)
    wb = sorted((weights[c] for c in b), reverse=True)
    sa = sb = 0
    for t in range(f):
        sa += wa[t]
        sb += wb[t]
        if sa != sb and not combined:
            break
    return -1 if sa > sb else 1 if sb > sa else 0


def level_counts(
    rows: Sequence[Row], weights: Sequence[int], a: Sequence[int], b: Sequence[int], combined: bool
) -> tuple[list[int], list[int]]:
    """Voters preferring ``a`` / ``b`` at each level ``f = 1..k``."""
    k = len(a)
    ca, cb = [0] * k, [0] * k
    for row, w in zip(rows, weights, strict=True):
        for f in range(1, k + 1):
            p = voter_pref(row, a, b, f, combined)
            if p < 0:
                ca[f - 1] += w
            elif p > 0:
                cb[f - 1] += w
    return ca, cb


def compare(
    rows: Sequence[Row],
    weights: Sequence[int],
    cur: Sequence[int],
    new: Sequence[int],
    combined: bool,
    initial_against: int,
) -> tuple[int, int, int, int]:
    """compare_sets: (strong cur, strong new, weak cur, weak new)."""
    n = sum(weights)
    k = len(cur)
    ca, cb = level_counts(rows, weights, cur, new, combined)
    best_for, best_against = 0, initial_against
    bi = bj = 0
    for f in range(1, k + 1):
        ip, jp = ca[f - 1], cb[f - 1]
        if ip > 0 and ip * (k + 1) < f * n:
            ip = 0
        if jp > 0 and jp * (k + 1) < f * n:
            jp = 0
        if ip >= best_for and jp <= best_against:
            best_for = bi = ip
            best_against = bj = jp
        if jp >= best_for and ip <= best_against:
            best_for = bj = jp
            best_against = bi = ip
    return bi, bj, ca[k - 1], cb[k - 1]


def hill_climb(
    rows: Sequence[Row],
    weights: Sequence[int],
    start: Sequence[int],
    n_candidates: int,
    combined: bool,
    initial_against: int,
    budget: int = 500,
) -> tuple[list[tuple[int, ...]], bool]:
    """visit(): the committees the search visits, and whether it hit the budget."""
    cur = tuple(sorted(start))
    visited = [cur]
    while True:
        nxt = None
        for i in range(len(cur)):
            for j in range(n_candidates):
                if j in cur:
                    continue
                nb = tuple(sorted((*cur[:i], j, *cur[i + 1 :])))
                if nb in visited:
                    continue
                si, sj, wi, wj = compare(rows, weights, cur, nb, combined, initial_against)
                if sj > si or (sj == si and wj > wi):
                    nxt = nb
                    break
            if nxt is not None:
                break
        if nxt is None:
            return visited, False
        if len(visited) >= budget:
            return visited, True
        visited.append(nxt)
        cur = nxt


def beatpath_tiers(matrix: Sequence[Sequence[int]]) -> list[list[int]]:
    """CIVS's beatpath.pm: a defeat's strength is the larger entry alone; closure once."""
    n = len(matrix)
    p = [
        [matrix[i][j] if i != j and matrix[i][j] > matrix[j][i] else 0 for j in range(n)]
        for i in range(n)
    ]
    return [sorted(tier) for tier in schulze_tiers(maximin_closure(p))]


def rank(
    rows: Sequence[Row],
    weights: Sequence[int],
    committees: Sequence[tuple[int, ...]],
    combined: bool,
    initial_against: int,
) -> list[list[int]]:
    """The committee matrix (strong * D + weak, later committee first) and its tiers."""
    n = sum(weights)
    d = 1
    while d < n:
        d *= 10
    m = len(committees)
    mat = [[0] * m for _ in range(m)]
    for j in range(m):
        for i in range(j):
            si, sj, wi, wj = compare(
                rows, weights, committees[j], committees[i], combined, initial_against
            )
            mat[j][i] = si * d + wi
            mat[i][j] = sj * d + wj
    return beatpath_tiers(mat)


def civs_winning(
    rows: Sequence[Row],
    weights: Sequence[int],
    start_order: Sequence[int],
    seats: int,
    combined: bool,
    initial_against: int,
    exact: bool = False,
) -> set[tuple[int, ...]]:
    """Unbeaten committees (index tuples) from the start order ``start_order``."""
    c = len(rows[0])
    if exact:
        comms = list(itertools.combinations(range(c), seats))
    else:
        comms, _ = hill_climb(rows, weights, start_order[:seats], c, combined, initial_against)
        top = list(start_order[: seats + 1])
        for j in range(seats + 1):
            x = tuple(sorted(top[:j] + top[j + 1 :]))
            if x not in comms:
                comms.append(x)
    tiers = rank(rows, weights, comms, combined, initial_against)
    return {comms[i] for i in tiers[0]}
