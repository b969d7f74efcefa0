"""Kernels of the single transferable vote: ballot compression and per-round transfers.

All arithmetic is on integers: Meek's keep factors and ballot weights are fixed-point
numbers scaled by ``scale`` (``10**9`` for the Reference Meek Rule), and the Gregory
kernels only move ballots and count them by *value class* (the exact value of each
class is kept by the caller, as a Python ``int`` or ``Fraction``). Nothing here rounds
a float.

Ballots reach the kernels as *orders*: ``order[u, i]`` is the candidate at position
``i`` of unique ballot ``u`` (``-1`` past its length ``length[u]``) and ``tier[u, i]``
its tier, so candidates ranked equal are consecutive positions with the same tier.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from voting._kernels import _config

_UNRANKED = np.int32(np.iinfo(np.int32).max)


# --------------------------------------------------------------------- compression
@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _ballot_orders(ranks, rows, order):
    """Rows ``rows`` of ``ranks`` as orders of their ranked candidates, best first.

    Parameters
    ----------
    ranks : (V, C) int32 dense tiers (each row's tiers are ``0..k-1``) with
        ``_UNRANKED`` for unranked cells.
    rows : (U,) int64, the rows to convert.
    order : (U, C) signed integers holding ``-1 .. C-1`` (int8 up to 127 candidates:
        a quarter of int32's memory), filled here (any content on entry).

    Returns
    -------
    order : the array given, candidates by tier, then by index; ``-1`` after the last.
    tier : (U, C) int32, the tier of ``order[u, i]`` (``-1`` after the last), or
        (0, C) when every ballot is strict (the tier of position ``i`` is then ``i``:
        no array of the size of ``order`` to allocate and fill).
    length : (U,) int32, number of ranked candidates.
    strict : bool, True when no ballot ranks two candidates in one tier.

    Preconditions (validated by caller): tiers are dense (``Profile`` stores them so).
    Runtime complexity: O(U·C): one pass for a strict row, whose dense tiers are its
    positions (``order[u, tier] = candidate``; a second candidate landing on a filled
    position means a tie); a counting sort by tier for a row with ties.
    """
    n = rows.shape[0]
    c = ranks.shape[1]
    tier = np.empty((0, c), dtype=np.int32)
    length = np.zeros(n, dtype=np.int32)
    count = np.zeros(c + 1, dtype=np.int32)
    strict = True
    for u in range(n):
        v = rows[u]
        for p in range(c):
            order[u, p] = -1
        k = 0
        tied = False
        for j in range(c):
            r = ranks[v, j]
            if r != _UNRANKED:
                if order[u, r] != -1:
                    tied = True
                    break
                order[u, r] = j
                k += 1
        if not tied:
            if not strict:
                for p in range(k):
                    tier[u, p] = p
            length[u] = k
            continue
        if strict:  # the first tie: from now on, tiers are stored
            strict = False
            tier = np.full((n, c), -1, dtype=np.int32)
            for w in range(u):
                for p in range(length[w]):
                    tier[w, p] = p
        order[u, :] = -1
        count[:] = 0
        k = 0
        for j in range(c):
            r = ranks[v, j]
            if r != _UNRANKED:
                count[r + 1] += 1
                k += 1
        for t in range(1, c + 1):
            count[t] += count[t - 1]
        for j in range(c):
            r = ranks[v, j]
            if r != _UNRANKED:
                p = count[r]
                order[u, p] = j
                tier[u, p] = r
                count[r] += 1
        length[u] = k
    return order, tier, length, strict


# ----------------------------------------------------------------------------- Meek
@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _meek_add(order, tier, length, mult, kf, scale, nz, lo, hi, votes):
    """Distribute ballots ``lo:hi`` down their rankings with keep factors ``kf``.

    Each ballot starts with weight ``w = scale`` (one vote). At a candidate with keep
    factor ``f > 0`` it leaves ``keep = ceil(w·f / scale)``; the weight that goes on is
    ``w - keep`` (Reference Meek Rule) or, with ``nz``, ``ceil(w·(scale - f) / scale)``
    (New Zealand Schedule 1A, clause 10). Candidates with ``f == 0`` (excluded or
    withdrawn) are skipped. At a tier of ``k >= 2`` candidates ranked equal, the
    ``k'`` of them with ``f > 0`` each keep ``floor(w·f / (k'·scale))`` and the weight
    falls by the sum (Hill's equal-preference extension, rounded down so that a ballot
    never gives more than it holds). The walk stops when ``w`` reaches 0.

    Parameters
    ----------
    order, tier : (U, C) int32; length : (U,) int32 (see the module docstring).
    mult : (U,) int64, voters per unique ballot.
    kf : (C,) int64, keep factors scaled by ``scale`` (0 ≤ f ≤ scale).
    scale : int64, ``10**decimals``.
    nz : bool, use the Schedule 1A remainder rule.
    lo, hi : int, the ballot range.
    votes : (C,) int64, accumulated in place (scaled).

    Returns
    -------
    int64, the summed weight left on the ballots (``Σ mult·w``), scaled: the votes
    that became non-transferable.

    Preconditions (validated by caller): ``scale ≤ 10**9`` so ``w·f`` fits int64;
    ``Σ mult·scale`` fits int64.
    Runtime complexity: O(Σ positions visited) ≤ O((hi - lo)·C).
    """
    excess = np.int64(0)
    for u in range(lo, hi):
        w = scale
        n = length[u]
        m = mult[u]
        i = 0
        while i < n and w > 0:
            j = i + 1
            while j < n and tier[u, j] == tier[u, i]:
                j += 1
            if j == i + 1:
                c = order[u, i]
                f = kf[c]
                if f > 0:
                    keep = (w * f + scale - 1) // scale
                    if nz:
                        w = (w * (scale - f) + scale - 1) // scale
                    else:
                        w -= keep
                    votes[c] += keep * m
            else:
                k = 0
                for p in range(i, j):
                    if kf[order[u, p]] > 0:
                        k += 1
                if k > 0:
                    taken = np.int64(0)
                    for p in range(i, j):
                        c = order[u, p]
                        f = kf[c]
                        if f > 0:
                            keep = (w * f) // (k * scale)
                            votes[c] += keep * m
                            taken += keep
                    w -= taken
            i = j
        excess += w * m
    return excess


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _meek_distribute_serial(order, tier, length, mult, kf, scale, nz):
    """One Meek distribution of every ballot (see :func:`_meek_add`).

    Returns
    -------
    votes : (C,) int64 scaled votes per candidate.
    excess : int64 scaled non-transferable weight.

    Runtime complexity: O(U·C) worst case; O(U) when ballots stop at a hopeful
    candidate early (the usual case).
    """
    votes = np.zeros(kf.shape[0], dtype=np.int64)
    excess = _meek_add(order, tier, length, mult, kf, scale, nz, 0, order.shape[0], votes)
    return votes, excess


@_config.serialised
@njit(parallel=True, cache=_config.CACHE, fastmath=_config.FASTMATH)
def _meek_distribute_parallel(order, tier, length, mult, kf, scale, nz, n_chunks):
    """:func:`_meek_distribute_serial` split over ``n_chunks`` threads.

    Each chunk adds into its own row of a ``(n_chunks, C)`` buffer; rows are summed
    serially afterwards (integer sums, so the result equals the serial kernel's).
    """
    n = order.shape[0]
    c = kf.shape[0]
    partial = np.zeros((n_chunks, c), dtype=np.int64)
    excess = np.zeros(n_chunks, dtype=np.int64)
    size = (n + n_chunks - 1) // n_chunks
    for t in prange(n_chunks):
        lo = t * size
        hi = min(n, lo + size)
        if lo < hi:
            excess[t] = _meek_add(order, tier, length, mult, kf, scale, nz, lo, hi, partial[t])
    votes = np.zeros(c, dtype=np.int64)
    total = np.int64(0)
    for t in range(n_chunks):
        for j in range(c):
            votes[j] += partial[t, j]
        total += excess[t]
    return votes, total


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH, inline="always")
def _trie_slot(table, parent, cand, node, a, c):
    """The hash-table slot of child ``(node, a)``: where it is, or where it goes."""
    size = table.shape[0]
    key = np.int64(node) * c + a
    x = np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)
    idx = np.int64((x ^ (x >> np.uint64(29))) & np.uint64(size - 1))
    while True:
        y = table[idx]
        if y == -1 or (parent[y] == node and cand[y] == a):
            return idx
        idx = (idx + 1) & (size - 1)


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _meek_walk(
    order,
    length,
    mult,
    excluded,
    elected,
    term,
    pos,
    stop,
    cand,
    parent,
    through,
    ends,
    table,
    nodes,
    u0,
):
    """Walk the ballots ``u0, u0 + 1, ...`` that move (see :func:`_meek_reduce`) while
    the trie has room for one more walk.

    Returns ``(u, nodes)``: ``u`` is ``U`` when every ballot was seen, or the first
    ballot left untouched because the trie arrays or the hash table might overflow
    during its walk (a walk adds at most ``C`` nodes). The arrays are never
    reallocated here, so the loop keeps them in registers (no reference counting per
    ballot); :func:`_meek_reduce` grows them and calls again from ``u``.
    """
    n, c = order.shape
    room = min(cand.shape[0], table.shape[0] // 2) - c
    for u in range(u0, n):
        a0 = stop[u]
        if a0 == -1:
            continue
        if a0 >= 0 and not excluded[a0] and not elected[a0]:
            continue
        if nodes > room:
            return u, nodes
        if a0 >= 0:
            if excluded[a0]:
                t = term[u]
                through[t] -= mult[u]
                node = parent[t]
            else:
                node = term[u]
        else:
            node = 0
        m = mult[u]
        stopped = False
        for i in range(pos[u] + 1, length[u]):
            a = order[u, i]
            if excluded[a]:
                continue
            idx = _trie_slot(table, parent, cand, node, a, c)
            y = table[idx]
            if y == -1:
                y = nodes
                cand[y] = a
                parent[y] = node
                nodes += 1
                table[idx] = y
            node = y
            through[node] += m
            if not elected[a]:
                term[u] = node
                pos[u] = i
                stop[u] = a
                stopped = True
                break
        if not stopped:
            ends[node] += m
            term[u] = -1
            stop[u] = -1
    return n, nodes


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _meek_reduce(
    order,
    length,
    mult,
    excluded,
    elected,
    term,
    pos,
    stop,
    cand,
    parent,
    through,
    ends,
    table,
    nodes,
):
    """Update the trie of effective prefixes after candidates changed state.

    Within a Meek round no candidate changes state, and a strict ballot's
    distribution depends only on its *effective prefix*: its candidates with the
    excluded ones skipped (they keep nothing and pass the weight on unchanged), up to
    and including its first hopeful candidate (who keeps all the weight reaching
    them: keep factor 1). Ballots with equal effective prefixes share a trie path,
    and every iteration of the round distributes the trie (:func:`_trie_distribute`)
    instead of the ballots.

    Between rounds a ballot's effective prefix changes only if the hopeful candidate
    it stops at was elected (the ballot now goes on past them) or excluded (it goes on
    from the candidate before). So only the ballots stopped at such a candidate are
    walked again, from where they stopped (:func:`_meek_walk`); the trie only grows,
    and a node of an excluded candidate keeps 0 voters. Finding them reads ``stop``
    (the candidate each ballot stops at) in order and looks the candidate up in the
    two small state arrays: no access to the trie, whose nodes are scattered in
    memory, for the ballots that do not move.

    Parameters
    ----------
    order : (U, C) int32; length : (U,) int32; mult : (U,) int64 (strict rankings).
    excluded, elected : (C,) bool, the candidates' states for the coming round.
    term : (U,) int32, in/out: the node where each ballot's walk stops.
    pos : (U,) int32, in/out: the position of ``term``'s candidate in the ranking.
    stop : (U,) int32, in/out: the candidate of ``term`` (``-2`` for a ballot never
        walked, ``-1`` once its walk ran out of candidates).
    cand, parent : (cap,) int32; through, ends : (cap,) int64: the trie (node 0 is
        the root); ``through[x]`` voters reach node ``x``, ``ends[x]`` voters run out
        of candidates at ``x`` (their remaining weight is non-transferable).
    table : (2**k,) int32, open-addressing index of children (``-1`` = empty), kept
        at most half full.
    nodes : int, nodes in use.

    Returns
    -------
    cand, parent, through, ends, table, nodes: the same arrays, reallocated (doubled)
    when they had to grow.

    Runtime complexity: O(U) sequential reads to find the ballots to move, plus
    O(positions walked), plus O(nodes) per growth (O(log nodes) growths).
    """
    n, c = order.shape
    u = 0
    while True:
        u, nodes = _meek_walk(
            order,
            length,
            mult,
            excluded,
            elected,
            term,
            pos,
            stop,
            cand,
            parent,
            through,
            ends,
            table,
            nodes,
            u,
        )
        if u >= n:
            return cand, parent, through, ends, table, nodes
        need = nodes + c + 1
        if cand.shape[0] < need:
            cap = max(2 * cand.shape[0], need)
            cand2 = np.empty(cap, dtype=np.int32)
            parent2 = np.empty(cap, dtype=np.int32)
            through2 = np.zeros(cap, dtype=np.int64)
            ends2 = np.zeros(cap, dtype=np.int64)
            cand2[:nodes] = cand[:nodes]
            parent2[:nodes] = parent[:nodes]
            through2[:nodes] = through[:nodes]
            ends2[:nodes] = ends[:nodes]
            cand, parent, through, ends = cand2, parent2, through2, ends2
        size = table.shape[0]
        while size < 2 * need:
            size *= 2
        if size != table.shape[0]:
            table = np.full(size, -1, dtype=np.int32)
            for z in range(1, nodes):
                table[_trie_slot(table, parent, cand, parent[z], cand[z], c)] = z


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _trie_children(parent, nodes):
    """Children of every trie node in CSR form: ``child[start[x]:start[x + 1]]``."""
    start = np.zeros(nodes + 1, dtype=np.int64)
    for x in range(1, nodes):
        start[parent[x] + 1] += 1
    for x in range(nodes):
        start[x + 1] += start[x]
    fill = start[:-1].copy()
    child = np.empty(max(nodes - 1, 0), dtype=np.int32)
    for x in range(1, nodes):
        p = parent[x]
        child[fill[p]] = x
        fill[p] += 1
    return start, child


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _trie_distribute(cand, through, ends, child_start, child, kf, scale, nz):
    """One Meek distribution over the trie of effective prefixes (:func:`_meek_reduce`).

    Exactly :func:`_meek_add` on every ballot, computed once per trie node instead of
    once per ballot: all ballots through a node carry the same weight there, so the
    node credits ``keep × through[node]`` and passes its remaining weight to its
    children, visited only while that weight is positive; ``ends[node]`` voters keep
    the remaining weight as non-transferable.

    Returns
    -------
    votes : (C,) int64 scaled; excess : int64, the scaled non-transferable weight.

    Runtime complexity: O(nodes visited), at most the number of trie nodes.
    """
    votes = np.zeros(kf.shape[0], dtype=np.int64)
    excess = np.int64(0)
    n_nodes = cand.shape[0]
    stack = np.empty(n_nodes, dtype=np.int32)
    weight = np.empty(n_nodes, dtype=np.int64)
    top = 0
    excess += scale * ends[0]
    for p in range(child_start[0], child_start[1]):
        stack[top] = child[p]
        weight[top] = scale
        top += 1
    while top > 0:
        top -= 1
        x = stack[top]
        w = weight[top]
        c = cand[x]
        f = kf[c]
        if f > 0:
            keep = (w * f + scale - 1) // scale
            votes[c] += keep * through[x]
            if nz:
                w = (w * (scale - f) + scale - 1) // scale
            else:
                w -= keep
        if w > 0:
            excess += w * ends[x]
            for p in range(child_start[x], child_start[x + 1]):
                stack[top] = child[p]
                weight[top] = w
                top += 1
    return votes, excess


# -------------------------------------------------------------------------- Gregory
@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _gregory_start(order, length, continuing):
    """Put every ballot with its first continuing candidate.

    Returns
    -------
    at : (U,) int32, the candidate holding the ballot (``-1``: none, exhausted).
    pos : (U,) int32, the position of ``at`` in the ballot's order.

    Runtime complexity: O(U·C).
    """
    n = order.shape[0]
    at = np.full(n, -1, dtype=np.int32)
    pos = np.zeros(n, dtype=np.int32)
    for u in range(n):
        p = 0
        while p < length[u] and not continuing[order[u, p]]:
            p += 1
        pos[u] = p
        if p < length[u]:
            at[u] = order[u, p]
    return at, pos


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _gregory_move(
    order,
    length,
    at,
    pos,
    cls,
    arrived,
    source,
    class_select,
    class_map,
    continuing,
    parcel,
    stage,
    keep_stuck,
):
    """Move the selected ballots to their next continuing candidate, in place.

    A ballot is selected when ``source[at[u]]`` and ``class_select[cls[u]]`` hold and,
    if ``parcel >= 0``, it arrived at its candidate at stage ``parcel``. A selected
    ballot's value class becomes ``class_map[cls[u]]``, ``arrived[u]`` becomes
    ``stage``, and it moves to its next continuing candidate; one with none left is
    exhausted (``at = -1``), or, with ``keep_stuck``, left where it is, unchanged
    (ERS97 keeps the non-transferable papers of a surplus with the elected candidate).

    Parameters
    ----------
    order : (U, C) int32; length : (U,) int32
    at, pos, cls, arrived : (U,) int32 ballot state, updated in place.
    source : (C,) bool, the candidates whose ballots move.
    class_select : (K,) bool, the value classes that move.
    class_map : (K,) int32, the new class of a moved ballot.
    continuing : (C,) bool, the candidates that can receive ballots.
    parcel : int, restrict to ballots that arrived at this stage (``-1``: any).
    stage : int, recorded as the arrival stage.
    keep_stuck : bool, leave ballots with no next continuing preference in place.

    Preconditions (validated by caller): classes index ``class_select``/``class_map``.
    Runtime complexity: O(U + moved·C).
    """
    n = order.shape[0]
    for u in range(n):
        a = at[u]
        if a < 0 or not source[a] or not class_select[cls[u]]:
            continue
        if parcel >= 0 and arrived[u] != parcel:
            continue
        p = pos[u] + 1
        while p < length[u] and not continuing[order[u, p]]:
            p += 1
        if p >= length[u] and keep_stuck:
            continue
        cls[u] = class_map[cls[u]]
        pos[u] = p
        at[u] = order[u, p] if p < length[u] else -1
        arrived[u] = stage


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _gregory_parcel(
    order, length, at, pos, cls, arrived, mult, source, parcel, continuing, n_classes
):
    """Voters of the ``source`` candidates' papers, by value class and transferability.

    Returns
    -------
    (2, K) int64: row 0 counts papers with a next continuing preference, row 1 the
    others (non-transferable), per value class; only papers that arrived at stage
    ``parcel`` when ``parcel >= 0``.

    Runtime complexity: O(U·C) worst case.
    """
    out = np.zeros((2, n_classes), dtype=np.int64)
    n = order.shape[0]
    for u in range(n):
        a = at[u]
        if a < 0 or not source[a]:
            continue
        if parcel >= 0 and arrived[u] != parcel:
            continue
        p = pos[u] + 1
        while p < length[u] and not continuing[order[u, p]]:
            p += 1
        out[0 if p < length[u] else 1, cls[u]] += mult[u]
    return out


@njit(cache=_config.CACHE, fastmath=_config.FASTMATH)
def _gregory_tally(at, cls, mult, n_candidates, n_classes):
    """Voters per (holding candidate, value class); row ``n_candidates`` = exhausted.

    Returns
    -------
    (n_candidates + 1, K) int64.

    Runtime complexity: O(U).
    """
    out = np.zeros((n_candidates + 1, n_classes), dtype=np.int64)
    for u in range(at.shape[0]):
        a = at[u]
        row = n_candidates if a < 0 else a
        out[row, cls[u]] += mult[u]
    return out
