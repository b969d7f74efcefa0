"""Tests for tie-breaking sensitivity (voting.analysis.sensitivity), with toy methods."""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import voting
from tests import naive
from tests.strategies import profiles
from voting import (
    STV,
    UNRANKED,
    InvalidParameterError,
    Profile,
    Schulze,
    UnsupportedProfileError,
    _progress,
)
from voting._kernels.ties import _resolve_ties
from voting.analysis import tie_sensitivity
from voting.analysis._resolve import Resolver, joint_count
from voting.methods._base import MethodTags
from voting.results import Result, committee_from_ranking
from voting.ties import CandidateOrder


def _tiers_by_score(score: list[float]) -> list[list[int]]:
    levels = sorted(set(score), reverse=True)
    return [[i for i, s in enumerate(score) if s == lv] for lv in levels]


@dataclass(frozen=True, kw_only=True)
class FirstChoice:
    """Toy plurality: most first choices wins; refuses ballots that tie their first choice."""

    name: ClassVar[str] = "first_choice"
    seats: int = 1

    def tags(self) -> MethodTags:
        return MethodTags(kind="single_winner", supports_ties=False)

    def run(self, profile: Profile, /) -> Result[None]:
        score = [0.0] * profile.num_candidates
        for row, w in zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True):
            top = [c for c, r in enumerate(row) if r == 0]
            if len(top) > 1:
                raise UnsupportedProfileError("first_choice needs a single first choice")
            if top:
                score[top[0]] += w
        return committee_from_ranking(
            self.name,
            profile.candidates,
            _tiers_by_score(score),
            self.seats,
            CandidateOrder(),
            None,
        )


@dataclass(frozen=True, kw_only=True)
class Borda:
    """Toy Borda committee: C - position points, tied candidates share the average."""

    name: ClassVar[str] = "toy_borda"
    seats: int = 2

    def tags(self) -> MethodTags:
        return MethodTags(kind="committee")

    def run(self, profile: Profile, /) -> Result[None]:
        c = profile.num_candidates
        score = [0.0] * c
        for row, w in zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True):
            for cand in range(c):
                r = row[cand]
                if r == UNRANKED:
                    continue
                above = sum(1 for x in row if x < r)
                size = sum(1 for x in row if x == r)
                score[cand] += w * (c - (above + (size + 1) / 2))
        return committee_from_ranking(
            self.name,
            profile.candidates,
            _tiers_by_score(score),
            self.seats,
            CandidateOrder(),
            None,
        )


def _brute_force(method: Any, p: Profile) -> dict[tuple[str, ...], Fraction]:
    out: dict[tuple[str, ...], Fraction] = defaultdict(Fraction)
    for rows, prob in naive.resolutions_per_voter(p.ranks.tolist(), p.weights.tolist()):
        resolved = Profile(np.array(rows).reshape(len(rows), -1), None, p.candidates, p.unranked)
        elected = method.run(resolved).elected
        key = tuple(c for c in p.candidates if c in elected)
        out[key] += prob
    return dict(out)


# ------------------------------------------------------------------ exact
@settings(max_examples=60)
@given(profiles(min_candidates=2, max_candidates=4, max_voters=3, max_weight=2))
def test_exact_matches_per_voter_brute_force(p: Profile) -> None:
    assume(p.num_voters > 0)
    n_assign = 1
    for row, w in zip(p.ranks.tolist(), p.weights.tolist(), strict=True):
        sizes: dict[int, int] = {}
        for r in row:
            if r != UNRANKED:
                sizes[r] = sizes.get(r, 0) + 1
        for s in sizes.values():
            for k in range(2, s + 1):
                n_assign *= k**w
    assume(n_assign <= 3000)
    for method in (FirstChoice(), Borda(seats=min(2, p.num_candidates))):
        report = tie_sensitivity(method, p, exact=True, max_exact=10_000)
        assert report.exact
        want = _brute_force(method, p)
        got = {o.elected: o.exact for o in report.outcomes}
        assert got == want
        assert sum(o.exact for o in report.outcomes if o.exact is not None) == 1
        for ch in report.chances:
            assert ch.exact == sum(
                (pr for el, pr in want.items() if ch.candidate in el), Fraction(0)
            )
            assert ch.low == ch.high == ch.probability


