"""CPO-STV: a worked example, one seat, the size guard, and pref_voting's cpo_stv."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings

from tests.strategies import profiles
from voting import CPOSTV, Profile, Schulze, UnsupportedProfileError
from voting.testing import check_method

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None)


def example() -> Profile:
    """The Wikipedia CPO-STV example (Andrea, Brad, Carter, Delilah, Scott), 3 seats."""
    return Profile.from_rankings(
        [["A"]] * 25
        + [["C", "B", "D"]] * 34
        + [["B", "D"]] * 7
        + [["D", "B"]] * 8
        + [["D", "S"]] * 5
        + [["S", "D"]] * 21,
        candidates=["A", "B", "C", "D", "S"],
    )


def test_worked_example() -> None:
    """Hand count: A and C reach the quota 25; C's surplus of 9 goes on to B or D."""
    r = CPOSTV(seats=3).run(example())
    r.check(example())
    e = r.explanation
    assert r.elected == ("A", "C", "D")
    assert e.condorcet_committee == ("A", "C", "D")
    # {A,C,B} vs {A,C,D}: S eliminated (21 -> D); C's surplus 9 -> B: 66 to 84
    c1 = e.compare(("A", "B", "C"), ("A", "C", "D"))
    assert round(c1.first_total) == 66 and round(c1.second_total) == 84
    # {A,C,B} vs {A,C,S}: D eliminated (8 -> B, 5 -> S); surplus 9 -> B: 74 to 76
    c2 = e.compare(("A", "B", "C"), ("A", "C", "S"))
    assert round(c2.first_total) == 74 and round(c2.second_total) == 76
    # {A,C,D} vs {A,C,S}: B eliminated (7 -> D); surplus 9 -> B -> D: 79 to 71
    c3 = e.compare(("A", "C", "D"), ("A", "C", "S"))
    assert round(c3.first_total) == 79 and round(c3.second_total) == 71
    assert abs(c3.keep["C"] - Fraction(25, 34)) < Fraction(1, 10**8)
    assert abs(e.margin(("A", "C", "D"), ("A", "C", "S")) - 8) < Fraction(1, 10**6)


def test_tied_committees_are_reported() -> None:
    # a Condorcet cycle is symmetric under rotation: no committee can be singled out
    p = Profile.from_rankings([["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]])
    r = CPOSTV(seats=2).run(p)
    r.check(p)
    assert r.tie_broken
    assert len(r.explanation.winning_committees) == 3
    assert r.winners == ("A", "B", "C")
    assert r.elected == ("A", "B")  # lexicographic tie-break, recorded


@SETTINGS
@given(profiles(min_candidates=2, max_candidates=5, max_voters=10, unranked="last"))
def test_one_seat_is_schulze_on_margins(p: Profile) -> None:
    """With one seat a comparison is the pairwise majority (ties, truncation, weights)."""
    if p.num_voters == 0:
        return
    ours = CPOSTV(seats=1).run(p)
    ref = Schulze(strength="margins").run(p)
    assert set(ours.winners) == set(ref.winners)


@SETTINGS
@given(profiles(min_candidates=3, max_candidates=5, max_voters=8))
def test_completions_agree_on_a_condorcet_committee(p: Profile) -> None:
    if p.num_voters == 0:
        return
    results = {
        (completion, quota): CPOSTV(seats=2, completion=completion, quota=quota).run(p)
        for completion in ("schulze", "ranked_pairs", "minimax")
        for quota in ("droop", "hare")
    }
    for (_, quota), r in results.items():
        r.check(p)
        e = r.explanation
        assert e.margins.shape == (len(e.committees), len(e.committees))
        assert (e.margins == -e.margins.T).all()
        if e.condorcet_committee is not None:
            assert e.winning_committees == (e.condorcet_committee,)
            same = results[("schulze", quota)].explanation.condorcet_committee
            assert same == e.condorcet_committee


def test_one_seat_honours_its_tags() -> None:
    report = check_method(CPOSTV(seats=1), settings=SETTINGS)
    report.raise_if_failed()


def test_size_guard() -> None:
    names = [f"c{i}" for i in range(12)]
    p = Profile.from_rankings([names], candidates=names)
    with pytest.raises(UnsupportedProfileError, match=r"924 committees and 426,426 comparisons"):
        CPOSTV(seats=6).run(p)


def test_parameters_are_validated() -> None:
    with pytest.raises(ValueError, match="quota"):
        CPOSTV(quota="imperiali")  # type: ignore[arg-type]  # deliberately invalid parameter
    with pytest.raises(ValueError, match="completion"):
        CPOSTV(completion="borda")  # type: ignore[arg-type]  # deliberately invalid parameter
    with pytest.raises(ValueError, match="seats"):
        CPOSTV(seats=0)


# ------------------------------------------------------------- pref_voting
def _random_strict(rng: random.Random) -> tuple[int, int, list[tuple[int, ...]]]:
    c = rng.randint(3, 6)
    seats = rng.randint(2, min(3, c - 1))
    v = rng.randint(5, 30)
    return c, seats, [tuple(rng.sample(range(c), c)) for _ in range(v)]


def test_margins_match_pref_voting_where_the_surplus_rules_coincide() -> None:
    """pref_voting moves surpluses by shrinking a candidate's pile; Meek's keep
    factors agree with that exactly when at most one candidate of both committees
    has a surplus (no surplus reaches another such candidate). There the margins
    must agree to float precision; the other comparisons are counted, not asserted."""
    import pref_voting.profiles as pv_profiles  # the dev extra installs pref_voting
    import pref_voting.proportional_methods as pv

    rng = random.Random(2026)
    checked = differing = 0
    for _ in range(40):
        c, seats, rankings = _random_strict(rng)
        pw = pv_profiles.Profile(rankings).to_profile_with_ties()
        names = [str(i) for i in range(c)]
        p = Profile.from_rankings([[str(x) for x in r] for r in rankings], candidates=names)
        e = CPOSTV(seats=seats, completion="minimax").run(p).explanation
        for a, b in itertools.combinations(itertools.combinations(range(c), seats), 2):
            sa, sb = tuple(map(str, a)), tuple(map(str, b))
            comparison = e.compare(sa, sb)
            theirs = pv._committee_margin_pwt(a, b, pw)
            transferring = sum(1 for k in comparison.keep.values() if k < 1)
            if transferring <= 1:
                checked += 1
                assert float(comparison.margin) == pytest.approx(theirs, abs=1e-6)
            elif abs(float(comparison.margin) - theirs) > 1e-6:
                differing += 1
    assert checked > 1000
    assert differing > 0  # the rules do differ when surpluses chain
