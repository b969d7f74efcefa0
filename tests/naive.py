"""Slow, obviously correct references for the numba kernels (plain Python loops).

They share no code with ``voting._kernels``; hypothesis tests compare the two.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol, TypeVar

from voting import UNRANKED


class _Ordered(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


_K = TypeVar("_K", bound=_Ordered)


def dense_ranks(row: Sequence[int]) -> list[int]:
    """Renumber a ballot's ranked values as 0..k-1, keeping order, ties and UNRANKED."""
    values = sorted({int(r) for r in row if int(r) != UNRANKED})
    pos = {v: i for i, v in enumerate(values)}
    return [UNRANKED if int(r) == UNRANKED else pos[int(r)] for r in row]


# ----------------------------------------------------------------- analyses
def top_tier_unions(row: Sequence[int]) -> list[tuple[frozenset[int], bool]]:
    """Each union of a ballot's first j ranked tiers, with "each of those tiers is a singleton"."""
    tiers: dict[int, list[int]] = {}
    for c, r in enumerate(row):
        if int(r) != UNRANKED:
            tiers.setdefault(int(r), []).append(c)
    out: list[tuple[frozenset[int], bool]] = []
    acc: set[int] = set()
    singles = True
    for t in sorted(tiers):
        acc |= set(tiers[t])
        singles = singles and len(tiers[t]) == 1
        out.append((frozenset(acc), singles))
    return out


def group_on_top(row: Sequence[int], group: Sequence[int]) -> tuple[bool, bool]:
    """``(on_top, strictly_on_top)`` of a group on one ballot, straight from the definition.

    On top: every member ranked and every ranked outsider strictly below every member
    (unranked outsiders are below under "last" and make no comparison under "ignore";
    the two agree). Strictly: additionally no two members share a rank.
    """
    g = set(group)
    member = [int(row[c]) for c in g]
    if any(r == UNRANKED for r in member):
        return False, False
    worst = max(member)
    outsiders = [int(row[c]) for c in range(len(row)) if c not in g and int(row[c]) != UNRANKED]
    top = all(r > worst for r in outsiders)
    return top, top and len(set(member)) == len(member)


def chance_on_top(row: Sequence[int], group: Sequence[int]) -> tuple[Fraction, Fraction]:
    """P(group on top), P(strictly on top) when the candidates are permuted uniformly at random
    over the ballot's slots (brute force over all C! relabellings)."""
    n = len(row)
    hits_top = hits_strict = 0
    total = 0
    for perm in itertools.permutations(range(n)):
        permuted = [row[perm[c]] for c in range(n)]
        top, strict = group_on_top(permuted, group)
        hits_top += top
        hits_strict += strict
        total += 1
    return Fraction(hits_top, total), Fraction(hits_strict, total)


def position_counts(
    ranks: Sequence[Sequence[int]], weights: Sequence[int], unranked: str, n_candidates: int
) -> list[dict[Fraction, int]]:
    """For each candidate, ``{average position: weight}`` (tied candidates share the average
    of their positions; unranked share the last positions under "last", are skipped under
    "ignore")."""
    out: list[dict[Fraction, int]] = [{} for _ in range(n_candidates)]
    for row, w in zip(ranks, weights, strict=True):
        n_ranked = sum(1 for r in row if int(r) != UNRANKED)
        for c in range(n_candidates):
            r = int(row[c])
            if r == UNRANKED:
                if unranked == "ignore":
                    continue
                positions = list(range(n_ranked + 1, n_candidates + 1))
            else:
                above = sum(1 for x in row if int(x) != UNRANKED and int(x) < r)
                size = sum(1 for x in row if int(x) == r)
                positions = list(range(above + 1, above + size + 1))
            avg = Fraction(sum(positions), len(positions))
            out[c][avg] = out[c].get(avg, 0) + int(w)
    return out


def resolutions_per_voter(
    ranks: Sequence[Sequence[int]], weights: Sequence[int]
) -> list[tuple[list[list[int]], Fraction]]:
    """Every assignment of a strict order to every single voter (ballots expanded by weight),
    each with probability 1 / (number of assignments): the brute-force tie resolution."""
    voters: list[list[list[int]]] = []
    for row, w in zip(ranks, weights, strict=True):
        tiers: dict[int, list[int]] = {}
        for c, r in enumerate(row):
            if int(r) != UNRANKED:
                tiers.setdefault(int(r), []).append(c)
        options: list[list[int]] = []
        for combo in itertools.product(*(itertools.permutations(tiers[t]) for t in sorted(tiers))):
            new = [UNRANKED] * len(row)
            pos = 0
            for perm in combo:
                for c in perm:
                    new[c] = pos
                    pos += 1
            options.append(new)
        voters.extend([options] * int(w))
    assignments = list(itertools.product(*voters))
    p = Fraction(1, len(assignments))
    return [([list(r) for r in a], p) for a in assignments]


