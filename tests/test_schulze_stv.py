"""Schulze STV: published examples, kernels against the exact reference, properties."""

from __future__ import annotations

import dataclasses
import math
import random
from fractions import Fraction
from typing import Any, get_args

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import naive_schulze_stv as ref
from voting import InvalidParameterError, Profile, Schulze, SchulzeSTV, UnsupportedProfileError
from voting._kernels.schulze_stv import (
    _better_masks,
    _committees,
    _prefers,
    _support_strengths,
    _support_strengths_lookup,
    _support_strengths_lookup_parallel,
    _support_strengths_parallel,
)
from voting.exceptions import InvalidProfileError
from voting.methods._proportional_completion import completed_strengths
from voting.methods.schulze_stv import Completion, estimate_seconds
from voting.testing import Budget, parametrize_with_checks
from voting.testing import strategies as vst

# Schulze, "Free Riding and Vote Management under Proportional Representation by the
# Single Transferable Vote" (2011), section 5.5: 600 voters, 5 candidates, 3 seats.
FREE_RIDING_EXAMPLE = [
    (60, "abcde"), (45, "acebd"), (30, "adbec"), (15, "aedcb"), (12, "baedc"),
    (48, "bcdea"), (39, "bdace"), (21, "becad"), (27, "cadbe"), (9, "cbaed"),
    (51, "cdeab"), (33, "cebda"), (42, "dacebb"), (18, "dbeca"), (6, "dcbae"),
    (54, "deabc"), (57, "eabcd"), (36, "ebdac"), (24, "ecadb"), (3, "edcba"),
]  # fmt: skip


def _profile(rows: list[tuple[int, str]]) -> Profile:
    return Profile.from_rankings(
        [list(dict.fromkeys(s)) for _, s in rows], weights=[w for w, _ in rows]
    )


def test_free_riding_example_elects_a_d_e() -> None:
    p = _profile(FREE_RIDING_EXAMPLE)
    r = SchulzeSTV(seats=3).run(p)
    assert r.elected == ("a", "d", "e")
    assert r.explanation.winning_committees == (("a", "d", "e"),)
    assert not r.tie_broken
    # {a, d, e} is unbeaten although three neighbours defeat it directly (these
    # strengths are computed here, hand-checkable; the source publishes the winners)
    comps = {(c.removed, c.added): c for c in r.explanation.comparisons}
    assert comps["a", "b"].support == 167 and comps["a", "b"].rival_support == 151
    assert comps["a", "c"].support == 154 and comps["a", "c"].rival_support == 156
    assert not comps["a", "c"].defeats
    for path in r.explanation.paths:
        if path.backward is not None:
            assert path.forward is not None and path.forward >= path.backward
    r.check(p)


@pytest.mark.parametrize("carter_first", [False, True])
def test_wikipedia_vote_management_example(carter_first: bool) -> None:
    """Andrea / Brad / Carter, 2 seats: the Yellow party's vote management (telling
    13 Andrea voters to rank Carter first) does not win Carter the second seat."""
    rows = [
        (12, "ABC"),
        (26, "ACB"),
        (12, "CAB" if carter_first else "ACB"),
        (13, "CAB"),
        (27, "B"),
    ]
    r = SchulzeSTV(seats=2).run(_profile(rows))
    assert r.elected == ("A", "B")
    comps = {c.rival: c for c in r.explanation.comparisons}
    # {A, B} against C: min(W(A), W(B), W(A or B) / 2); {A, C} against B likewise
    assert comps["A", "C"].support == Fraction(65 if carter_first else 77, 2)
    assert comps["A", "C"].rival_support == Fraction(63, 2)
    assert comps["A", "C"].defeats


def test_ties_are_not_completed() -> None:
    """One voter ranks A = B above C = D (python-vote-core issue 8's ballot).

    A tied ballot supports neither of the tied candidates (the documented deviation:
    no proportional completion), so no committee defeats {C, D}: every committee
    holding C or D has zero support against the other. {C, D} ties with {A, B};
    the tie-break elects {A, B} and records it. Schulze's completion would split the
    C = D tie and let {A, B} win outright.
    """
    p = Profile.from_rankings([[{"A", "B"}, {"C", "D"}]])
    r = SchulzeSTV(seats=2).run(p)
    assert r.explanation.winning_committees == (("A", "B"), ("C", "D"))
    assert r.elected == ("A", "B") and r.tie_broken
    comps = {c.rival: c for c in r.explanation.comparisons}
    assert comps["A", "C"].support == Fraction(1, 2) and comps["A", "C"].rival_support == 0
    r.check(p)


