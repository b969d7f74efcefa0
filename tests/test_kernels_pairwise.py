"""The pairwise-count kernels against the plain-Python reference
(:func:`voting.testing._reference.pairwise_counts`).

Hypothesis drives profiles with ties, truncation, weights (up to 10^12 per ballot),
both unranked policies and 1 to 70 candidates (so the 64-bit word boundary and
every packing of ballots into mask words are crossed); targeted cases cover the
batch, group and counter-flush boundaries, the key types and the intrinsics'
pure-Python twins.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

import voting
from tests.strategies import profiles
from voting import UNRANKED, Profile, UnrankedPolicy
from voting._kernels import pairwise as K
from voting.testing._reference import pairwise_support

Matrix = np.ndarray[Any, np.dtype[np.int64]]

# under NUMBA_DISABLE_JIT=1 (the coverage job) the kernels run as Python: fewer cases
SLOW = bool(numba.config.DISABLE_JIT)


def examples(n: int) -> int:
    return max(5, n // 6) if SLOW else n


def naive(p: Profile) -> Matrix:
    c = p.num_candidates
    return np.array(pairwise_support(p), dtype=np.int64).reshape(c, c)


def numpy_counts(
    ranks: np.ndarray[Any, Any], weights: np.ndarray[Any, Any], ignore: bool
) -> Matrix:
    """A vectorised reference for larger arrays (itself checked against naive below)."""
    a = ranks[:, :, None].astype(np.int64)
    b = ranks[:, None, :].astype(np.int64)
    beats = a < b
    if ignore:
        beats &= (a != UNRANKED) & (b != UNRANKED)
    counts = np.einsum("vab,v->ab", beats.astype(np.int64), weights.astype(np.int64))
    return np.asarray(counts, dtype=np.int64)


def kernels(p: Profile) -> dict[str, Matrix]:
    """Every route to the counts: both kernels, chunkings, the public wrapper."""
    ignore = p.unranked == "ignore"
    got = {
        "serial": K._pairwise_counts_serial(p.ranks, p.weights, ignore),
        "public serial": voting.pairwise(p, parallel=False).support,
        "public parallel": voting.pairwise(p, parallel=True).support,
    }
    for n_chunks in (1, 2, 3, 7):
        got[f"parallel/{n_chunks}"] = K._pairwise_counts_parallel(
            p.ranks, p.weights, ignore, n_chunks
        )
    return got


def assert_all_match(p: Profile, expected: Matrix) -> None:
    for route, counts in kernels(p).items():
        assert counts.dtype == np.int64, route
        np.testing.assert_array_equal(counts, expected, err_msg=f"{route}: {p.to_code()}")


def random_profile(
    n: int,
    c: int,
    unranked: UnrankedPolicy = "last",
    seed: int = 0,
    ties: bool = True,
    truncation: bool = True,
    weights: bool = True,
) -> Profile:
    rng = np.random.default_rng(seed)
    ranks = np.argsort(rng.random((n, c)), axis=1)
    if ties and n:  # cut every other ballot's lower tiers into one
        cut = rng.integers(0, c, size=(n, 1))
        ranks[::2] = np.minimum(ranks, cut)[::2]
    if truncation:
        ranks[rng.random((n, c)) < 0.2] = UNRANKED
    w = np.ones(n, dtype=np.int64)
    if weights:
        heavy = rng.random(n) < 0.3
        w[heavy] = rng.integers(2, 10**12, size=int(heavy.sum()))
    return Profile(ranks, w, [f"c{i}" for i in range(c)], unranked)


# ------------------------------------------------------------------ hypothesis
@settings(max_examples=examples(150))
@given(profiles(min_candidates=1, max_candidates=20, max_voters=40))
def test_small_profiles_match_naive(p: Profile) -> None:
    assert_all_match(p, naive(p))


@settings(max_examples=examples(60))
@given(profiles(min_candidates=21, max_candidates=70, max_voters=25))
def test_wide_profiles_match_naive(p: Profile) -> None:
    assert_all_match(p, naive(p))


@settings(max_examples=examples(100))
@given(profiles(min_candidates=1, max_candidates=12, max_voters=20, max_weight=10**12))
def test_huge_weights_match_naive(p: Profile) -> None:
    assert_all_match(p, naive(p))


@settings(max_examples=examples(40))
@given(
    profiles(min_candidates=1, max_candidates=70, max_voters=12),
    st.integers(20, 60),
    st.booleans(),
)
def test_top_counter_flush(p: Profile, copies: int, unit: bool) -> None:
    """A 1-level top counter flushes every 256 mask words: repeat ballots to get there."""
    reps = np.tile(p.ranks, (copies, 1))
    w = np.ones(len(reps), dtype=np.int64) if unit else np.tile(p.weights, copies)
    big = Profile(reps, w, p.candidates, p.unranked)
    expected = numpy_counts(big.ranks, big.weights, p.unranked == "ignore")
    c = p.num_candidates
    out = np.zeros((c, c), dtype=np.int64)
    K._count_range(
        big.ranks, big.weights, np.int64(0), len(reps), p.unranked == "ignore", out, np.int64(1)
    )
    np.testing.assert_array_equal(out, expected)


# -------------------------------------------------------------- targeted cases
@pytest.mark.parametrize("c", [1, 2, 5, 64, 65, 130])
@pytest.mark.parametrize("unranked", ["last", "ignore"])
def test_zero_ballots(c: int, unranked: UnrankedPolicy) -> None:
    p = Profile(np.zeros((0, c), dtype=np.int32), None, [f"c{i}" for i in range(c)], unranked)
    assert_all_match(p, np.zeros((c, c), dtype=np.int64))


@pytest.mark.parametrize("unranked", ["last", "ignore"])
def test_numpy_reference_matches_naive(unranked: UnrankedPolicy) -> None:
    p = random_profile(60, 9, unranked, seed=4)
    np.testing.assert_array_equal(numpy_counts(p.ranks, p.weights, unranked == "ignore"), naive(p))


# every packing boundary (8, 16, 32 candidates per word section), the word
# boundary (64), the int8 -> int16 key switch (254/255)
BOUNDARY_C = [1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 254, 255]


@pytest.mark.parametrize("c", BOUNDARY_C)
@pytest.mark.parametrize("unranked", ["last", "ignore"])
def test_candidate_count_boundaries(c: int, unranked: UnrankedPolicy) -> None:
    p = random_profile(40 if SLOW and c > 64 else 301, c, unranked, seed=c)
    assert_all_match(p, numpy_counts(p.ranks, p.weights, unranked == "ignore"))


# ballots around the group (up to 8 per word), batch (16 words), second-network
# (16 batches) and byte-counter flush (252 ballots) boundaries, unit weights so that
# every ballot goes through them
@pytest.mark.parametrize(
    "n", [1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 251, 252, 253, 2047, 2048, 2049, 4200]
)
@pytest.mark.parametrize("c", [5, 12] if SLOW else [5, 12, 24, 50])
def test_ballot_count_boundaries(n: int, c: int) -> None:
    p = random_profile(n, c, "last", seed=n, weights=False)
    assert_all_match(p, numpy_counts(p.ranks, p.weights, False))


@pytest.mark.parametrize("c", [3, 40, 100])
def test_strict_complete_ballots(c: int) -> None:
    p = random_profile(500, c, "last", seed=1, ties=False, truncation=False, weights=False)
    expected = numpy_counts(p.ranks, p.weights, False)
    assert_all_match(p, expected)
    # strict complete ballots: every pair is decided on every ballot
    np.testing.assert_array_equal(expected + expected.T, 500 * (1 - np.eye(c, dtype=np.int64)))


@pytest.mark.parametrize("unranked", ["last", "ignore"])
def test_degenerate_ballots(unranked: UnrankedPolicy) -> None:
    c = 6
    names = [f"c{i}" for i in range(c)]
    rows = [
        [UNRANKED] * c,  # ranks nobody: counts for nothing
        [0] * c,  # all tied: counts for nothing
        [0, UNRANKED, UNRANKED, UNRANKED, UNRANKED, UNRANKED],  # bullet vote
        [0, 0, 1, UNRANKED, UNRANKED, 1],
    ]
    p = Profile(np.array(rows), [5, 7, 11, 13], names, unranked)
    expected = naive(p)
    assert_all_match(p, expected)
    if unranked == "ignore":
        assert expected[0, 1:].tolist() == [0, 13, 0, 0, 13]
    else:
        assert expected[0, 1:].tolist() == [11, 24, 24, 24, 24]  # c0 ties c1 on the last


def test_weights_near_the_int64_limit() -> None:
    # 4 ballots of 2**61 - 1: totals of 2**63 - 4, exact, no wrap-around
    big = 2**61 - 1
    p = Profile([[0, 1, 2], [0, 2, 1], [2, 1, 0], [0, 1, 2]], [big] * 4, ["a", "b", "c"])
    expected = naive(p)
    assert int(expected[0, 1]) == 3 * big
    assert_all_match(p, expected)


@pytest.mark.parametrize("c", [11, 40, pytest.param(90, marks=pytest.mark.slow)])
def test_many_unit_and_huge_weights_mixed(c: int) -> None:
    p = random_profile(600 if SLOW else 3000, c, "ignore", seed=9)
    assert int(p.weights.max()) > 10**11
    assert_all_match(p, numpy_counts(p.ranks, p.weights, True))


@pytest.mark.parametrize("c", [12, 40])
def test_small_weights_are_repeated_exactly(c: int) -> None:
    rng = np.random.default_rng(c)
    p = random_profile(1000, c, "last", seed=c, weights=False)
    w = rng.integers(1, 7, size=1000)  # 1..4 pushed as unit ballots, 5 and 6 added
    q = Profile(p.ranks, w, p.candidates, "last")
    assert_all_match(q, numpy_counts(q.ranks, q.weights, False))


@pytest.mark.parametrize(
    ("key", "off"), [(np.int8, -127), (np.int16, -32767), (np.int16, 0), (np.int32, 0)]
)
@pytest.mark.parametrize("unranked", ["last", "ignore"])
def test_every_key_type_of_the_wide_path(key: type, off: int, unranked: UnrankedPolicy) -> None:
    # int16 keys serve 255..65534 candidates and int32 beyond: run them on 70
    p = random_profile(700, 70, unranked, seed=5)
    out = np.zeros((70, 70), dtype=np.int64)
    cap = key(np.iinfo(key).max)
    K._count_wide(
        p.ranks, p.weights, np.int64(0), np.int64(700), unranked == "ignore", out,
        np.zeros(1, dtype=key), cap, np.int64(off), np.int64(16),
    )  # fmt: skip
    np.testing.assert_array_equal(out, numpy_counts(p.ranks, p.weights, unranked == "ignore"))


def test_counts_are_additive_over_ranges() -> None:
    p = random_profile(1000, 20, "last", seed=2)
    out = np.zeros((20, 20), dtype=np.int64)
    for lo, hi in [(0, 1), (1, 400), (400, 401), (401, 1000)]:
        K._count_range(p.ranks, p.weights, lo, hi, False, out, np.int64(16))
    np.testing.assert_array_equal(out, numpy_counts(p.ranks, p.weights, False))


# ------------------------------------------------ intrinsics vs their Python twins
needs_jit = pytest.mark.skipif(
    numba.config.DISABLE_JIT, reason="LLVM intrinsics exist only when numba compiles"
)


@njit
def _group_masks_jit(ranks, rows, ignore, out, out_row, s_bits):  # type: ignore[no-untyped-def]  # a numba kernel: typed by numba when compiled
    if s_bits == 3:
        K._group_masks_ir(ranks, rows, ignore, out, out_row, 3)
    else:
        K._group_masks_ir(ranks, rows, ignore, out, out_row, 4)


@njit
def _csa16_jit(inp, in_row, acc, st_row, out_row, n):  # type: ignore[no-untyped-def]  # a numba kernel: typed by numba when compiled
    K._csa16_ir(inp, in_row, acc, st_row, out_row, n)


@njit
def _gt_mask_jit(keys, row, col, thr):  # type: ignore[no-untyped-def]  # a numba kernel: typed by numba when compiled
    return K._gt_mask_ir(keys, row, col, thr, 64)


@needs_jit
@pytest.mark.parametrize("s_bits", [3, 4])
@pytest.mark.parametrize("ignore", [False, True])
def test_group_masks_intrinsic(s_bits: int, ignore: bool) -> None:
    c = min(1 << s_bits, 64) - 1
    p = random_profile(40, c, seed=s_bits)
    group = 64 >> s_bits
    rng = np.random.default_rng(s_bits)
    for _ in range(20):
        rows = rng.integers(-1, 40, size=8).astype(np.int64)
        rows[rng.integers(0, 40, size=1)[0] % 8] = 39  # the last row: a masked load
        got = np.zeros((2, c), dtype=np.int64)
        want = np.zeros((2, c), dtype=np.int64)
        _group_masks_jit(p.ranks, rows, ignore, got, 1, s_bits)
        K._group_masks_py(p.ranks, rows, ignore, want, 1, s_bits)
        np.testing.assert_array_equal(got, want, err_msg=f"rows={rows[:group]}")


@njit
def _byte_counts_jit(ranks, rows, ignore, cnt, width):  # type: ignore[no-untyped-def]  # a numba kernel: typed by numba when compiled
    if width == 32:
        K._byte_counts_ir(ranks, rows, ignore, cnt, 32)
    else:
        K._byte_counts_ir(ranks, rows, ignore, cnt, 64)


@needs_jit
@pytest.mark.parametrize("c", [17, 32, 33, 64])
@pytest.mark.parametrize("ignore", [False, True])
def test_byte_counts_intrinsic(c: int, ignore: bool) -> None:
    width = 32 if c <= 32 else 64
    p = random_profile(30, c, seed=c)
    rng = np.random.default_rng(c)
    got = rng.integers(0, 100, size=(c, width), dtype=np.uint8)
    want = got.copy()
    for _ in range(10):
        rows = rng.integers(-1, 30, size=4).astype(np.int64)
        rows[0] = 29  # the last row: a masked load
        _byte_counts_jit(p.ranks, rows, ignore, got, width)
        K._byte_counts_py(p.ranks, rows, ignore, want, width)
    np.testing.assert_array_equal(got, want)


@needs_jit
def test_carry_save_intrinsic() -> None:
    rng = np.random.default_rng(0)
    inp = rng.integers(-(2**63), 2**63 - 1, size=(20, 8), dtype=np.int64)
    acc = rng.integers(-(2**63), 2**63 - 1, size=(8, 8), dtype=np.int64)
    got, want = acc.copy(), acc.copy()
    _csa16_jit(inp, 2, got, 1, 6, 4)
    K._csa16_py(inp, 2, want, 1, 6, 4)
    np.testing.assert_array_equal(got, want)
    # the network adds: per bit, 16 inputs + old counter = new counter + 16 * carry
    for bit in (0, 17, 63):
        ins = ((inp[2:18, 4:] >> bit) & 1).sum(axis=0)
        old = sum(((acc[1 + j, 4:] >> bit) & 1) << j for j in range(4))
        new = sum(((got[1 + j, 4:] >> bit) & 1) << j for j in range(4))
        np.testing.assert_array_equal(ins + old, new + 16 * ((got[6, 4:] >> bit) & 1))


@needs_jit
def test_gt_mask_intrinsic() -> None:
    keys = np.random.default_rng(1).integers(-1, 100, size=(2, 128)).astype(np.int8)
    for col in (0, 64):
        for thr in (-1, 0, 50, 127):
            got = _gt_mask_jit(keys, 1, col, np.int8(thr))
            assert got == K._gt_mask_py(keys, 1, col, np.int8(thr), 64)
