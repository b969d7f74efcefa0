"""Minimax-PM (CIVS's default completion) and the textbook Minimax."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings

from voting import InvalidParameterError, InvalidProfileError, Profile
from voting.methods.minimax import Minimax, MinimaxPM, Opposition
from voting.testing._reference import pairwise_support
from voting.ties import CandidateOrder

from .civs_reference import civs_minimax_pm, tiers_of
from .strategies import profiles

# Wikipedia's Tennessee capital example: 42% Memphis, 26% Nashville, 15% Chattanooga,
# 17% Knoxville, each voting by distance. Nashville is the Condorcet winner.
TENNESSEE = Profile.from_rankings(
    [
        ["Memphis", "Nashville", "Chattanooga", "Knoxville"],
        ["Nashville", "Chattanooga", "Knoxville", "Memphis"],
        ["Chattanooga", "Knoxville", "Nashville", "Memphis"],
        ["Knoxville", "Chattanooga", "Nashville", "Memphis"],
    ],
    candidates=["Memphis", "Nashville", "Chattanooga", "Knoxville"],
    weights=[42, 26, 15, 17],
)


def test_tennessee_minimax_scores() -> None:
    # worst defeats: Memphis loses 58-42 to each; Chattanooga loses 68-32 to
    # Nashville; Knoxville loses 83-17 to Chattanooga; Nashville is unbeaten.
    r = Minimax().run(TENNESSEE)
    assert r.explanation.scores == (58, 0, 68, 83)
    assert r.explanation.worst_defeats[1] is None
    assert r.explanation.worst_defeats[3] == Opposition("Chattanooga", 83, 17)
    assert r.ranking == (("Nashville",), ("Memphis",), ("Chattanooga",), ("Knoxville",))
    r.check(TENNESSEE)


def test_tennessee_minimax_pm_peels_tiers() -> None:
    # Nashville first; among the other three Chattanooga beats both (83-17, 58-42);
    # then Knoxville beats Memphis 58-42. Scored all at once, Memphis's worst
    # defeat (58) would put it second: peeling changes the order below the top.
    r = MinimaxPM().run(TENNESSEE)
    assert r.ranking == (("Nashville",), ("Chattanooga",), ("Knoxville",), ("Memphis",))
    first = r.explanation.rounds[0]
    assert first.remaining == TENNESSEE.candidates
    assert first.placed == ("Nashville",)
    nashville = first.oppositions[1]
    assert [o.margin for o in nashville] == [-16, -36, -36]
    assert r.explanation.rounds[1].remaining == ("Memphis", "Chattanooga", "Knoxville")


# unranked="ignore": a ballot naming two candidates compares only those two.
EQUAL_MARGINS = Profile.from_rankings(
    [["C", "A"], ["A", "C"], ["A", "B"], ["B", "A"], ["B", "C"], ["C", "B"]],
    weights=[4, 2, 3, 1, 5, 3],
    unranked="ignore",
)


def test_equal_margins_fewer_winning_votes_is_stronger() -> None:
    # C beats A 4-2, A beats B 3-1, B beats C 5-3: every defeat has margin 2.
    # CIVS: with equal margins the opposition with fewer votes is stronger, so B's
    # (3 votes) is the strongest and C's (5 votes) the weakest: C ranks first, then
    # A beats B. Textbook Minimax (winning votes) ranks B first (3 < 4 < 5).
    pm = MinimaxPM().run(EQUAL_MARGINS)
    assert pm.ranking == (("C",), ("A",), ("B",))
    assert Minimax().run(EQUAL_MARGINS).ranking == (("B",), ("A",), ("C",))


LEXICOGRAPHIC = Profile.from_rankings(
    [["C", "A"], ["C", "B"], ["D", "C"], ["D", "B"], ["A", "D"]],
    candidates=["A", "B", "C", "D"],
    weights=[1, 1, 5, 1, 2],
    unranked="ignore",
)


def test_equal_strongest_oppositions_compare_the_next_ones() -> None:
    # A's oppositions: C 1-0, B 0-0, D 0-2; B's: C 1-0, D 1-0, A 0-0. Their
    # strongest are equal; A's second (margin 0) is weaker than B's (1): A first.
    # Among B, C, D, D beats both (its strongest opposition has margin -1); then
    # C beats B 1-0.
    pm = MinimaxPM().run(LEXICOGRAPHIC)
    assert pm.ranking == (("A",), ("D",), ("C",), ("B",))
    # textbook Minimax sees only the worst defeat (1 vote each) and ties A and B
    mm = Minimax().run(LEXICOGRAPHIC)
    assert mm.explanation.scores == (1, 1, 5, 2)
    assert mm.ranking == (("A", "B"), ("D",), ("C",))
    assert mm.tied_at_last_seat == ("A", "B")
    assert mm.elected == ("A",)
    assert mm.ties_broken[0].tied == ("A", "B")


def test_identical_oppositions_tie_and_the_boundary_tie_is_reported() -> None:
    cycle = Profile.from_rankings([["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]])
    r = MinimaxPM().run(cycle)
    assert r.ranking == (("A", "B", "C"),)
    assert r.winners == ("A", "B", "C")
    assert r.elected == ("A",)
    assert r.tie_broken
    later = MinimaxPM(tie_break=CandidateOrder(order=["C"])).run(cycle)
    assert later.elected == ("C",)


def test_seats_take_the_top_of_the_ranking() -> None:
    r = MinimaxPM(seats=2).run(TENNESSEE)
    assert r.elected == ("Nashville", "Chattanooga")
    assert not r.tie_broken
    assert Minimax(seats=3).run(TENNESSEE).elected == ("Nashville", "Memphis", "Chattanooga")


@settings(max_examples=150)
@given(profiles(min_candidates=1, max_candidates=6))
def test_minimax_pm_matches_civs_minimax_pm(profile: Profile) -> None:
    if profile.num_voters == 0:
        return
    r = MinimaxPM().run(profile)
    r.check(profile)
    assert tiers_of(profile, r.ranking) == [
        sorted(t) for t in civs_minimax_pm(pairwise_support(profile))
    ]


@settings(max_examples=100)
@given(profiles(min_candidates=1, max_candidates=6))
def test_minimax_scores_match_definition(profile: Profile) -> None:
    if profile.num_voters == 0:
        return
    s = pairwise_support(profile)
    n = len(s)
    expected = [max([s[j][i] for j in range(n) if s[j][i] > s[i][j]], default=0) for i in range(n)]
    r = Minimax().run(profile)
    r.check(profile)
    assert list(r.explanation.scores) == expected
    flat = [profile.index(c) for tier in r.ranking for c in tier]
    assert [expected[i] for i in flat] == sorted(expected)


def test_parameters_are_validated() -> None:
    with pytest.raises(InvalidParameterError, match="seats"):
        MinimaxPM(seats=0)
    with pytest.raises(InvalidParameterError, match="tie_break"):
        Minimax(tie_break="lexicographic")  # type: ignore[arg-type]  # deliberately not a TieBreak
    with pytest.raises(InvalidProfileError, match="seats=5"):
        MinimaxPM(seats=5).run(TENNESSEE)
    with pytest.raises(InvalidProfileError, match="Profile"):
        MinimaxPM().run([["A"]])  # type: ignore[arg-type]  # deliberately not a Profile
    assert dataclasses.replace(MinimaxPM(), seats=2).seats == 2


def test_run_pairwise_needs_only_the_matrix() -> None:
    pm = TENNESSEE.pairwise
    assert MinimaxPM().run_pairwise(pm).ranking == MinimaxPM().run(TENNESSEE).ranking
    assert Minimax().run_pairwise(pm).explanation.scores == (58, 0, 68, 83)
    with pytest.raises(InvalidProfileError, match="PairwiseMatrix"):
        MinimaxPM().run_pairwise(TENNESSEE)  # type: ignore[arg-type]  # deliberately not a PairwiseMatrix
    with pytest.raises(InvalidProfileError, match="seats=5"):
        Minimax(seats=5).run_pairwise(pm)


def test_tags() -> None:
    t = MinimaxPM().tags()
    assert t.condorcet_winner and not t.condorcet_loser and not t.smith
    committee = MinimaxPM(seats=2).tags()
    assert committee.kind == "committee" and committee.condorcet_winner
    assert Minimax().tags().condorcet_winner and not Minimax().tags().condorcet_loser


def test_profile_is_not_mutated() -> None:
    before = TENNESSEE.ranks.copy()
    MinimaxPM().run(TENNESSEE)
    assert (TENNESSEE.ranks == before).all()
