"""Strongest-path kernels and strength encodings against the plain-Python references."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, get_args

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import naive
from tests.strategies import profiles
from voting._kernels.schulze import (
    _PIVOTS,
    _PIVOTS_PARALLEL,
    _defeats_strongest_first,
    _schulze_tiers,
    _strongest_paths_parallel,
    _strongest_paths_serial,
    _strongest_paths_sorted,
)
from voting.exceptions import InvalidParameterError
from voting.methods.schulze import (
    STRENGTHS,
    Algorithm,
    StrengthMeasure,
    _Codes,
    _encode,
    _ratio_order,
    strongest_paths,
)
from voting.profile import Profile

KERNELS = [_strongest_paths_serial, _strongest_paths_parallel, _strongest_paths_sorted]


@st.composite
def strength_matrices(draw: st.DrawFn, max_c: int = 12, max_value: int = 20) -> np.ndarray:
    """Square non-negative int matrices, dense or sparse, small or across pivot blocks."""
    c = draw(st.integers(0, max_c))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    m = rng.integers(0, max_value + 1, size=(c, c))
    if draw(st.booleans()):
        m = np.where(rng.random((c, c)) < 0.3, m, 0)
    if draw(st.booleans()):  # antisymmetric, like positive margins
        m = np.maximum(m - m.T, 0)
    return m


@st.composite
def supports(draw: st.DrawFn, max_c: int = 7, max_votes: int = 12) -> np.ndarray:
    """Pairwise count matrices ``d`` (d[i, j] + d[j, i] <= number of voters)."""
    c = draw(st.integers(1, max_c))
    n = draw(st.integers(0, max_votes))
    d = np.zeros((c, c), dtype=np.int64)
    for i in range(c):
        for j in range(i + 1, c):
            a = draw(st.integers(0, n))
            b = draw(st.integers(0, n - a))
            d[i, j], d[j, i] = a, b
    return d


def readable_key(codes: _Codes, path_codes: np.ndarray, i: int, j: int) -> tuple[object, ...]:
    """A kernel strength decoded back to the reference's tuple key."""
    if path_codes[i, j] == 0:
        return (0,)
    v = codes.decode(path_codes)[i, j]
    if codes.strength == "margins":
        return (1, int(v))
    if codes.strength == "winning":
        return (1, int(v[0]), -int(v[1]))
    n, m = int(v[0]), int(v[1])
    return (1, 1, 0) if m == 0 else (1, 0, Fraction(n, m))


def check_against_reference(support: np.ndarray, strength: StrengthMeasure, **kw: Any) -> None:
    codes = _encode(support, strength, **kw)
    want = naive.schulze_strongest_paths(support.tolist(), strength)
    c = support.shape[0]
    # the defeat codes themselves respect the order of the real strengths
    direct = [
        [
            naive.schulze_defeat_key(int(support[i, j]), int(support[j, i]), strength)
            for j in range(c)
        ]
        for i in range(c)
    ]
    flat = [(direct[i][j], int(codes.codes[i, j])) for i in range(c) for j in range(c) if i != j]
    for k1, c1 in flat:
        for k2, c2 in flat:
            assert (k1 < k2) == (c1 < c2)
    for kernel in KERNELS:
        paths = kernel(codes.codes)
        got = [[readable_key(codes, paths, i, j) for j in range(c)] for i in range(c)]
        assert got == want
        tiers = _schulze_tiers(paths)
        ref = naive.schulze_tiers(want)
        assert [set(np.flatnonzero(tiers == t).tolist()) for t in range(len(ref))] == ref
        assert (tiers >= 0).all()


# ------------------------------------------------------------------ raw kernel
@settings(max_examples=150)
@given(strength_matrices())
def test_kernels_match_reference_on_random_matrices(m: np.ndarray) -> None:
    want = naive.widest_paths(m.tolist())
    for kernel in KERNELS:
        for dtype in (np.int32, np.int64):
            got = kernel(np.ascontiguousarray(m, dtype=dtype))
            assert got.dtype == dtype
            assert got.tolist() == want


