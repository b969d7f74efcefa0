"""Counting from a stream of chunks: pairwise(chunks), BallotCounter, count_ballots, progress."""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from pathlib import Path
from random import Random
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import voting
import voting._progress as progress_module
import voting.streaming as streaming
from voting import (
    STV,
    BallotCounter,
    Copeland,
    EmptyProfileError,
    InvalidParameterError,
    InvalidProfileError,
    Minimax,
    MinimaxPM,
    Profile,
    RankedPairs,
    Schulze,
    count_ballots,
    iter_ballots,
    pairwise,
    read_ballots,
)
from voting.testing.strategies import profiles

DATA = Path(voting.__file__).resolve().parent / "data"
DEBIAN = DATA / "debian-leader-2005.txt"
KUBERNETES = DATA / "kubernetes-steering-2023.csv"
NIX = Path("nixos/SC-election-2025/opavote-ballots-5.blt")


def split(profile: Profile, cuts: list[int]) -> list[Profile]:
    """``profile`` cut into consecutive chunks at the (sorted, clipped) row indices."""
    n = profile.num_ballots
    edges = [0, *sorted(min(max(c, 0), n) for c in cuts), n]
    return [
        Profile(profile.ranks[a:b], profile.weights[a:b], profile.candidates, profile.unranked)
        for a, b in itertools.pairwise(edges)
    ]


cuts = st.lists(st.integers(0, 40), max_size=6)


def outcome(result: voting.Result[Any]) -> tuple[object, ...]:
    """What a result decides (explanations hold arrays, which do not compare with ==)."""
    return (result.ranking, result.winners, result.elected, result.tied_at_last_seat)


@settings(max_examples=40)
@given(profiles(max_candidates=7, max_voters=40), cuts)
def test_pairwise_of_chunks_equals_in_memory(profile: Profile, at: list[int]) -> None:
    chunks = split(profile, at)
    assert pairwise(iter(chunks)) == pairwise(profile)
    assert pairwise(chunks, parallel=True) == pairwise(profile, parallel=False)


@given(profiles(max_candidates=7, max_voters=40), cuts)
def test_count_ballots_equals_compress(profile: Profile, at: list[int]) -> None:
    assert count_ballots(iter(split(profile, at))) == profile.compress()


@given(profiles(max_candidates=6, max_voters=40), cuts, st.randoms(use_true_random=False))
def test_counters_merge_in_any_order(profile: Profile, at: list[int], rnd: Random) -> None:
    saved = streaming.MIN_BATCH_ROWS
    streaming.MIN_BATCH_ROWS = 3  # merge often
    try:
        counters = [BallotCounter().update(c) for c in split(profile, at)]
        rnd.shuffle(counters)
        while len(counters) > 1:  # merge random pairs, as a reduction tree would
            i = rnd.randrange(len(counters) - 1)
            counters[i : i + 2] = [counters[i] + counters[i + 1]]
        merged = counters[0]
    finally:
        streaming.MIN_BATCH_ROWS = saved
    assert merged.to_profile() == profile.compress()
    assert merged.num_voters == profile.num_voters
    assert merged.num_ballots == profile.compress().num_ballots


settings_small = settings(max_examples=30)


