"""Tests for bloc voting (voting.analysis.blocs) and its kernel (voting._kernels.blocs)."""

from __future__ import annotations

import csv
import math
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import voting
from tests import naive
from tests.strategies import profiles
from voting import UNRANKED, InvalidParameterError, Profile
from voting._kernels.blocs import _prefix_sets
from voting.analysis import bloc_voting, discover_blocs, groups_from_affiliation
from voting.analysis._stats import bh_qvalues, binom_log_sf, binom_sf, wilson_interval
from voting.exceptions import EmptyProfileError


def _mask_members(mask: np.ndarray[Any, Any]) -> frozenset[int]:
    return frozenset(
        64 * w + b for w in range(mask.shape[0]) for b in range(64) if int(mask[w]) >> b & 1
    )


# ------------------------------------------------------------------ kernel
@settings(max_examples=150)
@given(profiles(max_candidates=8), st.integers(0, 8))
def test_prefix_sets_match_naive(profile: Profile, max_size: int) -> None:
    masks, sizes, ballot, strict = _prefix_sets(profile.ranks, max_size)
    got: dict[int, list[tuple[frozenset[int], bool]]] = {}
    for m, s, b, st_ in zip(masks, sizes, ballot, strict, strict=True):
        members = _mask_members(m)
        assert len(members) == s
        got.setdefault(int(b), []).append((members, bool(st_)))
    for v, row in enumerate(profile.ranks.tolist()):
        want = [(s, x) for s, x in naive.top_tier_unions(row) if len(s) <= max_size]
        assert got.get(v, []) == want


def test_prefix_sets_many_words() -> None:
    c = 130
    row = np.full(c, UNRANKED, dtype=np.int64)
    row[[3, 64, 129]] = [0, 0, 1]
    row[70] = 2
    masks, sizes, _, strict = _prefix_sets(Profile.from_arrays(row[None, :]).ranks, 10)
    assert masks.shape == (3, 3)
    assert [sorted(_mask_members(m)) for m in masks] == [
        [3, 64],
        [3, 64, 129],
        [3, 64, 70, 129],
    ]
    assert sizes.tolist() == [2, 3, 4]
    assert strict.tolist() == [False, False, False]


# ------------------------------------------------------------- hand-worked
def test_hand_worked_counts_and_chance() -> None:
    # candidates sorted: a1 a2 b c
    p = Profile.from_rankings(
        [
            ["a1", "a2", "b", "c"],  # strict top: counts top and strict
            [("a1", "a2"), "c", "b"],  # tied top: counts top only
            ["b", "a1", "a2", "c"],  # b first: counts neither
            ["a2", "a1"],  # truncated, exactly the group: counts both
            ["a1", ("a2", "b")],  # a2 tied with an outsider: neither
            ["a1"],  # a2 unranked: neither
        ],
        weights=[3, 1, 2, 5, 7, 11],
    )
    g = bloc_voting(p, {"A": ["a2", "a1"]}, permutations=0)["A"]
    assert g.candidates == ("a1", "a2")
    assert g.size == 2 and g.chance_one_in == 6
    assert (g.top.count, g.strict.count) == (3 + 1 + 5, 3 + 5)
    assert g.top.share == pytest.approx(9 / 29)
    # eligible (some 2-set on top): ballots 1-4; not 5 (tiers of 1 and 2: sets of 1 and 3)
    # nor 6 (only one candidate ranked)
    assert g.top.eligible == 3 + 1 + 2 + 5
    # strict-eligible (first two tiers singletons): ballots 1, 3, 4
    assert g.strict.eligible == 3 + 2 + 5
    assert g.top.expected_count == Fraction(11, 6)
    assert g.strict.expected_count == Fraction(10, 6)
    assert g.top.lift == pytest.approx(9 / (11 / 6))
    # the p-value is the exact binomial tail
    assert g.top.p_value == pytest.approx(binom_sf(9, 11, 1 / 6))
    # permutation: which pairs are on top of >= 9 voters? only {a1, a2} (9); {a1, a2} strict 8
    assert g.top.sets_at_least == 1 and g.top.permutation_p_value == pytest.approx(1 / 6)