@settings(max_examples=15)
@given(strength_matrices(max_c=3 * _PIVOTS + 5, max_value=1000))
def test_kernels_match_reference_across_pivot_blocks(m: np.ndarray) -> None:
    want = naive.widest_paths(m.tolist())
    for kernel in KERNELS:
        assert kernel(m).tolist() == want


@settings(max_examples=3)
@given(st.integers(0, 2**32 - 1), st.integers(_PIVOTS_PARALLEL + 1, 90))
def test_parallel_kernel_matches_reference_across_its_blocks(seed: int, c: int) -> None:
    rng = np.random.default_rng(seed)
    m = np.maximum(rng.integers(0, 1000, size=(c, c)) - rng.integers(0, 1000, size=(c, c)), 0)
    assert _strongest_paths_parallel(m).tolist() == naive.widest_paths(m.tolist())


@settings(max_examples=5)
@given(st.integers(0, 2**32 - 1), st.integers(150, 260))
def test_parallel_equals_serial_on_large_matrices(seed: int, c: int) -> None:
    rng = np.random.default_rng(seed)
    m = rng.integers(0, 10**6, size=(c, c))
    m = np.maximum(m - m.T, 0).astype(np.int32)
    serial = _strongest_paths_serial(m)
    assert np.array_equal(_strongest_paths_parallel(m), serial)
    assert np.array_equal(_strongest_paths_sorted(m), serial)
    assert np.array_equal(strongest_paths(m, parallel=True), serial)
    assert np.array_equal(strongest_paths(m, algorithm="floyd_warshall"), serial)
    assert np.array_equal(strongest_paths(m), serial)
    # huge codes (packed winning votes of millions of voters): the radix-sort path
    big = m.astype(np.int64) * (2**40) + 7 * (m > 0)
    assert np.array_equal(_strongest_paths_sorted(big), _strongest_paths_serial(big))


@settings(max_examples=60)
@given(strength_matrices(max_c=20, max_value=10**6))
def test_defeats_come_strongest_first(m: np.ndarray) -> None:
    for a in (m, m * 2**40):  # the second forces the radix-sort path
        order, n = _defeats_strongest_first(np.ascontiguousarray(a))
        flat = a.ravel()
        assert n == int((flat > 0).sum())
        got = flat[order[:n]]
        assert (got > 0).all()
        assert (np.diff(got) <= 0).all()
        assert sorted(order[:n].tolist()) == np.flatnonzero(flat > 0).tolist()


def test_kernel_does_not_modify_input() -> None:
    m = np.array([[0, 5, 0], [0, 0, 7], [2, 0, 0]], dtype=np.int32)
    before = m.copy()
    for kernel in KERNELS:
        kernel(m)
    assert np.array_equal(m, before)


def test_kernel_ignores_the_diagonal() -> None:
    m = np.array([[9, 5], [0, 9]], dtype=np.int64)
    for kernel in KERNELS:
        assert kernel(m).tolist() == [[0, 5], [0, 0]]


# --------------------------------------------------------------- with strengths
@settings(max_examples=120)
@given(supports(), st.sampled_from(STRENGTHS))
def test_encoded_closure_matches_reference(support: np.ndarray, strength: StrengthMeasure) -> None:
    check_against_reference(support, strength)


@settings(max_examples=60)
@given(profiles(max_candidates=6, max_voters=15), st.sampled_from(STRENGTHS))
def test_closure_of_profiles_matches_reference(profile: Profile, strength: StrengthMeasure) -> None:
    check_against_reference(np.array(profile.pairwise.support), strength)


