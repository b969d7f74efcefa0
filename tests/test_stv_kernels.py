"""STV kernels and counts against the plain-Python references in ``tests/naive.py``."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from tests import naive
from tests.strategies import profiles
from voting import UNRANKED, Profile
from voting._dispatch import forced_engine
from voting._distinct import distinct_rows
from voting._kernels.rows import _unique_rows
from voting._kernels.stv import (
    _gregory_move,
    _gregory_parcel,
    _meek_distribute_parallel,
    _meek_distribute_serial,
)
from voting.exceptions import EmptyProfileError
from voting.methods.stv import STV, Rule
from voting.methods.stv._ballots import Ballots, compress
from voting.methods.stv.meek import SCALE, Distributor

# VOTING_STV_EXAMPLES raises the example count for a longer local run.
SETTINGS = settings(
    max_examples=int(os.environ.get("VOTING_STV_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(params=["numpy", "numba"])
def engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test on each engine: small profiles otherwise take the NumPy paths only
    (``voting._dispatch``), and the numba counts (the Meek trie) must match too."""
    with forced_engine(request.param):
        yield request.param


def _tiers(row: list[int]) -> tuple[tuple[int, ...], ...]:
    by: dict[int, list[int]] = {}
    for c, r in enumerate(row):
        if r != UNRANKED:
            by.setdefault(r, []).append(c)
    return tuple(tuple(sorted(by[t])) for t in sorted(by))


def _ballot_tiers(b: Ballots, u: int) -> tuple[tuple[int, ...], ...]:
    order, tier, length = b.order, b.tier, b.length
    out: list[list[int]] = []
    for i in range(int(length[u])):
        if i == 0 or tier[u, i] != tier[u, i - 1]:
            out.append([])
        out[-1].append(int(order[u, i]))
    return tuple(tuple(sorted(t)) for t in out)


@given(profiles(max_candidates=6, max_voters=40))
@SETTINGS
def test_compress_groups_identical_ballots(profile: Profile) -> None:
    expected: Counter[tuple[tuple[int, ...], ...]] = Counter()
    empty = 0
    for row, w in zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True):
        t = _tiers(row)
        if t:
            expected[t] += w
        else:
            empty += w
    if not expected:
        with pytest.raises(EmptyProfileError):
            compress(profile)
        return
    b = compress(profile)
    got: Counter[tuple[tuple[int, ...], ...]] = Counter()
    for u in range(b.n_unique):
        key = _ballot_tiers(b, u)
        assert key not in got  # each ranking once
        got[key] = int(b.mult[u])
    assert got == expected
    assert b.invalid == empty
    assert b.valid == sum(expected.values())
    assert b.strict == all(len(t) == 1 for key in expected for t in key)


@given(profiles(max_candidates=6, max_voters=40))
@SETTINGS
def test_compress_takes_a_compressed_profile_as_it_is(engine: str, profile: Profile) -> None:
    """A profile of distinct sorted rows skips the grouping: same unique ballots."""
    try:
        direct = compress(profile)
    except EmptyProfileError:
        return
    again = compress(profile.compress())
    rows = [
        (_ballot_tiers(b, u), int(b.mult[u])) for b in (direct, again) for u in range(b.n_unique)
    ]
    half = direct.n_unique
    assert sorted(rows[:half]) == sorted(rows[half:])
    assert (again.valid, again.invalid, again.strict) == (
        direct.valid,
        direct.invalid,
        direct.strict,
    )


@given(profiles(max_candidates=6, max_voters=40))
@SETTINGS
def test_unordered_compress_rows_equals_profile_compress(profile: Profile) -> None:
    # the one deduplication: its unordered mode (STV) groups exactly as Profile.compress
    rows, sums = distinct_rows(profile.ranks, profile.weights, ordered=False)
    expected = profile.compress()
    got = sorted(zip(map(tuple, rows.tolist()), sums.tolist(), strict=True))
    assert got == sorted(
        zip(map(tuple, expected.ranks.tolist()), expected.weights.tolist(), strict=True)
    )
    assert not rows.flags.writeable and rows.flags.c_contiguous