def test_unranked_policies_count_the_same() -> None:
    ballots: list[list[str | tuple[str, ...]]] = [
        ["a", "b"],
        ["a", ("b", "c")],
        [("a", "b"), "d"],
        ["b"],
        ["c", "a", "b"],
    ]
    last = Profile.from_rankings(ballots, candidates=list("abcd"), unranked="last")
    ignore = last.with_unranked("ignore")
    groups = {"ab": ["a", "b"], "a": ["a"], "abc": ["a", "b", "c"]}
    r1 = bloc_voting(last, groups, permutations=0)
    r2 = bloc_voting(ignore, groups, permutations=0)
    assert r1.groups == r2.groups
    assert r1["ab"].top.count == 2 and r1["ab"].strict.count == 1
    # "a > {b, c}" and "c > a > b" (d unranked): the three fill the top tiers
    assert r1["abc"].top.count == 2 and r1["abc"].strict.count == 1


def test_chance_shows_group_size() -> None:
    # strict complete ballots over 11 candidates: a pair is 1 in 55, five are 1 in 462
    rng = np.random.default_rng(1)
    names = [f"c{i}" for i in range(11)]
    ranks = np.array([rng.permutation(11) for _ in range(100)])
    p = Profile(ranks, None, names)
    r = bloc_voting(p, {"pair": names[:2], "five": names[:5]}, permutations=0)
    assert r["pair"].chance_one_in == 55 and r["five"].chance_one_in == 462
    assert r["pair"].top.expected_share == pytest.approx(1 / 55)
    assert r["five"].top.expected_share == pytest.approx(1 / 462)
    assert r["pair"].strict.expected_share == pytest.approx(1 / 55)
    text = r.to_text()
    assert "55" in text and "462" in text and "1.82%" in text and "0.22%" in text


# -------------------------------------------------------------- properties
@st.composite
def profile_and_group(draw: st.DrawFn, max_candidates: int = 6) -> tuple[Profile, list[int]]:
    p = draw(profiles(min_candidates=2, max_candidates=max_candidates, max_voters=15))
    c = p.num_candidates
    group = draw(st.lists(st.integers(0, c - 1), min_size=1, max_size=c - 1, unique=True))
    return p, group


@settings(max_examples=150)
@given(profile_and_group(max_candidates=8))
def test_counts_match_definition(pg: tuple[Profile, list[int]]) -> None:
    p, group = pg
    if p.num_voters == 0:
        return
    names = [p.candidates[i] for i in group]
    g = bloc_voting(p, {"G": names}, permutations=0)["G"]
    top = strict = 0
    for row, w in zip(p.ranks.tolist(), p.weights.tolist(), strict=True):
        t, s = naive.group_on_top(row, group)
        top += w * t
        strict += w * s
    assert (g.top.count, g.strict.count) == (top, strict)
    assert g.top.count <= g.top.eligible and g.strict.count <= g.strict.eligible
    assert g.strict.count <= g.top.count


@settings(max_examples=60)
@given(profile_and_group(max_candidates=5))
def test_expected_count_matches_brute_force_relabelling(pg: tuple[Profile, list[int]]) -> None:
    p, group = pg
    if p.num_voters == 0:
        return
    g = bloc_voting(p, {"G": [p.candidates[i] for i in group]}, permutations=0)["G"]
    want_top = want_strict = Fraction(0)
    for row, w in zip(p.ranks.tolist(), p.weights.tolist(), strict=True):
        t, s = naive.chance_on_top(row, group)
        want_top += w * t
        want_strict += w * s
    assert g.top.expected_count == want_top
    assert g.strict.expected_count == want_strict