@settings(max_examples=40)
@given(supports(max_c=6))
def test_winning_votes_dense_fallback_equals_packing(support: np.ndarray) -> None:
    """Huge electorates are dense-ranked instead of packed; both orders agree."""
    packed = _encode(support, "winning")
    dense = _encode(support, "winning", pack_limit=0)
    assert dense.table is not None
    assert packed.table is None
    a = packed.codes.astype(np.int64).ravel()
    b = dense.codes.astype(np.int64).ravel()
    assert np.array_equal(np.sign(a[:, None] - a[None, :]), np.sign(b[:, None] - b[None, :]))
    check_against_reference(support, "winning", pack_limit=0)
    paths = _strongest_paths_serial(packed.codes)
    dense_paths = _strongest_paths_serial(dense.codes)
    assert np.array_equal(packed.decode(paths), dense.decode(dense_paths))


def test_winning_votes_secondary_key() -> None:
    """Equal winning votes: the defeat with fewer losing votes is stronger."""
    d = np.array([[0, 10, 0], [4, 0, 10], [0, 2, 0]])  # A>B 10:4, B>C 10:2
    codes = _encode(d, "winning")
    assert codes.codes[1, 2] > codes.codes[0, 1] > 0


def test_huge_counts_stay_exact() -> None:
    """Counts near the int64 range: no overflow, exact order, int64 codes."""
    big = 2**62
    d = np.array([[0, big, 5], [big - 1, 0, big - 3], [big - 4, 4, 0]], dtype=np.int64)
    for strength in STRENGTHS:
        check_against_reference(d, strength)


def test_ratio_order_resolves_float_ties_exactly() -> None:
    # (1e15 + 1) / 1e15 > (1e15 + 2) / (1e15 + 1), but both round to the same float
    a = (10**15 + 1, 10**15)
    b = (10**15 + 2, 10**15 + 1)
    assert a[0] / a[1] == b[0] / b[1]
    pairs = np.array([a, (3, 1), b, (1, 0), (2, 1)], dtype=np.int64)
    order = _ratio_order(pairs).tolist()
    assert [tuple(pairs[i]) for i in order] == [b, a, (2, 1), (3, 1), (1, 0)]
    above = np.array([(2**60 + 1, 2**60), (2**60 + 2, 2**60 + 1), (1, 0)], dtype=np.int64)
    assert _ratio_order(above).tolist() == [1, 0, 2]


def test_ratio_infinite_defeats_are_equal_and_strongest() -> None:
    d = np.array([[0, 5, 9], [0, 0, 1], [0, 0, 0]])
    codes = _encode(d, "ratio")
    assert codes.codes[0, 1] == codes.codes[0, 2] == codes.codes.max()
    assert codes.codes[1, 2] == codes.codes[0, 1]  # 1:0 is infinite too


def test_strongest_paths_options() -> None:
    m = np.array([[0, 5, 0], [0, 0, 7], [2, 0, 0]])
    want = [[0, 5, 5], [2, 0, 7], [2, 2, 0]]
    for algorithm in get_args(Algorithm):
        assert strongest_paths(m, algorithm=algorithm).tolist() == want
    with pytest.raises(InvalidParameterError, match="algorithm='dijkstra'"):
        strongest_paths(m, algorithm="dijkstra")  # type: ignore[arg-type]  # deliberately invalid parameter
    with pytest.raises(InvalidParameterError, match="serial"):
        strongest_paths(m, algorithm="sorted", parallel=True)


def test_strongest_paths_validates() -> None:
    with pytest.raises(InvalidParameterError, match="square"):
        strongest_paths(np.zeros((2, 3), dtype=np.int64))
    with pytest.raises(InvalidParameterError, match="integers"):
        strongest_paths(np.zeros((2, 2)))
    with pytest.raises(InvalidParameterError, match="negative"):
        strongest_paths(np.array([[0, -1], [1, 0]]))


def test_strongest_paths_keeps_wide_values() -> None:
    m = np.array([[0, 2**40], [0, 0]], dtype=np.int64)
    out = strongest_paths(m)
    assert out.dtype == np.int64
    assert int(out[0, 1]) == 2**40
    assert strongest_paths(np.array([[0, 3], [0, 0]], dtype=np.uint8)).dtype == np.int32