# Schulze's reference program (prog01) on three ballots, as printed in
# python-vote-core issue 10: for every 3-set {x, y, z}, the completed strength of the
# other two against x, against y and against z; and its winning committees.
PROG01_BALLOTS: list[list[str | set[str]]] = [[{"B", "C"}, "F"], ["D", "B", {"A", "C"}], ["E"]]
PROG01_TABLE = """
A B C 1.5 0 0 | A B D 1.5 0 0 | A B E 1.5 0 1 | A B F 1.5 0 1.5 | A C D 1.5 0 0
A C E 1.5 0 1 | A C F 1.5 0 1.5 | A D E 1.5 0 0.75 | A D F 1.5 0 0.75 | A E F 1 1 1
B C D 0 1.5 0.75 | B C E 0 1 1 | B C F 0 0 1.5 | B D E 1 1 1 | B D F 0 0.75 1.5
B E F 0 1 1.5 | C D E 1 1 1 | C D F 0 0.75 1.5 | C E F 0 1 1.5 | D E F 1 1 1
"""


def test_proportional_completion_reproduces_schulze_prog01() -> None:
    p = Profile.from_rankings(PROG01_BALLOTS, candidates=list("ABCDEF"))
    comms = _committees(6, 2)
    got = completed_strengths(_prefers(p.ranks, False), p.weights, comms)
    strength = {}
    for k, row in enumerate(comms):
        members = [int(x) for x in row]
        outsiders = [d for d in range(6) if d not in members]
        for j, d in enumerate(outsiders):
            strength[frozenset(members), d] = got[k][j]
    checked = 0
    for entry in PROG01_TABLE.replace("\n", "|").split("|"):
        parts = entry.split()
        if not parts:
            continue
        trio = [ord(x) - ord("A") for x in parts[:3]]
        for x, value in zip(trio, parts[3:], strict=True):
            others = frozenset(set(trio) - {x})
            assert strength[others, x] == Fraction(value), (parts[:3], x)
            checked += 1
    assert checked == 60
    r = SchulzeSTV(seats=2, completion="proportional", links="all").run(p)
    assert r.explanation.winning_committees == (("B", "D"), ("B", "E"), ("C", "E"), ("D", "E"))
    assert set(r.tied_at_last_seat) == {"B", "C", "D", "E"} and r.tie_broken
    # without completion the tie and unranked candidates give other results
    assert SchulzeSTV(seats=2).run(p).explanation.winning_committees != (
        r.explanation.winning_committees
    )


# ---------------------------------------------------------------- kernels vs reference
@settings(max_examples=60, deadline=None)
@given(vst.profiles(max_candidates=6, max_voters=6), st.integers(1, 4), st.data())
def test_support_strengths_match_reference(p: Profile, seats: int, data: st.DataObject) -> None:
    c = p.num_candidates
    seats = min(seats, c - 1) if c > 1 else 1
    if seats >= c:
        return
    scale = math.lcm(*range(1, seats + 1))
    comms = _committees(c, seats)
    ignore = p.unranked == "ignore"
    pref = _prefers(p.ranks, ignore)
    got = _support_strengths(pref, p.weights, comms, c, scale)
    np.testing.assert_array_equal(
        _support_strengths_parallel(pref, p.weights, comms, c, scale), got
    )
    better = _better_masks(p.ranks, ignore)
    for lookup in (_support_strengths_lookup, _support_strengths_lookup_parallel):
        np.testing.assert_array_equal(lookup(better, p.weights, comms, c, scale), got)
    k = data.draw(st.integers(0, comms.shape[0] - 1))
    members = [int(x) for x in comms[k]]
    outsiders = [d for d in range(c) if d not in members]
    for j, d in enumerate(outsiders):
        want = ref.support_strength(p.ranks.tolist(), p.weights.tolist(), p.unranked, members, d)
        assert Fraction(int(got[k, j]), scale) == want


