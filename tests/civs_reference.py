"""Plain-Python references for the CIVS completions (translations of CIVS's Perl).

The CIVS functions are line-by-line translations of CIVS's published Perl
(``minimax.pm``, ``rp.pm``, ``runoff.pm`` old and new, ``b2r.pm``): plain loops over
lists, no numpy, no code shared with ``voting.methods``. Hypothesis tests compare
them with the vectorised implementations, on the plain pairwise counts of
:func:`voting.testing._reference.pairwise_support` (the one home of the Condorcet
oracles: winner, loser, Smith and Schwartz sets).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from fractions import Fraction

from voting import UNRANKED, Profile

Matrix = list[list[int]]
Ballot = list[int | None]  # CIVS rank numbers (1 = best), None = "No opinion"


def _sign(x: float | Fraction) -> int:
    return (x > 0) - (x < 0)


def civs_ballots(profile: Profile) -> list[Ballot]:
    """One CIVS ballot per voter, in profile order: blank = rank n, "No opinion" = None."""
    n = profile.num_candidates
    out: list[Ballot] = []
    for row, w in zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True):
        ballot: Ballot = []
        for r in row:
            if r == UNRANKED:
                ballot.append(n if profile.unranked == "last" else None)
            else:
                ballot.append(r + 1)
        out.extend([list(ballot) for _ in range(w)])
    return out


# --------------------------------------------------------------- minimax.pm
def civs_minimax_pm(m: Matrix) -> list[list[int]]:
    """CIVS ``minimax.pm`` (all oppositions, margins, lexicographic, peeled)."""
    n = len(m)

    def compare_defeats(a: tuple[int, int, int], b: tuple[int, int, int]) -> int:
        return _sign((b[1] - b[2]) - (a[1] - a[2])) or _sign(a[1] - b[1])

    defeats = [
        sorted(
            [(j, m[j][i], m[i][j]) for j in range(n) if j != i],
            key=functools.cmp_to_key(compare_defeats),
        )
        for i in range(n)
    ]
    ranked = [False] * n

    def compare_candidates(d1: list[tuple[int, int, int]], d2: list[tuple[int, int, int]]) -> int:
        i = j = 0
        while True:
            while i < len(d1) and ranked[d1[i][0]]:
                del d1[i]
            while j < len(d2) and ranked[d2[j][0]]:
                del d2[j]
            u1, u2 = i >= len(d1), j >= len(d2)
            if u1 or u2:
                return _sign(int(u1) - int(u2))
            c = compare_defeats(d1[i], d2[j])
            if c:
                return c
            i += 1
            j += 1

    rankings: list[list[int]] = []
    num_ranked = 0
    while num_ranked < n:
        best: list[int] = []
        for i in range(n):
            if ranked[i]:
                continue
            if not best:
                best = [i]
                if defeats[i]:
                    continue
                break
            c = compare_candidates(defeats[i], defeats[best[0]])
            if c > 0:
                best = [i]
            elif c == 0:
                best.append(i)
        for i in best:
            ranked[i] = True
        rankings.append(best)
        num_ranked += len(best)
    return rankings


# --------------------------------------------------------------------- rp.pm
def _transitive_closure(m: list[list[int]], winner: int, loser: int, n: int) -> bool:
    cycle = False
    worklist = [(winner, loser)]
    while worklist:
        w, lo = worklist.pop(0)
        if m[w][lo]:
            continue
        m[w][lo] = 1
        if w == lo:
            cycle = True
            continue
        for j in range(n):
            if m[lo][j]:
                worklist.append((w, j))
            if m[j][w]:
                worklist.append((j, lo))
    return cycle


def civs_rvh(ballots: Sequence[Ballot], n: int) -> list[list[int]]:
    """CIVS ``create_RVH`` on ballots in the order given."""
    rvh = [[0] * n for _ in range(n)]
    for row in ballots:
        for i in range(n):
            if row[i] is None:
                continue
            for j in range(n):
                ri, rj = row[i], row[j]
                if rj is None or ri is None:
                    continue
                if ri < rj and not rvh[i][j] and not rvh[j][i]:
                    temp = [r[:] for r in rvh]
                    if not _transitive_closure(temp, i, j, n):
                        rvh = temp
                        complete = all(
                            temp[a][b] or temp[b][a] for a in range(n) for b in range(a + 1, n)
                        )
                        if complete:
                            return rvh
    return rvh


def civs_ranked_pairs(m: Matrix, rvh: list[list[int]] | None = None) -> list[list[int]]:
    """CIVS ``rp.pm``: deterministic ranked pairs, or MAM with a hierarchy ``rvh``."""
    n = len(m)

    def order_pairs(a: tuple[int, ...], b: tuple[int, ...]) -> int:
        if a[2] != b[2]:
            return _sign(b[2] - a[2])
        if a[3] != b[3]:
            return _sign(a[3] - b[3])
        if rvh is None:
            return 0
        x, y, z, w = b[0], b[1], a[0], a[1]
        if w != y and rvh[w][y] != rvh[y][w]:
            return rvh[w][y] - rvh[y][w]
        return rvh[x][z] - rvh[z][x]

    pairs = [(j, k, m[j][k], m[k][j]) for j in range(n) for k in range(n) if m[j][k] > m[k][j]]
    pairs.sort(key=functools.cmp_to_key(order_pairs))
    affirmed = [[0] * n for _ in range(n)]
    committed = [[0] * n for _ in range(n)]
    last: tuple[int, ...] | None = None
    bunch_index = 0
    for pair in pairs:
        winner, loser = pair[0], pair[1]
        if last is None or order_pairs(last, pair) < 0:
            committed = [r[:] for r in affirmed]
            bunch_index = 0
        else:
            bunch_index += 1
        last = pair
        current = [r[:] for r in affirmed]
        cycle = _transitive_closure(current, winner, loser, n)
        if cycle and bunch_index != 0:
            temp = [r[:] for r in committed]
            cycle = _transitive_closure(temp, winner, loser, n)
        if not cycle:
            affirmed = current
    # the readout: unbeaten group, strongest defeats in the raw matrix, weakest first
    result: list[list[int]] = []
    already = [False] * n
    num_ranked = 0
    while num_ranked < n:
        group = []
        for i in range(n):
            if already[i]:
                continue
            if all(already[j] or affirmed[j][i] <= affirmed[i][j] for j in range(n)):
                group.append(i)
        strongest: dict[int, tuple[int, ...]] = {}
        for i in group:
            for j in range(n):
                if not already[j] and m[j][i] > m[i][j]:
                    defeat = (j, i, m[j][i], m[i][j])
                    if i not in strongest or order_pairs(strongest[i], defeat) > 0:
                        strongest[i] = defeat
        winners = []
        for i in group:
            won = True
            for j in group:
                if j == i or i not in strongest:
                    continue
                if j not in strongest or order_pairs(strongest[i], strongest[j]) < 0:
                    won = False
                    break
            if won:
                winners.append(i)
        if not winners:  # CIVS would loop forever (MAM, incomplete hierarchy only)
            winners = group
        result.append(winners)
        for j in winners:
            already[j] = True
        num_ranked += len(winners)
    return result


# ------------------------------------------------------ b2r.pm / runoff.pm
def civs_rank_counts(ballots: Sequence[Ballot], n: int) -> list[list[Fraction]]:
    """``b2r::compute_rank_counts`` (exact fractions instead of Perl floats)."""
    counts = [[Fraction(0)] * n for _ in range(n)]
    for ballot in ballots:
        ranks = sorted({r for r in ballot if r is not None})
        rerank = {r: i for i, r in enumerate(ranks)}
        size = {r: sum(1 for x in ballot if x == r) for r in ranks}
        for i in range(n):
            r = ballot[i]
            if r is None:
                continue
            counts[i][rerank[r]] += Fraction(1, size[r])
    return counts


def _compare_choice_ranks(a: int, b: int, counts: list[list[Fraction]]) -> int:
    """Negative when ``a`` has more top rankings than ``b`` (``a`` seeded higher)."""
    for ac, bc in zip(counts[a], counts[b], strict=True):
        if ac != bc:
            return -_sign(ac - bc)
    return 0


def _first_condorcet_winner(m: Matrix, ranked: list[bool], rejected: list[bool]) -> int:
    """``runoff.pm``'s Condorcet test: the first candidate still in (neither ranked nor
    rejected) who beats every other one still in, or -1."""
    n = len(m)
    for j in range(n):
        if ranked[j] or rejected[j]:
            continue
        if all(ranked[k] or rejected[k] or k == j or m[j][k] > m[k][j] for k in range(n)):
            return j
    return -1


def civs_condorcet_irv(m: Matrix, ballots: Sequence[Ballot]) -> list[list[int]]:
    """Current ``runoff.pm``: counts once; ties eliminate the lowest choice index."""
    n = len(m)
    counts = civs_rank_counts(ballots, n)
    ranked = [False] * n
    result: list[list[int]] = []
    num_ranked = 0
    while num_ranked < n:
        rejected = [False] * n
        while True:
            cw = _first_condorcet_winner(m, ranked, rejected)
            if cw >= 0:
                ranked[cw] = True
                num_ranked += 1
                result.append([cw])
                break
            worst = -1
            for j in range(n):
                if ranked[j] or rejected[j]:
                    continue
                if worst == -1 or _compare_choice_ranks(j, worst, counts) > 0:
                    worst = j
            rejected[worst] = True
    return result


def civs_condorcet_irv_recount(m: Matrix, ballots: Sequence[Ballot]) -> list[list[int]]:
    """Earlier ``runoff.pm``: top counts recounted; ties eliminate the first listed."""
    n = len(m)
    ranked = [False] * n
    result: list[list[int]] = []
    num_ranked = 0
    while num_ranked < n:
        rejected = [False] * n
        num_active = n - num_ranked
        while True:
            cw = _first_condorcet_winner(m, ranked, rejected)
            if cw >= 0:
                ranked[cw] = True
                num_ranked += 1
                result.append([cw])
                break
            top = [0] * n
            for j in range(n):
                if ranked[j] or rejected[j]:
                    continue
                for b in ballots:
                    bj = b[j]
                    if bj is None:
                        continue
                    if not any(
                        not ranked[k] and not rejected[k] and (bk := b[k]) is not None and bk < bj
                        for k in range(n)
                    ):
                        top[j] += 1
            active = [j for j in range(n) if not ranked[j] and not rejected[j]]
            worst = min(top[j] for j in active)
            losers = [j for j in active if top[j] == worst]
            if len(losers) == num_active:
                for j in active:
                    ranked[j] = True
                num_ranked += len(active)
                result.append(active)
                break
            rejected[losers[0]] = True
            num_active -= 1
    return result


def civs_bottom_two(m: Matrix, ballots: Sequence[Ballot]) -> list[list[int]]:
    """CIVS ``b2r.pm``."""
    n = len(m)
    counts = civs_rank_counts(ballots, n)

    def seeded(a: int, b: int) -> int:
        return _compare_choice_ranks(a, b, counts)

    unranked = sorted(range(n), key=functools.cmp_to_key(seeded))
    rankings: list[list[int]] = []
    while len(unranked) > 1:
        remaining = list(unranked)
        top = remaining[0]
        if not any(m[c][top] > m[top][c] for c in remaining if c != top):
            winner = top
        else:
            while len(remaining) > 1:
                c1, c2 = remaining[-2], remaining[-1]
                loser = c1 if m[c1][c2] < m[c2][c1] else c2
                remaining = [c for c in remaining if c != loser]
            winner = remaining[0]
        rankings.append([winner])
        unranked = [c for c in unranked if c != winner]
    rankings.append(unranked)
    return rankings


def tiers_of(profile: Profile, ranking: Sequence[Sequence[str]]) -> list[list[int]]:
    """A result's ranking as tiers of indices, each tier sorted."""
    return [sorted(profile.index(c) for c in tier) for tier in ranking]
