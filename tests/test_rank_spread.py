"""Tests for rank spread (voting.analysis.spread) and its kernel (voting._kernels.spread)."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

import voting
from tests import naive
from tests.strategies import profiles
from voting import InvalidParameterError, Profile
from voting._kernels.spread import _position_counts
from voting.analysis import rank_spread
from voting.results import Result


@settings(max_examples=150)
@given(profiles(max_candidates=8))
def test_kernel_matches_naive(p: Profile) -> None:
    got = _position_counts(p.ranks, p.weights, p.unranked == "ignore")
    c = p.num_candidates
    want = naive.position_counts(p.ranks.tolist(), p.weights.tolist(), p.unranked, c)
    assert got.shape == (c, 2 * c - 1)
    for i in range(c):
        as_dict = {Fraction(h + 2, 2): int(got[i, h]) for h in np.flatnonzero(got[i])}
        assert as_dict == want[i]


def test_seed_chart_example() -> None:
    # a tier of three right after the first holds positions 2-4: each gets 3.0
    p = Profile.from_rankings([["A", ("B", "C", "D"), "E"]])
    s = rank_spread(p)
    assert s.distribution("A") == {1.0: 1}
    assert s.distribution("B") == s.distribution("C") == s.distribution("D") == {3.0: 1}
    assert s.distribution("E") == {5.0: 1}


def test_unranked_policies() -> None:
    ballots = [["A", "B"], ["B"]]
    last = Profile.from_rankings(ballots, candidates=["A", "B", "C", "D"], weights=[2, 3])
    s = rank_spread(last)
    # ballot 1: C, D share positions 3-4; ballot 2: A, C, D share 2-4
    assert s.distribution("C") == {3.5: 2, 3.0: 3}
    assert s.distribution("A") == {1.0: 2, 3.0: 3}
    assert s.counted.tolist() == [5, 5, 5, 5]
    ign = rank_spread(last.with_unranked("ignore"))
    assert ign.distribution("A") == {1.0: 2}
    assert ign.distribution("C") == {}
    assert ign.counted.tolist() == [2, 5, 0, 0]
    assert math.isnan(ign.mean[2]) and math.isnan(ign.consensus[2])
    assert ign.order[-2:] == ("C", "D")  # never positioned: last
    assert "-" in ign.to_text()


def test_statistics_and_consensus() -> None:
    # unanimous: consensus 1; half first, half last: consensus 0
    p = Profile.from_rankings([["A", "B", "C"]] * 4 + [["C", "B", "A"]] * 4)
    s = rank_spread(p)
    i = {c: k for k, c in enumerate(s.candidates)}
    assert s.consensus[i["B"]] == pytest.approx(1.0)
    assert s.consensus[i["A"]] == pytest.approx(0.0)
    assert s.mean[i["A"]] == pytest.approx(2.0) and s.std[i["A"]] == pytest.approx(1.0)
    # Tastle-Wierman by hand: positions 1 (p=3/4) and 2 (p=1/4), C = 3 (width 2)
    q = Profile.from_rankings([["A", "B", "C"]] * 3 + [["B", "A", "C"]])
    t = rank_spread(q)
    mu = 1.25
    want = 1 + 0.75 * math.log2(1 - abs(1 - mu) / 2) + 0.25 * math.log2(1 - abs(2 - mu) / 2)
    assert t.consensus[0] == pytest.approx(want)
    assert t.consensus.min() >= 0.0 and t.consensus.max() <= 1.0
    assert t.counts.flags.writeable is False


@settings(max_examples=80)
@given(profiles(min_candidates=1, max_candidates=6))
def test_consensus_in_unit_interval_and_counts_sum(p: Profile) -> None:
    if p.num_voters == 0:
        return
    s = rank_spread(p)
    ok = ~np.isnan(s.consensus)
    assert ((s.consensus[ok] >= 0) & (s.consensus[ok] <= 1)).all()
    if p.unranked == "last":
        assert (s.counted == p.num_voters).all()
    assert sorted(s.order) == sorted(p.candidates)


def test_order_from_names_and_result() -> None:
    p = Profile.from_rankings([["A", "B", "C"], ["B", "A", "C"], ["A", "C", "B"]])
    assert rank_spread(p).order == ("A", "B", "C")
    assert rank_spread(p, order=["C"]).order == ("C", "A", "B")
    result: Result[None] = Result(
        method="toy",
        candidates=("A", "B", "C"),
        ranking=(("B",), ("A", "C")),
        seats=1,
        winners=("B",),
        elected=("B",),
        explanation=None,
    )
    assert rank_spread(p, order=result).order == ("B", "A", "C")
    with pytest.raises(InvalidParameterError, match="unknown candidate 'Z'"):
        rank_spread(p, order=["Z"])
    with pytest.raises(InvalidParameterError, match="twice"):
        rank_spread(p, order=["A", "A"])
    with pytest.raises(InvalidParameterError, match="string"):
        rank_spread(p, order="ABC")


def test_kubernetes_2023() -> None:
    path = Path(__file__).resolve().parent.parent / "voting" / "data"
    p = voting.read_ballots(path / "kubernetes-steering-2023.csv", format="civs")
    s = rank_spread(p)
    assert s.order[0] == "soltysh"
    assert int(s.counts.sum()) == int(s.counted.sum())
    assert (s.counted <= 209).all()
    text = s.to_text()
    assert text.splitlines()[2].startswith("soltysh")
