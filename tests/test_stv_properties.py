"""Properties every STV rule set must have, checked with hypothesis."""

from __future__ import annotations

import os
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, find, given, settings
from hypothesis import strategies as st

from tests.strategies import profiles
from voting import UNRANKED, Profile
from voting.exceptions import EmptyProfileError, InvalidProfileError
from voting.methods.stv import RULES, STV, Rule, STVExplanation
from voting.results import Result

# VOTING_STV_EXAMPLES raises the example count for a longer local run.
SETTINGS = settings(
    max_examples=int(os.environ.get("VOTING_STV_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
STRICT_RULES = [r for r in RULES if r != "meek-equal"]


def _run(method: STV, profile: Profile) -> Result[STVExplanation] | None:
    try:
        result = method.run(profile)
    except (EmptyProfileError, InvalidProfileError):
        return None
    result.check(profile)
    for r in result.explanation.rounds:
        assert r.total == result.explanation.valid_votes  # totals reconcile
        assert r.exhausted >= 0
    return result


def _same(a: Result[STVExplanation], b: Result[STVExplanation]) -> None:
    assert a.elected == b.elected
    assert a.ranking == b.ranking
    ea, eb = a.explanation, b.explanation
    assert [r.tallies for r in ea.rounds] == [r.tallies for r in eb.rounds]


@st.composite
def counted(draw: st.DrawFn, allow_ties: bool = False) -> tuple[Profile, int]:
    profile = draw(
        profiles(
            min_candidates=2, max_candidates=6, max_voters=20, allow_ties=allow_ties, max_weight=9
        )
    )
    seats = draw(st.integers(1, profile.num_candidates))
    return profile, seats


@pytest.mark.parametrize("rule", RULES)
@given(data=counted())
@SETTINGS
def test_droop_quota_of_first_preferences_is_elected(rule: Rule, data: tuple[Profile, int]) -> None:
    profile, seats = data
    result = _run(STV(seats=seats, rule=rule), profile)
    assume(result is not None)
    assert result is not None
    ranked = profile.ranks != UNRANKED
    valid = int(profile.weights[ranked.any(axis=1)].sum())
    droop = valid // (seats + 1) + 1
    first = np.zeros(profile.num_candidates, dtype=np.int64)
    for row, w in zip(profile.ranks, profile.weights, strict=True):
        top = np.flatnonzero(row == 0)
        if len(top) == 1:
            first[top[0]] += w
    for c in np.flatnonzero(first >= droop):
        assert profile.candidates[c] in result.elected


@st.composite
def coalitions(draw: st.DrawFn) -> tuple[Profile, int, set[str], int]:
    """Random strict ballots plus a solid coalition of more than k Droop quotas."""
    n = draw(st.integers(3, 6))
    seats = draw(st.integers(1, n - 1))
    members = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n - 1, unique=True))
    others = [c for c in range(n) if c not in members]
    rows, weights = [], []
    for _ in range(draw(st.integers(0, 8))):
        order = draw(st.permutations(range(n)))
        k = draw(st.integers(1, n))
        rows.append({c: i for i, c in enumerate(order[:k])})
        weights.append(draw(st.integers(1, 6)))
    solid = 0
    for _ in range(draw(st.integers(1, 6))):
        inner = draw(st.permutations(members))
        outer = draw(st.permutations(others))[: draw(st.integers(0, len(others)))]
        rows.append({c: i for i, c in enumerate([*inner, *outer])})
        w = draw(st.integers(1, 12))
        weights.append(w)
        solid += w
    ranks = np.full((len(rows), n), UNRANKED, dtype=np.int64)
    for i, row in enumerate(rows):
        for c, r in row.items():
            ranks[i, c] = r
    profile = Profile(ranks, weights, [f"c{i}" for i in range(n)])
    return profile, seats, {f"c{i}" for i in members}, solid


@pytest.mark.parametrize("rule", RULES)
@given(data=coalitions())
@SETTINGS
def test_solid_coalitions_get_their_share(
    rule: Rule, data: tuple[Profile, int, set[str], int]
) -> None:
    """Droop proportionality: a solid coalition of k quotas elects k of its members.

    With the exact Droop quota (Meek, ERS97) "k quotas" means more than
    k·N/(S + 1) voters; with the integer quota floor(N/(S + 1)) + 1 (Scottish,
    fractional) it means k whole integer quotas: one voter is a whole quota of a
    2-seat count but has no surplus to pass on.
    """
    profile, seats, members, solid = data
    total = profile.num_voters
    if STV(seats=seats, rule=rule).quota_name == "droop":
        k = solid // (total // (seats + 1) + 1)
    else:
        k = (solid * (seats + 1) - 1) // total  # the largest k with solid > k·N/(S+1)
    k = min(k, seats, len(members))
    assume(k >= 1)
    result = _run(STV(seats=seats, rule=rule), profile)
    assert result is not None
    assert len(members & set(result.elected)) >= k


@pytest.mark.parametrize("rule", RULES)
@given(data=counted(), perm_seed=st.integers(0, 2**32 - 1))
@SETTINGS
def test_weights_are_repeated_ballots_and_order_is_irrelevant(
    rule: Rule, data: tuple[Profile, int], perm_seed: int
) -> None:
    profile, seats = data
    method = STV(seats=seats, rule=rule)
    base = _run(method, profile)
    assume(base is not None)
    assert base is not None
    repeated = Profile(np.repeat(profile.ranks, profile.weights, axis=0), None, profile.candidates)
    again = _run(method, repeated)
    assert again is not None
    _same(base, again)
    perm = np.random.default_rng(perm_seed).permutation(profile.num_ballots)
    shuffled = Profile(profile.ranks[perm], profile.weights[perm], profile.candidates)
    third = _run(method, shuffled)
    assert third is not None
    _same(base, third)


@given(data=counted())
@SETTINGS
def test_meek_equal_is_meek_on_strict_ballots(data: tuple[Profile, int]) -> None:
    profile, seats = data
    a = _run(STV(seats=seats, rule="meek"), profile)
    assume(a is not None)
    b = _run(STV(seats=seats, rule="meek-equal"), profile)
    assert a is not None and b is not None
    _same(a, b)


@given(data=counted(allow_ties=True))
@SETTINGS
def test_meek_equal_counts_tied_ballots(data: tuple[Profile, int]) -> None:
    profile, seats = data
    result = _run(STV(seats=seats, rule="meek-equal"), profile)
    if result is None:
        return
    # keep factors stay within [0, 1] and excluded candidates keep nothing
    for r in result.explanation.rounds:
        assert r.keep_factors is not None  # Meek rules report them every round
        assert all(0 <= k <= 1 for k in r.keep_factors)
        for t, s in zip(r.tallies, r.status, strict=True):
            assert t >= 0
            if s == "excluded" and r.action not in ("exclusion", "end"):
                assert t == 0


def test_meek_equal_shares_a_tied_first_preference() -> None:
    p = Profile.from_rankings([[("A", "B")], ["C"]], weights=[4, 3])
    result = STV(seats=1, rule="meek-equal").run(p)
    first = result.explanation.rounds[0]
    assert first.tallies == (Fraction(2), Fraction(2), Fraction(3))
    # A and B tie for exclusion; the default tie-break excludes B, whose share goes to A
    assert result.elected == ("A",)
    assert [t.tied for t in result.ties_broken] == [("A", "B")]


# A profile where the rules differ: Meek's quota falls as votes exhaust (to 3.15),
# the Scottish quota stays at floor(11/3) + 1 = 4, so B is elected only by Meek.
DIFFERENT = Profile.from_rankings(
    [["A"], ["A", "B"], ["D"], ["C"]], weights=[1, 6, 1, 3], candidates=["A", "B", "C", "D"]
)


def test_meek_and_scottish_elect_different_committees() -> None:
    meek = STV(seats=2, rule="meek").run(DIFFERENT)
    scot = STV(seats=2, rule="scottish").run(DIFFERENT)
    assert meek.elected == ("A", "B")
    assert scot.elected == ("A", "C")
    assert not meek.ties_broken and not scot.ties_broken
    assert meek.explanation.rounds[-1].quota < 4 == scot.explanation.rounds[-1].quota


def test_hypothesis_finds_meek_scottish_disagreements() -> None:
    def differs(profile: Profile) -> bool:
        try:
            a = STV(seats=2, rule="meek").run(profile)
            b = STV(seats=2, rule="scottish").run(profile)
        except (EmptyProfileError, InvalidProfileError):
            return False
        return set(a.elected) != set(b.elected)

    found = find(
        profiles(min_candidates=3, max_candidates=4, allow_ties=False, max_weight=9),
        differs,
        settings=settings(
            max_examples=3000, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        ),
    )
    assert differs(found)


@given(data=counted())
@SETTINGS
def test_gregory_rules_lose_little_and_meek_loses_nothing(data: tuple[Profile, int]) -> None:
    profile, seats = data
    gregory: tuple[tuple[Rule, Fraction], ...] = (
        ("scottish", Fraction(1, 10**5)),
        ("ers97", Fraction(1, 100)),
    )
    for rule, bound in gregory:
        result = _run(STV(seats=seats, rule=rule), profile)
        if result is None:
            return
        rounds = result.explanation.rounds
        transfers = sum(1 for r in rounds if r.action == "surplus")
        # at most one unit of the last decimal per paper and surplus transfer
        assert 0 <= rounds[-1].loss <= bound * profile.num_voters * max(1, transfers)
    exact: tuple[Rule, ...] = ("meek", "fractional")
    for rule in exact:
        result = _run(STV(seats=seats, rule=rule), profile)
        assert result is not None
        assert all(r.loss == 0 for r in result.explanation.rounds)