@settings(max_examples=60)
@given(profile_and_group(max_candidates=6))
def test_permutation_p_value_matches_enumeration(pg: tuple[Profile, list[int]]) -> None:
    import itertools

    p, group = pg
    if p.num_voters == 0:
        return
    g = bloc_voting(p, {"G": [p.candidates[i] for i in group]}, permutations=0)["G"]
    k = len(group)
    sets = list(itertools.combinations(range(p.num_candidates), k))
    for stat, kind in ((g.top, 0), (g.strict, 1)):
        counts = []
        for s in sets:
            counts.append(
                sum(
                    w * naive.group_on_top(row, s)[kind]
                    for row, w in zip(p.ranks.tolist(), p.weights.tolist(), strict=True)
                )
            )
        assert stat.sets_at_least == sum(x >= stat.count for x in counts)
        assert stat.permutation_p_value == pytest.approx(stat.sets_at_least / len(sets))


def test_joint_permutation_test_is_seeded_and_matches_exact_for_one_group() -> None:
    p = voting.read_ballots(
        Path(__file__).resolve().parent.parent / "voting" / "data" / "kubernetes-steering-2023.csv",
        format="civs",
    )
    groups = {"RH": ["soltysh", "vincepri"]}
    a = bloc_voting(p, groups, permutations=4000, seed=7)
    b = bloc_voting(p, groups, permutations=4000, seed=np.random.default_rng(7))
    c = bloc_voting(p, groups, permutations=4000, seed=7)
    assert a.permutation_test == c.permutation_test
    assert a.permutation_test is not None and b.permutation_test is not None
    assert a.permutation_test.statistic == a["RH"].top.count
    # with one group the joint test estimates the exact per-group permutation p-value
    exact = a["RH"].top.permutation_p_value
    assert abs(a.permutation_test.p_value - exact) < 0.02
    # the null mean of a uniformly random pair: (all voters with some pair on top) / 55
    assert a.permutation_test.null_mean == pytest.approx(float(a["RH"].top.expected_count), rel=0.1)


# --------------------------------------------------------------- discovery
def test_discover_hand_worked() -> None:
    p = Profile.from_rankings([["a", "b", "c", "d"]] * 5 + [["c", "d", "a", "b"]])
    d = discover_blocs(p, max_size=2, top=5)
    assert d.sizes == (2,) and d.tests == 6
    first = d.blocs[0]
    assert first.candidates == ("a", "b") and first.count == 5
    assert first.expected_count == Fraction(6, 6)
    assert first.p_value == pytest.approx(binom_sf(5, 6, 1 / 6))
    assert first.p_adjusted == pytest.approx(min(1.0, first.p_value * 6))
    assert [b.candidates for b in d.blocs] == [("a", "b"), ("c", "d")]


@settings(max_examples=60)
@given(profiles(min_candidates=3, max_candidates=7, max_voters=20))
def test_discover_counts_and_order(p: Profile) -> None:
    if p.num_voters == 0:
        return
    d = discover_blocs(p, min_size=2, max_size=3, top=100)
    want: Counter[frozenset[int]] = Counter()
    for row, w in zip(p.ranks.tolist(), p.weights.tolist(), strict=True):
        for s, _ in naive.top_tier_unions(row):
            if 2 <= len(s) <= min(3, p.num_candidates - 1):
                want[s] += w
    got = {frozenset(p.candidates.index(c) for c in b.candidates): b.count for b in d.blocs}
    assert got == dict(want)
    logs = [b.log10_p_value for b in d.blocs]
    assert logs == sorted(logs)
    for b in d.blocs:
        assert b.p_value <= b.q_value + 1e-12 <= b.p_adjusted + 2e-12


