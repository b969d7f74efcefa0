"""Slow, obviously correct reference for Schulze STV (plain Python, exact Fractions).

Shares no code with ``voting._kernels.schulze_stv`` or ``voting.methods.schulze_stv``.

* :func:`support_strength` follows the definition literally: the largest ``t`` such
  that the ballots can be divided among the committee's members, each member getting
  at least ``t`` from ballots preferring it to the outsider. Feasibility of a given
  ``t`` is a max-flow problem (source -> ballot, capacity its weight; ballot ->
  member it prefers to the outsider; member -> sink, capacity ``t``), solved exactly
  by Edmonds–Karp in Fractions. The optimum is a breakpoint of the piecewise-linear
  max flow, so the largest feasible value among all ``W(T) / |T|`` is returned,
  where ``W(T)`` is the weight of ballots preferring some member of ``T`` to the
  outsider; that it is the optimum is checked by showing a slightly larger ``t``
  infeasible.
* :func:`winning_committees` builds every link between committees that differ in
  one member and runs Floyd–Warshall over (max, min) with Schulze's winning-votes
  order, then returns the committees nobody beats.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Sequence
from fractions import Fraction

from voting.testing._reference import prefers


def _max_flow(cap: list[list[Fraction]], s: int, t: int) -> Fraction:
    n = len(cap)
    flow = Fraction(0)
    res = [row[:] for row in cap]
    while True:
        parent = [-1] * n
        parent[s] = s
        q = deque([s])
        while q and parent[t] == -1:
            u = q.popleft()
            for v in range(n):
                if parent[v] == -1 and res[u][v] > 0:
                    parent[v] = u
                    q.append(v)
        if parent[t] == -1:
            return flow
        push = None
        v = t
        while v != s:
            u = parent[v]
            push = res[u][v] if push is None else min(push, res[u][v])
            v = u
        assert push is not None
        v = t
        while v != s:
            u = parent[v]
            res[u][v] -= push
            res[v][u] += push
            v = u
        flow += push


def _feasible(
    ranks: Sequence[Sequence[int]],
    weights: Sequence[int],
    unranked: str,
    committee: Sequence[int],
    d: int,
    t: Fraction,
) -> bool:
    nv, n = len(ranks), len(committee)
    size = 2 + nv + n
    src, sink = 0, size - 1
    big = Fraction(sum(weights) + 1)
    cap = [[Fraction(0)] * size for _ in range(size)]
    for v, (row, w) in enumerate(zip(ranks, weights, strict=True)):
        cap[src][1 + v] = Fraction(w)
        for i, c in enumerate(committee):
            if prefers(row, c, d, unranked):
                cap[1 + v][1 + nv + i] = big
    for i in range(n):
        cap[1 + nv + i][sink] = t
    return _max_flow(cap, src, sink) == n * t


def support_strength(
    ranks: Sequence[Sequence[int]],
    weights: Sequence[int],
    unranked: str,
    committee: Sequence[int],
    d: int,
) -> Fraction:
    """Schulze's vote-management strength of ``committee`` against outsider ``d``."""
    values = set()
    for size in range(1, len(committee) + 1):
        for sub in itertools.combinations(committee, size):
            w = sum(
                wt
                for row, wt in zip(ranks, weights, strict=True)
                if any(prefers(row, c, d, unranked) for c in sub)
            )
            values.add(Fraction(w, size))
    best = max(t for t in values if _feasible(ranks, weights, unranked, committee, d, t))
    # nothing larger is feasible (the flow's breakpoints are spaced >= 1/n^2 apart)
    bump = best + Fraction(1, 2 * len(committee) ** 2)
    assert not _feasible(ranks, weights, unranked, committee, d, bump)
    return best


def winning_committees(
    ranks: Sequence[Sequence[int]],
    weights: Sequence[int],
    unranked: str,
    num_candidates: int,
    seats: int,
    all_links: bool = False,
) -> set[frozenset[int]]:
    """Every committee that no other committee beats in Schulze STV.

    ``all_links``: every link of positive strength counts, with strength ``t(S, d)``
    alone (``links="all"``); otherwise only defeats, as (win, -lose).
    """
    comms = [frozenset(c) for c in itertools.combinations(range(num_candidates), seats)]
    idx = {c: i for i, c in enumerate(comms)}
    t = {}
    for s in comms:
        for d in range(num_candidates):
            if d not in s:
                t[s, d] = support_strength(ranks, weights, unranked, sorted(s), d)
    k = len(comms)
    # strengths as (win, -lose) tuples: larger = stronger; None = no link
    p: list[list[tuple[Fraction, Fraction] | None]] = [[None] * k for _ in range(k)]
    for s in comms:
        for a in s:
            for d in range(num_candidates):
                if d in s:
                    continue
                s2 = (s - {a}) | {d}
                fwd, back = t[s, d], t[s2, a]
                if all_links and fwd > 0:
                    p[idx[s]][idx[s2]] = (fwd, Fraction(0))
                elif not all_links and fwd > back:
                    p[idx[s]][idx[s2]] = (fwd, -back)

    def weaker(x: tuple[Fraction, Fraction] | None, y: tuple[Fraction, Fraction] | None) -> bool:
        if x is None:
            return y is not None
        return y is not None and x < y

    for m in range(k):
        for i in range(k):
            if i == m or p[i][m] is None:
                continue
            for j in range(k):
                if j in (i, m) or p[m][j] is None:
                    continue
                via = p[i][m] if weaker(p[i][m], p[m][j]) else p[m][j]
                if weaker(p[i][j], via):
                    p[i][j] = via
    return {
        comms[i] for i in range(k) if not any(weaker(p[i][j], p[j][i]) for j in range(k) if j != i)
    }
