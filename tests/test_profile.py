"""Profile: construction, validation, canonical form and transforms."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting import (
    UNRANKED,
    EmptyProfileError,
    InvalidProfileError,
    Profile,
    VotingError,
)
from voting._kernels.ranks import _dense_ranks_from, _first_non_dense_row

from .naive import dense_ranks
from .strategies import profiles

U = UNRANKED


def test_from_rankings_tiers_ties_and_unranked() -> None:
    p = Profile.from_rankings(
        [["A", "B", "C"], [{"B", "C"}, "A"], ["C"], [("A", "B", "C")]], weights=[3, 2, 1, 4]
    )
    assert p.candidates == ("A", "B", "C")
    assert p.ranks.tolist() == [[0, 1, 2], [1, 0, 0], [U, U, 0], [0, 0, 0]]
    assert p.weights.tolist() == [3, 2, 1, 4]
    assert p.num_voters == 10
    assert p.num_ballots == 4
    assert p.unranked == "last"
    assert not p.is_strict


def test_default_candidates_are_sorted_so_ballot_order_does_not_matter() -> None:
    a = Profile.from_rankings([["Zed", "Amy"], ["Bob"]])
    b = Profile.from_rankings([["Bob"], ["Zed", "Amy"]])
    assert a.candidates == b.candidates == ("Amy", "Bob", "Zed")


def test_arrays_are_read_only_contiguous_and_canonical_dtype() -> None:
    src = np.array([[2, 0, 1], [0, 1, 2]], dtype=np.int64)
    p = Profile.from_arrays(src, weights=np.array([1.0, 2.0]))
    assert p.ranks.dtype == np.int32 and p.weights.dtype == np.int64
    assert p.ranks.flags.c_contiguous and not p.ranks.flags.writeable
    assert not p.weights.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        p.ranks[0, 0] = 5
    src[0, 0] = 0  # the caller's array is copied, the profile does not change
    assert p.ranks[0].tolist() == [2, 0, 1]
    assert p.is_strict


def test_ranks_are_made_dense_preserving_order_and_ties() -> None:
    p = Profile.from_arrays([[5, 9, 5, U], [7, 7, 7, 3], [U, U, U, U]])
    assert p.ranks.tolist() == [[0, 1, 0, U], [1, 1, 1, 0], [U, U, U, U]]


@given(
    st.lists(st.lists(st.sampled_from([0, 1, 2, 5, 40, U]), min_size=4, max_size=4), max_size=20)
)
def test_dense_kernel_matches_reference(rows: list[list[int]]) -> None:
    arr = np.array(rows, dtype=np.int32).reshape(len(rows), 4)
    first = int(_first_non_dense_row(arr)) if len(rows) else -1
    expected = [dense_ranks(r) for r in rows]
    if first < 0:
        assert arr.tolist() == expected
    else:
        assert all(arr[v].tolist() == expected[v] for v in range(first))
        assert arr[first].tolist() != expected[first]
        assert _dense_ranks_from(arr, first).tolist() == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ranks": [[0, 1]], "candidates": []}, "candidates is empty"),
        ({"ranks": [[0, 1]], "candidates": ["A", "A"]}, "duplicate candidate name 'A'"),
        ({"ranks": [[0, 1]], "candidates": ["A", ""]}, "empty name"),
        ({"ranks": [[0, 1]], "candidates": "AB"}, "not the string"),
        ({"ranks": [[0, 1, 2]], "candidates": ["A", "B"]}, r"shape \(1, 3\)"),
        ({"ranks": [0, 1], "candidates": ["A", "B"]}, "1 dimension"),
        ({"ranks": [[0.0, 1.0]], "candidates": ["A", "B"]}, "dtype float64"),
        ({"ranks": [[0, 1], [0, -1]], "candidates": ["A", "B"]}, "ballot 1 has a negative rank"),
        ({"ranks": [[0, 1]], "weights": [0], "candidates": ["A", "B"]}, "ballot 0 has weight 0"),
        ({"ranks": [[0, 1]] * 2, "weights": [1, -2], "candidates": ["A", "B"]}, "ballot 1"),
        ({"ranks": [[0, 1]], "weights": [1.5], "candidates": ["A", "B"]}, "whole"),
        ({"ranks": [[0, 1]], "weights": [1, 1], "candidates": ["A", "B"]}, "weights has shape"),
        ({"ranks": [[0, 1]], "candidates": ["A", "B"], "unranked": "first"}, "not a policy"),
    ],
)
def test_constructor_rejects_bad_input(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidProfileError, match=message) as info:
        Profile(**kwargs)  # type: ignore[arg-type]  # deliberately wrong input
    assert isinstance(info.value, ValueError) and isinstance(info.value, VotingError)


def test_transposed_ranks_get_a_hint() -> None:
    with pytest.raises(InvalidProfileError, match=r"ranks\.T"):
        Profile([[0, 1], [1, 0], [0, 1]], candidates=["A", "B", "C"])


@pytest.mark.parametrize(
    ("ballots", "message"),
    [
        ([["A", "X"]], "ballot 0 names unknown candidate 'X'"),
        ([["A"], ["A", "B", "A"]], "ballot 1 ranks 'A' twice"),
        ([["A", set()]], "ballot 0 has an empty tier"),
        ([["A", 3]], "ballot 0 has tier 3"),
    ],
)
def test_from_rankings_names_the_bad_ballot(ballots: list[list[object]], message: str) -> None:
    with pytest.raises(InvalidProfileError, match=message):
        Profile.from_rankings(ballots, candidates=["A", "B"])  # type: ignore[arg-type]  # deliberately malformed ballots


def test_compress_merges_identical_ballots() -> None:
    p = Profile.from_rankings([["A", "B"], ["B", "A"], ["A", "B"], ["A"]], weights=[1, 2, 3, 4])
    c = p.compress()
    assert c.num_voters == p.num_voters == 10
    got = {tuple(r): w for r, w in zip(c.ranks.tolist(), c.weights.tolist(), strict=True)}
    assert got == {(0, 1): 4, (1, 0): 2, (0, U): 4}


@given(profiles())
def test_compress_keeps_the_pairwise_matrix_and_is_idempotent(p: Profile) -> None:
    c = p.compress()
    assert c.num_voters == p.num_voters
    assert np.array_equal(c.pairwise.support, p.pairwise.support)
    assert c.compress() == c


@given(profiles(), st.randoms(use_true_random=False))
def test_compress_does_not_depend_on_ballot_order(p: Profile, rnd: random.Random) -> None:
    perm = list(range(p.num_ballots))
    rnd.shuffle(perm)
    shuffled = Profile(p.ranks[perm], p.weights[perm], p.candidates, p.unranked)
    assert shuffled.compress() == p.compress()


def test_restrict_renumbers_tiers_and_keeps_abstentions() -> None:
    p = Profile.from_rankings([["A", "B", "C"], ["C", ("A", "B")], ["B"]], weights=[1, 2, 3])
    r = p.restrict(["C", "A"])
    assert r.candidates == ("C", "A")
    assert r.ranks.tolist() == [[1, 0], [0, 1], [U, U]]
    assert r.num_voters == 6
    with pytest.raises(InvalidProfileError, match="unknown candidate 'Z'"):
        p.restrict(["Z"])
    with pytest.raises(InvalidProfileError, match="twice"):
        p.restrict(["A", "A"])


@given(profiles(min_candidates=2))
def test_restrict_agrees_with_the_pairwise_submatrix(p: Profile) -> None:
    keep = list(p.candidates[::2])
    sub = p.restrict(keep)
    idx = [p.index(c) for c in keep]
    assert np.array_equal(sub.pairwise.support, p.pairwise.support[np.ix_(idx, idx)])


def test_add_concatenates_and_checks_compatibility() -> None:
    a = Profile.from_rankings([["A", "B"]], candidates=["A", "B"])
    b = Profile.from_rankings([["B", "A"]], candidates=["A", "B"], weights=[2])
    s = a + b
    assert s.num_voters == 3 and s.num_ballots == 2
    with pytest.raises(InvalidProfileError, match="different candidates"):
        a + Profile.from_rankings([["A", "B"]], candidates=["B", "A"])
    with pytest.raises(InvalidProfileError, match="unranked"):
        a + a.with_unranked("ignore")


@given(profiles())
def test_to_rankings_and_to_code_round_trip(p: Profile) -> None:
    back = Profile.from_rankings(
        p.to_rankings(), candidates=p.candidates, weights=p.weights, unranked=p.unranked
    )
    assert back == p
    rebuilt = eval(p.to_code(), {"Profile": Profile})
    assert rebuilt == p


def test_zero_ballots_are_allowed_but_counted_as_none() -> None:
    p = Profile(np.zeros((0, 3), dtype=np.int32), None, ["A", "B", "C"])
    assert p.num_voters == 0 and p.compress().num_ballots == 0
    assert p.pairwise.support.tolist() == [[0] * 3] * 3
    assert issubclass(EmptyProfileError, InvalidProfileError)


def test_index_and_equality() -> None:
    p = Profile.from_rankings([["A", "B"]])
    assert p.index("B") == 1 and p.index(0) == 0
    with pytest.raises(InvalidProfileError, match="out of range"):
        p.index(2)
    assert p == Profile.from_rankings([["A", "B"]])
    assert p != p.with_unranked("ignore")
    assert "2 candidates" in repr(p)
