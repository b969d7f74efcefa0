"""CIVS's Condorcet-IRV (both counting rules) and bottom-two runoff."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings

from voting import InvalidParameterError, Profile
from voting._kernels.tallies import _tier_counts
from voting.methods.bottom_two import BottomTwoRunoff
from voting.methods.condorcet_irv import CondorcetIRV, ReverseCandidateOrder
from voting.testing._reference import pairwise_support
from voting.ties import BrokenTie, CandidateOrder

from . import naive
from .civs_reference import (
    civs_ballots,
    civs_bottom_two,
    civs_condorcet_irv,
    civs_condorcet_irv_recount,
    tiers_of,
)
from .strategies import profiles

CYCLE = Profile.from_rankings(
    [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]], weights=[4, 3, 2]
)

# A > B > C > A with D beaten by all three. First preferences A 5, B 4, C 3, D 2.
ONCE_VS_RECOUNT = Profile.from_rankings(
    [["A", "B", "C", "D"], ["B", "C", "A", "D"], ["C", "A", "B", "D"], ["D", "C", "A", "B"]],
    weights=[5, 4, 3, 2],
)

# A, B, C in a cycle with margin 5 each (10-5); D, first on 6 ballots, loses 6-9 to each.
SMITH_DEMO = Profile.from_rankings(
    [
        ["A", "B", "C", "D"],
        ["B", "C", "A", "D"],
        ["C", "A", "B", "D"],
        ["D", "A", "B", "C"],
        ["D", "B", "C", "A"],
        ["D", "C", "A", "B"],
    ],
    weights=[3, 3, 3, 2, 2, 2],
)


def test_cycle() -> None:
    # no Condorcet winner; C has the fewest first preferences (2) and is set aside;
    # A beats B 6-3 and takes 1st; then B beats C 7-2.
    r = CondorcetIRV().run(CYCLE)
    assert r.ranking == (("A",), ("B",), ("C",))
    first = r.explanation.rounds[0]
    assert first.eliminated == ("C",)
    assert first.placed == ("A",)
    assert dict(first.tallies[0]) == {"A": 4, "B": 3, "C": 2}
    assert r.explanation.rank_counts[0] == (Fraction(4), Fraction(2), Fraction(3))
    assert not r.tie_broken


def test_first_preferences_once_or_recounted() -> None:
    # "once": D (2) then C (3) are set aside; A beats B 10-4 and is first.
    once = CondorcetIRV().run(ONCE_VS_RECOUNT)
    assert once.ranking == (("A",), ("B",), ("C",), ("D",))
    assert once.explanation.rounds[0].eliminated == ("D", "C")
    # "recount": after D goes, its 2 ballots count for C: A 5, B 4, C 5, so B goes
    # and C beats A 9-5.
    recount = CondorcetIRV(first_preferences="recount").run(ONCE_VS_RECOUNT)
    assert recount.ranking == (("C",), ("A",), ("B",), ("D",))
    first = recount.explanation.rounds[0]
    assert first.eliminated == ("D", "B")
    assert dict(first.tallies[1]) == {"A": 5, "B": 4, "C": 5}
    assert recount.explanation.rank_counts == ()


def test_elimination_ties_go_against_the_earliest_choice_and_are_recorded() -> None:
    # A, B and C have identical rank counts (3, 5, 5, 2): CIVS sets aside A, the
    # earliest column; then B beats C 10-5 and D 9-6.
    r = CondorcetIRV().run(SMITH_DEMO)
    assert r.explanation.rank_counts[0] == tuple(map(Fraction, (3, 5, 5, 2)))
    assert r.explanation.rounds[0].eliminated == ("A",)
    assert r.ranking == (("B",), ("C",), ("A",), ("D",))
    assert r.ties_broken == (
        BrokenTie(
            ("A", "B", "C"),
            ("C", "B", "A"),
            "elimination for position 1",
            ReverseCandidateOrder().describe(),
            decisive=True,
        ),
    )
    # setting aside B or C instead elects another: the tie decided the winner
    assert r.winners == ("B", "C", "A") and r.tied_at_last_seat == ("B", "C", "A")
    # with the library's usual tie-break the last candidate goes instead
    lex = CondorcetIRV(tie_break=CandidateOrder()).run(SMITH_DEMO)
    assert lex.explanation.rounds[0].eliminated == ("C",)
    assert lex.winner == "A"


TIED_FIRSTS = Profile.from_rankings(
    [["A", "B", "C", "D"], ["B", "C", "A", "D"], ["C", "A", "B", "D"], ["D", "A", "B", "C"]]
)


def test_recount_places_a_top_tied_set() -> None:
    # every candidate is first once and A ties C 2-2: no Condorcet winner, equal
    # counts, so the earlier CIVS code ranks all four together (D, the Condorcet
    # loser, included) and the seat is decided by tie_break.
    r = CondorcetIRV(first_preferences="recount").run(TIED_FIRSTS)
    assert r.ranking == (("A", "B", "C", "D"),)
    assert r.tied_at_last_seat == ("A", "B", "C", "D")
    once = CondorcetIRV().run(TIED_FIRSTS)
    assert once.winner == "A"
    assert once.explanation.rounds[0].eliminated == ("D", "C")


@settings(max_examples=120)
@given(profiles(min_candidates=1, max_candidates=6))
def test_condorcet_irv_matches_civs(profile: Profile) -> None:
    if profile.num_voters == 0:
        return
    r = CondorcetIRV().run(profile)
    r.check(profile)
    expected = civs_condorcet_irv(pairwise_support(profile), civs_ballots(profile))
    assert tiers_of(profile, r.ranking) == expected


@settings(max_examples=120)
@given(profiles(min_candidates=1, max_candidates=6))
def test_condorcet_irv_recount_matches_earlier_civs(profile: Profile) -> None:
    if profile.num_voters == 0:
        return
    r = CondorcetIRV(first_preferences="recount").run(profile)
    r.check(profile)
    expected = civs_condorcet_irv_recount(pairwise_support(profile), civs_ballots(profile))
    assert tiers_of(profile, r.ranking) == [sorted(t) for t in expected]


@settings(max_examples=150)
@given(profiles(min_candidates=1, max_candidates=6))
def test_tier_count_kernel_matches_naive(profile: Profile) -> None:
    for last in (False, True):
        out = _tier_counts(profile.ranks, profile.weights, last)
        ranks, weights = profile.ranks.tolist(), profile.weights.tolist()
        if not ranks:
            assert not out.any()
            continue
        assert out.tolist() == naive.tier_counts(ranks, weights, last)


# ----------------------------------------------------------------- bottom two
def test_bottom_two_cycle() -> None:
    r = BottomTwoRunoff().run(CYCLE)
    assert r.ranking == (("A",), ("B",), ("C",))
    assert r.explanation.seeding == ("A", "B", "C")
    assert not r.explanation.rounds[0].top_seed_unbeaten
    assert r.explanation.rounds[1].top_seed_unbeaten


def test_bottom_two_four_candidates() -> None:
    # seeds A 5, B 4, C 3, D 2. A is beaten (by C 9-5): C beats D 12-2, B beats C
    # 9-5, A beats B 10-4. Then B, C and D are each unbeaten top seeds in turn.
    r = BottomTwoRunoff().run(ONCE_VS_RECOUNT)
    assert r.ranking == (("A",), ("B",), ("C",), ("D",))
    runoffs = [str(x) for x in r.explanation.rounds[0].runoffs]
    assert runoffs == [
        "C vs D 12-2: D eliminated",
        "B vs C 9-5: C eliminated",
        "A vs B 10-4: B eliminated",
    ]


def test_bottom_two_pairwise_tie_eliminates_the_lower_seed() -> None:
    # first preferences C 6, A 4, B 4; A is seeded above B on second preferences
    # (7 against 3). A and B tie 7-7 head to head: B, the lower seed, goes; then A
    # beats C 8-6.
    p = Profile.from_rankings(
        [["C", "B", "A"], ["A", "C", "B"], ["C", "A", "B"], ["B", "A", "C"]],
        candidates=["A", "B", "C"],
        weights=[3, 4, 3, 4],
    )
    r = BottomTwoRunoff().run(p)
    assert r.explanation.seeding == ("C", "A", "B")
    assert [str(x) for x in r.explanation.rounds[0].runoffs] == [
        "A vs B 7-7: B eliminated",
        "C vs A 6-8: C eliminated",
    ]
    assert r.ranking == (("A",), ("C",), ("B",))
    assert not r.tie_broken  # the seeds differ: the rule decided, not a tie-break


def test_bottom_two_seeding_ties_use_the_tie_break_and_are_recorded() -> None:
    unit = Profile.from_rankings([["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]])
    r = BottomTwoRunoff().run(unit)
    # every candidate has rank counts (1, 1, 1): choice order seeds A, B, C, and
    # that order decides who meets in the runoffs (B vs C, then A vs B).
    assert r.explanation.seeding == ("A", "B", "C")
    assert r.tie_broken
    assert [(t.context, t.tied, t.order) for t in r.ties_broken] == [
        ("seeding", ("A", "B", "C"), ("A", "B", "C"))
    ]
    assert r.ties_broken[0].rule == CandidateOrder().describe()
    # the seeding decides the winner: each candidate wins under some seeding
    assert r.ties_broken[0].decisive and set(r.winners) == {"A", "B", "C"}
    rev = BottomTwoRunoff(tie_break=ReverseCandidateOrder()).run(unit)
    assert rev.explanation.seeding == ("C", "B", "A")


@settings(max_examples=120)
@given(profiles(min_candidates=1, max_candidates=6))
def test_bottom_two_matches_civs(profile: Profile) -> None:
    if profile.num_voters == 0:
        return
    r = BottomTwoRunoff().run(profile)
    r.check(profile)
    expected = civs_bottom_two(pairwise_support(profile), civs_ballots(profile))
    assert tiers_of(profile, r.ranking) == [sorted(t) for t in expected]


def test_parameters_and_tags() -> None:
    with pytest.raises(InvalidParameterError, match="first_preferences"):
        CondorcetIRV(first_preferences="twice")  # type: ignore[arg-type]  # deliberately invalid
    with pytest.raises(InvalidParameterError, match="tie_break"):
        BottomTwoRunoff(tie_break=None)  # type: ignore[arg-type]  # deliberately not a TieBreak
    once = CondorcetIRV().tags()
    assert once.condorcet_winner and once.condorcet_loser and once.smith
    recount = CondorcetIRV(first_preferences="recount").tags()
    assert recount.condorcet_winner and not recount.condorcet_loser and not recount.smith
    b2 = BottomTwoRunoff().tags()
    assert b2.condorcet_winner and b2.condorcet_loser and b2.smith and not b2.monotonic
