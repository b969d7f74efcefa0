"""CIVS Ranked Pairs and MAM."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting import InvalidParameterError, PairwiseMatrix, Profile
from voting.methods.ranked_pairs import MAM, RankedPairs
from voting.testing._reference import pairwise_support
from voting.ties import Random

from .civs_reference import civs_ballots, civs_ranked_pairs, civs_rvh, tiers_of
from .strategies import profiles
from .test_minimax import TENNESSEE


def test_tennessee() -> None:
    # Wikipedia: majorities by strength: Chattanooga > Knoxville 83, Nashville >
    # Knoxville 68, Nashville > Chattanooga 68, ... all consistent: no cycle.
    r = RankedPairs().run(TENNESSEE)
    assert r.ranking == (("Nashville",), ("Chattanooga",), ("Knoxville",), ("Memphis",))
    assert r.explanation.skipped() == ()
    first = r.explanation.majorities[0]
    assert (first.winner, first.loser, first.votes_for, first.votes_against) == (
        "Chattanooga",
        "Knoxville",
        83,
        17,
    )


CYCLE = Profile.from_rankings(
    [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]], weights=[4, 3, 2]
)


def test_weakest_majority_of_a_cycle_is_skipped() -> None:
    # B > C 7-2, A > B 6-3, C > A 5-4: the last closes a cycle and is skipped.
    r = RankedPairs().run(CYCLE)
    assert r.ranking == (("A",), ("B",), ("C",))
    statuses = [(m.winner, m.loser, m.status) for m in r.explanation.majorities]
    assert statuses == [("B", "C", "locked"), ("A", "B", "locked"), ("C", "A", "skipped")]
    assert [(m.winner, m.loser) for m in r.explanation.locked()] == [("B", "C"), ("A", "B")]


# ignore: each two-name ballot compares only its two candidates
BUNCH = Profile.from_rankings(
    [["A", "B"], ["B", "A"], ["B", "C"], ["C", "B"], ["C", "A"], ["A", "C"]],
    weights=[5, 1, 3, 2, 3, 2],
    unranked="ignore",
)


def test_equal_strength_majorities_are_locked_as_a_bunch() -> None:
    # A > B 5-1 is locked first; B > C 3-2 and C > A 3-2 have equal strength. B > C
    # is locked; C > A contradicts A > B > C but not the strictly stronger A > B
    # alone, so CIVS locks it too: A, B, C form one locked cycle. CIVS's readout then
    # splits it by strongest defeats in the pairwise matrix: A's is C 3-2, C's is
    # B 3-2, B's is A 5-1, so {A, C} > B (what CIVS's own rp.pm prints).
    r = RankedPairs().run(BUNCH)
    assert r.ranking == (("A", "C"), ("B",))
    assert [m.status for m in r.explanation.majorities] == [
        "locked",
        "locked",
        "locked_with_bunch",
    ]
    first = r.explanation.readout[0]
    assert first.unbeaten == ("A", "B", "C")
    assert [
        (name, d.winner, d.votes_for, d.votes_against) for name, d in first.strongest_defeats if d
    ] == [
        ("A", "C", 3, 2),
        ("B", "A", 5, 1),
        ("C", "B", 3, 2),
    ]
    assert first.placed == ("A", "C")
    assert r.tied_at_last_seat == ("A", "C")


def test_issue_minimal_case_is_ranked_as_civs_ranks_it() -> None:
    # 2 c>a>b, 2 a>b>c, 1 b>c>a: a>b 4-1, then c>a and b>c (3-2) locked as a bunch;
    # CIVS's rp.pm ranks a = c > b (the locked relation alone ties all three).
    p = Profile.from_rankings(
        [["c", "a", "b"], ["a", "b", "c"], ["b", "c", "a"]], weights=[2, 2, 1]
    )
    assert RankedPairs().run(p).ranking == (("a", "c"), ("b",))
    # MAM orders the two 3-2 majorities by the hierarchy; read in profile order the
    # first ballot, c > a > b, orders everything and c > a is locked before b > c
    # (rp.pm with the ballots in this order gives the same)
    mam = MAM(shuffle=None).run(p)
    assert mam.ranking == (("c",), ("a",), ("b",))
    assert mam.explanation.hierarchy_used and mam.explanation.hierarchy_complete


def test_an_undefeated_member_of_the_group_outranks_defeated_ones() -> None:
    # a > b 5-0 and b > c 4-0 are locked, c > a 3-0 is skipped; d ties everyone 1-1.
    # The first group is {a, d}: d is undefeated, a's strongest defeat is the skipped
    # c > a, so CIVS ranks d first, alone (the locked relation alone ties a and d).
    pairs = [["a", "b"], ["b", "c"], ["c", "a"]] + [
        [x, y] for z in "abc" for x, y in (("d", z), (z, "d"))
    ]
    p = Profile.from_rankings(pairs, weights=[5, 4, 3] + [1] * 6, unranked="ignore")
    r = RankedPairs().run(p)
    assert r.ranking == (("d",), ("a",), ("b",), ("c",))
    assert r.explanation.readout[0].unbeaten == ("a", "d")
    assert r.explanation.skipped()[0].winner == "c"


@settings(max_examples=200)
@given(
    st.integers(2, 6).flatmap(
        lambda c: st.lists(st.integers(0, 6), min_size=c * c, max_size=c * c).map(
            lambda xs: [[0 if i == j else xs[i * c + j] for j in range(c)] for i in range(c)]
        )
    )
)
def test_readout_matches_the_plain_reference_on_any_matrix(matrix: list[list[int]]) -> None:
    # any non-negative pairwise counts, many equal strengths: locking and readout
    # against the line-by-line translation of rp.pm in tests/civs_reference.py
    c = len(matrix)
    pm = PairwiseMatrix(tuple(f"c{i}" for i in range(c)), np.array(matrix, dtype=np.int64))
    r = RankedPairs().run_pairwise(pm)
    assert [sorted(pm.candidates.index(x) for x in t) for t in r.ranking] == [
        sorted(t) for t in civs_ranked_pairs(matrix)
    ]
    assert [s.placed for s in r.explanation.readout] == list(r.ranking)


def test_symmetric_cycle_ties_under_ranked_pairs_and_follows_the_hierarchy_under_mam() -> None:
    unit = Profile.from_rankings([["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]])
    assert RankedPairs().run(unit).ranking == (("A", "B", "C"),)
    seen = set()
    for seed in range(8):
        r = MAM(shuffle=Random(seed=seed)).run(unit)
        assert r.explanation.hierarchy_used
        # the first ballot read orders everything; MAM then reproduces that ballot
        assert r.ranking == r.explanation.hierarchy
        assert all(len(t) == 1 for t in r.ranking)
        seen.add(r.ranking)
    assert len(seen) > 1
    again = MAM(shuffle=Random(seed=3)).run(unit)
    assert again == MAM(shuffle=Random(seed=3)).run(unit)


def test_mam_without_equal_strengths_is_ranked_pairs() -> None:
    r = MAM().run(CYCLE)
    assert not r.explanation.hierarchy_used
    assert r.ranking == RankedPairs().run(CYCLE).ranking


def test_mam_in_profile_order() -> None:
    unit = Profile.from_rankings([["C", "B", "A"], ["A", "C", "B"], ["B", "A", "C"]])
    # the first ballot (C > B > A) is read first and orders every pair
    r = MAM(shuffle=None).run(unit)
    assert r.explanation.hierarchy == (("C",), ("B",), ("A",))
    assert r.ranking == (("C",), ("B",), ("A",))


@settings(max_examples=150)
@given(profiles(min_candidates=1, max_candidates=6))
def test_ranked_pairs_matches_civs_rp(profile: Profile) -> None:
    if profile.num_voters == 0:
        return
    r = RankedPairs().run(profile)
    r.check(profile)
    assert tiers_of(profile, r.ranking) == [
        sorted(t) for t in civs_ranked_pairs(pairwise_support(profile))
    ]


@settings(max_examples=100)
@given(profiles(min_candidates=1, max_candidates=5, max_voters=12, max_weight=3))
def test_mam_matches_civs_mam_in_profile_order(profile: Profile) -> None:
    if profile.num_voters == 0:
        return
    r = MAM(shuffle=None).run(profile)
    r.check(profile)
    rvh = civs_rvh(civs_ballots(profile), profile.num_candidates)
    expected = civs_ranked_pairs(pairwise_support(profile), rvh)
    assert tiers_of(profile, r.ranking) == [sorted(t) for t in expected]


@settings(max_examples=40)
@given(profiles(min_candidates=2, max_candidates=5), st.integers(0, 2**32))
def test_mam_is_reproducible(profile: Profile, seed: int) -> None:
    if profile.num_voters == 0:
        return
    a = MAM(shuffle=Random(seed=seed)).run(profile)
    b = MAM(shuffle=Random(seed=seed)).run(profile)
    assert a.ranking == b.ranking and a.explanation.hierarchy == b.explanation.hierarchy


@settings(max_examples=60)
@given(profiles(min_candidates=2, max_candidates=5, max_voters=10), st.integers(0, 2**20))
def test_mam_depends_on_the_seed_only_when_the_hierarchy_was_consulted(
    profile: Profile, seed: int
) -> None:
    if profile.num_voters == 0:
        return
    r = MAM(shuffle=Random(seed=seed)).run(profile)
    if not r.explanation.hierarchy_used:
        assert r.ranking == RankedPairs().run(profile).ranking
        for other in (seed + 1, seed + 2):
            assert MAM(shuffle=Random(seed=other)).run(profile).ranking == r.ranking


def test_mam_ignores_ballot_order_and_compression() -> None:
    ballots = [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"], ["A", "C", "B"]]
    p = Profile.from_rankings(ballots, weights=[2, 2, 2, 1])
    q = Profile.from_rankings(ballots[::-1], weights=[1, 2, 2, 2])
    for seed in range(5):
        m = MAM(shuffle=Random(seed=seed))
        assert m.run(p).ranking == m.run(q).ranking == m.run(p.compress()).ranking


def test_parameters_are_validated() -> None:
    with pytest.raises(InvalidParameterError, match="shuffle"):
        MAM(shuffle=3)  # type: ignore[arg-type]  # deliberately not a TieBreak
    with pytest.raises(InvalidParameterError, match="seats"):
        RankedPairs(seats=-1)


def test_run_pairwise() -> None:
    assert RankedPairs().run_pairwise(CYCLE.pairwise).ranking == (("A",), ("B",), ("C",))


def test_tags() -> None:
    for m in (RankedPairs(), MAM()):
        t = m.tags()
        assert t.condorcet_winner and t.condorcet_loser and t.smith and t.clone_independent
        assert t.deterministic
    committee = RankedPairs(seats=2).tags()
    assert committee.kind == "committee" and committee.condorcet_winner and not committee.smith


def test_hierarchy_completeness_is_reported() -> None:
    # nobody ranks C ("No opinion"): the hierarchy cannot order C against A or B
    p = Profile.from_rankings(
        [["A", "B"], ["B", "A"]], candidates=["A", "B", "C"], unranked="ignore"
    )
    r = MAM(shuffle=Random(seed=0)).run(p)
    assert r.explanation.hierarchy_complete is False
    hierarchy = r.explanation.hierarchy
    assert hierarchy is not None and any("C" in t for t in hierarchy)
    full = MAM(shuffle=Random(seed=0)).run(CYCLE)
    assert full.explanation.hierarchy_complete is True
    assert RankedPairs().run(CYCLE).explanation.hierarchy_complete is None
