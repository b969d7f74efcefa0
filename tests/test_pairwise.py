"""PairwiseMatrix: the majority relation, checked against brute-force definitions
(the oracles of :mod:`voting.testing._reference`)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting import InvalidProfileError, PairwiseMatrix, Profile, pairwise
from voting.testing import _reference as ref

from .strategies import profiles


def test_small_example_by_hand() -> None:
    p = Profile.from_rankings(
        [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"], ["A", "C"]], weights=[4, 2, 2, 1]
    )
    m = pairwise(p)
    # A>B: ballots 1 (4), 3 (2), 4 (1: B unranked, last) = 7; B>A: ballot 2 (2) = 2
    assert m.head_to_head("A", "B") == ("A", "B", 7, 2)
    assert str(m.head_to_head("B", "A")) == "A beats B 7-2"
    assert m.margins[0, 1] == 5
    assert m.head_to_head("A", "C") == ("A", "C", 5, 4)
    assert m.head_to_head("B", "C") == ("B", "C", 6, 3)
    assert m.condorcet_winner() == "A"
    assert m.condorcet_loser() == "C"
    assert m.smith_set() == frozenset({"A"})
    ignore = pairwise(p.with_unranked("ignore"))
    assert ignore.head_to_head("A", "B") == ("A", "B", 6, 2)
    assert ignore.head_to_head("B", "C") == ("B", "C", 6, 2)


def test_cycle_has_no_condorcet_winner() -> None:
    p = Profile.from_rankings([["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]])
    m = p.pairwise
    assert m.condorcet_winner() is None
    assert m.condorcet_loser() is None
    assert m.weak_condorcet_winners() == ()
    assert m.smith_set() == m.schwartz_set() == frozenset("ABC")


def test_ties_make_weak_winners_and_separate_smith_from_schwartz() -> None:
    # A and B tie; both beat C.
    p = Profile.from_rankings([["A", "B", "C"], ["B", "A", "C"]])
    m = p.pairwise
    assert m.condorcet_winner() is None
    assert m.weak_condorcet_winners() == ("A", "B")
    assert m.smith_set() == frozenset({"A", "B"})
    assert m.schwartz_set() == frozenset({"A", "B"})
    # A beats B, B ties C, C ties A: Smith = {A, B, C}, Schwartz = {A} ∪ ... = {A, C}
    q = Profile.from_rankings(
        [["A", "B", "C"], ["C", "A", "B"], ["A", "B"], ["C"], ["B"]],
        unranked="ignore",
    )
    s = q.pairwise.support.tolist()
    assert q.pairwise.smith_set() == frozenset(q.candidates[i] for i in ref.smith_set(s))
    assert q.pairwise.schwartz_set() == frozenset(q.candidates[i] for i in ref.schwartz_set(s))


@given(profiles(max_candidates=6))
def test_majority_sets_match_their_definitions(p: Profile) -> None:
    m = p.pairwise
    s = m.support.tolist()
    names = p.candidates
    cw = ref.condorcet_winner(s)
    assert m.condorcet_winner() == (None if cw is None else names[cw])
    cl = ref.condorcet_loser(s)
    assert m.condorcet_loser() == (None if cl is None else names[cl])
    assert m.smith_set() == frozenset(names[i] for i in ref.smith_set(s))
    assert m.schwartz_set() == frozenset(names[i] for i in ref.schwartz_set(s))
    assert m.schwartz_set() <= m.smith_set()


@given(profiles(), st.integers(0, 30))
def test_matrices_of_chunks_add_up(p: Profile, cut: int) -> None:
    k = min(cut, p.num_ballots)
    head = Profile(p.ranks[:k], p.weights[:k], p.candidates, p.unranked)
    tail = Profile(p.ranks[k:], p.weights[k:], p.candidates, p.unranked)
    assert pairwise(head) + pairwise(tail) == pairwise(p)
    assert pairwise(head + tail) == pairwise(p)


@given(profiles())
def test_wrapper_matches_reference(p: Profile) -> None:
    expected = ref.pairwise_support(p)
    for parallel in (False, True):
        assert pairwise(p, parallel=parallel).support.tolist() == expected


def test_bad_arguments() -> None:
    with pytest.raises(InvalidProfileError, match=r"needs a voting\.Profile"):
        pairwise([[0, 1]])  # type: ignore[list-item]  # deliberately not a Profile
    m = Profile.from_rankings([["A", "B"]]).pairwise
    with pytest.raises(InvalidProfileError, match="unknown candidate 'Z'"):
        m.head_to_head("A", "Z")
    with pytest.raises(InvalidProfileError, match="expected"):
        PairwiseMatrix(("A", "B"), np.zeros((3, 3), dtype=np.int64))
    other = PairwiseMatrix(("B", "A"), np.zeros((2, 2), dtype=np.int64))
    with pytest.raises(InvalidProfileError, match="different candidates"):
        m + other


def test_text_table_lists_counts_and_names() -> None:
    m = Profile.from_rankings([["A", "B"], ["A", "B"], ["B", "A"]]).pairwise
    text = m.to_text()
    assert "1  A" in text
    assert "2  B" in text
    assert text.splitlines()[1].split() == ["1", "-", "2"]
