"""The row kernels of the ordered deduplication (``voting._kernels.rows``) against plain
Python (``tests.naive``), and :func:`voting._distinct.distinct_rows` on both engines:
rows that share their first sort key, duplicates, and a sorted head to merge."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import naive
from tests.strategies import profiles
from voting import BallotCounter, Profile
from voting._dispatch import forced_engine
from voting._distinct import (
    MERGE_MIN_SHARE,
    distinct_rows,
    lex_order,
    merge_distinct,
    narrow_ranks,
    row_keys,
    widen_ranks,
)
from voting._kernels import rows as k_rows

SETTINGS = settings(
    max_examples=int(os.environ.get("VOTING_ENGINE_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _mixed_rows(
    p: Profile, data: st.DataObject
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Rows of ``p`` with copies, and copies whose last two cells are swapped (the same
    first sort key at 15+ candidates, where a row takes two keys), shuffled."""
    ranks, weights = p.ranks, p.weights
    parts = [ranks]
    wparts = [weights]
    if ranks.shape[0] and ranks.shape[1] >= 2:
        swapped = ranks.copy()
        swapped[:, [-1, -2]] = swapped[:, [-2, -1]]
        parts.append(swapped)
        wparts.append(weights)
    copies = data.draw(st.integers(0, 2))
    parts += [ranks] * copies
    wparts += [weights] * copies
    rows = np.concatenate(parts)
    w = np.concatenate(wparts)
    perm = np.array(data.draw(st.permutations(range(rows.shape[0]))), dtype=np.intp)
    return np.ascontiguousarray(rows[perm]), np.ascontiguousarray(w[perm])


@SETTINGS
@given(profiles(min_candidates=1, max_candidates=18, max_voters=25), st.data())
def test_sorted_prefix_matches_reference(p: Profile, data: st.DataObject) -> None:
    rows, _ = _mixed_rows(p, data)
    head = data.draw(st.booleans())
    if head:  # a sorted, distinct head before the rest
        rows = np.concatenate([p.compress().ranks, rows])
    expected = naive.sorted_prefix(rows.tolist())
    assert int(k_rows._sorted_prefix(rows)) == expected
    assert bool(k_rows._rows_strictly_increasing(rows)) == (expected == rows.shape[0])


@SETTINGS
@given(
    profiles(min_candidates=1, max_candidates=18, max_voters=25, unranked="last"),
    profiles(min_candidates=1, max_candidates=18, max_voters=25, unranked="last"),
)
def test_merge_sorted_rows_matches_reference(a: Profile, b: Profile) -> None:
    c = min(a.num_candidates, b.num_candidates)
    a = a.restrict(range(c)).compress()
    b = b.restrict(range(c)).compress()
    rows, weights = k_rows._merge_sorted_rows(a.ranks, a.weights, b.ranks, b.weights)
    expected = naive.distinct_sorted_rows(
        a.ranks.tolist() + b.ranks.tolist(), a.weights.tolist() + b.weights.tolist()
    )
    assert [tuple(r) for r in rows.tolist()] == expected[0]
    assert weights.tolist() == expected[1]
    assert rows.dtype == np.int32 and weights.dtype == np.int64


@SETTINGS
@given(
    profiles(min_candidates=1, max_candidates=18, max_voters=25),
    st.data(),
    st.sampled_from(["numpy", "numba"]),
)
def test_distinct_rows_matches_reference(p: Profile, data: st.DataObject, engine: str) -> None:
    rows, weights = _mixed_rows(p, data)
    if data.draw(st.booleans()):  # a head already distinct and in order, long enough to merge
        head = p.compress()
        reps = MERGE_MIN_SHARE
        rows = np.concatenate([head.ranks] * 1 + [rows[: head.ranks.shape[0] * (reps - 1)]])
        weights = np.concatenate([head.weights, weights[: head.ranks.shape[0] * (reps - 1)]])
    expected = naive.distinct_sorted_rows(rows.tolist(), weights.tolist())
    with forced_engine(engine):  # type: ignore[arg-type]
        got_rows, got_weights = distinct_rows(rows, weights)
    assert [tuple(r) for r in got_rows.tolist()] == expected[0]
    assert got_weights.tolist() == expected[1]
    if rows.shape[0] == 0:  # no rows: the (empty) arrays come back as given
        return
    assert not got_rows.flags.writeable and got_rows.flags.c_contiguous
    assert not got_weights.flags.writeable and got_weights.dtype == np.int64


@SETTINGS
@given(profiles(min_candidates=1, max_candidates=40, max_voters=25), st.data())
def test_lex_order_sorts_the_keys(p: Profile, data: st.DataObject) -> None:
    rows, _ = _mixed_rows(p, data)
    if rows.shape[0] == 0:
        return
    keys = row_keys(rows)
    order = lex_order(keys)
    assert sorted(order.tolist()) == list(range(rows.shape[0]))
    got = [tuple(int(k[i]) for k in keys) for i in order.tolist()]
    assert got == sorted(got)
    # the keys order rows as the rows themselves do
    assert [tuple(rows[i].tolist()) for i in order.tolist()] == sorted(map(tuple, rows.tolist()))