def test_discover_kubernetes_finds_pairs() -> None:
    p = voting.read_ballots(
        Path(__file__).resolve().parent.parent / "voting" / "data" / "kubernetes-steering-2023.csv",
        format="civs",
    )
    d = discover_blocs(p, max_size=4, top=5)
    assert d.tests == math.comb(11, 2) + math.comb(11, 3) + math.comb(11, 4)
    assert d.blocs[0].candidates == ("soltysh", "pohly") and d.blocs[0].count == 20
    assert "soltysh + pohly" in d.to_text()


# ------------------------------------------------------------------ errors
def test_errors() -> None:
    p = Profile.from_rankings([["a", "b", "c"]])
    with pytest.raises(InvalidParameterError, match="unknown candidate 'zed'"):
        bloc_voting(p, {"X": ["a", "zed"]})
    with pytest.raises(InvalidParameterError, match="all 3 candidates"):
        bloc_voting(p, {"X": ["a", "b", "c"]})
    with pytest.raises(InvalidParameterError, match="no candidates"):
        bloc_voting(p, {"X": []})
    with pytest.raises(InvalidParameterError, match="twice"):
        bloc_voting(p, {"X": ["a", "a"]})
    with pytest.raises(InvalidParameterError, match="string"):
        bloc_voting(p, {"X": "a"})
    with pytest.raises(InvalidParameterError, match="empty"):
        bloc_voting(p, {})
    with pytest.raises(InvalidParameterError, match="permutations"):
        bloc_voting(p, {"X": ["a"]}, permutations=-1)
    with pytest.raises(InvalidParameterError, match="seed"):
        bloc_voting(p, {"X": ["a"]}, seed="x")  # type: ignore[arg-type]  # deliberately not a seed
    with pytest.raises(InvalidParameterError, match="Profile"):
        bloc_voting([["a"]], {"X": ["a"]})  # type: ignore[arg-type]  # deliberately not a Profile
    with pytest.raises(EmptyProfileError):
        bloc_voting(Profile(np.zeros((0, 3), dtype=np.int32), None, list("abc")), {"X": ["a"]})
    with pytest.raises(InvalidParameterError, match="min_size"):
        discover_blocs(p, min_size=3, max_size=2)


def test_overlapping_groups_allowed() -> None:
    p = Profile.from_rankings([["a", "b", "c", "d"], ["a", "c", "b", "d"]])
    r = bloc_voting(p, {"a": ["a"], "ab": ["a", "b"], "abc": ["a", "b", "c"]}, permutations=50)
    assert [g.top.count for g in r.groups] == [2, 1, 2]
    assert r.permutation_test is not None and r.permutation_test.statistic == 5


def test_groups_from_affiliation() -> None:
    assert groups_from_affiliation({"x": "A", "y": "B", "z": "A"}) == {
        "A": ("x", "z"),
        "B": ("y",),
    }


# -------------------------------------------------------------- statistics
@pytest.mark.parametrize("n", [0, 1, 7, 30])
@pytest.mark.parametrize("q", [0.01, 1 / 6, 0.5, 0.93])
def test_binom_sf_exact(n: int, q: float) -> None:
    qf = Fraction(q)
    for x in range(-1, n + 2):
        want = sum(math.comb(n, j) * qf**j * (1 - qf) ** (n - j) for j in range(max(x, 0), n + 1))
        assert binom_sf(x, n, q) == pytest.approx(float(want), rel=1e-9, abs=1e-300)


def test_binom_sf_far_tail_and_scipy() -> None:
    # far tails stay finite in log space
    assert binom_log_sf(5000, 10000, 0.01) < -5000
    scipy_stats = pytest.importorskip("scipy.stats")
    for x, n, q in [(20, 190, 1 / 55), (400, 10**6, 1 / 3000), (3, 10**5, 1e-6)]:
        assert binom_sf(x, n, q) == pytest.approx(scipy_stats.binom.sf(x - 1, n, q), rel=1e-8)


