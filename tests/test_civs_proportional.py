"""CIVS proportional representation: kernels against the reference, the Nix 2024
election, the exact search, ratings and parameters."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, get_args

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import voting
from tests import naive_civs_prop as ref
from tests.strategies import profiles
from voting import (
    UNRANKED,
    BallotFormatError,
    InvalidParameterError,
    InvalidProfileError,
    Profile,
    VotingError,
)
from voting.formats.ratings import weights_from_profile
from voting.methods._civs_kernels import neighbour_counts, pair_counts
from voting.methods._civs_search import local_search, strong_tallies
from voting.methods.civs_proportional import (
    CIVSProportional,
    Criterion,
    ExactSearchTooLargeError,
    Ratings,
    Search,
    Version,
)
from voting.methods.minimax import minimax_pm_tiers
from voting.ties import CandidateOrder

SETTINGS = settings(max_examples=60, deadline=None)


Table = tuple[NDArray[np.int64], NDArray[np.int64], int]
"""Ballot weights (one row a ballot), their multiplicities, and a committee size."""

CRITERIA: list[Criterion] = ["best", "combined"]
VERSIONS: list[Version] = ["2025-07", "2024-03", "legacy"]


@st.composite
def weight_tables(draw: st.DrawFn, min_c: int = 2, max_c: int = 6) -> Table:
    """Ballot weights with ties (repeated values) and truncation (zeros), multiplicities."""
    c = draw(st.integers(min_c, max_c))
    top = draw(st.sampled_from([2, 3, c + 1, 999]))
    rows = draw(
        st.lists(st.lists(st.integers(0, top), min_size=c, max_size=c), min_size=1, max_size=12)
    )
    wts = draw(st.lists(st.integers(1, 4), min_size=len(rows), max_size=len(rows)))
    k = draw(st.integers(1, c - 1))
    return np.array(rows, dtype=np.int64), np.array(wts, dtype=np.int64), k


# ------------------------------------------------------------------- kernels
@SETTINGS
@given(weight_tables(), st.booleans(), st.booleans(), st.data())
def test_neighbour_kernel_matches_reference(
    table: Table, combined: bool, parallel: bool, data: st.DataObject
) -> None:
    w, wts, k = table
    c = w.shape[1]
    comm = tuple(sorted(data.draw(st.permutations(range(c)))[:k]))
    outs = [j for j in range(c) if j not in comm]
    got = neighbour_counts(
        w, wts, np.array(comm, dtype=np.int64), np.array(outs, dtype=np.int64), parallel
    )
    rows, weights = w.tolist(), wts.tolist()
    for i, j in itertools.product(range(k), range(len(outs))):
        nb = (*comm[:i], outs[j], *comm[i + 1 :])
        ca, cb = ref.level_counts(rows, weights, comm, nb, combined)
        assert got[i, j, 0].tolist() == ca
        assert got[i, j, 1].tolist() == cb


@SETTINGS
@given(weight_tables(), st.booleans(), st.booleans(), st.data())
def test_pair_kernel_matches_reference(
    table: Table, combined: bool, parallel: bool, data: st.DataObject
) -> None:
    w, wts, k = table
    c = w.shape[1]
    all_comms = list(itertools.combinations(range(c), k))
    comms = data.draw(st.lists(st.sampled_from(all_comms), min_size=2, max_size=5))
    pairs = np.array(list(itertools.combinations(range(len(comms)), 2)), dtype=np.int64)
    got = pair_counts(w, wts, np.array(comms, dtype=np.int64), pairs, combined, parallel)
    for p, (x, y) in enumerate(pairs.tolist()):
        ca, cb = ref.level_counts(w.tolist(), wts.tolist(), comms[x], comms[y], combined)
        assert got[p, 0].tolist() == ca
        assert got[p, 1].tolist() == cb


@settings(max_examples=25, deadline=None)
@given(
    st.sampled_from(["wide", "heavy"]),
    st.integers(1, 4),
    st.lists(st.integers(1, 3), min_size=1, max_size=6),
    st.booleans(),
    st.data(),
)
def test_pair_kernel_paths_match_reference(
    shape: str, k: int, wts: list[int], parallel: bool, data: st.DataObject
) -> None:
    """The other two paths of the committee kernel: more than 64 candidates (packed
    keys built by sorting) and weights too large to pack (lists compared in place)."""
    c = 66 if shape == "wide" else 8
    top = 5 if shape == "wide" else 2**21
    if shape == "heavy":
        k = max(k, 4)  # 22 bits a position: 4 positions do not fit 63 bits
    v = len(wts)
    w = np.array(
        data.draw(
            st.lists(st.lists(st.integers(0, top), min_size=c, max_size=c), min_size=v, max_size=v)
        ),
        dtype=np.int64,
    )
    w[0, 0] = top  # fixes the packing width: 3 bits for "wide", 22 for "heavy"
    comms = [
        tuple(sorted(data.draw(st.permutations(range(c)))[:k]))
        for _ in range(data.draw(st.integers(2, 4)))
    ]
    pairs = np.array(list(itertools.combinations(range(len(comms)), 2)), dtype=np.int64)
    got = pair_counts(w, np.array(wts, dtype=np.int64), np.array(comms), pairs, False, parallel)
    for p, (x, y) in enumerate(pairs.tolist()):
        ca, cb = ref.level_counts(w.tolist(), wts, comms[x], comms[y], False)
        assert got[p, 0].tolist() == ca
        assert got[p, 1].tolist() == cb


@SETTINGS
@given(weight_tables(), st.booleans(), st.sampled_from(["votes", "choices"]), st.data())
def test_contest_tallies_match_reference(
    table: Table, combined: bool, init: str, data: st.DataObject
) -> None:
    w, wts, k = table
    c = w.shape[1]
    all_comms = list(itertools.combinations(range(c), k))
    a = data.draw(st.sampled_from(all_comms))
    b = data.draw(st.sampled_from(all_comms))
    initial = int(wts.sum()) if init == "votes" else c
    ca, cb = ref.level_counts(w.tolist(), wts.tolist(), a, b, combined)
    ta, tb, _ = strong_tallies(
        np.array([ca], dtype=np.int64), np.array([cb], dtype=np.int64), int(wts.sum()), k, initial
    )
    si, sj, _, _ = ref.compare(w.tolist(), wts.tolist(), a, b, combined, initial)
    assert (int(ta[0]), int(tb[0])) == (si, sj)


@SETTINGS
@given(weight_tables(max_c=7), st.booleans(), st.integers(1, 4), st.data())
def test_hill_climb_matches_reference(
    table: Table, combined: bool, budget: int, data: st.DataObject
) -> None:
    w, wts, k = table
    c = w.shape[1]
    start = tuple(sorted(data.draw(st.permutations(range(c)))[:k]))
    initial = int(wts.sum())
    log = local_search(w, wts, start, budget=budget, initial_against=initial)
    visited, truncated = ref.hill_climb(
        w.tolist(), wts.tolist(), start, c, combined, initial, budget
    )
    assert list(log.visited) == visited
    assert log.truncated == truncated


# -------------------------------------------------------------------- method
def _start_order(profile: Profile, version: Version, criterion: Criterion) -> list[int]:
    """Individual ordering as the method computes it (tested separately, below)."""
    r = CIVSProportional(seats=1, version=version, criterion=criterion).run(profile)
    return [
        profile.index(n)
        for tier in r.explanation.individual_order
        for n in sorted(tier, key=profile.index)
    ]


@settings(max_examples=40, deadline=None)
@given(
    profiles(min_candidates=2, max_candidates=5, max_voters=10),
    st.sampled_from(CRITERIA),
    st.sampled_from(VERSIONS),
    st.booleans(),
    st.data(),
)
def test_method_matches_reference(
    profile: Profile, criterion: Criterion, version: Version, exact: bool, data: st.DataObject
) -> None:
    if profile.num_voters == 0:
        return
    k = data.draw(st.integers(1, profile.num_candidates - 1))
    search: Search = "exact" if exact else "civs"
    method = CIVSProportional(seats=k, criterion=criterion, version=version, search=search)
    result = method.run(profile)
    result.check(profile)
    w = weights_from_profile(profile)
    initial = profile.num_voters if version == "2025-07" else profile.num_candidates
    expected = ref.civs_winning(
        w.tolist(),
        profile.weights.tolist(),
        _start_order(profile, version, criterion),
        k,
        criterion == "combined",
        initial,
        exact=exact,
    )
    got = {tuple(sorted(profile.index(n) for n in comm)) for comm in result.explanation.winning}
    assert got == expected
    assert set(result.elected) in [{profile.candidates[i] for i in x} for x in expected]


def _stored_counts(
    values: list[list[int]], weights: list[int], no_opinion: list[list[bool]]
) -> list[list[int]]:
    """CIVS's vote matrix "j.k": voters weighting ``j`` below ``k`` (one ballot at a time),
    skipping a pair where either cell is "No opinion" (``election.pm`` UpdateMatrix)."""
    c = len(values[0])
    out = [[0] * c for _ in range(c)]
    for row, w, skip in zip(values, weights, no_opinion, strict=True):
        for j in range(c):
            for k in range(c):
                if not skip[j] and not skip[k] and row[j] < row[k]:
                    out[j][k] += w
    return out


@settings(max_examples=40, deadline=None)
@given(profiles(min_candidates=2, max_candidates=6, max_voters=12), st.booleans())
def test_start_order_is_civs_minimax_of_fixprop_matrix(profile: Profile, combined: bool) -> None:
    """Since 2024 CIVS starts from Minimax over ``FixProp`` of the stored counts."""
    if profile.num_voters == 0:
        return
    c = profile.num_candidates
    # unranked under "ignore" is CIVS's "No opinion"; under "last" a blank (weight 0)
    no_opinion = ((profile.ranks == UNRANKED) & (profile.unranked == "ignore")).tolist()
    stored = _stored_counts(
        weights_from_profile(profile).tolist(), profile.weights.tolist(), no_opinion
    )
    table = stored if combined else [[c - x for x in row] for row in stored]
    expected, _ = minimax_pm_tiers(np.array(table, dtype=np.int64), profile.candidates)
    criterion: Criterion = "combined" if combined else "best"
    for version in ("2025-07", "2024-03"):
        r = CIVSProportional(seats=1, criterion=criterion, version=version).run(profile)
        got = [sorted(profile.index(n) for n in t) for t in r.explanation.individual_order]
        assert got == expected


def test_start_order_differs_from_minimax_where_civs_does() -> None:
    rows = [["C", "D", "A", "B"], ["D", "B", "A"], ["C", "A"], ["A", "C"]]
    p = Profile.from_rankings(rows, candidates=["A", "B", "C", "D"])
    support = np.asarray(p.with_unranked("last").pairwise.support, dtype=np.int64)
    true_order, _ = minimax_pm_tiers(support, p.candidates)
    civs = CIVSProportional(seats=1).run(p).explanation.individual_order
    # same margins, but equal margins are ordered the other way round (FixProp)
    assert true_order == [[2], [0], [3], [1]]  # C > A > D > B
    assert [list(t) for t in civs] == [["C"], ["D"], ["A"], ["B"]]
    combined = CIVSProportional(seats=1, criterion="combined").run(p).explanation
    assert combined.individual_order[0] == ("B",)  # the reversed preference
    legacy = CIVSProportional(seats=1, version="legacy").run(p).explanation
    expected = ref.beatpath_tiers(support.tolist())  # beatpath.pm on the ballots
    assert [[p.index(n) for n in t] for t in legacy.individual_order] == expected


def test_nix_2024_official_committee(elections_dir: Path) -> None:
    path = elections_dir / "nixos" / "SC-election-2024" / "civs_ballots.csv"
    profile = voting.read_ballots(path, inverted=True)
    official = {
        "Ericson2314",
        "fpletz",
        "Gabriella439",
        "jtojnar",
        "roberth",
        "tomberek",
        "winterqt",
    }
    for version in get_args(Version):
        r = CIVSProportional(seats=7, version=version).run(profile)
        assert set(r.elected) == official, version
        assert set(r.winners) == official and not r.tied_at_last_seat
        assert not r.explanation.truncated
    # the four two-year terms go to the top of the individual (Minimax-PM) order
    assert set(r.elected[:4]) == {"Ericson2314", "Gabriella439", "jtojnar", "roberth"}
    assert r.explanation.schulze.only_civs == ()


def test_exact_search_refuses_too_many_committees() -> None:
    p = Profile.from_rankings([[f"c{i}" for i in range(12)]] * 3)
    with pytest.raises(ExactSearchTooLargeError, match="924 committees") as err:
        CIVSProportional(seats=6, search="exact", max_committees=100).run(p)
    assert isinstance(err.value, VotingError)
    assert "s on" in str(err.value)


def test_exact_search_reports_agreement() -> None:
    p = Profile.from_rankings(
        [["A", "B", "C", "D", "E"]] * 5 + [["D", "E", "C", "A", "B"]] * 4 + [["C", "E"]] * 2
    )
    r = CIVSProportional(seats=2, search="exact").run(p)
    assert len(r.explanation.committees) == 10
    assert r.explanation.local_agrees is not None
    local = CIVSProportional(seats=2).run(p)
    assert r.explanation.local_agrees == (
        set(r.explanation.winning) == set(local.explanation.winning)
    )


def test_budget_truncates_the_climb() -> None:
    # the individual order starts the climb away from the committee the minority needs
    p = Profile.from_rankings([["A", "B", "C", "D"]] * 6 + [["C", "D", "A", "B"]] * 4)
    full = CIVSProportional(seats=2).run(p)
    assert full.explanation.n_climbed >= 2
    short = CIVSProportional(seats=2, budget=1).run(p)
    assert short.explanation.truncated and short.explanation.n_climbed == 1


def test_explanation_contests_and_schulze_difference() -> None:
    p = Profile.from_rankings([["A", "B", "C", "D"]] * 6 + [["C", "D", "A", "B"]] * 4)
    r = CIVSProportional(seats=2).run(p)
    assert set(r.elected) == {"A", "C"}
    s = r.explanation.schulze
    assert s.schulze_top == ("A", "B")
    assert (s.only_civs, s.only_schulze) == (("C",), ("B",))
    assert s.head_to_head == (("C", "B", 4, 6),)
    assert all(c.winner == "first" for c in r.explanation.contests)
    assert "vs" in str(r.explanation.contests[0])


def test_tied_committees_are_reported() -> None:
    p = Profile.from_rankings([["A", "B"], ["B", "A"]])
    r = CIVSProportional(seats=1).run(p)
    r.check(p)
    assert set(r.winners) == {"A", "B"} and r.elected == ("A",)
    assert set(r.tied_at_last_seat) == {"A", "B"} and r.ties_broken
    r2 = CIVSProportional(seats=1, tie_break=CandidateOrder(order=["B", "A"])).run(p)
    assert r2.elected == ("B",)


def test_all_seats() -> None:
    p = Profile.from_rankings([["A", "B", "C"]])
    r = CIVSProportional(seats=3).run(p)
    assert set(r.elected) == {"A", "B", "C"}


# -------------------------------------------------------------------- ratings
def test_ratings_combined_weights_matter() -> None:
    # same order A > B > C > D, different typed weights: {A, D} vs {B, C} at level 2
    names = ["A", "B", "C", "D"]
    heavy = Ratings([[999, 998, 997, 0]], weights=[5], candidates=names)
    light = Ratings([[999, 2, 1, 0]], weights=[5], candidates=names)
    assert (heavy.to_profile().ranks == light.to_profile().ranks).all()
    m = CIVSProportional(seats=2, criterion="combined", search="exact")
    eh, el = m.run(heavy).explanation, m.run(light).explanation
    ad, bc = eh.committees.index(("A", "D")), eh.committees.index(("B", "C"))
    assert eh.contest(ad, bc).counts_first == (5, 0)
    assert eh.contest(ad, bc).counts_second == (0, 5)
    assert el.contest(ad, bc).counts_first == (5, 5)
    # the best-candidate criterion sees only the order
    eb = CIVSProportional(seats=2, search="exact").run(heavy).explanation
    assert eb.contest(ad, bc).counts_first == (5, 5)


def test_ratings_read_civs_csv(tmp_path: Path) -> None:
    f = tmp_path / "b.csv"
    f.write_text("A,B,C\n3,1,2\n0,3,No opinion\n")
    # kept as CIVS stores and counts them (a combined poll's blank/0 is stored as n)
    for combined in (True, False):
        r = Ratings.read_civs_csv(f, combined=combined)
        assert r.values.tolist() == [[3, 1, 2], [0, 3, 0]]
    r = Ratings.read_civs_csv(f, combined=True, typed_zero=True)
    assert r.values.tolist() == [[0, 1, 2], [0, 0, 0]]
    r = Ratings.read_civs_csv(f, combined=False, typed_zero=True)
    assert r.values.tolist() == [[3, 1, 2], [0, 3, 0]]
    assert r.no_opinion.tolist() == [[False, False, False], [False, False, True]]
    f.write_text("A,B\n1,x\n")
    with pytest.raises(BallotFormatError, match=r"line 2.*not a whole number"):
        Ratings.read_civs_csv(f, combined=True)


def test_ratings_read_civs_csv_dash(tmp_path: Path) -> None:
    # an uploaded "-": a best-candidate poll stores it as No opinion, a combined poll
    # keeps the "-" and counts it as 0 (an ordinary weight)
    f = tmp_path / "b.csv"
    f.write_text("A,B,C\n3,-,2\n")
    best = Ratings.read_civs_csv(f, combined=False)
    assert best.values.tolist() == [[3, 0, 2]]
    assert best.no_opinion.tolist() == [[False, True, False]]
    combined = Ratings.read_civs_csv(f, combined=True)
    assert combined.values.tolist() == [[3, 0, 2]]
    assert not combined.no_opinion.any()


# CIVS's own results (cgi-bin/results run offline) on a best-candidate poll whose
# ballots hold "No opinion": the stored counts skip those pairs, which changes the
# start of the search and so the unbeaten committees.
NO_OPINION_POLL = [
    [0, 0, 2, None, 4, None, None],
    [0, 0, 0, 2, None, 2, None],
    [None, None, None, 0, None, 0, 5],
]


def test_no_opinion_is_skipped_in_the_start_order_as_civs_does() -> None:
    names = [f"c{i}" for i in range(7)]
    values = [[0 if x is None else x for x in row] for row in NO_OPINION_POLL]
    mask = np.array([[x is None for x in row] for row in NO_OPINION_POLL])
    r = CIVSProportional(seats=2).run(Ratings(values, candidates=names, no_opinion=mask))
    order = [c for t in r.explanation.individual_order for c in t]
    assert order == ["c4", "c6", "c3", "c5", "c2", "c0", "c1"]
    assert set(r.explanation.winning) == {("c4", "c6"), ("c3", "c6"), ("c3", "c4")}
    # counted as weight 0 instead (what this module did before), the search starts
    # elsewhere and ends on other committees
    plain = CIVSProportional(seats=2).run(Ratings(values, candidates=names))
    assert set(plain.explanation.winning) != set(r.explanation.winning)


def test_ratings_no_opinion_is_validated() -> None:
    with pytest.raises(InvalidProfileError, match="weighs 0"):
        Ratings([[1, 2]], candidates=["A", "B"], no_opinion=np.array([[True, False]]))
    with pytest.raises(InvalidProfileError, match="no_opinion"):
        Ratings([[1, 2]], candidates=["A", "B"], no_opinion=np.array([True, False]))


@pytest.mark.parametrize(
    ("values", "match"),
    [([[1, -1]], "0 .. 2"), ([[1.5, 2]], "dtype"), ([[1, 2, 3]], "shape")],
)
def test_ratings_validation(values: list[list[float]], match: str) -> None:
    with pytest.raises(InvalidProfileError, match=match):
        Ratings(values, candidates=["A", "B"])


# ----------------------------------------------------------------- parameters
@pytest.mark.parametrize(
    "params",
    [
        {"seats": 0},
        {"criterion": "sum"},
        {"search": "all"},
        {"version": "2023"},
        {"budget": 0},
        {"max_committees": True},
        {"tie_break": "lexicographic"},
    ],
)
def test_bad_parameters(params: dict[str, Any]) -> None:
    with pytest.raises(InvalidParameterError):
        CIVSProportional(**params)


def test_profile_checks() -> None:
    with pytest.raises(InvalidProfileError, match="seats=3"):
        CIVSProportional(seats=3).run(Profile.from_rankings([["A", "B"]]))


# ------------------------------------------------------------- proportionality
@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4), st.integers(1, 3), st.data())
def test_unanimous_top_k_is_elected(c_extra: int, k: int, data: st.DataObject) -> None:
    """What CIVS's method does guarantee: when every voter ranks the same ``k``
    candidates (in any order, ties allowed) above all others, they are elected."""
    c = k + c_extra
    names = [f"c{i}" for i in range(c)]
    chosen = data.draw(st.permutations(range(c)))[:k]
    rows = []
    for _ in range(data.draw(st.integers(1, 6))):
        order = data.draw(st.permutations(chosen)) + data.draw(
            st.permutations([i for i in range(c) if i not in chosen])
        )
        rows.append([[names[i]] for i in order])
    p = Profile.from_rankings(rows)
    for search in get_args(Search):
        r = CIVSProportional(seats=k, search=search).run(p)
        assert set(r.winners) == {names[i] for i in chosen}


def test_cli_counts_civs_proportional(
    elections_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from voting.cli import main

    path = elections_dir / "nixos" / "SC-election-2024" / "civs_ballots.csv"
    args = [str(path), "--inverted", "--method", "civs_proportional", "--seats", "7"]
    assert main(["count", *args]) == 0
    out = capsys.readouterr().out
    assert "Elected: Ericson2314, roberth, Gabriella439, jtojnar, tomberek, winterqt, fpletz" in out