def test_unique_ballots_survives_hash_table_collisions() -> None:
    # a tiny table (2 slots for 40 rows would overflow; the caller sizes it), so use
    # many equal-hash-bucket rows with the smallest legal table
    rng = np.random.default_rng(0)
    ranks = rng.integers(0, 3, size=(500, 4)).astype(np.int32)
    weights = np.ones(500, dtype=np.int64)
    first, sums = _unique_rows(ranks, weights, 10)
    rows = {tuple(r) for r in ranks.tolist()}
    assert len(first) == len(rows)
    assert int(sums.sum()) == 500
    assert {tuple(ranks[f].tolist()) for f in first} == rows


@st.composite
def keep_factors(draw: st.DrawFn, n: int) -> list[int]:
    return [draw(st.one_of(st.just(0), st.just(SCALE), st.integers(1, SCALE))) for _ in range(n)]


@given(profiles(max_candidates=6, max_voters=30), st.data(), st.booleans())
@SETTINGS
def test_meek_flat_kernels_match_reference(profile: Profile, data: st.DataObject, nz: bool) -> None:
    try:
        b = compress(profile)
    except EmptyProfileError:
        return
    kf = data.draw(keep_factors(b.n_candidates))
    ballots = [_ballot_tiers(b, u) for u in range(b.n_unique)]
    votes, excess = naive.stv_meek_distribute(ballots, b.mult.tolist(), kf, SCALE, nz)
    arr = np.array(kf, dtype=np.int64)
    got, ex = _meek_distribute_serial(b.order, b.tier, b.length, b.mult, arr, SCALE, nz)
    assert got.tolist() == votes and int(ex) == excess
    chunks = data.draw(st.integers(1, 4))
    got, ex = _meek_distribute_parallel(b.order, b.tier, b.length, b.mult, arr, SCALE, nz, chunks)
    assert got.tolist() == votes and int(ex) == excess
    if not nz and all(len(t) == 1 for key in ballots for t in key):
        # exactness: the Reference Rule conserves every unit of every ballot
        assert sum(votes) + excess == b.valid * SCALE