def test_committees_are_colex_ordered() -> None:
    comms = _committees(6, 3)
    assert comms.shape == (20, 3)
    for k, row in enumerate(comms):
        assert sum(math.comb(int(m), i + 1) for i, m in enumerate(row)) == k
        assert list(row) == sorted(set(row.tolist()))


@settings(max_examples=40, deadline=None)
@given(vst.profiles(max_candidates=5, max_voters=5), st.integers(1, 3), st.booleans())
def test_winners_match_reference(p: Profile, seats: int, all_links: bool) -> None:
    seats = min(seats, p.num_candidates)
    r = SchulzeSTV(seats=seats, links="all" if all_links else "defeats").run(p)
    want = ref.winning_committees(
        p.ranks.tolist(), p.weights.tolist(), p.unranked, p.num_candidates, seats, all_links
    )
    idx = {c: i for i, c in enumerate(p.candidates)}
    got = {frozenset(idx[m] for m in comm) for comm in r.explanation.winning_committees}
    assert got == want
    r.check(p)


# ---------------------------------------------------------------- properties
@settings(max_examples=40, deadline=None)
@given(vst.profiles(max_candidates=6, max_voters=8))
def test_one_seat_is_schulze(p: Profile) -> None:
    a = SchulzeSTV(seats=1).run(p)
    b = Schulze().run(p)
    assert set(a.winners) == set(b.winners)


@settings(max_examples=30, deadline=None)
@given(vst.profiles(max_candidates=5, max_voters=8), st.integers(1, 3), st.randoms())
def test_ballot_order_does_not_matter(p: Profile, seats: int, rnd: random.Random) -> None:
    seats = min(seats, p.num_candidates)
    perm = np.arange(p.num_ballots)
    rnd.shuffle(perm)  # type: ignore[arg-type]  # typeshed wants a MutableSequence; an ndarray works
    q = Profile(p.ranks[perm], p.weights[perm], p.candidates, p.unranked)
    m = SchulzeSTV(seats=seats)
    assert m.run(p) == m.run(q)


@settings(max_examples=30, deadline=None)
@given(vst.profiles(max_candidates=5, max_voters=6), st.integers(1, 3))
def test_weights_equal_repetition(p: Profile, seats: int) -> None:
    seats = min(seats, p.num_candidates)
    rep = np.repeat(np.arange(p.num_ballots), p.weights)
    q = Profile(p.ranks[rep], np.ones(rep.size, dtype=np.int64), p.candidates, p.unranked)
    m = SchulzeSTV(seats=seats)
    assert m.run(p).explanation == m.run(q).explanation


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3), st.data())
def test_droop_proportionality(seats: int, data: st.DataObject) -> None:
    """Strict ballots (truncation allowed) without completion; strict complete ballots
    with it (ties break it under both completions, see the tests below)."""
    completion = data.draw(st.sampled_from(get_args(Completion)))
    complete = completion == "proportional"
    case = data.draw(
        vst.solid_coalitions(
            seats=seats, max_candidates=5, max_voters=6, allow_ties=False,
            allow_truncation=not complete, unranked="last",
        )
    )  # fmt: skip
    p = case.profile
    r = SchulzeSTV(seats=case.seats, completion=completion).run(p)
    need = min(case.quotas, len(case.coalition))
    assert len(set(r.winners) & case.coalition) >= need
    if not _has_ties(p):  # every unbeaten committee honours it, not only their union
        for comm in r.explanation.winning_committees:
            assert len(set(comm) & case.coalition) >= need, comm


def test_droop_fails_without_completion_on_tied_ballots() -> None:
    """Why completion="none" does not claim Droop proportionality.

    2 of 5 voters (a Droop quota for 2 seats) rank B first, yet {A, C} wins: the 3
    voters who tie A = C count for both against B, but for neither in A against C,
    so {A, B} gets only 1 against C. Completing their A = C tie (the other voters
    all prefer A) gives {A, B} strength 2 and elects B.
    """
    p = Profile.from_rankings(
        [[("A", "C"), "B"], ["B", "A", "C"]], candidates=["A", "B", "C"], weights=[3, 2]
    )
    assert SchulzeSTV(seats=2).run(p).elected == ("A", "C")
    assert SchulzeSTV(seats=2, completion="proportional").run(p).elected == ("A", "B")
    assert not SchulzeSTV(seats=2).tags().droop_proportional