def test_exact_hand_worked() -> None:
    # one voter ties A and B on top; the other two split: a coin flip decides
    p = Profile.from_rankings([[("A", "B"), "C"], ["A", "C", "B"], ["B", "A", "C"]])
    r = tie_sensitivity(FirstChoice(), p)
    assert r.exact and r.runs == 2 and r.tied_voters == 1
    assert r.probability("A") == r.probability("B") == 0.5
    assert r.as_cast is None  # FirstChoice refuses the tied ballot
    assert [o.elected for o in r.outcomes] == [("A",), ("B",)]
    assert r.log10_resolutions == pytest.approx(np.log10(2))
    assert "exact over 2 joint resolutions" in r.to_text()
    # the same ballot cast by 3 voters: 4 distinguishable splits (3-0, 2-1, 1-2, 0-3)
    p3 = Profile.from_rankings([[("A", "B"), "C"], ["C"]], weights=[3, 2])
    r3 = tie_sensitivity(FirstChoice(), p3)
    assert r3.runs == 4
    # splits 3-0 and 2-1 elect A (2-1 ties A with C: lexicographic order picks A), with
    # probability 1/8 + 3/8; 1-2 and 0-3 elect B likewise
    assert {ch.candidate: ch.exact for ch in r3.chances} == {
        "A": Fraction(1, 2),
        "B": Fraction(1, 2),
        "C": Fraction(0),
    }
    assert r3.method_tie_breaks == 2  # the 2-1 and 1-2 splits


def test_no_ties_is_one_exact_run() -> None:
    p = Profile.from_rankings([["A", "B"], ["B", "A"], ["A"]])
    r = tie_sensitivity(Borda(seats=1), p)
    assert r.exact and r.runs == 1 and r.tied_voters == 0 and r.log10_resolutions == 0
    assert r.as_cast == ("A",) and r.probability("A") == 1.0


def testjoint_count() -> None:
    p = Profile.from_rankings([[("A", "B", "C")], [("A", "B"), "C"]], weights=[2, 3])
    # binom(2 + 6 - 1, 2) * binom(3 + 2 - 1, 3) = 21 * 4
    j, log10 = joint_count(p.compress(), 10**6)
    assert j == 84 and log10 == pytest.approx(np.log10(84))
    assert joint_count(p.compress(), 50)[0] is None


# ---------------------------------------------------------------- sampling
@settings(max_examples=150)
@given(profiles(max_candidates=7), st.integers(0, 2**32 - 1), st.booleans())
def test_resolve_ties_kernel_matches_naive(p: Profile, seed: int, coarse: bool) -> None:
    rng = np.random.default_rng(seed)
    keys = rng.random(p.ranks.shape)
    if coarse:  # equal keys: ties broken by candidate index
        keys = np.round(keys)
    got = _resolve_ties(p.ranks, keys)
    for v, row in enumerate(p.ranks.tolist()):
        assert got[v].tolist() == naive.resolve_ties(row, keys[v].tolist())


def _consistent(original: list[int], resolved: list[int]) -> bool:
    """``resolved`` is strict on the ranked candidates and keeps ``original``'s tier order."""
    ranked = [c for c, r in enumerate(original) if r != UNRANKED]
    if any((resolved[c] == UNRANKED) != (original[c] == UNRANKED) for c in range(len(original))):
        return False
    if sorted(resolved[c] for c in ranked) != list(range(len(ranked))):
        return False
    return all(
        resolved[a] < resolved[b] for a in ranked for b in ranked if original[a] < original[b]
    )


