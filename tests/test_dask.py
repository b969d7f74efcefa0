"""voting.dask on a local distributed cluster (2 worker processes): equal to the in-memory path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dask.array as da
import dask.bag as db
import numpy as np
import pytest
from dask.base import compute
from distributed import Client, LocalCluster
from hypothesis import given, settings
from hypothesis import strategies as st

import voting
import voting.dask as vd
from voting import (
    STV,
    EmptyProfileError,
    InvalidParameterError,
    InvalidProfileError,
    Profile,
    Schulze,
    count_ballots,
    iter_ballots,
    pairwise,
    read_ballots,
)
from voting.testing.strategies import profiles

DEBIAN = Path(voting.__file__).resolve().parent / "data" / "debian-leader-2005.txt"
NIX = Path("nixos/SC-election-2025/opavote-ballots-5.blt")


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """One cluster for the module: 2 worker processes, 1 thread each (a few seconds)."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit="2GiB",
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def _arrays(profile: Profile, rows_per_block: int) -> tuple[da.Array, da.Array]:
    n = max(1, rows_per_block)
    ranks = da.from_array(np.asarray(profile.ranks), chunks=(n, -1))
    weights = da.from_array(np.asarray(profile.weights), chunks=n)
    return ranks, weights


@settings(max_examples=6)
@given(profiles(max_candidates=6, max_voters=30), st.integers(1, 12))
def test_array_reductions_equal_in_memory(client: Client, profile: Profile, block: int) -> None:
    ranks, weights = _arrays(profile, block)
    names, unranked = profile.candidates, profile.unranked
    pw, counted = compute(
        vd.pairwise(ranks, weights=weights, candidates=names, unranked=unranked, compute=False),
        vd.count_ballots(
            ranks,
            weights=weights,
            candidates=names,
            unranked=unranked,
            compute=False,
            split_every=2,
        ),
    )
    assert pw == pairwise(profile)
    assert counted == profile.compress()


def test_bag_of_profiles_from_a_real_election(client: Client, elections_dir: Path) -> None:
    # Chunks are read here and shipped to the workers; on a real cluster each worker
    # would read its own files (db.from_sequence(paths).map(voting.read_ballots)).
    debian = read_ballots(DEBIAN)
    bag = db.from_sequence(list(iter_ballots(DEBIAN, chunk_size=40)), npartitions=4)
    matrix = vd.pairwise(bag)
    assert matrix == pairwise(debian)
    schulze = Schulze()
    assert schulze.run_pairwise(matrix).ranking == schulze.run(debian).ranking
    assert vd.count_ballots(bag) == debian

    path = elections_dir / NIX
    nix, report = read_ballots(path, format="blt", errors="collect")
    chunks = list(iter_ballots(path, format="blt", chunk_size=25))
    compressed = vd.count_ballots(db.from_sequence(chunks, npartitions=3))
    assert compressed == count_ballots(chunks) == nix
    stv = STV(seats=report.seats or 1, rule="meek")
    assert stv.run(compressed).elected == stv.run(nix).elected


def test_big_array_with_column_chunks(client: Client) -> None:
    rng = np.random.default_rng(7)
    ranks = np.argsort(rng.random((20_000, 8)), axis=1).astype(np.int32)
    ranks[rng.random(ranks.shape) < 0.1] = voting.UNRANKED
    weights = rng.integers(1, 5, size=20_000)
    profile = Profile(ranks, weights, [f"c{i}" for i in range(8)], "ignore")
    x = da.from_array(ranks, chunks=(3_000, 3))  # column chunks are merged first
    w = da.from_array(weights, chunks=7_000)  # realigned on the rank blocks
    assert vd.pairwise(x, weights=w, unranked="ignore") == pairwise(profile)
    assert vd.count_ballots(x, weights=w, unranked="ignore") == profile.compress()


def test_bag_of_tiered_ballots(client: Client) -> None:
    ballots: list[list[str | tuple[str, ...]]] = [
        ["A", ("B", "C")],
        ["C"],
        ["B", "A", "C"],
        ["A", ("B", "C")],
    ] * 5
    profile = Profile.from_rankings(ballots, candidates=["A", "B", "C"])
    bag = db.from_sequence(ballots, npartitions=3)
    assert vd.pairwise(bag, candidates=["A", "B", "C"]) == pairwise(profile)
    assert vd.count_ballots(bag, candidates=["A", "B", "C"]) == profile.compress()


def test_bad_inputs() -> None:
    with pytest.raises(InvalidParameterError, match=r"dask\.array"):
        vd.pairwise(np.zeros((2, 2)))  # type: ignore[call-overload]  # deliberately not dask
    with pytest.raises(InvalidProfileError, match="2-D"):
        vd.pairwise(da.zeros(3, dtype=np.int32))
    with pytest.raises(InvalidProfileError, match="dtype"):
        vd.count_ballots(da.zeros((3, 2)))
    with pytest.raises(InvalidProfileError, match="3 columns but 2 candidates"):
        vd.pairwise(da.zeros((3, 3), dtype=np.int32), candidates=["A", "B"])
    with pytest.raises(InvalidProfileError, match="4 entries for 3 ballots"):
        vd.pairwise(da.zeros((3, 2), dtype=np.int32), weights=da.ones(4, dtype=np.int64))
    with pytest.raises(InvalidParameterError, match="split_every"):
        vd.pairwise(da.zeros((3, 2), dtype=np.int32), split_every=1)
    bag = db.from_sequence([["A", "B"]], npartitions=1)
    with pytest.raises(InvalidParameterError, match="weights= is for arrays"):
        vd.count_ballots(bag, weights=da.ones(1, dtype=np.int64))
    with pytest.raises(InvalidProfileError, match="needs candidates"):
        vd.pairwise(bag)
    with pytest.raises(InvalidProfileError, match="negative rank"):
        vd.pairwise(-da.ones((3, 2), dtype=np.int32))
    other = Profile.from_rankings([["A", "B"]])
    with pytest.raises(InvalidProfileError, match="expected"):
        vd.count_ballots(db.from_sequence([other]), candidates=["B", "A"])
    empty = db.from_sequence([], npartitions=1)
    with pytest.raises(EmptyProfileError, match="no ballots"):
        vd.pairwise(empty)
    with pytest.raises(EmptyProfileError, match="no ballots"):
        vd.count_ballots(empty)
    assert vd.pairwise(empty, candidates=["A", "B"]).support.tolist() == [[0, 0], [0, 0]]
    assert vd.count_ballots(empty, candidates=["A", "B"]).num_ballots == 0