@SETTINGS
@given(
    profiles(min_candidates=1, max_candidates=18, max_voters=25, unranked="last"),
    profiles(min_candidates=1, max_candidates=18, max_voters=25, unranked="last"),
    st.data(),
    st.sampled_from(["numpy", "numba"]),
)
def test_merge_distinct_matches_reference(
    a: Profile, b: Profile, data: st.DataObject, engine: str
) -> None:
    """A BallotCounter's merge: distinct sorted rows held, then unsorted rows with
    duplicates (some equal to rows held)."""
    c = min(a.num_candidates, b.num_candidates)
    held = a.restrict(range(c)).compress()
    b = b.restrict(range(c))
    more, more_w = _mixed_rows(b, data)
    if data.draw(st.booleans()):  # rows already held, again
        more = np.concatenate([more, held.ranks])
        more_w = np.concatenate([more_w, held.weights])
    expected = naive.distinct_sorted_rows(
        held.ranks.tolist() + more.tolist(), held.weights.tolist() + more_w.tolist()
    )
    with forced_engine(engine):  # type: ignore[arg-type]
        rows, weights = merge_distinct(held.ranks, held.weights, more, more_w)
    assert [tuple(r) for r in rows.tolist()] == expected[0]
    assert weights.tolist() == expected[1]


@SETTINGS
@given(
    profiles(min_candidates=1, max_candidates=18, max_voters=25),
    st.data(),
    st.sampled_from(["numpy", "numba"]),
)
def test_narrow_rows_deduplicate_as_the_wide_ones(
    p: Profile, data: st.DataObject, engine: str
) -> None:
    """One byte a cell (UNRANKED -> 255): the same distinct rows, in the same order, and
    widened back exactly."""
    rows, weights = _mixed_rows(p, data)
    narrow = narrow_ranks(rows)
    assert narrow.dtype == np.uint8
    with forced_engine(engine):  # type: ignore[arg-type]
        assert np.array_equal(widen_ranks(narrow), rows)
        wide_rows, wide_w = distinct_rows(rows, weights)
        got_rows, got_w = distinct_rows(narrow, weights)
        held = p.compress()
        merged = merge_distinct(narrow_ranks(held.ranks), held.weights, narrow, weights)
        expected = merge_distinct(held.ranks, held.weights, rows, weights)
    assert got_rows.dtype == np.uint8 and np.array_equal(widen_ranks(got_rows), wide_rows)
    assert np.array_equal(got_w, wide_w)
    assert np.array_equal(widen_ranks(merged[0]), expected[0])
    assert np.array_equal(merged[1], expected[1])
    assert [k.tolist() for k in row_keys(narrow)] == [k.tolist() for k in row_keys(rows)]


def test_wide_profiles_are_not_narrowed() -> None:
    ranks = np.zeros((2, 256), dtype=np.int32)
    ranks[0, 0] = 1
    assert narrow_ranks(ranks) is ranks
    assert widen_ranks(ranks) is ranks


@SETTINGS
@given(
    st.lists(
        profiles(min_candidates=16, max_candidates=16, max_voters=20, unranked="last"),
        min_size=1,
        max_size=5,
    ),
)
def test_ballot_counter_on_the_numba_engine_equals_compress(chunks: list[Profile]) -> None:
    """Batches merged into the narrow rows held (one byte a cell, two sort keys a row at
    16 candidates) give Profile.compress of every ballot; so do the rows at 300
    candidates, which stay int32."""
    names = chunks[0].candidates
    chunks = [Profile(c.ranks, c.weights, names, "last") for c in chunks]
    wide = [
        Profile(
            np.pad(c.ranks, ((0, 0), (0, 284)), constant_values=np.iinfo(np.int32).max),
            c.weights,
            [f"c{i}" for i in range(300)],
            "last",
        )
        for c in chunks
    ]
    for parts in (chunks, wide):
        with forced_engine("numba"):
            counter = BallotCounter()
            seen = 0
            for part in parts:  # each chunk twice: rows held meet the same rows queued
                counter.update(part)
                seen += part.num_ballots
                assert counter.num_ballots <= seen  # merges now: the next rows merge in
                counter.update(part)
            got = counter.to_profile()
            everything = Profile(
                np.concatenate([c.ranks for c in parts for _ in range(2)]),
                np.concatenate([c.weights for c in parts for _ in range(2)]),
                parts[0].candidates,
                "last",
            ).compress()
        assert got == everything
        assert got.ranks.dtype == np.int32 and not got.ranks.flags.writeable


def test_a_counter_pickled_with_int32_rows_merges_them_as_narrow() -> None:
    """A counter whose state holds int32 rows (as versions before the narrow rows
    pickled it) narrows them when unpickled, so they merge exactly with new rows."""
    p = Profile.from_rankings([["A", "B"], ["B"], ["C", "A", "B"]], weights=[2, 1, 1])
    counter = BallotCounter().update(p)
    state = counter.__getstate__()
    state["_ranks"] = widen_ranks(state["_ranks"])  # the int32 rows of an older version
    old = BallotCounter.__new__(BallotCounter)
    old.__setstate__(state)
    with forced_engine("numba"):
        got = old.update(p).to_profile()
    assert got == (p + p).compress()


def test_merge_distinct_refuses_rows_of_two_widths() -> None:
    wide = np.array([[0, 1]], dtype=np.int32)
    one = np.ones(1, dtype=np.int64)
    with pytest.raises(TypeError, match="uint8 rows with int32"):
        merge_distinct(narrow_ranks(wide), one, wide, one)