@pytest.mark.parametrize(
    ("ballot", "weight"),
    [
        ([("A", "B", "C"), "D"], 600),  # 6 orders, many voters: multinomial split
        ([("A", "B", "C"), "D"], 3),  # fewer voters than orders: one by one
        ([("A", "B", "C", "D", "E", "F", "G")], 50),  # 5040 orders: one by one
        (["A", ("B", "C")], 1),
    ],
)
def test_resolver_respects_tiers_and_weights(ballot: list[Any], weight: int) -> None:
    cands = ["A", "B", "C", "D", "E", "F", "G", "H"]
    p = Profile.from_rankings([ballot, ["H", "A"]], candidates=cands, weights=[weight, 4])
    resolver = Resolver.build(p.compress())
    rng = np.random.default_rng(0)
    seen: dict[tuple[int, ...], int] = defaultdict(int)
    for _ in range(20):
        q = resolver.sample(rng)
        assert q.num_voters == weight + 4
        assert q.unranked == p.unranked and q.candidates == p.candidates
        for row, w in zip(q.ranks.tolist(), q.weights.tolist(), strict=True):
            if row[cands.index("H")] == 0:
                assert w == 4
                continue
            assert _consistent(p.ranks[0].tolist(), row)
            seen[tuple(row)] += w
    if weight == 600:
        assert len(seen) == 6
        # 20 samples x 600 voters over 6 orders: 2000 each on average
        assert all(1700 < n < 2300 for n in seen.values())


def test_sampling_agrees_with_exact() -> None:
    p = Profile.from_rankings(
        [[("A", "B"), "C"], [("B", "C"), "A"], ["C", "A", "B"], ["A", ("B", "C")]],
        weights=[2, 2, 1, 1],
    )
    exact = tie_sensitivity(FirstChoice(), p)
    assert exact.exact
    sampled = tie_sensitivity(
        FirstChoice(), p, exact=False, samples=2000, seed=11, confidence=0.999
    )
    assert not sampled.exact and sampled.runs == 2000
    for ch in sampled.chances:
        truth = float(next(e for e in exact.chances if e.candidate == ch.candidate).exact or 0)
        assert ch.low <= truth <= ch.high, ch


def test_same_seed_same_report_and_workers() -> None:
    p = Profile.from_rankings(
        [[("A", "B", "C"), "D"], [("B", "D"), "A"], ["C", ("A", "D")], ["D"]],
        weights=[5, 4, 3, 3],
    )
    a = tie_sensitivity(Borda(), p, samples=100, seed=5)
    b = tie_sensitivity(Borda(), p, samples=100, seed=5)
    assert a == b
    assert a.seed == 5 and not a.exact and a.runs == 100
    c = tie_sensitivity(Borda(), p, samples=100, seed=np.random.SeedSequence(5))
    assert c.outcomes == a.outcomes
    g1 = tie_sensitivity(Borda(), p, samples=100, seed=np.random.default_rng(9))
    g2 = tie_sensitivity(Borda(), p, samples=100, seed=np.random.default_rng(9))
    assert g1 == g2 and g1.seed is None
    par = tie_sensitivity(Borda(), p, samples=100, seed=5, workers=2)
    assert par == a
    other = tie_sensitivity(Borda(), p, samples=100, seed=6)
    assert other.outcomes != a.outcomes
    assert sum(o.count for o in a.outcomes) == 100
    assert a.as_cast is not None and len(a.as_cast) == 2


