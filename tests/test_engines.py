"""The NumPy paths (``voting._numpy_paths``) against the numba kernels they stand for,
and the engine choice (``voting._dispatch``).

Every NumPy path must give exactly what its kernel gives (integers, same shapes), on
hypothesis profiles with ties, truncation, weights and both unranked policies; the
methods must give equal results whichever engine runs them. The kernels themselves
are checked against the plain-Python references in the ``test_*kernels*`` files.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import voting
from tests.strategies import profiles
from tests.test_civs_proportional import weight_tables
from voting import UNRANKED, Profile, _dispatch
from voting._dispatch import forced_engine
from voting._distinct import group_rows, row_keys
from voting._kernels import blocs as k_blocs
from voting._kernels import civs_prop as k_civs
from voting._kernels import pairwise as k_pairwise
from voting._kernels import ranks as k_ranks
from voting._kernels import rows as k_rows
from voting._kernels import schulze as k_schulze
from voting._kernels import spread as k_spread
from voting._kernels import stv as k_stv
from voting._kernels import tallies as k_tallies
from voting._numpy_paths import blocs as n_blocs
from voting._numpy_paths import civs_prop as n_civs
from voting._numpy_paths import pairwise as n_pairwise
from voting._numpy_paths import ranks as n_ranks
from voting._numpy_paths import rows as n_rows
from voting._numpy_paths import schulze as n_schulze
from voting._numpy_paths import spread as n_spread
from voting._numpy_paths import stv as n_stv
from voting._numpy_paths import tallies as n_tallies
from voting.methods._civs_kernels import ClimbState, pair_counts
from voting.methods.stv._ballots import Ballots

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(
    max_examples=int(os.environ.get("VOTING_ENGINE_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def same(a: Any, b: Any) -> None:
    """Equal values, shapes and integer kinds (tuples compared item by item)."""
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            same(x, y)
        return
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        x, y = np.asarray(a), np.asarray(b)
        assert x.shape == y.shape, (x.shape, y.shape)
        assert x.dtype.kind == y.dtype.kind, (x.dtype, y.dtype)
        assert np.array_equal(x, y), (x, y)
        return
    assert a == b, (a, b)


# ------------------------------------------------------------------ import
def test_small_counts_never_import_numba() -> None:
    """The bundled examples, by the common methods, run without numba (cost model)."""
    code = textwrap.dedent(
        """
        import io, sys
        from voting.cli import main
        runs = [
            ["count", "--example", "debian-leader-2005"],
            ["count", "--example", "kubernetes-steering-2023", "--method", "minimax"],
            ["count", "--example", "debian-leader-2005", "--method", "ranked_pairs"],
            ["count", "--example", "debian-leader-2005", "--method", "irv"],
            ["count", "--example", "debian-leader-2005", "--method", "condorcet_irv"],
            ["count", "--example", "nixos-steering-2024", "--method", "stv", "--seats", "7"],
            ["count", "--example", "nixos-steering-2024", "--method", "stv", "--seats", "7",
             "--rule", "scottish"],
            ["count", "--example", "nixos-steering-2024", "--method", "stv", "--seats", "7",
             "--rule", "ers97"],
            ["count", "--example", "nixos-steering-2024", "--method", "civs_proportional",
             "--seats", "7"],
            ["analyze", "--example", "debian-leader-2005"],
        ]
        for argv in runs:
            assert main(argv, out=io.StringIO()) == 0, argv
        print(sorted(m for m in sys.modules if m.startswith("numba")))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "VOTING_ENGINE"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


# ------------------------------------------------------------------ cost model
def test_cost_model_picks_numpy_below_the_break_even_and_numba_above() -> None:
    for name, step in _dispatch.STEPS.items():
        limit = step.numpy_max_work
        assert limit * step.ns_per_unit * 1e-9 == pytest.approx(_dispatch.BREAK_EVEN_S)
        assert _dispatch.engine_for(name, limit) == "numpy"
        assert _dispatch.engine_for(name, limit * 1.01 + 1) == "numba"
        assert _dispatch.engine_for(name, 0, prefer_numba=True) == "numba"


def test_forced_engine_overrides_and_restores() -> None:
    with forced_engine("numba"):
        assert _dispatch.engine_for("pairwise", 0) == "numba"
        with forced_engine("numpy"):
            assert _dispatch.engine_for("pairwise", 1e30, prefer_numba=True) == "numpy"
        assert _dispatch.engine_for("pairwise", 0) == "numba"
    assert _dispatch.engine_for("pairwise", 0) == "numpy"
    with pytest.raises(ValueError, match="engine"), forced_engine("gpu"):  # type: ignore[arg-type]  # deliberately no such engine
        pass