# ---------------------------------------------------------------------------
# Schulze (strongest paths): appended for tests/test_kernels_schulze.py and
# tests/test_schulze.py. Strengths are compared as plain Python tuples.
# ---------------------------------------------------------------------------


def schulze_defeat_key(w: int, l_: int, strength: str) -> tuple[object, ...]:
    """Comparable strength of "x beats y with w votes for, l_ against"; ``(0,)`` if no defeat.

    winning: more w stronger, then fewer l_; margins: w - l_; ratio: w / l_ exactly,
    infinite when l_ == 0.
    """
    from fractions import Fraction

    if w <= l_:
        return (0,)
    if strength == "winning":
        return (1, w, -l_)
    if strength == "margins":
        return (1, w - l_)
    if strength == "ratio":
        return (1, 1, 0) if l_ == 0 else (1, 0, Fraction(w, l_))
    raise ValueError(strength)


def maximin_closure(p: list[list[_K]]) -> list[list[_K]]:
    """Widest paths in place (Floyd–Warshall over ``i != j != k``): ``p[j][k]`` becomes the
    largest, over paths from ``j`` to ``k``, of the smallest entry along the path."""
    n = len(p)
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            for k in range(n):
                if i != k and j != k:
                    p[j][k] = max(p[j][k], min(p[j][i], p[i][k]))
    return p


def schulze_strongest_paths(
    support: Sequence[Sequence[int]], strength: str
) -> list[list[tuple[object, ...]]]:
    """Schulze (2011) section 2.3: Floyd–Warshall with i != j != k, on tuple keys."""
    n = len(support)
    return maximin_closure(
        [
            [
                schulze_defeat_key(int(support[i][j]), int(support[j][i]), strength)
                if i != j
                else (0,)
                for j in range(n)
            ]
            for i in range(n)
        ]
    )


def widest_paths(matrix: Sequence[Sequence[int]]) -> list[list[int]]:
    """Widest paths on plain non-negative ints (0 = no edge), diagonal 0."""
    n = len(matrix)
    return maximin_closure(
        [[int(matrix[i][j]) if i != j else 0 for j in range(n)] for i in range(n)]
    )


def schulze_tiers(paths: Sequence[Sequence[_K]]) -> list[set[int]]:
    """CIVS ranking: repeatedly take the candidates no remaining candidate beats."""
    n = len(paths)
    remaining = set(range(n))
    tiers: list[set[int]] = []
    while remaining:
        top = {
            j for j in remaining if not any(paths[j][i] < paths[i][j] for i in remaining if i != j)
        }
        if not top:
            raise ValueError("cycle in the Schulze relation")
        tiers.append(top)
        remaining -= top
    return tiers


# --------------------------------------------------------------------------- STV
# Plain-Python references for voting.methods.stv, written from the rule texts with
# one loop per ballot (or per paper) and Python integers; they share no code with the
# kernels or with voting/methods/stv. A ballot is a list of tiers (lists of candidate
# indices), best first.


