"""Kemeny-Young: the subset DP against brute force and a plain-Python DP, and criteria."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import profiles
from voting import Kemeny, PairwiseMatrix, Profile, UnsupportedProfileError
from voting._kernels.kemeny import _kemeny_dp, _kemeny_enumerate, _kemeny_structure
from voting.methods import kemeny as kemeny_module

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None)


# ----------------------------------------------------------------- references
def brute_force(support: np.ndarray) -> tuple[int, list[tuple[int, ...]]]:
    """Best agreement and every optimal ranking, by enumerating permutations."""
    c = support.shape[0]
    best = -1
    optimal: list[tuple[int, ...]] = []
    for perm in itertools.permutations(range(c)):
        score = sum(int(support[a, b]) for i, a in enumerate(perm) for b in perm[i + 1 :])
        if score > best:
            best, optimal = score, [perm]
        elif score == best:
            optimal.append(perm)
    return best, sorted(optimal)


def plain_dp(support: np.ndarray) -> tuple[list[int], list[int]]:
    """The same recurrence as the kernel, in plain Python (no numba, no tricks)."""
    c = support.shape[0]
    best = [0] * (1 << c)
    count = [1] + [0] * ((1 << c) - 1)
    for s in range(1, 1 << c):
        members = [x for x in range(c) if s >> x & 1]
        top, cnt = None, 0
        for x in members:
            prev = s & ~(1 << x)
            v = best[prev] + sum(int(support[y, x]) for y in members if y != x)
            if top is None or v > top:
                top, cnt = v, count[prev]
            elif v == top:
                cnt += count[prev]
        assert top is not None
        best[s], count[s] = top, cnt
    return best, count


def support_of(p: Profile) -> np.ndarray:
    s = np.array(p.pairwise.support, dtype=np.int64)
    np.fill_diagonal(s, 0)
    return s


support_matrices = st.integers(1, 7).flatmap(
    lambda c: st.lists(st.integers(0, 6), min_size=c * c, max_size=c * c).map(
        lambda xs: np.array(xs, dtype=np.int64).reshape(c, c) * (1 - np.eye(c, dtype=np.int64))
    )
)


# ------------------------------------------------------------------- kernels
@SETTINGS
@given(support_matrices)
def test_kernel_matches_plain_python_dp(support: np.ndarray) -> None:
    best, count = _kemeny_dp(np.ascontiguousarray(support))
    ref_best, ref_count = plain_dp(support)
    assert best.tolist() == ref_best
    assert count.tolist() == ref_count


@SETTINGS
@given(profiles(min_candidates=1, max_candidates=7, max_voters=12))
def test_kernel_matches_plain_python_dp_on_profiles(p: Profile) -> None:
    """Profiles with ties, truncation, weights and both unranked policies."""
    s = support_of(p)
    best, count = _kemeny_dp(s)
    ref_best, ref_count = plain_dp(s)
    assert best.tolist() == ref_best
    assert count.tolist() == ref_count


@SETTINGS
@given(profiles(min_candidates=1, max_candidates=6, max_voters=12))
def test_matches_brute_force(p: Profile) -> None:
    if p.num_voters == 0:
        return
    s = support_of(p)
    score, optimal = brute_force(s)
    r = Kemeny(max_listed=1000).run(p)
    e = r.explanation
    r.check(p)
    names = p.candidates
    assert e.agreement == score
    assert e.disagreement == int(s.sum()) - score
    assert e.num_optimal == len(optimal)
    assert e.complete
    assert e.optimal_rankings == tuple(tuple(names[x] for x in perm) for perm in optimal)
    firsts = {perm[0] for perm in optimal}
    assert set(r.winners) == {names[x] for x in firsts}
    assert set(e.first) == set(r.winners)
    for a, b in itertools.permutations(range(len(names)), 2):
        always = all(perm.index(a) < perm.index(b) for perm in optimal)
        assert bool(e.always_above[a, b]) == always
    # the ranking is consistent with every optimal ranking's agreed pairs
    tier_of = {c: i for i, tier in enumerate(r.ranking) for c in tier}
    for a, b in itertools.permutations(range(len(names)), 2):
        if tier_of[names[a]] < tier_of[names[b]]:
            assert not all(perm.index(b) < perm.index(a) for perm in optimal)
    for ranking in e.optimal_rankings:
        assert e.score(ranking) == score


@SETTINGS
@given(support_matrices)
def test_enumeration_is_exhaustive_and_structure_matches(support: np.ndarray) -> None:
    s = np.ascontiguousarray(support)
    best, _count = _kemeny_dp(s)
    _, optimal = brute_force(s)
    rows = _kemeny_enumerate(s, best, 10_000)
    assert sorted(tuple(int(x) for x in row) for row in rows) == optimal
    reach, above = _kemeny_structure(s, best)
    c = s.shape[0]
    prefixes = {sum(1 << x for x in perm[:k]) for perm in optimal for k in range(c + 1)}
    assert {m for m in range(1 << c) if reach[m]} == prefixes
    for a, b in itertools.permutations(range(c), 2):
        assert bool(above[a, b]) == any(perm.index(a) < perm.index(b) for perm in optimal)


# ------------------------------------------------------------------ criteria
@SETTINGS
@given(profiles(min_candidates=2, max_candidates=7, max_voters=15))
def test_condorcet_smith_and_reversal(p: Profile) -> None:
    if p.num_voters == 0:
        return
    r = Kemeny(max_listed=10_000).run(p)
    e = r.explanation
    pm = p.pairwise
    assert e.complete
    cw = pm.condorcet_winner()
    if cw is not None:
        assert r.winners == (cw,)
        assert all(ranking[0] == cw for ranking in e.optimal_rankings)
    cl = pm.condorcet_loser()
    if cl is not None:
        assert all(ranking[-1] == cl for ranking in e.optimal_rankings)
    smith = pm.smith_set()
    k = len(smith)
    assert all(set(ranking[:k]) == smith for ranking in e.optimal_rankings)
    assert set(r.winners) <= smith
    # reversing every ballot reverses every optimal ranking
    reversed_pm = PairwiseMatrix(pm.candidates, np.ascontiguousarray(pm.support.T))
    rr = Kemeny(max_listed=10_000).run_pairwise(reversed_pm)
    assert rr.explanation.num_optimal == e.num_optimal
    assert set(rr.explanation.optimal_rankings) == {x[::-1] for x in e.optimal_rankings}
    if len(r.winners) == 1 and len(p.candidates) > 1:
        assert rr.winners != r.winners


# ----------------------------------------------------------------- examples
def test_cycle_reports_every_optimal_ranking() -> None:
    p = Profile.from_rankings([["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]])
    r = Kemeny().run(p)
    assert r.winners == ("A", "B", "C")
    assert r.ranking == (("A", "B", "C"),)
    assert r.explanation.optimal_rankings == (
        ("A", "B", "C"),
        ("B", "C", "A"),
        ("C", "A", "B"),
    )
    assert r.tie_broken


def test_many_optimal_rankings_are_counted_and_listed_partially() -> None:
    pm = PairwiseMatrix(tuple("ABCDEFGH"), np.zeros((8, 8), dtype=np.int64))
    e = Kemeny(max_listed=5).run_pairwise(pm).explanation
    assert e.num_optimal == 40320
    assert len(e.optimal_rankings) == 5
    assert not e.complete
    assert "40320 optimal rankings" in str(e)


def test_twenty_candidates_within_ten_seconds() -> None:
    rng = np.random.default_rng(20)
    s = rng.integers(0, 1000, size=(20, 20)).astype(np.int64)
    np.fill_diagonal(s, 0)
    pm = PairwiseMatrix(tuple(f"c{i}" for i in range(20)), s)
    Kemeny().run_pairwise(PairwiseMatrix(tuple("ABC"), np.zeros((3, 3), dtype=np.int64)))
    t = time.perf_counter()
    r = Kemeny().run_pairwise(pm)
    assert time.perf_counter() - t < 10
    assert r.explanation.num_optimal >= 1
    assert r.explanation.score(r.explanation.optimal_rankings[0]) == r.explanation.agreement


def test_too_many_candidates_is_refused_with_the_estimate() -> None:
    c = kemeny_module.MAX_CANDIDATES + 1
    names = [f"c{i}" for i in range(c)]
    p = Profile.from_rankings([names], candidates=names)
    with pytest.raises(UnsupportedProfileError, match=rf"2\^{c} = .*GiB.* s\."):
        Kemeny().run(p)


def test_parameters_are_validated() -> None:
    with pytest.raises(ValueError, match="max_listed"):
        Kemeny(max_listed=0)
    with pytest.raises(TypeError, match="tie_break"):
        Kemeny(tie_break="lexicographic")  # type: ignore[arg-type]  # deliberately not a TieBreak
