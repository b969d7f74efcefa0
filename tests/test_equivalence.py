"""Profile.equivalent: the same counts however stored; what a writer may change.

Equivalence is checked against the counts themselves: whenever two profiles are
declared equivalent, the pairwise matrix and the Schulze, IRV and Meek STV results
agree; and each rule that makes two storages equivalent is one the counts respect,
while the near misses it refuses (a tied last tier against an unranked tail, the two
policies) really do change some count.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting import (
    IRV,
    STV,
    InvalidProfileError,
    Profile,
    Schulze,
    UnrankedPolicy,
    UnsupportedProfileError,
)
from voting._typing import UNRANKED
from voting.formats import read_ballots, write_ballots
from voting.profile import canonical, difference, policy_dependent_voters

from .counts import counts
from .strategies import profiles


def _shuffled(p: Profile, seed: int) -> Profile:
    order = np.random.default_rng(seed).permutation(p.num_ballots)
    return Profile(p.ranks[order], p.weights[order], p.candidates, p.unranked)


def _expanded(p: Profile) -> Profile:
    return Profile(np.repeat(p.ranks, p.weights, axis=0), None, p.candidates, p.unranked)


@settings(max_examples=80)
@given(profiles(max_candidates=5, max_voters=10), st.integers(0, 2**32 - 1))
def test_storage_does_not_matter(p: Profile, seed: int) -> None:
    for q in (p.compress(), _shuffled(p, seed), _expanded(p), canonical(p)):
        assert p.equivalent(q) and q.equivalent(p)
        if p.num_voters:
            assert counts(q, 1) == counts(p, 1)


@settings(max_examples=120)
@given(profiles(min_candidates=2, max_candidates=5, max_voters=10))
def test_equivalent_profiles_count_the_same(p: Profile) -> None:
    """The canonical form under the other policy, when equivalent, counts the same;
    when not, some ballot depends on the policy and the pairwise matrix differs for
    some such ballot set (checked on the profile itself when it does)."""
    other: UnrankedPolicy = "ignore" if p.unranked == "last" else "last"
    q = canonical(p).with_unranked(other)
    if p.equivalent(q):
        assert policy_dependent_voters(p) == 0
        if p.num_voters:
            seats = min(2, p.num_candidates - 1)
            assert counts(q, seats) == counts(p, seats)
    else:
        assert policy_dependent_voters(p) > 0
        assert "unranked=" in str(difference(p, q))


def test_one_unranked_under_last_is_ranked_last() -> None:
    names = ["A", "B", "C", "D"]
    short = Profile.from_rankings([["A", "B", "C"], ["B", "A"]], candidates=names)
    full = Profile.from_rankings([["A", "B", "C", "D"], ["B", "A"]], candidates=names)
    assert short.equivalent(full)
    for seats in (1, 2, 3):
        assert counts(short, seats) == counts(full, seats)
    # under "ignore" D is compared with nobody on the short ballot: not the same
    assert not short.with_unranked("ignore").equivalent(full.with_unranked("ignore"))
    # a tied ranked part is not completed: STV splits a vote among tied candidates
    tied = Profile.from_rankings([["A", ("B", "C")]], candidates=names)
    tied_full = Profile.from_rankings([["A", ("B", "C"), "D"]], candidates=names)
    assert not tied.equivalent(tied_full)


def test_a_tied_last_tier_is_not_an_unranked_tail() -> None:
    """Same pairwise matrix, different STV committee: equivalent must say no (found by
    a random search; Meek's quota shrinks with the votes an unranked tail exhausts,
    while a tied last tier keeps them)."""
    names = ["A", "B", "C", "D", "E"]
    ballots = [["B", "D"], ["C"], ["E", "D", "C"], ["C", "D"]]
    tail = Profile.from_rankings(ballots, candidates=names, weights=[2, 5, 3, 4])
    tier = tail.materialise_unranked()
    assert tier.ranks.tolist()[1] == [1, 1, 0, 1, 1]
    assert tier.pairwise.support.tolist() == tail.pairwise.support.tolist()
    assert not tier.equivalent(tail)
    stv = STV(rule="meek-equal", seats=2)
    assert set(stv.run(tail).elected) == {"C", "D"}
    assert set(stv.run(tier).elected) == {"C", "E"}


def test_candidates_and_voters_must_agree() -> None:
    p = Profile.from_rankings([["A", "B"]], candidates=["A", "B"])
    swapped = Profile.from_rankings([["A", "B"]], candidates=["B", "A"])
    assert not p.equivalent(swapped)
    assert "order" in str(difference(p, swapped))
    assert not p.equivalent(Profile.from_rankings([["A", "B"]] * 2, candidates=["A", "B"]))
    with pytest.raises(InvalidProfileError, match="compares two profiles"):
        p.equivalent("A > B")  # type: ignore[arg-type]  # a wrong type is refused loudly


@settings(max_examples=60)
@given(profiles(max_candidates=5, max_voters=10, unranked="last"))
def test_materialise_keeps_the_pairwise_matrix(p: Profile) -> None:
    m = p.materialise_unranked()
    assert m.pairwise.support.tolist() == p.pairwise.support.tolist()
    unranked = m.ranks == UNRANKED
    assert bool((unranked.all(axis=1) | ~unranked.any(axis=1)).all())
    # and a CIVS CSV keeps it, though CIVS files are read with unranked="ignore"
    out = io.StringIO()
    write_ballots(p, out, "civs", unranked_as_last_tier=True)
    back = read_ballots(io.StringIO(out.getvalue()), "civs")
    assert back.unranked == "ignore"
    if p.num_ballots:
        assert back.pairwise.support.tolist() == p.pairwise.support.tolist()


def test_materialise_is_refused_under_ignore() -> None:
    p = Profile.from_rankings([["A"]], candidates=["A", "B"], unranked="ignore")
    with pytest.raises(InvalidProfileError, match="unranked='last'"):
        p.materialise_unranked()
    with pytest.raises(Exception, match="unranked_as_last_tier needs"):
        write_ballots(p, io.StringIO(), "civs", unranked_as_last_tier=True)


@pytest.mark.parametrize("fmt", ["blt", "abif", "debian", "preflib"])
def test_ignore_ballots_are_refused_by_last_formats(fmt: str) -> None:
    p = Profile.from_rankings([["A"], ["B", "A"]], candidates=["A", "B", "C"], unranked="ignore")
    out = io.StringIO()
    with pytest.raises(UnsupportedProfileError, match=rf"{fmt} cannot say.*civs.*cef"):
        write_ballots(p, out, fmt)
    assert out.getvalue() == ""
    # complete ballots do not depend on the policy: they are written
    full = Profile.from_rankings([["A", "B", "C"]], candidates=["A", "B", "C"], unranked="ignore")
    write_ballots(full, io.StringIO(), fmt)


def test_irv_and_schulze_are_what_the_counts_compare() -> None:
    """The helper compares real results (a guard against a vacuous comparison)."""
    a = Profile.from_rankings([["A", "B", "C"]] * 3 + [["B", "C", "A"]] * 2)
    b = Profile.from_rankings([["B", "A", "C"]] * 3 + [["B", "C", "A"]] * 2)
    assert counts(a) != counts(b)
    assert Schulze().run(a).winner == IRV().run(a).winner == "A"