def stv_meek_distribute(
    ballots: Sequence[Sequence[Sequence[int]]],
    weights: Sequence[int],
    kf: Sequence[int],
    scale: int,
    nz: bool = False,
) -> tuple[list[int], int]:
    """One Meek distribution, ballot by ballot: scaled votes and non-transferable weight.

    A ballot of weight ``w`` (scaled) at a lone candidate with keep factor ``f > 0``
    gives ``ceil(w·f / scale)`` and passes on ``w - that`` (``ceil(w·(scale - f) /
    scale)`` with ``nz``); at a tier of several candidates, the ``k`` with ``f > 0``
    each get ``floor(w·f / (k·scale))``.
    """
    n = len(kf)
    votes = [0] * n
    excess = 0
    for ballot, m in zip(ballots, weights, strict=True):
        w = scale
        for tier in ballot:
            if w == 0:
                break
            live = [c for c in tier if kf[c] > 0]
            if not live:
                continue
            if len(tier) == 1:
                c = tier[0]
                keep = -((-w * kf[c]) // scale)
                votes[c] += keep * m
                w = -((-w * (scale - kf[c])) // scale) if nz else w - keep
            else:
                taken = 0
                for c in live:
                    keep = (w * kf[c]) // (len(live) * scale)
                    votes[c] += keep * m
                    taken += keep
                w -= taken
        excess += w * m
    return votes, excess


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def stv_meek_prf(
    ballots: Sequence[Sequence[int]], weights: Sequence[int], n_candidates: int, seats: int
) -> tuple[list[int], list[list[int]]]:
    """The Reference Meek Rule on strict rankings, ties to the highest index.

    Returns the elected candidates in order of election (within a round by vote,
    then index) and each round's scaled tallies (the last iteration of the round).
    """
    scale = 10**9
    status = ["hopeful"] * n_candidates
    kf = [scale] * n_candidates
    elected: list[int] = []
    rounds: list[list[int]] = []
    tiers = [[[c] for c in b] for b in ballots]
    while True:
        hopeful = [c for c in range(n_candidates) if status[c] == "hopeful"]
        if len(elected) >= seats or len(hopeful) <= seats - len(elected):
            break
        last = None
        while True:
            votes, _ = stv_meek_distribute(tiers, weights, kf, scale)
            quota = sum(votes) // (seats + 1) + 1
            new = [c for c in hopeful if votes[c] >= quota]
            for c in sorted(new, key=lambda c: (-votes[c], c)):
                status[c] = "elected"
                elected.append(c)
            surplus = max(0, sum(votes[c] - quota for c in elected))
            if new or surplus < 1000 or (last is not None and surplus >= last):
                break
            last = surplus
            for c in elected:
                kept = _ceil_div(kf[c] * quota, scale)  # kf <- ceil9(ceil9(kf·q) / v)
                kf[c] = _ceil_div(kept * scale, votes[c])
        rounds.append(votes)
        if new:
            continue
        low = min(votes[c] for c in hopeful)
        loser = max(c for c in hopeful if votes[c] <= low + surplus)
        status[loser] = "excluded"
        kf[loser] = 0
    hopeful = [c for c in range(n_candidates) if status[c] == "hopeful"]
    if len(elected) < seats:
        votes, _ = stv_meek_distribute(tiers, weights, kf, scale)
        elected += sorted(hopeful, key=lambda c: (-votes[c], c))
    return elected, rounds


@dataclass
class _Paper:
    """One ballot paper of the Scottish count: its ranking, where it stands, its value."""

    ranking: list[int]
    position: int
    value: int

    def holder(self) -> int:
        """The candidate the paper stands at, or -1 once exhausted."""
        return self.ranking[self.position] if self.position < len(self.ranking) else -1


def scottish_pick(tied: Sequence[int], history: Sequence[Sequence[int]], lowest: bool) -> int:
    """The Scottish tie rule: of ``tied``, the candidate lowest (to exclude) or highest
    (to transfer first) at the most recent earlier stage where they differ, narrowing
    stage by stage; then the highest index is excluded, the lowest transferred first."""
    rest = sorted(tied)
    for past in reversed(history[:-1]):
        if len({past[c] for c in rest}) > 1:
            best = min(past[c] for c in rest) if lowest else max(past[c] for c in rest)
            rest = [c for c in rest if past[c] == best]
            if len(rest) == 1:
                return rest[0]
    return rest[-1] if lowest else rest[0]


def stv_scottish(
    ballots: Sequence[Sequence[int]], weights: Sequence[int], n_candidates: int, seats: int
) -> tuple[list[int], list[list[int]]]:
    """Scottish 2007 rules 45-52, paper by paper, values in 10^-5 units.

    Ties: the most recent earlier stage where the tied candidates differ (narrowing),
    then the highest index is excluded / the lowest index transferred first. Returns
    the elected in order and each stage's tallies.
    """
    scale = 10**5
    papers: list[_Paper] = []
    for b, m in zip(ballots, weights, strict=True):
        papers += [_Paper(list(b), 0, scale) for _ in range(m)]
    total = len(papers)
    quota = (total // (seats + 1) + 1) * scale
    status = ["hopeful"] * n_candidates
    fixed: dict[int, int] = {}
    elected: list[int] = []
    pending: list[int] = []
    history: list[list[int]] = []

    def tally() -> list[int]:
        out = [0] * n_candidates
        for p in papers:
            if p.holder() >= 0:
                out[p.holder()] += p.value
        for c, v in fixed.items():
            out[c] = v
        return out

    def advance(p: _Paper) -> None:
        p.position += 1
        while p.position < len(p.ranking) and status[p.ranking[p.position]] != "hopeful":
            p.position += 1

    def elect(votes: list[int]) -> None:
        new = [c for c in range(n_candidates) if status[c] == "hopeful" and votes[c] >= quota]
        for c in sorted(new, key=lambda c: (-votes[c], c)):
            status[c] = "elected"
            elected.append(c)
            if votes[c] > quota:
                pending.append(c)

    votes = tally()
    history.append(votes)
    elect(votes)
    while True:
        hopeful = [c for c in range(n_candidates) if status[c] == "hopeful"]
        if len(elected) >= seats or len(hopeful) <= seats - len(elected):
            break
        if pending:
            best = max(votes[c] for c in pending)
            x = scottish_pick([c for c in pending if votes[c] == best], history, lowest=False)
            pending.remove(x)
            surplus = votes[x] - quota
            for p in papers:
                if p.holder() == x:
                    p.value = p.value * surplus // votes[x]
                    advance(p)
            fixed[x] = quota
        else:
            low = min(votes[c] for c in hopeful)
            x = scottish_pick([c for c in hopeful if votes[c] == low], history, lowest=True)
            status[x] = "excluded"
            for p in papers:
                if p.holder() == x:
                    advance(p)
        votes = tally()
        history.append(votes)
        elect(votes)
    hopeful = [c for c in range(n_candidates) if status[c] == "hopeful"]
    if len(elected) < seats:
        elected += sorted(hopeful, key=lambda c: (-votes[c], c))
    return elected, history


def nz_prns(n_candidates: int, seats: int, valid: int) -> list[int]:
    """Schedule 1A clauses 42-47: one distinct pseudo-random number per candidate.

    Clause 42 seeds ``x = C + 5, y = seats, z = (V + 1000 (V rem 10)) rem 30323``;
    clause 43's step is applied four times and discarded (44), then one value per
    candidate, skipping repeats (45-47).
    """
    x, y, z = n_candidates + 5, seats, (valid + 1000 * (valid % 10)) % 30323
    draws = []
    for _ in range(4 + 50 * n_candidates):
        x, y, z = 171 * x % 30269, 172 * y % 30307, 170 * z % 30323
        draws.append(10000 * x // 30269 + 10000 * y // 30307 + 10000 * z // 30323)
    prn: list[int] = []
    it = iter(draws[4:])
    for _ in range(n_candidates):
        r = next(it)
        while r in prn:
            r = next(it)
        prn.append(r)
    return prn


def nz_votes(
    ballots: Sequence[Sequence[int]], weights: Sequence[int], kv: Sequence[int], seats: int
) -> tuple[list[int], int]:
    """Schedule 1A clauses 10 and 11: each candidate's votes under the keep values ``kv``
    (9 decimals, every product rounded up), and the quota of what was not lost."""
    scale = 10**9
    votes = [0] * len(kv)
    vnt = 0
    for b, w in zip(ballots, weights, strict=True):
        rest = scale  # (1 - k1) x (1 - k2) x ..., each product rounded up
        for c in b:
            if rest == 0:
                break
            votes[c] += -(-rest * kv[c] // scale) * w
            rest = -(-rest * (scale - kv[c]) // scale)
        vnt += rest * w
    return votes, (sum(weights) * scale - vnt) // (seats + 1) + 1


def nz_lot(lowest: Sequence[int], steps: Sequence[Sequence[int]], prn: Sequence[int]) -> int:
    """Clause 19: of the candidates tied lowest, those lowest at the first step where
    their votes differ (``steps`` in order), then the lowest pseudo-random number of
    this step (clause 48 flips the numbers at every other step)."""
    cands = list(lowest)
    for row in steps:
        if len({row[c] for c in lowest}) > 1:
            m = min(row[c] for c in lowest)
            cands = [c for c in lowest if row[c] == m]
            break
    now = prn if len(steps) % 2 == 1 else [10000 - r for r in prn]
    return min(cands, key=lambda c: now[c])


def stv_meek_nz(
    ballots: Sequence[Sequence[int]], weights: Sequence[int], n_candidates: int, seats: int
) -> tuple[list[int], list[tuple[str, list[int], list[int]]]]:
    """New Zealand's Schedule 1A, step by step and ballot by ballot (9 decimals).

    Written from the clauses: quota (5, 11), election (6, 12), keep values (7, 17),
    votes with every multiplication rounded up (10), exclusion (13, 14, 23), ties
    (19, 40, 41-48), withdrawal without votes (20), completion (3). Returns the elected
    in order and one ``(event, candidates, tallies)`` per election or exclusion.
    """
    scale = 10**9
    documents = [(b, w) for b, w in zip(ballots, weights, strict=True) if b]  # valid ones
    ballots, weights = [b for b, _ in documents], [w for _, w in documents]
    valid = sum(weights)
    prn = nz_prns(n_candidates, seats, valid)
    status = ["hopeful"] * n_candidates
    mentioned = {c for b in ballots for c in b}
    if n_candidates - len(set(range(n_candidates)) - mentioned) >= seats:
        for c in range(n_candidates):
            if c not in mentioned:
                status[c] = "excluded"  # clause 20 (withdrawn)
    kv = [0 if st == "excluded" else scale for st in status]
    elected: list[int] = []
    events: list[tuple[str, list[int], list[int]]] = []
    steps: list[list[int]] = []

    def count() -> tuple[list[int], int]:
        return nz_votes(ballots, weights, kv, seats)

    def done() -> bool:
        hopeful = [c for c in range(n_candidates) if status[c] == "hopeful"]
        return len(elected) >= seats or len(hopeful) <= seats - len(elected)

    last = None
    votes, q = count()
    steps.append(votes)
    while True:
        new = [c for c in range(n_candidates) if status[c] == "hopeful" and votes[c] >= q]
        surplus = sum(max(0, v - q) for v in votes)
        if new:
            new.sort(key=lambda c: (-votes[c], c))
            for c in new:
                status[c] = "elected"
                elected.append(c)
            events.append(("elected", new, votes))
            last = None
            if done():
                break
        nxt = list(kv)
        for c in elected:
            kept = -(-nxt[c] * q // scale)  # ceil9(q x kc), then ceil9(/ vc)
            nxt[c] = -(-kept * scale // votes[c])
        hopeful = [c for c in range(n_candidates) if status[c] == "hopeful"]
        pick = None
        if len(steps) > 1 and hopeful:
            low = min(votes[c] for c in hopeful)
            lowest = [c for c in hopeful if votes[c] == low]
            others = [votes[c] for c in hopeful if votes[c] != low]
            if (
                (len(lowest) == 1 and others and low + surplus < min(others))
                or surplus < 10**5
                or (not new and (nxt == kv or (last is not None and surplus >= last)))
            ):
                pick = lowest[0] if len(lowest) == 1 else nz_lot(lowest, steps, prn)
        if pick is not None:
            status[pick] = "excluded"
            nxt[pick] = 0
            events.append(("excluded", [pick], votes))
            last = None
            if done():
                kv = nxt
                break
        elif not new:
            last = surplus
        kv = nxt
        votes, q = count()
        steps.append(votes)
    hopeful = [c for c in range(n_candidates) if status[c] == "hopeful"]
    if len(elected) < seats and hopeful:
        votes, q = count()
        elected += sorted(hopeful, key=lambda c: (-votes[c], c))
    return elected, events


def _next_continuing(ranking: Sequence[int], pos: int, continuing: Sequence[bool]) -> int:
    """The position of the next continuing candidate after ``pos`` (``len``: none)."""
    p = pos + 1
    while p < len(ranking) and not continuing[ranking[p]]:
        p += 1
    return p


def stv_last_batch(
    papers: Sequence[tuple[Sequence[int], int, int, int, int]],
    source: Sequence[bool],
    batch: int,
    continuing: Sequence[bool],
    n_classes: int,
) -> list[list[int]]:
    """ERS97 5.3.2-5.3.4: the papers of a surplus's last batch, by value and fate.

    ``papers`` holds one ``(ranking, position, value class, arrival stage, voters)``
    per paper group: the candidate holding it is ``ranking[position]`` (none once
    ``position == len(ranking)``). Of the papers held by a ``source`` candidate that
    arrived at stage ``batch`` (any stage when ``batch < 0``), counts the voters whose
    paper shows a later preference for a ``continuing`` candidate (row 0, transferable)
    and the others (row 1, non-transferable), per value class.
    """
    out = [[0] * n_classes, [0] * n_classes]
    for ranking, pos, cls, arrived, voters in papers:
        if pos >= len(ranking) or not source[ranking[pos]]:
            continue
        if batch >= 0 and arrived != batch:
            continue
        nxt = _next_continuing(ranking, pos, continuing)
        out[0 if nxt < len(ranking) else 1][cls] += voters
    return out


def stv_move_papers(
    papers: Sequence[tuple[Sequence[int], int, int, int, int]],
    source: Sequence[bool],
    select: Sequence[bool],
    new_class: Sequence[int],
    continuing: Sequence[bool],
    batch: int,
    stage: int,
    keep_stuck: bool,
) -> list[tuple[int, int, int]]:
    """Move papers on, one group at a time: the new ``(position, class, arrival)``.

    A paper moves when a ``source`` candidate holds it, its class is ``select``-ed and
    (``batch >= 0``) it arrived at stage ``batch``: it goes to its next continuing
    preference with class ``new_class[class]`` and arrival ``stage``, or is exhausted
    (position past the end); with ``keep_stuck`` a paper with no continuing preference
    left stays where it is, unchanged (ERS97 5.3.9: non-transferable papers of a
    surplus stay with the elected candidate).
    """
    out = []
    for ranking, pos, cls, arrived, _ in papers:
        moves = (
            pos < len(ranking)
            and source[ranking[pos]]
            and select[cls]
            and (batch < 0 or arrived == batch)
        )
        nxt = _next_continuing(ranking, pos, continuing) if moves else pos
        if not moves or (nxt >= len(ranking) and keep_stuck):
            out.append((pos, cls, arrived))
        else:
            out.append((nxt, new_class[cls], stage))
    return out


def resolve_ties(row: Sequence[int], keys: Sequence[float]) -> list[int]:
    """Strict ranks refining ``row``: ranked candidates sorted by (tier, key, index)."""
    ranked = sorted(
        (int(r), float(k), c)
        for c, (r, k) in enumerate(zip(row, keys, strict=True))
        if r != UNRANKED
    )
    out = [UNRANKED] * len(row)
    for pos, (_, _, c) in enumerate(ranked):
        out[c] = pos
    return out


def top_tier_counts(
    ranks: Sequence[Sequence[int]],
    weights: Sequence[int],
    active: Sequence[bool],
    unranked_tier: bool,
) -> tuple[list[list[int]], int]:
    """``out[k][c]``: weight of ballots whose best active tier has ``k`` members, ``c`` in it.

    Reference for ``voting._kernels.tallies._top_tier_counts``; the second value is
    the weight of ballots counting for nobody.
    """
    n = len(active)
    out = [[0] * n for _ in range(n + 1)]
    exhausted = 0
    for row, w in zip(ranks, weights, strict=True):
        values = [int(row[c]) for c in range(n) if active[c]]
        if not unranked_tier:
            values = [r for r in values if r != UNRANKED]
        if not values:
            exhausted += int(w)
            continue
        best = min(values)
        top = [c for c in range(n) if active[c] and int(row[c]) == best]
        for c in top:
            out[len(top)][c] += int(w)
    return out, exhausted


def tier_counts(
    ranks: Sequence[Sequence[int]], weights: Sequence[int], unranked_last: bool
) -> list[list[list[int]]]:
    """``out[t][k][c]``: weight of ballots placing ``c`` in tier ``t`` of size ``k``.

    Reference for ``voting._kernels.tallies._tier_counts`` (dense ranks).
    """
    n = len(ranks[0]) if len(ranks) else 0
    out = [[[0] * n for _ in range(n + 1)] for _ in range(n + 1)]
    for row, w in zip(ranks, weights, strict=True):
        tiers = sorted({int(r) for r in row if int(r) != UNRANKED})
        members = {t: [c for c in range(n) if int(row[c]) == t] for t in tiers}
        unranked = [c for c in range(n) if int(row[c]) == UNRANKED]
        if unranked_last and unranked:
            members[len(tiers)] = unranked
        for t, cands in members.items():
            for c in cands:
                out[t][len(cands)][c] += int(w)
    return out


def distinct_sorted_rows(
    rows: Sequence[Sequence[int]], weights: Sequence[int]
) -> tuple[list[tuple[int, ...]], list[int]]:
    """Each distinct row once, in lexicographic order (``UNRANKED``, the largest value,
    last), with the summed weights of its copies."""
    sums: dict[tuple[int, ...], int] = {}
    for row, w in zip(rows, weights, strict=True):
        key = tuple(int(x) for x in row)
        sums[key] = sums.get(key, 0) + int(w)
    keys = sorted(sums)
    return keys, [sums[k] for k in keys]


def sorted_prefix(rows: Sequence[Sequence[int]]) -> int:
    """How many leading rows are each lexicographically above the one before."""
    n = 1 if rows else 0
    while n < len(rows) and list(rows[n]) > list(rows[n - 1]):
        n += 1
    return n
