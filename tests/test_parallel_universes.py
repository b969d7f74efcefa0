"""Parallel-universe winners (every resolution of the ties) against brute force.

IRV, Condorcet-IRV and bottom-two runoff are recounted here by plain definitions
that branch at every tie the tie-break would decide, with no memoisation and no
shortcut; STV's own count is driven through every sequence of choices by a plain
recursion. The library's ``winners``, ``tied_at_last_seat`` and the ``decisive``
flag of each broken tie must agree.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any, get_args

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voting import (
    IRV,
    STV,
    UNRANKED,
    BottomTwoRunoff,
    CondorcetIRV,
    Profile,
    TooManyTieResolutionsError,
)
from voting._dispatch import forced_engine
from voting.methods._universes import symmetric_classes
from voting.methods.condorcet_irv import Counting
from voting.methods.stv import Rule
from voting.methods.stv._ballots import compress
from voting.results import Result
from voting.testing._reference import pairwise_support
from voting.ties import CandidateOrder

from .civs_reference import civs_ballots, civs_rank_counts
from .strategies import profiles

Decision = tuple[tuple[int, ...], int]  # (tied candidates, the one chosen)
Universe = tuple[tuple[Decision, ...], frozenset[int]]  # choices made, winners


def _all_universes(
    count: Callable[[Callable[[Sequence[int]], int]], frozenset[int]],
) -> list[Universe]:
    """Run ``count`` under every sequence of choices (plain recursion, no memo)."""
    found: list[Universe] = []

    def go(script: list[int]) -> None:
        made: list[Decision] = []
        sizes: list[int] = []

        def choose(options: Sequence[int]) -> int:
            k = len(made)
            pick = script[k] if k < len(script) else 0
            made.append((tuple(options), options[pick]))
            sizes.append(len(options))
            return options[pick]

        outcome = count(choose)
        found.append((tuple(made), outcome))
        for j in range(len(script), len(sizes)):
            for alt in range(1, sizes[j]):
                go(script + [0] * (j - len(script)) + [alt])

    go([])
    return found


def _same_flags(got: list[bool], expected: list[bool], profile: Profile) -> None:
    """Decisive flags equal; where some candidates are interchangeable (the ballots are
    unchanged when they are swapped) the library explores one of each and marks a tie
    among them decisive when some but not all of them can win: it may only add flags."""
    assert len(got) == len(expected)
    if _has_twins(profile):
        assert all(g or not e for g, e in zip(got, expected, strict=True))
    else:
        assert got == expected


def _has_twins(profile: Profile) -> bool:
    rows = sorted(zip(map(tuple, profile.ranks.tolist()), profile.weights.tolist(), strict=True))
    n = profile.num_candidates
    for x, y in itertools.combinations(range(n), 2):
        swapped = []
        for row, w in rows:
            r = list(row)
            r[x], r[y] = r[y], r[x]
            swapped.append((tuple(r), w))
        if _bag(swapped) == _bag(rows):
            return True
    return False


def _bag(rows: list[tuple[tuple[int, ...], int]]) -> dict[tuple[int, ...], int]:
    out: dict[tuple[int, ...], int] = {}
    for row, w in rows:
        out[row] = out.get(row, 0) + w
    return out


def _check(r: Result[Any], profile: Profile, universes: list[Universe], seats: int) -> None:
    """Winners, ties decided and decisive flags against the brute-force universes."""
    names = profile.candidates
    actual_choices, actual = universes[0]  # option 0 everywhere: the tie-break's
    every = frozenset().union(*(w for _, w in universes))
    # a universe with more winners than seats ties them all across the last seat
    certain = frozenset(range(len(names))).intersection(
        *(w if len(w) <= seats else frozenset() for _, w in universes)
    )
    assert set(r.winners) == {names[i] for i in every}
    assert set(r.tied_at_last_seat) == {names[i] for i in every - certain}
    elected = {profile.index(c) for c in r.elected}
    assert elected == actual if len(actual) <= seats else elected < actual
    # decisive: another choice at that tie (the earlier ones as taken) changes which
    # winners can still come out
    expected = []
    for i in range(len(actual_choices)):
        reach: dict[Decision, set[frozenset[int]]] = {}
        for choices, won in universes:
            if len(choices) > i and choices[:i] == actual_choices[:i]:
                reach.setdefault(choices[i], set()).add(won)
        expected.append(any(r != reach[actual_choices[i]] for r in reach.values()))
    recorded = [t for t in r.ties_broken if not t.context.startswith("seat")]
    _same_flags([bool(t.decisive) for t in recorded], expected, profile)
    r.check(profile)


# ------------------------------------------------------------------------ IRV
def _plain_irv(
    profile: Profile, seats: int
) -> Callable[[Callable[[Sequence[int]], int]], frozenset[int]]:
    rows = list(zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True))
    n = profile.num_candidates

    def count(choose: Callable[[Sequence[int]], int]) -> frozenset[int]:
        continuing = list(range(n))
        while len(continuing) > seats:
            votes = {c: Fraction(0) for c in continuing}
            for row, w in rows:
                ranked = [row[c] for c in continuing if row[c] != UNRANKED]
                if ranked:
                    top = [c for c in continuing if row[c] == min(ranked)]
                    for c in top:
                        votes[c] += Fraction(w, len(top))
            fewest = min(votes.values())
            tied = [c for c in continuing if votes[c] == fewest]
            # options as CandidateOrder ranks them for elimination: the last listed first
            loser = choose(sorted(tied, reverse=True)) if len(tied) > 1 else tied[0]
            continuing.remove(loser)
        return frozenset(continuing)

    return count


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles(min_candidates=2, max_candidates=5, max_voters=8, max_weight=3), st.integers(1, 2))
def test_irv_winners_are_every_universe_winner(profile: Profile, seats: int) -> None:
    if profile.num_voters == 0 or seats > profile.num_candidates:
        return
    universes = _all_universes(_plain_irv(profile, seats))
    r = IRV(seats=seats).run(profile)
    # the plain count stops at `seats` candidates; IRV records the ties after that
    # too (they cannot change the winners: not decisive)
    extra = r.ties_broken[len(universes[0][0]) :]
    assert all(t.decisive is False for t in extra)
    _check(_head(r, len(universes[0][0])), profile, universes, seats)


def _head(r: Result[Any], k: int) -> Result[Any]:
    import dataclasses

    head = r.ties_broken[:k] + tuple(t for t in r.ties_broken if t.context.startswith("seat"))
    return dataclasses.replace(r, ties_broken=head)


def test_issue_minimal_irv_case() -> None:
    # a>b>c, b>c>a, c>a>b: the first elimination is a three-way tie that decides
    p = Profile.from_rankings([["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]])
    r = IRV().run(p)
    assert r.elected == ("a",)
    assert set(r.winners) == {"a", "b", "c"}
    assert set(r.tied_at_last_seat) == {"a", "b", "c"}
    assert [t.decisive for t in r.ties_broken] == [True]


def test_ties_among_candidates_without_votes_are_recorded_but_not_explored() -> None:
    # 12 candidates nobody ranks first: 12! orders of elimination, one state
    names = ["A", "B"] + [f"z{i}" for i in range(12)]
    p = Profile.from_rankings([["A", "B"], ["B", "A"], ["A"]], candidates=names)
    r = IRV(max_counts=5).run(p)
    assert r.winners == ("A",) and r.elected == ("A",)
    assert r.ties_broken and not any(t.decisive for t in r.ties_broken)


def test_size_guard_refuses_loudly_with_the_size_and_how_to_raise_it() -> None:
    # a perfectly symmetric profile: every elimination is a tie
    names = list("ABCDEF")
    ballots = [names[i:] + names[:i] for i in range(6)]
    p = Profile.from_rankings(ballots)
    with pytest.raises(TooManyTieResolutionsError, match=r"max_counts=3 counts.*max_counts=30"):
        IRV(max_counts=3).run(p)
    assert set(IRV().run(p).winners) == set(names)


# -------------------------------------------------------------- Condorcet-IRV
def _plain_condorcet_irv(
    profile: Profile, seats: int, once: bool
) -> Callable[[Callable[[Sequence[int]], int]], frozenset[int]]:
    n = profile.num_candidates
    m = pairwise_support(profile)
    ballots = civs_ballots(profile)
    counts = civs_rank_counts(ballots, n)

    def count(choose: Callable[[Sequence[int]], int]) -> frozenset[int]:
        ranked: list[int] = []
        while len(ranked) < seats:
            active = [c for c in range(n) if c not in ranked]
            while True:
                cw = [j for j in active if all(m[j][k] > m[k][j] for k in active if k != j)]
                if cw:
                    ranked.append(cw[0])
                    break
                keys: dict[int, tuple[Fraction, ...]]
                if once:
                    keys = {j: tuple(counts[j]) for j in active}
                else:
                    keys = {}
                    for j in active:
                        keys[j] = (
                            Fraction(
                                sum(
                                    1
                                    for b in ballots
                                    if (bj := b[j]) is not None
                                    and not any(
                                        (bk := b[k]) is not None and bk < bj for k in active
                                    )
                                )
                            ),
                        )
                worst = min(keys.values())
                tied = [j for j in active if keys[j] == worst]
                if not once and len(tied) == len(active):
                    ranked.extend(active)  # CIVS's earlier code: the top tied set
                    break
                # ReverseCandidateOrder sets aside the earliest first
                loser = choose(sorted(tied)) if len(tied) > 1 else tied[0]
                active.remove(loser)
        return frozenset(ranked)

    return count


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    profiles(min_candidates=2, max_candidates=5, max_voters=8, max_weight=3),
    st.sampled_from(get_args(Counting)),
)
def test_condorcet_irv_winners_are_every_universe_winner(profile: Profile, mode: Counting) -> None:
    if profile.num_voters == 0:
        return
    universes = _all_universes(_plain_condorcet_irv(profile, 1, mode == "once"))
    r = CondorcetIRV(first_preferences=mode).run(profile)
    k = len(universes[0][0])
    extra = [t for t in r.ties_broken[k:] if not t.context.startswith("seat")]
    assert all(t.decisive is False for t in extra)
    _check(_head(r, k), profile, universes, 1)


# ------------------------------------------------------------- bottom two
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles(min_candidates=2, max_candidates=5, max_voters=8, max_weight=3))
def test_bottom_two_winners_are_every_seeding_winner(profile: Profile) -> None:
    if profile.num_voters == 0:
        return
    n = profile.num_candidates
    m = pairwise_support(profile)
    counts = civs_rank_counts(civs_ballots(profile), n)
    levels = sorted({tuple(c) for c in counts}, reverse=True)
    groups = [[j for j in range(n) if tuple(counts[j]) == lv] for lv in levels]
    winners: set[int] = set()
    actual: int | None = None
    for orders in itertools.product(*(itertools.permutations(g) for g in groups)):
        seeded = [c for g in orders for c in g]
        top = seeded[0]
        if not any(m[c][top] > m[top][c] for c in seeded[1:]):
            winner = top
        else:
            remaining = list(seeded)
            while len(remaining) > 1:
                c1, c2 = remaining[-2], remaining[-1]
                remaining.remove(c1 if m[c1][c2] < m[c2][c1] else c2)
            winner = remaining[0]
        winners.add(winner)
        if actual is None:
            actual = winner  # every group in candidate order: CandidateOrder's seeding
    r = BottomTwoRunoff().run(profile)
    r.check(profile)
    assert {profile.index(c) for c in r.winners} == winners
    assert actual is not None
    assert r.elected == (profile.candidates[actual],)
    assert len(r.ties_broken) == sum(len(g) > 1 for g in groups)
    assert any(t.decisive for t in r.ties_broken) == (len(winners) > 1)


# ----------------------------------------------------------------------- STV
UNIVERSE_RULES: list[Rule] = ["scottish", "meek", "ers97", "fractional", "meek-nz"]


class _Script:
    """A chooser for STV's own count: follows a script over every option (no
    reduction of interchangeable candidates), records the options."""

    def __init__(self, script: Sequence[int]) -> None:
        self.script = list(script)
        self.options: list[int] = []
        self.exhaustive = True  # explore the ties the count deems harmless too

    def pick(self, n_options: int, key: object = None) -> int:
        k = len(self.options)
        self.options.append(n_options)
        return self.script[k] if k < len(self.script) else 0

    def choose(self, options: Sequence[int], key: object = None) -> tuple[int, bool]:
        return options[self.pick(len(options))], True


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    # one voter per ballot and few ballots: lots are frequent
    profiles(min_candidates=2, max_candidates=5, max_voters=6, max_weight=1, allow_ties=False),
    st.integers(1, 2),
    st.sampled_from(UNIVERSE_RULES),
)
def test_stv_winners_are_every_universe_winner(profile: Profile, seats: int, rule: Rule) -> None:
    if profile.num_voters == 0 or seats >= profile.num_candidates:
        return
    if not (profile.ranks != UNRANKED).any():
        return
    method = STV(seats=seats, rule=rule)
    ballots = compress(profile)
    outcomes: list[tuple[tuple[int, ...], frozenset[int]]] = []

    def go(script: list[int]) -> None:
        chooser = _Script(script)
        out = method._count(ballots, profile.candidates, chooser)  # type: ignore[arg-type]  # a scripted stand-in for the count's Chooser
        outcomes.append(
            (tuple(script + [0] * (len(chooser.options) - len(script))), frozenset(out.elected))
        )
        for j in range(len(script), len(chooser.options)):
            for alt in range(1, chooser.options[j]):
                go(script + [0] * (j - len(script)) + [alt])

    go([])
    r = method.run(profile)
    r.check(profile)
    every = frozenset().union(*(w for _, w in outcomes))
    assert {profile.index(c) for c in r.winners} == every
    assert {profile.index(c) for c in r.elected} == outcomes[0][1]
    certain = frozenset(range(profile.num_candidates)).intersection(*(w for _, w in outcomes))
    assert {profile.index(c) for c in r.tied_at_last_seat} == every - certain
    # each lot of the actual count: decisive iff drawing it another way (the earlier
    # lots as drawn) changes which committees can still come out
    actual_script = outcomes[0][0]
    flags = []
    for i in range(len(actual_script)):
        reach: dict[int, set[frozenset[int]]] = {}
        for s, w in outcomes:
            if len(s) > i and s[:i] == actual_script[:i]:
                reach.setdefault(s[i], set()).add(w)
        flags.append(any(r != reach[0] for r in reach.values()))
    lot = CandidateOrder().describe()
    asked = [t for t in r.ties_broken if t.rule.endswith(lot) or "pseudo-random" in t.rule]
    _same_flags([bool(t.decisive) for t in asked], flags, profile)
    assert all(t.decisive is False for t in r.ties_broken if t not in asked)


def test_stv_lots_that_decide_are_reported() -> None:
    # A, B and C are interchangeable (swapping two leaves the ballots unchanged): one
    # count suffices, the other universes are its mirror images
    level = Profile.from_rankings([["A"], ["B"], ["C"]])
    r = STV(rule="scottish", max_counts=1).run(level)
    assert set(r.winners) == {"A", "B", "C"} and r.elected == ("A",)
    assert all(t.decisive for t in r.ties_broken)
    # a cycle is not symmetric under a swap: every lot is explored
    cycle = Profile.from_rankings([["A", "B"], ["B", "C"], ["C", "A"]])
    assert set(STV(rule="scottish").run(cycle).winners) == {"A", "B", "C"}
    with pytest.raises(TooManyTieResolutionsError, match="max_counts"):
        STV(rule="scottish", max_counts=1).run(cycle)


def test_max_counts_is_validated() -> None:
    from voting import InvalidParameterError

    for make in (IRV, CondorcetIRV, BottomTwoRunoff, STV):
        with pytest.raises(InvalidParameterError, match="max_counts"):
            make(max_counts=0)
    assert IRV(tie_break=CandidateOrder()).max_counts == 1000


def _classes_by_swapping(profile: Profile) -> list[int]:
    """:func:`symmetric_classes` by its definition, in plain Python: ``y`` joins the
    class of the first ``x < y`` whose swap leaves the weighted multiset of ballots
    unchanged (with no ballot at all, every candidate in a class of its own)."""

    def multiset(perm: Sequence[int]) -> dict[tuple[int, ...], int]:
        out: dict[tuple[int, ...], int] = {}
        for row, w in zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True):
            key = tuple(row[j] for j in perm)
            out[key] = out.get(key, 0) + w
        return out

    c = profile.num_candidates
    kind = list(range(c))
    if profile.num_ballots == 0:
        return kind
    base = multiset(range(c))
    for x, y in itertools.combinations(range(c), 2):
        perm = list(range(c))
        perm[x], perm[y] = y, x
        if kind[y] == y and multiset(perm) == base:
            kind[y] = kind[x]
    return kind


@given(profiles(max_candidates=6, max_voters=12), st.data(), st.sampled_from(["numpy", "numba"]))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_symmetric_classes_match_their_definition(
    profile: Profile, data: st.DataObject, engine: str
) -> None:
    c = profile.num_candidates
    if c >= 2 and data.draw(st.booleans()):  # add every ballot's mirror under swaps of a pair
        x, y = data.draw(st.lists(st.integers(0, c - 1), min_size=2, max_size=2, unique=True))
        perm = list(range(c))
        perm[x], perm[y] = y, x
        mirrored = profile.ranks[:, perm]
        weights = profile.weights.tolist()
        if data.draw(st.booleans()):  # mirrors with other weights: usually not interchangeable
            weights = [w + 1 for w in weights]
        profile = Profile(
            np.concatenate([profile.ranks, mirrored]),
            np.array(profile.weights.tolist() + weights, dtype=np.int64),
            profile.candidates,
            profile.unranked,
        )
    with forced_engine(engine):  # type: ignore[arg-type]
        got = symmetric_classes(profile.ranks, profile.weights)
    assert got == _classes_by_swapping(profile)