def test_droop_fails_with_proportional_completion_when_no_ballot_orders_a_tie() -> None:
    """Why completion="proportional" does not claim Droop proportionality either.

    Two voters, ``a = c > b`` and ``b > a = c``, two seats: ``b`` is the first choice
    of one voter, a Droop quota (2/3). No ballot orders ``a`` against ``c``, so
    proportional completion has no proportions to fill that tie from: ``{a, b}`` gets
    no support against ``c`` while ``{a, c}`` gets 1/2 against ``b``, and ``{a, c}``
    wins.
    """
    p = Profile.from_rankings([[("a", "c"), "b"], ["b", ("a", "c")]], candidates=["a", "b", "c"])
    r = SchulzeSTV(seats=2, completion="proportional").run(p)
    assert r.explanation.winning_committees == (("a", "c"),)
    comps = {c.rival: c for c in r.explanation.comparisons}
    assert comps["a", "b"].support == Fraction(1, 2) and comps["a", "b"].rival_support == 0
    assert not SchulzeSTV(seats=2, completion="proportional").tags().droop_proportional


def _has_ties(p: Profile) -> bool:
    for row in p.ranks:
        ranked = row[row != np.iinfo(np.int32).max]
        if len(set(ranked.tolist())) < len(ranked) or ranked.size < p.num_candidates - 1:
            return True
    return False


# ---------------------------------------------------------------- API and limits
def test_parameters_are_validated() -> None:
    with pytest.raises(InvalidParameterError):
        SchulzeSTV(seats=0)
    with pytest.raises(InvalidParameterError):
        SchulzeSTV(seats=21)
    with pytest.raises(InvalidParameterError):
        SchulzeSTV(seats=2, max_seconds=0)
    with pytest.raises(InvalidParameterError):
        SchulzeSTV(seats=2, completion="pro")  # type: ignore[arg-type]  # deliberately invalid parameter
    with pytest.raises(InvalidParameterError):
        SchulzeSTV(seats=2, links="some")  # type: ignore[arg-type]  # deliberately invalid parameter
    with pytest.raises(InvalidProfileError):
        SchulzeSTV(seats=3).run(Profile.from_rankings([["A", "B"]]))


def test_too_large_is_refused_with_size_and_time() -> None:
    rng = np.random.default_rng(1)
    ranks = rng.permuted(np.tile(np.arange(40, dtype=np.int32), (200, 1)), axis=1)
    p = Profile.from_arrays(ranks)
    with pytest.raises(UnsupportedProfileError, match=r"40 candidates and 10 seats .* about"):
        SchulzeSTV(seats=10).run(p)
    assert estimate_seconds(40, 10, 200) > 60


def test_all_candidates_elected_when_seats_equal_candidates() -> None:
    p = Profile.from_rankings([["A", "B", "C"]])
    r = SchulzeSTV(seats=3).run(p)
    assert r.elected == ("A", "B", "C")
    r.check(p)


def test_tied_committees_are_reported_and_broken() -> None:
    p = Profile.from_rankings([["A", "B", "C", "D"], ["C", "D", "A", "B"]])
    r = SchulzeSTV(seats=1).run(p)
    assert set(r.winners) == {"A", "C"}
    assert r.tie_broken and r.elected == ("A",)
    r2 = dataclasses.replace(SchulzeSTV(seats=2)).run(p)
    r2.check(p)
    assert len(r2.explanation.winning_committees) >= 1


@parametrize_with_checks(
    [SchulzeSTV(seats=2), SchulzeSTV(seats=2, completion="proportional")],
    budget=Budget(seconds=0.3),  # as tests/test_common.py: the default 3 s is for users
)
def test_committees_honour_the_kit(method: Any, check: Any) -> None:
    """The property-test kit on committee instances (test_common runs the default)."""
    check(method)
