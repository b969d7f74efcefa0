"""Tests for the head-to-head table (voting.analysis.head_to_head)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from tests.strategies import profiles
from voting import InvalidParameterError, Profile
from voting.analysis import head_to_head_table
from voting.testing._reference import pairwise_support


def test_hand_worked() -> None:
    # under "last", the voters of "B = C" rank A (unranked) below both
    p = Profile.from_rankings(
        [["A", "B", "C"], ["B", "C", "A"], ["A", "C", "B"], [("B", "C")]], weights=[154, 40, 36, 5]
    )
    t = head_to_head_table(p)
    assert t.order == ("A", "B", "C")
    lines = [str(c) for c in t.contests]
    assert lines == ["A defeats B 190-45", "A defeats C 190-45", "B defeats C 194-36"]
    # under "ignore" they make no comparison with A
    t = head_to_head_table(p.with_unranked("ignore"))
    assert [str(c) for c in t.contests][:2] == ["A defeats B 190-40", "A defeats C 190-40"]


def test_seed_sentence() -> None:
    p = Profile.from_rankings([["A", "B"], ["B", "A"]], weights=[154, 76])
    t = head_to_head_table(p)
    c = t.contest("B", "A")
    assert str(c) == "A defeats B 154-76"
    assert (c.winner, c.loser, c.for_winner, c.for_loser, c.margin) == ("A", "B", 154, 76, 78)
    assert t.records() == [
        {
            "winner": "A",
            "loser": "B",
            "for_winner": 154,
            "for_loser": 76,
            "margin": 78,
            "tied": False,
        }
    ]
    text = t.to_text()
    assert "154-76" in text and "76-154" in text and "A defeats B 154-76" in text
    assert t.to_markdown().splitlines()[2] == "| 1. A | - | 154-76 |"


def test_ties_and_order() -> None:
    p = Profile.from_rankings([["A", "B"], ["B", "A"], ["C"]])
    t = head_to_head_table(p, order=["B"])
    assert t.order == ("B", "A", "C")
    assert str(t.contests[0]) == "B ties A 1-1"
    assert t.contests[0].tied and t.contests[0].margin == 0
    assert t.margins.tolist()[0][0] == 0
    with pytest.raises(InvalidParameterError, match="unknown candidate"):
        head_to_head_table(p, order=["Q"])
    with pytest.raises(KeyError):
        t.contest("A", "A")


@settings(max_examples=100)
@given(profiles(min_candidates=1, max_candidates=6))
def test_matches_pairwise(p: Profile) -> None:
    t = head_to_head_table(p)
    want = pairwise_support(p)
    n = p.num_candidates
    assert len(t.contests) == n * (n - 1) // 2
    for c in t.contests:
        i, j = p.candidates.index(c.winner), p.candidates.index(c.loser)
        assert (c.for_winner, c.for_loser) == (want[i][j], want[j][i])
        assert c.for_winner >= c.for_loser
    perm = [p.candidates.index(x) for x in t.order]
    assert t.support.tolist() == [[want[a][b] for b in perm] for a in perm]
    # default order: Copeland score, non-increasing
    beats = [[want[a][b] > want[b][a] for b in range(n)] for a in range(n)]
    score = [sum(beats[a]) - sum(beats[b][a] for b in range(n)) for a in range(n)]
    ordered = [score[p.candidates.index(x)] for x in t.order]
    assert ordered == sorted(ordered, reverse=True)