@settings_small
@given(profiles(min_voters=1, max_candidates=5, max_voters=30))
def test_pairwise_methods_run_from_a_stream(profile: Profile) -> None:
    streamed = pairwise(split(profile, [profile.num_ballots // 2]))
    for method in (Schulze(), MinimaxPM(), Minimax(), RankedPairs(), Copeland()):
        assert outcome(method.run_pairwise(streamed)) == outcome(method.run(profile))


def test_counter_batches_and_self_merge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streaming, "MIN_BATCH_ROWS", 4)
    rng = np.random.default_rng(1)
    ranks = np.argsort(rng.random((500, 4)), axis=1).astype(np.int32)
    weights = rng.integers(1, 10**12, size=500)
    profile = Profile(ranks, weights, ["a", "b", "c", "d"])
    counter = BallotCounter(["a", "b", "c", "d"], "last")
    for chunk in split(profile, list(range(0, 500, 7))):
        counter.update(chunk)
    assert counter.to_profile() == profile.compress()
    assert counter.num_ballots == 24  # every permutation of 4 appears
    counter.merge(counter)  # doubles every weight
    doubled = profile.compress()
    assert counter.to_profile().weights.tolist() == (2 * doubled.weights).tolist()
    assert "BallotCounter(" in repr(counter)


def test_real_elections_in_small_chunks(elections_dir: Path) -> None:
    debian = read_ballots(DEBIAN)
    streamed = pairwise(iter_ballots(DEBIAN, chunk_size=17))
    assert streamed == pairwise(debian)
    assert outcome(Schulze().run_pairwise(streamed)) == outcome(Schulze().run(debian))
    assert count_ballots(iter_ballots(DEBIAN, chunk_size=17)) == debian

    kube = read_ballots(KUBERNETES)
    streamed = pairwise(iter_ballots(KUBERNETES, chunk_size=5))
    assert outcome(MinimaxPM().run_pairwise(streamed)) == outcome(MinimaxPM().run(kube))
    raw = read_ballots(KUBERNETES, compress=False)
    assert count_ballots(iter_ballots(KUBERNETES, chunk_size=5)) == raw.compress() == kube

    nix, report = read_ballots(elections_dir / NIX, format="blt", errors="collect")
    assert report.seats is not None
    compressed = count_ballots(iter_ballots(elections_dir / NIX, format="blt", chunk_size=13))
    assert compressed == read_ballots(elections_dir / NIX, format="blt", compress=False).compress()
    stv = STV(seats=report.seats, rule="meek")
    assert outcome(stv.run(compressed)) == outcome(stv.run(nix))
    assert stv.run(compressed).explanation == stv.run(nix).explanation


def test_bad_streams() -> None:
    a = Profile.from_rankings([["A", "B"]])
    b = Profile.from_rankings([["A", "C"]])
    with pytest.raises(InvalidProfileError, match="chunk 1 has candidates"):
        pairwise([a, b])
    with pytest.raises(InvalidProfileError, match="chunk 1 has candidates"):
        pairwise([a, a.with_unranked("ignore")])
    with pytest.raises(InvalidProfileError, match="chunk 1 is a list"):
        pairwise([a, [["A", "B"]]])  # type: ignore[list-item]  # deliberately not a Profile
    with pytest.raises(EmptyProfileError, match="empty iterable"):
        pairwise(iter([]))
    with pytest.raises(InvalidProfileError, match=r"needs a voting\.Profile"):
        pairwise(3)  # type: ignore[arg-type]  # deliberately not a Profile
    with pytest.raises(InvalidProfileError, match="chunk 0 is a str"):
        count_ballots(["AB"])  # type: ignore[list-item]  # deliberately not a Profile
    with pytest.raises(InvalidProfileError, match=r"needs a voting\.Profile"):
        count_ballots(3)  # type: ignore[arg-type]  # deliberately not a Profile
    with pytest.raises(EmptyProfileError, match="nothing was counted"):
        BallotCounter().to_profile()
    with pytest.raises(InvalidProfileError, match="has candidates"):
        BallotCounter().update(a).update(b)
    with pytest.raises(InvalidProfileError, match="unranked="):
        BallotCounter(unranked="ignore").update(a)
    with pytest.raises(InvalidProfileError, match="has candidates"):
        BallotCounter().update(a).merge(BallotCounter().update(b))
    with pytest.raises(InvalidProfileError, match=r"needs a voting\.Profile"):
        BallotCounter().update([["A"]])  # type: ignore[arg-type]  # deliberately wrong
    with pytest.raises(InvalidProfileError, match="needs a BallotCounter"):
        BallotCounter().merge(a)  # type: ignore[arg-type]  # deliberately wrong
    with pytest.raises(InvalidProfileError, match="duplicate"):
        BallotCounter(["A", "A"])
    assert BallotCounter().merge(BallotCounter()).candidates is None
    assert count_ballots(a) == a.compress()
    empty = Profile(np.empty((0, 2), dtype=np.int32), None, ["A", "B"])
    assert count_ballots([empty]).num_ballots == 0
    assert BallotCounter().update(empty).to_profile() == empty


# ------------------------------------------------------------------- progress
class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("tqdm")
    profile = Profile.from_rankings([["A", "B"], ["B", "A"]], weights=[5, 7])
    quiet = io.StringIO()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert pairwise([profile, profile], progress=True) == pairwise(profile + profile)
    assert quiet.getvalue() == ""  # not a terminal: no bar
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    pairwise([profile, profile], progress=True)
    assert "24" in term.getvalue() and "voters" in term.getvalue()
    term.truncate(0)
    count_ballots([profile], progress=True)
    assert "count" in term.getvalue()
    term.truncate(0)
    assert read_ballots(DEBIAN, chunk_size=50, progress=True) == read_ballots(DEBIAN)
    assert DEBIAN.name in term.getvalue() and "B" in term.getvalue()
    term.truncate(0)
    pairwise([profile], progress=False)
    assert term.getvalue() == ""


def test_progress_without_tqdm_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", _Terminal())
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm now fails
    monkeypatch.setattr(progress_module, "_warned", False)
    profile = Profile.from_rankings([["A", "B"]])
    with pytest.warns(UserWarning, match=r"voting\[progress\]"):
        assert pairwise([profile], progress=True) == pairwise(profile)


def test_progress_argument_is_checked() -> None:
    profile = Profile.from_rankings([["A", "B"]])
    with pytest.raises(InvalidParameterError, match="progress="):
        pairwise([profile], progress="yes")  # type: ignore[arg-type]  # deliberately wrong
    with pytest.raises(InvalidParameterError, match="progress="):
        list(iter_ballots(DEBIAN, progress=1))  # type: ignore[arg-type]  # deliberately wrong


def test_import_voting_stays_light() -> None:
    code = (
        "import sys, voting; "
        "bad = [m for m in ('tqdm', 'dask', 'distributed', 'voting.dask') if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
