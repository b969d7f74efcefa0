"""The public strategies of ``voting.testing.strategies``: validity, coverage, shrinking.

Written in hypothesis's own style for testing strategies: ``@given`` asserts a
property of every example (``assert_all_examples``), ``find`` shows that an example
can be produced (``find_any``) and what it shrinks to (``minimal``).
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from voting import UNRANKED, Profile, UnrankedPolicy, pairwise
from voting.testing import _reference as ref
from voting.testing import strategies as vst
from voting.testing.strategies import (
    SolidCoalition,
    condorcet_cycles,
    profiles,
    profiles_with_condorcet_winner,
    rankings,
    solid_coalitions,
)

# Phase.explain (on by default in find) costs seconds per call and adds nothing here.
FIND = settings(
    max_examples=2000,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)
SOME = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _has_cycle(p: Profile) -> bool:
    """Some three candidates beat each other in a circle."""
    s = ref.pairwise_support(p)
    n = p.num_candidates
    return any(
        s[a][b] > s[b][a] and s[b][c] > s[c][b] and s[c][a] > s[a][c]
        for a in range(n)
        for b in range(n)
        for c in range(n)
    )


def _is_dense(row: tuple[int, ...] | list[int]) -> bool:
    ranked = sorted({r for r in row if r != UNRANKED})
    return ranked == list(range(len(ranked)))


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    ("factory", "message"),
    [
        (
            lambda: profiles(min_candidates=2, max_candidates=1),
            "Cannot have max_candidates=1 < min_candidates=2",
        ),
        (lambda: profiles(min_voters=3, max_voters=2), "Cannot have max_voters=2 < min_voters=3"),
        (lambda: profiles(min_candidates=0), "min_candidates=0 must be at least 1"),
        (lambda: profiles(max_candidates=2.5), "max_candidates=2.5 must be an int"),  # type: ignore[arg-type]  # deliberately invalid
        (lambda: profiles(min_voters=-1), "min_voters=-1 must be at least 0"),
        (lambda: profiles(allow_ties="yes"), "allow_ties='yes' must be True or False"),  # type: ignore[arg-type]  # deliberately invalid
        (lambda: profiles(weighted=1), "weighted=1 must be True or False"),  # type: ignore[arg-type]  # deliberately invalid
        (lambda: profiles(unranked="first"), "unranked='first' must be None, 'last' or 'ignore'"),  # type: ignore[arg-type]  # deliberately invalid
        (lambda: profiles(max_weight=0), "max_weight=0 must be at least 1"),
        (lambda: profiles(max_weight=3, weighted=False), "max_weight=3 needs weighted=True"),
        (lambda: profiles(allow_empty=1), "allow_empty=1 must be True or False"),  # type: ignore[arg-type]  # deliberately invalid
        (
            lambda: profiles(allow_empty=True, allow_truncation=False),
            "allow_empty=True needs allow_truncation=True",
        ),
        (lambda: rankings(0), "n_candidates=0 must be at least 1"),
        (lambda: rankings(True), "n_candidates=True must be an int"),
        (lambda: condorcet_cycles(min_candidates=2), "min_candidates=2 must be at least 3"),
        (lambda: condorcet_cycles(max_candidates=2), "max_candidates=2 must be at least 3"),
        (lambda: profiles_with_condorcet_winner(max_voters=-2), "max_voters=-2 must be at least 0"),
        (lambda: solid_coalitions(seats=0), "seats=0 must be at least 1"),
        (
            lambda: solid_coalitions(seats=3, max_candidates=3),
            "Cannot have max_candidates=3 < seats + 1 = 4",
        ),
    ],
)
def test_arguments_are_validated_eagerly_and_named(factory: Any, message: str) -> None:
    # raised by the call itself, before anything is drawn
    with pytest.raises(InvalidArgument) as info:
        factory()
    assert message in str(info.value)


def test_defaults_depend_on_other_arguments() -> None:
    p = find(profiles(min_candidates=7, min_voters=12), lambda p: True, settings=FIND)
    assert p.num_candidates == 7
    assert p.num_ballots == 12


# ------------------------------------------------------------------ rankings
@SOME
@given(st.data())
def test_rankings_are_dense_rows_that_rank_someone(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 7))
    ties = data.draw(st.booleans())
    trunc = data.draw(st.booleans())
    row = data.draw(rankings(n, allow_ties=ties, allow_truncation=trunc))
    assert len(row) == n
    assert _is_dense(row)
    ranked = [r for r in row if r != UNRANKED]
    assert ranked
    if not trunc:
        assert len(ranked) == n
    if not ties:
        assert len(set(ranked)) == len(ranked)


def test_rankings_shrink_to_the_identity_order() -> None:
    assert find(rankings(4), lambda r: True, settings=FIND) == (0, 1, 2, 3)
    # ask for the last candidate on top: the rest stay in order and complete; the
    # shrinker may stop at either of these two minimal forms (with or without one tie)
    assert find(rankings(3), lambda r: r[2] == 0, settings=FIND) in {(1, 2, 0), (0, 1, 0)}


def test_rankings_can_tie_and_truncate() -> None:
    find(rankings(4), lambda r: len(set(r)) < 4 and UNRANKED not in r, settings=FIND)
    find(rankings(4), lambda r: r.count(UNRANKED) == 3, settings=FIND)
    find(rankings(4), lambda r: len(set(r)) == 1, settings=FIND)  # everyone tied


# ------------------------------------------------------------------ profiles
@SOME
@given(st.data())
def test_profiles_respect_their_arguments(data: st.DataObject) -> None:
    lo_c = data.draw(st.integers(1, 4), label="min_candidates")
    hi_c = data.draw(st.integers(lo_c, 6), label="max_candidates")
    lo_v = data.draw(st.integers(0, 3), label="min_voters")
    hi_v = data.draw(st.integers(lo_v, 6), label="max_voters")
    ties, trunc, weighted = (data.draw(st.booleans()) for _ in range(3))
    policies: list[UnrankedPolicy | None] = [None, "last", "ignore"]
    policy = data.draw(st.sampled_from(policies))
    p = data.draw(
        profiles(
            min_candidates=lo_c,
            max_candidates=hi_c,
            min_voters=lo_v,
            max_voters=hi_v,
            allow_ties=ties,
            allow_truncation=trunc,
            unranked=policy,
            weighted=weighted,
        )
    )
    assert isinstance(p, Profile)
    assert lo_c <= p.num_candidates <= hi_c
    assert lo_v <= p.num_ballots <= hi_v
    assert p.candidates == tuple("ABCDEF"[: p.num_candidates])
    if policy is not None:
        assert p.unranked == policy
    if not weighted:
        assert set(p.weights.tolist()) <= {1}
    assert all(1 <= w <= vst.MAX_WEIGHT for w in p.weights.tolist())
    for row in p.ranks.tolist():
        ranked = [r for r in row if r != UNRANKED]
        assert ranked
        assert trunc or len(ranked) == p.num_candidates
        assert ties or len(set(ranked)) == len(ranked)


@SOME
@given(st.data())
def test_profiles_weights_up_to_max_weight_and_blank_ballots(data: st.DataObject) -> None:
    most = data.draw(st.sampled_from([1, 2, 10**12]), label="max_weight")
    empty = data.draw(st.booleans(), label="allow_empty")
    p = data.draw(profiles(max_voters=6, max_weight=most, allow_empty=empty))
    assert all(1 <= w <= most for w in p.weights.tolist())
    assert empty or all(any(r != UNRANKED for r in row) for row in p.ranks.tolist())


def test_profiles_reach_their_largest_weight_and_blank_ballots() -> None:
    huge = find(
        profiles(max_weight=10**12), lambda p: max(p.weights.tolist()) == 10**12, settings=FIND
    )
    assert huge.weights.dtype.name == "int64"
    blank = find(
        profiles(allow_empty=True),
        lambda p: any(all(r == UNRANKED for r in row) for row in p.ranks.tolist()),
        settings=FIND,
    )
    assert blank.num_candidates >= 2


def test_profiles_shrink_to_one_voter_identity_order_no_ties() -> None:
    p = find(profiles(), lambda p: True, settings=FIND)
    assert p.to_code() == (
        "Profile.from_rankings([['A', 'B']], candidates=['A', 'B'], weights=[1], unranked='last')"
    )
    four = find(profiles(), lambda p: p.num_candidates >= 4, settings=FIND)
    assert four.to_rankings() == [tuple(frozenset(c) for c in "ABCD")]
    assert four.weights.tolist() == [1]


def test_profiles_cover_ties_truncation_policies_and_cycles() -> None:
    find(profiles(), lambda p: not p.is_strict and p.unranked == "ignore", settings=FIND)
    find(profiles(), lambda p: p.num_voters > p.num_ballots, settings=FIND)
    find(profiles(weighted=False), _has_cycle, settings=FIND)


def test_empty_and_single_candidate_profiles_on_request() -> None:
    empty = find(profiles(min_voters=0), lambda p: True, settings=FIND)
    assert empty.num_ballots == 0
    single = find(profiles(min_candidates=1), lambda p: True, settings=FIND)
    assert single.candidates == ("A",)


# --------------------------------------------------------- targeted strategies
@SOME
@given(profiles_with_condorcet_winner())
def test_profiles_with_condorcet_winner_have_one(p: Profile) -> None:
    support = ref.pairwise_support(p)
    cw = ref.condorcet_winner(support)
    assert cw is not None
    assert pairwise(p).condorcet_winner() == p.candidates[cw]  # the library agrees


@SOME
@given(profiles_with_condorcet_winner(weighted=False, allow_ties=False, unranked="ignore"))
def test_condorcet_winner_without_weights_or_ties(p: Profile) -> None:
    assert set(p.weights.tolist()) == {1}
    assert ref.condorcet_winner(ref.pairwise_support(p)) is not None


def test_condorcet_winner_shrinks_to_a_single_ballot() -> None:
    p = find(profiles_with_condorcet_winner(), lambda p: True, settings=FIND)
    assert p.to_code() == (
        "Profile.from_rankings([['A', 'B']], candidates=['A', 'B'], weights=[1], unranked='last')"
    )


@SOME
@given(condorcet_cycles())
def test_condorcet_cycles_have_no_condorcet_winner(p: Profile) -> None:
    support = ref.pairwise_support(p)
    assert ref.condorcet_winner(support) is None
    smith = ref.smith_set(support)
    assert len(smith) >= 3
    assert pairwise(p).smith_set() == {p.candidates[i] for i in smith}


def test_condorcet_cycles_shrink_to_the_three_cycle() -> None:
    p = find(condorcet_cycles(), lambda p: True, settings=FIND)
    assert p.num_candidates == 3
    assert [tuple(sorted(t)[0] for t in b) for b in p.to_rankings()] == [
        ("A", "B", "C"),
        ("B", "C", "A"),
        ("C", "A", "B"),
    ]


@SOME
@given(solid_coalitions())
def test_solid_coalitions_are_what_they_claim(case: SolidCoalition) -> None:
    p, coalition, quotas, seats = case
    assert 1 <= seats < p.num_candidates
    assert 0 < len(coalition) < p.num_candidates
    assert 1 <= quotas <= seats
    members = [p.index(c) for c in coalition]
    solid = ref.solid_support(p, members)
    quota = ref.droop_quota(p.num_voters, seats)
    assert solid // quota == quotas


@SOME
@given(solid_coalitions(seats=2, unranked="ignore", weighted=False))
def test_solid_coalitions_with_fixed_seats(case: SolidCoalition) -> None:
    assert case.seats == 2
    assert case.profile.num_candidates >= 3
    assert case.profile.unranked == "ignore"


def test_solid_coalitions_can_hold_several_quotas() -> None:
    find(solid_coalitions(), lambda c: c.quotas >= 2 and len(c.coalition) >= 2, settings=FIND)


# ------------------------------------------------------------------ from_type
def test_setup_hook_registers_profile_for_from_type() -> None:
    vst._hypothesis_setup_hook()
    p = find(st.from_type(Profile), lambda p: True, settings=FIND)
    assert isinstance(p, Profile)


def test_import_voting_does_not_import_hypothesis() -> None:
    code = (
        "import sys, voting, voting.methods, voting.results; "
        "assert 'hypothesis' not in sys.modules, 'hypothesis imported'; "
        "assert 'voting.testing' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