def test_voting_engine_variable() -> None:
    code = "from voting import _dispatch; print(_dispatch.engine_for('pairwise', 0))"
    for value, expected in (("numba", "numba"), ("NumPy", "numpy"), ("", "numpy")):
        env = {**os.environ, "VOTING_ENGINE": value}
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
        )
        assert done.stdout.strip() == expected, done.stderr
    env = {**os.environ, "VOTING_ENGINE": "gpu"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert done.returncode != 0 and "VOTING_ENGINE='gpu'" in done.stderr


def test_compile_notice_once_on_a_cold_cache_and_never_on_a_warm_one(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        import sys
        import numpy as np
        from voting import _dispatch
        with _dispatch.compile_notice(sys.stderr):
            k = _dispatch.kernels("tallies")
            r = np.zeros((2, 3), dtype=np.int32)
            w = np.ones(2, dtype=np.int64)
            k._top_tier_counts(r, w, np.ones(3, dtype=np.bool_), False)
            k._tier_counts(r, w, True)
        """
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path), "VOTING_NUMBA_CACHE": "1"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    assert runs[0].stderr.count(_dispatch.COMPILE_NOTICE) == 1
    assert _dispatch.COMPILE_NOTICE not in runs[1].stderr


# ------------------------------------------------------------------ ranks and rows
@st.composite
def raw_ranks(draw: st.DrawFn) -> np.ndarray[Any, Any]:
    """Rank arrays that are not dense: gaps, repeats, large values, unranked cells."""
    c = draw(st.integers(1, 8))
    v = draw(st.integers(1, 20))
    cell = st.one_of(st.integers(0, 2 * c), st.just(UNRANKED), st.integers(0, 10**6))
    rows = draw(st.lists(st.lists(cell, min_size=c, max_size=c), min_size=v, max_size=v))
    return np.array(rows, dtype=np.int32)


@SETTINGS
@given(raw_ranks())
def test_ranks_match(ranks: np.ndarray[Any, Any]) -> None:
    first = n_ranks.first_non_dense_row(ranks)
    assert first == int(k_ranks._first_non_dense_row(ranks))
    start = max(first, 0)
    same(n_ranks.dense_ranks_from(ranks, start), k_ranks._dense_ranks_from(ranks, start))


@SETTINGS
@given(profiles(max_candidates=5, max_voters=40), st.integers(0, 3))
def test_group_rows_match(p: Profile, repeat: int) -> None:
    ranks = np.ascontiguousarray(np.tile(p.ranks, (repeat + 1, 1)))
    weights = np.tile(p.weights, repeat + 1)
    with forced_engine("numba"):  # the kernel, through its typed entry point
        kernel = group_rows(ranks, weights)
    same(n_rows.group_rows(ranks, weights), kernel)


@SETTINGS
@given(profiles(max_candidates=40, max_voters=20))
def test_row_keys_match(p: Profile) -> None:
    with forced_engine("numpy"):
        a = row_keys(p.ranks)
    with forced_engine("numba"):
        b = row_keys(p.ranks)
    assert len(a) == len(b) >= 1  # up to 4 keys a row at 40 candidates
    for x, y in zip(a, b, strict=True):
        same(x, y)


@SETTINGS
@given(profiles(max_candidates=5, max_voters=20), st.booleans())
def test_row_order_check_matches(p: Profile, compressed: bool) -> None:
    ranks = p.compress().ranks if compressed else p.ranks
    got = n_rows.rows_strictly_increasing(ranks)
    assert got == bool(k_rows._rows_strictly_increasing(ranks))
    if compressed:
        assert got


# ------------------------------------------------------------------ pairwise
@SETTINGS
@given(profiles(max_candidates=9, max_voters=60, max_weight=10**12))
def test_pairwise_counts_match(p: Profile) -> None:
    ignore = p.unranked == "ignore"
    expected = k_pairwise._pairwise_counts_serial(p.ranks, p.weights, ignore)
    same(n_pairwise.pairwise_counts(p.ranks, p.weights, ignore), expected)


def test_pairwise_counts_past_float_exactness() -> None:
    """Total weight above 2**53: the NumPy path switches to int64 and stays exact."""
    ranks = np.array([[0, 1, UNRANKED], [1, 0, 0], [0, 0, 1]], dtype=np.int32)
    weights = np.array([2**60 + 1, 2**59 + 3, 7], dtype=np.int64)
    for ignore in (False, True):
        expected = k_pairwise._pairwise_counts_serial(ranks, weights, ignore)
        same(n_pairwise.pairwise_counts(ranks, weights, ignore), expected)


def test_pairwise_blocks() -> None:
    """More ballots than one block of the NumPy path."""
    rng = np.random.default_rng(5)
    ranks = np.argsort(rng.random((30_000, 6)), axis=1).astype(np.int32)
    ranks[rng.random(ranks.shape) < 0.3] = UNRANKED
    weights = rng.integers(1, 4, 30_000).astype(np.int64)
    for ignore in (False, True):
        expected = k_pairwise._pairwise_counts_serial(ranks, weights, ignore)
        same(n_pairwise.pairwise_counts(ranks, weights, ignore), expected)


# ------------------------------------------------------------------ Schulze
@SETTINGS
@given(
    st.integers(1, 12).flatmap(
        lambda c: st.lists(
            st.lists(st.integers(0, 6), min_size=c, max_size=c), min_size=c, max_size=c
        )
    ),
    st.sampled_from([np.int32, np.int64]),
)
def test_strongest_paths_and_tiers_match(rows: list[list[int]], dtype: Any) -> None:
    s = np.array(rows, dtype=dtype)
    paths = k_schulze._strongest_paths_serial(s)
    same(n_schulze.strongest_paths(s), paths)
    same(n_schulze.schulze_tiers(paths), k_schulze._schulze_tiers(paths))


# ------------------------------------------------------------------ tallies
@SETTINGS
@given(profiles(max_candidates=7, max_voters=40), st.data(), st.booleans())
def test_tallies_match(p: Profile, data: st.DataObject, unranked_tier: bool) -> None:
    c = p.num_candidates
    active = np.array(data.draw(st.lists(st.booleans(), min_size=c, max_size=c)), dtype=np.bool_)
    args = (p.ranks, p.weights, active, unranked_tier)
    out, exhausted = k_tallies._top_tier_counts(*args)
    same(n_tallies.top_tier_counts(*args), (out, int(exhausted)))
    last = p.unranked == "last"
    same(
        n_tallies.tier_counts(p.ranks, p.weights, last),
        k_tallies._tier_counts(p.ranks, p.weights, last),
    )


# ------------------------------------------------------------------ STV
def _orders(p: Profile) -> tuple[Any, ...]:
    """Orders by both engines (equal), with the tiers of strict ballots built as
    :class:`Ballots` builds them (neither engine stores them)."""
    rows = np.arange(p.num_ballots, dtype=np.int64)
    got = n_stv.ballot_orders(p.ranks, rows)
    for dtype in (np.int8, np.int32):  # the kernel fills the order array it is given
        expected = k_stv._ballot_orders(p.ranks, rows, np.empty(p.ranks.shape, dtype=dtype))
        assert expected[0].dtype == dtype
        same(got, (*expected[:3], bool(expected[3])))
    order, tier, length, strict = got
    assert tier.shape == ((0 if strict else order.shape[0]), order.shape[1])
    ballots = Ballots(order, tier, length, np.ones(order.shape[0], dtype=np.int64), strict, 0, 0)
    return order, ballots.tier, length, strict


@SETTINGS
@given(
    profiles(min_candidates=2, max_candidates=7, max_voters=30, max_weight=10**6),
    st.data(),
    st.booleans(),
)
def test_meek_distribution_matches(p: Profile, data: st.DataObject, nz: bool) -> None:
    order, tier, length, _ = _orders(p)
    c = p.num_candidates
    scale = 10**9
    kf = np.array(
        data.draw(
            st.lists(
                st.one_of(st.just(0), st.just(scale), st.integers(0, scale)),
                min_size=c,
                max_size=c,
            )
        ),
        dtype=np.int64,
    )
    mult = np.ascontiguousarray(p.weights, dtype=np.int64)
    votes, excess = k_stv._meek_distribute_serial(order, tier, length, mult, kf, scale, nz)
    got = n_stv.MeekFlat(order, tier, length, mult)(kf, scale, nz)
    same(got, (votes, int(excess)))


def test_exact_bincount_both_ways() -> None:
    """Float bincount below 2**52, int64 add.at above: the same exact sums."""
    index = np.array([[0, 2], [2, 1]], dtype=np.intp)
    small = np.array([[3, 4], [5, 6]], dtype=np.int64)
    assert n_stv._exact_bincount(index, small, 4).tolist() == [3, 6, 9, 0]
    big = small * 2**60 // 8 + 1  # past float64's exact integers
    expected = [int(big[0, 0]), int(big[1, 1]), int(big[0, 1]) + int(big[1, 0]), 0]
    assert n_stv._exact_bincount(index, big, 4).tolist() == expected


@SETTINGS
@given(profiles(min_candidates=2, max_candidates=7, max_voters=30), st.data())
def test_gregory_steps_match(p: Profile, data: st.DataObject) -> None:
    order, _, length, _ = _orders(p)
    c = p.num_candidates
    mult = np.ascontiguousarray(p.weights, dtype=np.int64)
    flags = st.lists(st.booleans(), min_size=c, max_size=c)
    continuing = np.array(data.draw(flags), dtype=np.bool_)
    k_at, k_pos = k_stv._gregory_start(order, length, continuing)
    n_at, n_pos = n_stv.gregory_start(order, length, continuing)
    same((n_at, n_pos), (k_at, k_pos))
    u = p.num_ballots
    n_classes = 3
    cls = np.array(data.draw(st.lists(st.integers(0, 2), min_size=u, max_size=u)), np.int32)
    arrived = np.array(data.draw(st.lists(st.integers(0, 2), min_size=u, max_size=u)), np.int32)
    k_state = (k_at, k_pos, cls.copy(), arrived.copy())
    n_state = (n_at, n_pos, cls.copy(), arrived.copy())
    for _ in range(3):  # a few moves in a row, each from the state the last one left
        source = np.array(data.draw(flags), dtype=np.bool_)
        continuing = np.array(data.draw(flags), dtype=np.bool_)
        parcel = data.draw(st.integers(-1, 2))
        select = np.array(data.draw(st.lists(st.booleans(), min_size=3, max_size=3)), np.bool_)
        cmap = np.array(data.draw(st.lists(st.integers(0, 2), min_size=3, max_size=3)), np.int32)
        stage = data.draw(st.integers(0, 5))
        keep_stuck = data.draw(st.booleans())
        same(
            n_stv.gregory_parcel(order, length, *n_state, mult, source, parcel, continuing, 3),
            k_stv._gregory_parcel(order, length, *k_state, mult, source, parcel, continuing, 3),
        )
        move = (source, select, cmap, continuing)
        k_stv._gregory_move(order, length, *k_state, *move, parcel, stage, keep_stuck)
        n_stv.gregory_move(order, length, *n_state, *move, parcel, stage, keep_stuck)
        same(n_state, k_state)
        at, _, cls_now, _ = n_state
        same(
            n_stv.gregory_tally(at, cls_now, mult, c, n_classes),
            k_stv._gregory_tally(at, cls_now, mult, c, n_classes),
        )


# ------------------------------------------------------------------ CIVS proportional
@SETTINGS
@given(weight_tables(), st.data())
def test_climb_table_matches(table: tuple[Any, Any, int], data: st.DataObject) -> None:
    w, wts, k = table
    c = w.shape[1]
    comm = np.array(sorted(data.draw(st.permutations(range(c)))[:k]), dtype=np.int64)
    kernel = ClimbState(w, wts, comm, parallel=False)
    numpy_ = n_civs.ClimbTable(w, wts, comm)
    members = set(comm.tolist())
    for _ in range(2):
        pairs = [(x, y) for x in sorted(members) for y in range(c) if y not in members]
        xs = np.array([x for x, _ in pairs], dtype=np.int64)
        ys = np.array([y for _, y in pairs], dtype=np.int64)
        same(numpy_.counts(xs, ys), kernel.counts(xs, ys))
        old, new = pairs[data.draw(st.integers(0, len(pairs) - 1))]
        kernel.swap(old, new)
        numpy_.swap(old, new)
        members = (members - {old}) | {new}


@SETTINGS
@given(weight_tables(), st.booleans(), st.data())
def test_pair_counts_and_tallies_match(
    table: tuple[Any, Any, int], combined: bool, data: st.DataObject
) -> None:
    w, wts, k = table
    c = w.shape[1]
    every = list(itertools.combinations(range(c), k))
    comms = np.array(data.draw(st.lists(st.sampled_from(every), min_size=2, max_size=6)))
    pairs = np.array(list(itertools.combinations(range(len(comms)), 2)), dtype=np.int64)
    raw = pair_counts(w, wts, comms, pairs, combined, False)
    same(n_civs.pair_counts(w, wts, comms, pairs, combined), raw)
    n_voters = int(wts.sum())
    initial = data.draw(st.sampled_from([n_voters, c]))
    args = (np.ascontiguousarray(raw[:, 0]), np.ascontiguousarray(raw[:, 1]), n_voters, k, initial)
    same(n_civs.strong_tallies(*args), k_civs._strong_tallies(*args))


# ------------------------------------------------------------------ analysis
@SETTINGS
@given(profiles(max_candidates=8, max_voters=30), st.integers(0, 8))
def test_spread_and_blocs_match(p: Profile, max_size: int) -> None:
    ignore = p.unranked == "ignore"
    same(
        n_spread.position_counts(p.ranks, p.weights, ignore),
        k_spread._position_counts(p.ranks, p.weights, ignore),
    )
    same(n_blocs.prefix_sets(p.ranks, max_size), k_blocs._prefix_sets(p.ranks, max_size))


def test_blocs_past_one_word() -> None:
    """More than 64 candidates: bitmasks of two words."""
    rng = np.random.default_rng(3)
    ranks = np.argsort(rng.random((40, 70)), axis=1).astype(np.int32)
    ranks[rng.random(ranks.shape) < 0.5] = UNRANKED
    p = Profile(ranks, candidates=[f"c{i}" for i in range(70)])
    same(n_blocs.prefix_sets(p.ranks, 70), k_blocs._prefix_sets(p.ranks, 70))


# ------------------------------------------------------------------ whole methods
def deep_equal(x: Any, y: Any) -> bool:
    """Equal values: arrays by value, dataclasses field by field, containers item by item."""
    if type(x) is not type(y):
        return False
    if isinstance(x, np.ndarray):
        return x.shape == y.shape and bool(np.array_equal(x, y))
    if dataclasses.is_dataclass(x):
        fields = dataclasses.fields(x)
        return all(deep_equal(getattr(x, f.name), getattr(y, f.name)) for f in fields)
    if isinstance(x, tuple | list):
        return len(x) == len(y) and all(deep_equal(a, b) for a, b in zip(x, y, strict=True))
    if isinstance(x, dict):
        return x.keys() == y.keys() and all(deep_equal(x[k], y[k]) for k in x)
    return bool(x == y)


def same_result(a: Any, b: Any) -> None:
    """Equal results, explanations included (every field, arrays by value)."""
    assert deep_equal(a, b), (a, b)


def both_engines(run: Any) -> tuple[Any, Any]:
    with forced_engine("numpy"):
        a = run()
    with forced_engine("numba"):
        b = run()
    return a, b


METHODS = [
    voting.Schulze(),
    voting.MinimaxPM(),
    voting.RankedPairs(),
    voting.IRV(),
    voting.CondorcetIRV(),
    voting.Borda(),
    voting.STV(seats=2, rule="meek"),
    voting.STV(seats=2, rule="meek-equal"),
    voting.STV(seats=2, rule="meek-nz"),
    voting.STV(seats=2, rule="scottish"),
    voting.STV(seats=2, rule="ers97"),
    voting.STV(seats=2, rule="fractional"),
    voting.CIVSProportional(seats=2),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles(min_candidates=3, max_candidates=6, max_voters=25), st.sampled_from(METHODS))
def test_methods_give_equal_results_on_both_engines(p: Profile, method: Any) -> None:
    if p.num_voters == 0:
        return
    try:
        a, b = both_engines(lambda: method.run(p))
    except voting.VotingError as exc:  # refused alike (no valid vote, say): both raise
        with pytest.raises(type(exc)), forced_engine("numba"):
            method.run(p)
        return
    same_result(a, b)


def test_bundled_examples_give_equal_output_on_both_engines() -> None:
    from voting.examples import load_example

    p = load_example("nixos-steering-2024")
    for method in (
        voting.STV(seats=7),
        voting.STV(seats=7, rule="scottish"),
        voting.CIVSProportional(seats=7),
    ):
        same_result(*both_engines(lambda m=method: m.run(p)))
    d = load_example("debian-leader-2005")
    a, b = both_engines(lambda: (d.pairwise.support.tolist(), voting.rank_spread(d).counts))
    assert a[0] == b[0] and np.array_equal(a[1], b[1])


def test_civs_reader_equal_on_both_engines(tmp_path: Path) -> None:
    text = 'A,B,C\n1,2,3\n\n2, 1 ,No opinion\r\n"3",1,2\n1,1,\n'
    path = tmp_path / "b.csv"
    path.write_text(text, encoding="utf-8")
    a, b = both_engines(lambda: voting.read_ballots(path, format="civs", compress=False))
    assert a == b
    assert a.num_ballots == 4