@pytest.fixture(params=["default", "tiny"])
def trie_start(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The trie's first sizes: the default, or one node and two slots, so that every
    round grows the arrays and rebuilds the hash table (mid-round, between walks)."""
    if request.param == "tiny":
        monkeypatch.setattr(Distributor, "TRIE_NODES", 1)
        monkeypatch.setattr(Distributor, "TRIE_SLOTS", 2)
    return str(request.param)


@given(profiles(max_candidates=7, max_voters=30, allow_ties=False), st.data(), st.booleans())
@SETTINGS
def test_meek_trie_matches_reference_over_rounds(
    engine: str, trie_start: str, profile: Profile, data: st.DataObject, nz: bool
) -> None:
    try:
        b = compress(profile)
    except EmptyProfileError:
        return
    n = b.n_candidates
    dist = Distributor(b, nz=nz)
    ballots = [_ballot_tiers(b, u) for u in range(b.n_unique)]
    state = ["hopeful"] * n
    for _ in range(data.draw(st.integers(1, n))):
        # candidates only ever leave the hopeful state, as in a count
        for c in range(n):
            if state[c] == "hopeful":
                state[c] = data.draw(st.sampled_from(["hopeful", "hopeful", "elected", "excluded"]))
        dist.new_round(
            np.array([s == "excluded" for s in state]), np.array([s == "elected" for s in state])
        )
        for _ in range(2):  # several iterations per round, keep factors falling
            kf = [
                0
                if s == "excluded"
                else SCALE
                if s == "hopeful"
                else data.draw(st.integers(1, SCALE))
                for s in state
            ]
            votes, excess = naive.stv_meek_distribute(ballots, b.mult.tolist(), kf, SCALE, nz)
            got, ex = dist(np.array(kf, dtype=np.int64))
            assert got.tolist() == votes
            assert ex == excess


def _strict(profile: Profile) -> tuple[list[list[int]], list[int]]:
    ballots, weights = [], []
    for row, w in zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True):
        t = _tiers(row)
        if t:
            ballots.append([c for tier in t for c in tier])
            weights.append(w)
    return ballots, weights


@given(profiles(max_candidates=6, max_voters=25, allow_ties=False, max_weight=9), st.data())
@SETTINGS
def test_reference_meek_count_matches_plain_python(
    engine: str, profile: Profile, data: st.DataObject
) -> None:
    ballots, weights = _strict(profile)
    assume(ballots)
    seats = data.draw(st.integers(1, profile.num_candidates))
    expected, rounds = naive.stv_meek_prf(ballots, weights, profile.num_candidates, seats)
    result = STV(seats=seats, rule="meek").run(profile)
    result.check(profile)
    assert [profile.index(c) for c in result.elected] == expected
    got = [[int(t * SCALE) for t in r.tallies] for r in result.explanation.rounds]
    assert got[: len(rounds)] == rounds


@given(profiles(max_candidates=6, max_voters=25, allow_ties=False, max_weight=9), st.data())
@SETTINGS
def test_scottish_count_matches_paper_by_paper_reference(
    engine: str, profile: Profile, data: st.DataObject
) -> None:
    ballots, weights = _strict(profile)
    assume(ballots)
    seats = data.draw(st.integers(1, profile.num_candidates))
    expected, stages = naive.stv_scottish(ballots, weights, profile.num_candidates, seats)
    result = STV(seats=seats, rule="scottish").run(profile)
    result.check(profile)
    assert [profile.index(c) for c in result.elected] == expected
    got = [[int(t * 10**5) for t in r.tallies] for r in result.explanation.rounds]
    assert got[: len(stages)] == stages


class PaperState(NamedTuple):
    """Compressed ballots and a mid-count state of their papers (the kernels' arguments)."""

    b: Ballots
    k: int
    at: NDArray[np.int32]
    pos: NDArray[np.int32]
    cls: NDArray[np.int32]
    arrived: NDArray[np.int32]
    source: NDArray[np.bool_]
    continuing: NDArray[np.bool_]
    batch: int


@st.composite
def paper_states(draw: st.DrawFn, profile: Profile) -> PaperState:
    """Compressed ballots of ``profile`` and a random mid-count state of their papers."""
    b = compress(profile)
    u, n = b.n_unique, b.n_candidates
    k = draw(st.integers(1, 4))  # value classes
    pos = np.array([draw(st.integers(0, int(b.length[i]))) for i in range(u)], dtype=np.int32)
    at = np.array(
        [int(b.order[i, pos[i]]) if pos[i] < b.length[i] else -1 for i in range(u)],
        dtype=np.int32,
    )
    cls = np.array([draw(st.integers(0, k - 1)) for _ in range(u)], dtype=np.int32)
    arrived = np.array([draw(st.integers(0, 2)) for _ in range(u)], dtype=np.int32)
    source = np.array([draw(st.booleans()) for _ in range(n)], dtype=np.bool_)
    continuing = np.array([draw(st.booleans()) for _ in range(n)], dtype=np.bool_)
    batch = draw(st.integers(-1, 2))
    return PaperState(b, k, at, pos, cls, arrived, source, continuing, batch)


PaperGroup = tuple[list[int], int, int, int, int]


def _paper_groups(
    profile: Profile,
    b: Ballots,
    pos: NDArray[np.int32],
    cls: NDArray[np.int32],
    arrived: NDArray[np.int32],
) -> list[PaperGroup]:
    """One paper group per *row of the profile* (weights as voters), not per unique
    ranking: the reference never sees the compression."""
    index = {_ballot_tiers(b, i): i for i in range(b.n_unique)}
    groups: list[PaperGroup] = []
    for row, w in zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True):
        t = _tiers(row)
        if not t:
            continue
        i = index[t]
        ranking = [int(c) for c in b.order[i, : b.length[i]]]
        groups.append((ranking, int(pos[i]), int(cls[i]), int(arrived[i]), w))
    return groups


@given(profiles(max_candidates=6, max_voters=30), st.data())
@SETTINGS
def test_last_batch_kernel_matches_reference(profile: Profile, data: st.DataObject) -> None:
    # ERS97 5.3.2-5.3.4: the last batch of a surplus, counted by value and fate
    assume(any(_tiers(r) for r in profile.ranks.tolist()))
    b, k, at, pos, cls, arrived, source, continuing, batch = data.draw(paper_states(profile))
    got = _gregory_parcel(
        b.order, b.length, at, pos, cls, arrived, b.mult, source, batch, continuing, k
    )
    groups = _paper_groups(profile, b, pos, cls, arrived)
    expected = naive.stv_last_batch(groups, source.tolist(), batch, continuing.tolist(), k)
    assert got.tolist() == expected


@given(profiles(max_candidates=6, max_voters=30), st.data(), st.booleans())
@SETTINGS
def test_batch_move_kernel_matches_reference(
    profile: Profile, data: st.DataObject, keep_stuck: bool
) -> None:
    # ERS97 moves a surplus's last batch (keeping non-transferable papers) and an
    # excluded candidate's papers batch by batch, highest value first
    assume(any(_tiers(r) for r in profile.ranks.tolist()))
    b, k, at, pos, cls, arrived, source, continuing, batch = data.draw(paper_states(profile))
    select = np.array([data.draw(st.booleans()) for _ in range(k)], dtype=np.bool_)
    cmap = np.array([data.draw(st.integers(0, k - 1)) for _ in range(k)], dtype=np.int32)
    groups = _paper_groups(profile, b, pos, cls, arrived)
    expected = naive.stv_move_papers(
        groups,
        source.tolist(),
        select.tolist(),
        cmap.tolist(),
        continuing.tolist(),
        batch,
        7,
        keep_stuck,
    )
    _gregory_move(
        b.order,
        b.length,
        at,
        pos,
        cls,
        arrived,
        source,
        select,
        cmap,
        continuing,
        batch,
        7,
        keep_stuck,
    )
    got = _paper_groups(profile, b, pos, cls, arrived)
    assert [(g[1], g[2], g[3]) for g in got] == expected
    for i in range(b.n_unique):  # ``at`` follows ``pos``
        assert at[i] == (b.order[i, pos[i]] if pos[i] < b.length[i] else -1)


@pytest.mark.parametrize("n_candidates", [127, 128])
@pytest.mark.parametrize("rule", ["meek", "meek-equal", "scottish"])
def test_orders_are_int8_up_to_127_candidates_and_count_alike(
    n_candidates: int, rule: Rule
) -> None:
    """Orders take one byte a position up to 127 candidates, int32 beyond; the numba
    counts (kernels compiled for either) equal the NumPy paths' on the same ballots."""
    rng = np.random.default_rng(n_candidates)
    pool = np.array([0, 1, 2, 3, 4, n_candidates - 3, n_candidates - 2, n_candidates - 1])
    rows = []
    for _ in range(60):
        ranked = rng.permutation(pool)[: int(rng.integers(1, 7))].tolist()
        row = np.full(n_candidates, UNRANKED, dtype=np.int32)
        positions = np.arange(len(ranked))
        row[ranked] = positions // 2 if rule == "meek-equal" else positions
        rows.append(row)
    profile = Profile.from_arrays(np.array(rows), rng.integers(1, 10**6, 60))
    b = compress(profile)
    assert b.order.dtype == (np.int8 if n_candidates <= 127 else np.int32)
    results = []
    for engine in ("numpy", "numba"):
        with forced_engine(engine):
            result = STV(seats=2, rule=rule).run(profile)
        results.append((result.elected, [r.tallies for r in result.explanation.rounds]))
    assert results[0] == results[1]