# ---------------------------------------------------------------- progress
def test_progress_bar(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The bar is voting._progress's, as for every long read and count: shown when asked
    for and standard error is a terminal (here forced by always_show, as --progress
    does), counting the runs; without tqdm a warning instead of a bar."""
    pytest.importorskip("tqdm")
    p = Profile.from_rankings([[("A", "B", "C")]] * 3)
    with _progress.always_show():
        tie_sensitivity(Borda(seats=1), p, samples=40, exact=False, progress=False)
        assert capsys.readouterr().err == ""
        tie_sensitivity(Borda(seats=1), p, samples=40, exact=False, progress=True)
        err = capsys.readouterr().err
        assert "tie_sensitivity(toy_borda)" in err and "40/40" in err and "runs/s" in err
        monkeypatch.setitem(sys.modules, "tqdm", None)  # no tqdm: warn, count on
        monkeypatch.setattr(_progress, "_warned", False)
        with pytest.warns(UserWarning, match="needs tqdm"):
            r = tie_sensitivity(Borda(seats=1), p, samples=40, exact=False, progress=True)
        assert sum(o.count for o in r.outcomes) == 40
        assert capsys.readouterr().err == ""
    tie_sensitivity(Borda(seats=1), p, samples=40, exact=False, progress=True)
    assert capsys.readouterr().err == ""  # not a terminal: no bar though asked
    with pytest.raises(InvalidParameterError, match="progress"):
        tie_sensitivity(Borda(seats=1), p, samples=40, progress="yes")  # type: ignore[arg-type]  # deliberately not a bool


def test_progress_auto_is_off_when_not_a_tty(capsys: pytest.CaptureFixture[str]) -> None:
    p = Profile.from_rankings([[("A", "B", "C")]] * 3)
    tie_sensitivity(Borda(seats=1), p, samples=250, exact=False)
    assert capsys.readouterr().err == ""


# ------------------------------------------------------------------ errors
def test_errors() -> None:
    p = Profile.from_rankings([[("A", "B", "C", "D")]] * 6)
    with pytest.raises(InvalidParameterError, match="max_exact"):
        tie_sensitivity(Borda(), p, exact=True)
    for kwargs in (
        {"samples": 0},
        {"seed": -1},
        {"seed": "x"},
        {"confidence": 1.5},
        {"workers": 0},
        {"max_exact": 0},
        {"exact": "yes"},
    ):
        with pytest.raises(InvalidParameterError):
            tie_sensitivity(Borda(), p, **kwargs)
    with pytest.raises(InvalidParameterError, match="run"):
        tie_sensitivity(object(), p)  # type: ignore[arg-type]  # deliberately not a Method


# --------------------------------------------------------------- real data
def _knative() -> Profile:
    from .conftest import ELECTIONS

    return voting.read_ballots(ELECTIONS / "knative" / "2021-SC" / "ballots.csv", format="civs")


def test_knative_with_toy_borda() -> None:
    p = _knative()
    r = tie_sensitivity(Borda(seats=2), p, samples=200, seed=1)
    assert r.tied_voters == 22
    assert not r.exact and r.log10_resolutions > 3
    assert abs(sum(ch.probability for ch in r.chances) - 2) < 1e-9


def test_knative_with_schulze() -> None:
    p = _knative()
    r = tie_sensitivity(Schulze(seats=2), p, samples=100, seed=1)
    # the official winners, whatever the ties
    assert r.as_cast is not None and set(r.as_cast) == {"csantanapr", "lball"}
    assert r.probability("csantanapr") == r.probability("lball") == 1.0


def test_knative_with_stv_in_parallel() -> None:
    p = _knative()
    method = STV(seats=2, rule="meek")  # strict rankings only
    r = tie_sensitivity(method, p, samples=64, seed=1)
    assert r.as_cast is None  # Meek refuses the tied ballots as cast
    assert r.probability("lball") > 0.9 and r.probability("csantanapr") > 0.9
    assert tie_sensitivity(method, p, samples=64, seed=1, workers=2) == r


@pytest.mark.parametrize("n", [0, 1, 2, 10, 63, 64, 65, 1000, 10**9])
def test_log_factorial(n: int) -> None:
    from math import lgamma

    from voting.analysis._resolve import _log_factorial

    got = float(_log_factorial(np.array([float(n)]))[0])
    assert got == pytest.approx(lgamma(n + 1), rel=1e-13, abs=1e-12)