def test_wilson_and_bh() -> None:
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and 0.2 < hi < 0.35  # 0.2775 for z = 1.96
    lo, hi = wilson_interval(81, 263)
    assert lo == pytest.approx(0.2553, abs=1e-3) and hi == pytest.approx(0.3662, abs=1e-3)
    assert bh_qvalues([0.01, 0.04, 0.03], 3) == pytest.approx([0.03, 0.04, 0.04])
    assert bh_qvalues([0.01], 100) == pytest.approx([1.0])


# --------------------------------------------------------------- real data
def _raw_rows(path: Path) -> tuple[list[str], list[list[int]]]:
    """The ballot rows read with the csv module (independently of voting.read_ballots)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = [h.strip() for h in rows[0]]
    out = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        out.append(
            [UNRANKED if cell.strip() in ("", "No opinion") else int(cell.strip()) for cell in row]
        )
    return header, out


def _affiliated(index: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        e
        for e in index
        if e.get("affiliation")
        and ("kubernetes" in e["ballots_file"] or "knative" in e["ballots_file"])
    ]


def test_real_elections_bloc_counts(
    elections_dir: Path, elections_index: list[dict[str, Any]]
) -> None:
    entries = _affiliated(elections_index)
    assert len(entries) >= 10  # Kubernetes 2017-2025 and Knative 2021
    for e in entries:
        path = elections_dir / e["ballots_file"]
        header, rows = _raw_rows(path)
        profile = voting.read_ballots(path, format="civs")
        assert profile.num_voters == len(rows) == e["n_ballots"]
        groups = groups_from_affiliation(e["affiliation"])
        report = bloc_voting(profile, groups, permutations=0)
        for name, members in groups.items():
            idx = [header.index(m) for m in members]
            top = sum(naive.group_on_top(r, idx)[0] for r in rows)
            strict = sum(naive.group_on_top(r, idx)[1] for r in rows)
            got = report[name]
            assert (got.top.count, got.strict.count) == (top, strict), (e["election"], name)


def test_kubernetes_2023_figures(elections_dir: Path) -> None:
    """The figures quoted in docs/analysis.md."""
    p = voting.read_ballots(elections_dir / "kubernetes/2023/ballots.csv", format="civs")
    r = bloc_voting(
        p,
        {"Cisco": ["detiber", "justaugustus", "natalisucks"], "Red Hat": ["soltysh", "vincepri"]},
        permutations=0,
    )
    assert (r["Red Hat"].top.count, r["Red Hat"].strict.count) == (12, 10)
    assert (r["Cisco"].top.count, r["Cisco"].strict.count) == (4, 4)
    assert r["Red Hat"].chance_one_in == 55 and r["Cisco"].chance_one_in == 165


def test_many_candidates_use_several_words() -> None:
    rng = np.random.default_rng(3)
    c = 70
    ranks = rng.integers(0, 4, size=(300, c))
    ranks[rng.random((300, c)) < 0.5] = UNRANKED
    # a bloc across the word boundary (candidates 62..65) on top of 40 ballots
    ranks[:40, 62:66] = -1
    ranks = np.where(ranks == -1, 0, np.where(ranks == UNRANKED, UNRANKED, ranks + 1))
    p = Profile(ranks, rng.integers(1, 3, 300), [f"c{i}" for i in range(c)])
    groups = {"cross": [f"c{i}" for i in range(62, 66)], "low": ["c0", "c1"]}
    r = bloc_voting(p, groups, permutations=200)
    for name, members in groups.items():
        idx = [p.candidates.index(m) for m in members]
        top = sum(
            w * naive.group_on_top(row, idx)[0]
            for row, w in zip(p.ranks.tolist(), p.weights.tolist(), strict=True)
        )
        assert r[name].top.count == top
    assert r["cross"].top.count >= 40
    d = discover_blocs(p, min_size=4, max_size=4, top=1)
    assert d.blocs[0].candidates == ("c62", "c63", "c64", "c65")
