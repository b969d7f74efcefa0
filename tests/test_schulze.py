"""The Schulze method: parameters, hand-worked examples, properties, real elections."""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from itertools import pairwise
from typing import Any, cast

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import voting
from tests import naive
from tests.conftest import ELECTIONS
from tests.strategies import profiles
from voting import UNRANKED, Profile, UnrankedPolicy
from voting.exceptions import EmptyProfileError, InvalidParameterError, InvalidProfileError
from voting.methods.schulze import STRENGTHS, Schulze, SchulzeExplanation, StrengthMeasure, Witness
from voting.pairwise_matrix import PairwiseMatrix
from voting.results import Result
from voting.ties import CandidateOrder, Random

strengths = st.sampled_from(STRENGTHS)


def ballots(spec: list[tuple[int, str]], unranked: UnrankedPolicy = "last") -> Profile:
    """``[(5, "ACBED"), ...]``: weights and strict orders written as letters."""
    return Profile.from_rankings(
        [list(order) for _, order in spec],
        weights=[w for w, _ in spec],
        unranked=unranked,
    )


def key(result: Result[Any]) -> tuple[Any, ...]:
    return (result.ranking, result.winners, result.elected, result.tied_at_last_seat)


# ------------------------------------------------------------------ parameters
def test_defaults_and_repr() -> None:
    m = Schulze()
    assert (m.strength, m.seats, m.tie_break) == ("winning", 1, CandidateOrder())
    assert Schulze.name == "schulze"
    assert "strength='winning'" in repr(m)
    assert dataclasses.replace(m, seats=3).seats == 3


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"strength": "losing"}, "strength='losing'"),
        ({"strength": None}, "strength=None"),
        ({"seats": 0}, "seats=0"),
        ({"seats": True}, r"seats=True; expected an int >= 1\."),
        ({"seats": 2.0}, r"seats=2\.0; expected an int >= 1\."),
        ({"tie_break": "lexicographic"}, "tie_break"),
    ],
)
def test_invalid_parameters(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        Schulze(**kwargs)
    with pytest.raises(ValueError, match=match):  # InvalidParameterError is a ValueError
        Schulze(**kwargs)


def test_parameters_are_keyword_only_and_frozen() -> None:
    with pytest.raises(TypeError):
        cast(Any, Schulze)("margins")  # deliberately positional: parameters are keyword-only
    with pytest.raises(dataclasses.FrozenInstanceError):
        Schulze().seats = 2  # type: ignore[misc]  # deliberately assigning to a frozen field


def test_tags() -> None:
    single = Schulze(strength="margins").tags()
    assert single.kind == "single_winner"
    for tag in (
        "condorcet_winner",
        "condorcet_loser",
        "smith",
        "schwartz",
        "pareto",
        "monotonic",
        "clone_independent",
        "reversal_symmetry",
        "deterministic",
        "supports_ties",
        "supports_truncation",
    ):
        assert getattr(single, tag), tag
    committee = Schulze(seats=2).tags()
    assert committee.kind == "committee"
    assert committee.condorcet_winner
    assert not committee.condorcet_loser
    assert not committee.smith


def test_invalid_profiles() -> None:
    with pytest.raises(InvalidProfileError, match=r"needs a voting\.Profile"):
        Schulze().run([["A", "B"]])  # type: ignore[arg-type]  # deliberately not a Profile
    empty = Profile.from_arrays(np.zeros((0, 2), dtype=np.int32))
    with pytest.raises(EmptyProfileError):
        Schulze().run(empty)
    p = ballots([(1, "AB")])
    with pytest.raises(InvalidProfileError, match="seats=3"):
        Schulze(seats=3).run(p)
    with pytest.raises(InvalidProfileError, match="PairwiseMatrix"):
        Schulze().run_pairwise(p)  # type: ignore[arg-type]  # deliberately not a PairwiseMatrix
    with pytest.raises(InvalidProfileError, match="seats=3"):
        Schulze(seats=3).run_pairwise(p.pairwise)


# --------------------------------------------------------- hand-worked examples
WIKIPEDIA = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]


def test_wikipedia_example() -> None:
    """Schulze (2011), section 3.1 / Wikipedia: 45 voters, winner E, order E>A>C>B>D."""
    p = ballots(WIKIPEDIA)
    assert p.num_voters == 45
    r = Schulze().run(p)
    r.check(p)
    assert r.winner == "E"
    assert r.ranking == (("E",), ("A",), ("C",), ("B",), ("D",))
    e = r.explanation
    assert isinstance(e, SchulzeExplanation)
    assert e.pairwise.support.tolist() == [
        [0, 20, 26, 30, 22],
        [25, 0, 16, 33, 18],
        [19, 29, 0, 17, 24],
        [15, 12, 28, 0, 14],
        [23, 27, 21, 31, 0],
    ]
    # the published strongest paths (winning votes of the weakest link)
    assert e.strongest_paths[:, :, 0].tolist() == [
        [0, 28, 28, 30, 24],
        [25, 0, 28, 33, 24],
        [25, 29, 0, 29, 24],
        [25, 28, 28, 0, 24],
        [25, 28, 28, 31, 0],
    ]
    assert e.strongest_paths[0, 4].tolist() == [24, 21]
    w = e.witness("E", "A")
    assert isinstance(w, Witness)
    assert w.path == ("E", "B", "A")  # fewest defeats among the strongest paths
    assert w.weakest == ("B", "A")
    assert (w.votes_for, w.votes_against) == (25, 20)
    assert w.back_path == ("A", "C", "E")
    assert str(w) == (
        "E beats A through E>B>A, strength 25 to 20; "
        "the strongest path back, A>C>E, has strength 24 to 21"
    )
    for strength in STRENGTHS:  # no defeat strengths tie here: all measures agree
        assert Schulze(strength=strength).run(p).ranking == r.ranking


def test_witness_reads_like_the_issue() -> None:
    # A>C 160:70, C>D 154:76, D>A 100:90; everyone beats B 200:10
    d = np.array([[0, 200, 160, 90], [10, 0, 10, 10], [70, 200, 0, 154], [100, 200, 76, 0]])
    pw = PairwiseMatrix(("A", "B", "C", "D"), d)
    w = Schulze().run_pairwise(pw).explanation.witness("A", "D")
    assert str(w) == (
        "A beats D through A>C>D, strength 154 to 76; "
        "the strongest path back, D>A, has strength 100 to 90"
    )


def test_witness_for_ties_and_losses() -> None:
    p = ballots([(1, "AB"), (1, "BA")])
    e = Schulze().run(p).explanation
    assert str(e.witness("A", "B")) == "A ties B: neither has a beat path to the other"
    q = ballots([(4, "ABC"), (3, "BCA"), (2, "CAB")])
    e = Schulze().run(q).explanation
    w = e.witness("C", "A")
    assert w.outcome == "loses"
    assert str(w) == (
        "C does not beat A: its strongest path C>A has strength 5 to 4, "
        "weaker than A>B>C, strength 6 to 3"
    )
    assert e.witness(2, 0) == w
    with pytest.raises(InvalidParameterError, match="two different"):
        e.witness("A", 0)
    with pytest.raises(InvalidProfileError, match="unknown candidate"):
        e.witness("A", "Z")
    r = ballots([(2, "AB"), (1, "BA")])
    assert str(Schulze().run(r).explanation.witness("B", "A")) == (
        "B does not beat A: B has no beat path to A, and A>B has strength 2 to 1"
    )
    assert "margin 1" in str(Schulze(strength="margins").run(r).explanation.witness("A", "B"))
    assert "ratio 2" in str(Schulze(strength="ratio").run(r).explanation.witness("A", "B"))


def test_strength_measures_can_disagree() -> None:
    """A cycle whose weakest defeat differs by measure (pairwise counts as published)."""
    abc = ("A", "B", "C")
    # A>B 30:29, B>C 20:0, C>A 25:10
    pw = PairwiseMatrix(abc, np.array([[0, 30, 10], [29, 0, 20], [25, 0, 0]]))
    assert Schulze(strength="winning").run_pairwise(pw).winner == "C"
    assert Schulze(strength="margins").run_pairwise(pw).winner == "B"
    assert Schulze(strength="ratio").run_pairwise(pw).winner == "B"
    # A>B 10:1, B>C 100:80, C>A 50:30: ratio differs from margins and winning votes
    pw = PairwiseMatrix(abc, np.array([[0, 10, 30], [1, 0, 100], [50, 80, 0]]))
    assert Schulze(strength="winning").run_pairwise(pw).winner == "B"
    assert Schulze(strength="margins").run_pairwise(pw).winner == "B"
    assert Schulze(strength="ratio").run_pairwise(pw).winner == "C"


def test_winning_votes_losing_votes_break_equal_winning_votes() -> None:
    """Equal winning votes (30): the defeat with more losing votes is the weaker one."""
    abc = ("A", "B", "C")
    # A>B 30:20, B>C 30:10, C>A 30:25 -> the weakest defeat is C>A; A wins
    pw = PairwiseMatrix(abc, np.array([[0, 30, 25], [20, 0, 30], [30, 10, 0]]))
    r = Schulze().run_pairwise(pw)
    assert r.ranking == (("A",), ("B",), ("C",))
    s = r.explanation.strongest_paths
    assert s[0, 2].tolist() == [30, 20]  # A>B>C: the weaker of 30:20 and 30:10
    assert s[2, 0].tolist() == [30, 25]


def test_ties_come_out_as_tiers_and_the_boundary_tie_is_recorded() -> None:
    """CIVS never breaks a tie in the ranking; N seats report a tie straddling seat N."""
    p = ballots([(1, "ABCD"), (1, "ACBD")])
    r = Schulze(seats=2).run(p)
    r.check(p)
    assert r.ranking == (("A",), ("B", "C"), ("D",))
    assert r.winners == ("A", "B", "C")
    assert r.elected == ("A", "B")
    assert r.tied_at_last_seat == ("B", "C")
    assert len(r.ties_broken) == 1
    assert r.ties_broken[0].context == "seat 2"
    other = Schulze(seats=2, tie_break=CandidateOrder(order=["C"])).run(p)
    assert other.elected == ("A", "C")
    assert other.ranking == r.ranking
    assert Schulze(seats=2, tie_break=Random(seed=0)).run(p).tied_at_last_seat == ("B", "C")
    exact = Schulze(seats=3).run(p)
    assert exact.elected == ("A", "B", "C")
    assert not exact.tie_broken


def test_all_tied_single_winner() -> None:
    p = ballots([(1, "AB"), (1, "BA")])
    r = Schulze().run(p)
    assert r.ranking == (("A", "B"),)
    assert r.winners == ("A", "B")
    assert r.winner == "A"
    assert r.tie_broken


def test_civs_no_opinion_example() -> None:
    """Unranked candidates under "ignore": pairs count only when both are ranked."""
    p = Profile.from_rankings(
        [["A", "B"], ["A", "B"], ["C", "A"], ["B", "C"], [("A", "C")]],
        candidates=["A", "B", "C"],
        unranked="ignore",
    )
    assert p.pairwise.support.tolist() == [[0, 2, 0], [0, 0, 1], [1, 0, 0]]
    r = Schulze().run(p)
    # A>B 2:0, B>C 1:0, C>A 1:0. Paths: A>B>C and C>A are both 1:0 (A, C tie), A>B
    # 2:0 beats B>C>A 1:0, C>A>B and B>C are both 1:0. A and C are unbeaten: a tier.
    assert r.ranking == (("A", "C"), ("B",))
    assert r.winners == ("A", "C")
    last = Schulze().run(p.with_unranked("last"))
    assert last.ranking != r.ranking


def test_single_candidate() -> None:
    p = Profile.from_rankings([["A"]])
    r = Schulze().run(p)
    assert r.winner == "A"
    assert r.explanation.to_text().splitlines()[-1].strip() == "1  A"


def test_explanation_fields() -> None:
    p = ballots(WIKIPEDIA)
    for strength in STRENGTHS:
        e = Schulze(strength=strength).run(p).explanation
        assert e.strength == strength
        assert e.pairwise is p.pairwise
        assert e.candidates == p.candidates
        assert e.beats[4].tolist() == [True, True, True, True, False]
        assert not e.path_codes.flags.writeable
        assert not e.strongest_paths.flags.writeable
        text = e.to_text()
        assert text.splitlines()[-1].strip() == "5  E"
    m = Schulze(strength="margins").run(p).explanation.strongest_paths
    assert m.shape == (5, 5)
    assert m[4, 0] == 5  # E>B>A: weakest B>A, 25 - 20
    ratio = Schulze(strength="ratio").run(p).explanation.strongest_paths
    assert ratio.shape == (5, 5, 2)
    assert ratio[4, 0].tolist() == [5, 4]  # 25/20 in lowest terms


# ---------------------------------------------------------------- properties
def winners(profile: Profile, strength: StrengthMeasure) -> set[str]:
    return set(Schulze(strength=strength).run(profile).winners)


@settings(max_examples=80)
@given(profiles(max_candidates=6, max_voters=12), strengths)
def test_result_is_valid_and_matches_reference(profile: Profile, strength: StrengthMeasure) -> None:
    assume(profile.num_voters > 0)
    r = Schulze(strength=strength).run(profile)
    r.check(profile)
    support = profile.pairwise.support.tolist()
    tiers = naive.schulze_tiers(naive.schulze_strongest_paths(support, strength))
    assert [set(t) for t in r.ranking] == [{profile.candidates[i] for i in t} for t in tiers]
    assert set(r.winners) == {profile.candidates[i] for i in tiers[0]}


@settings(max_examples=80)
@given(profiles(min_candidates=2, max_candidates=6, max_voters=12), strengths)
def test_condorcet_smith_schwartz(profile: Profile, strength: StrengthMeasure) -> None:
    assume(profile.num_voters > 0)
    pw = profile.pairwise
    won = winners(profile, strength)
    cw = pw.condorcet_winner()
    if cw is not None:
        assert won == {cw}
    cl = pw.condorcet_loser()
    if cl is not None:
        assert cl not in won
    assert won <= pw.smith_set()
    assert won <= pw.schwartz_set()


@settings(max_examples=60)
@given(profiles(min_candidates=2, max_candidates=6, max_voters=12), strengths)
def test_pareto(profile: Profile, strength: StrengthMeasure) -> None:
    """A candidate that some other candidate beats on every ballot (ranked, under
    "last") never wins."""
    assume(profile.num_voters > 0)
    won = winners(profile, strength)
    sup = profile.pairwise.support
    n = profile.num_voters
    for j, name in enumerate(profile.candidates):
        dominated = any(sup[i, j] == n for i in range(profile.num_candidates) if i != j)
        if dominated:
            assert name not in won


def raise_candidate(profile: Profile, x: int, rows: list[int]) -> Profile:
    """Move ``x`` up one tier on the given ballots (rank it last-but-ranked if it was
    unranked under "last"); nothing else changes."""
    ranks = np.array(profile.ranks)
    for v in rows:
        r = int(ranks[v, x])
        if r == UNRANKED:
            if profile.unranked == "ignore":
                continue
            ranked = ranks[v][ranks[v] != UNRANKED]
            ranks[v, x] = int(ranked.max()) + 1 if ranked.size else 0
        elif r > 0:
            ranks[v, x] = r - 1
    return Profile(ranks, profile.weights, profile.candidates, profile.unranked)


@settings(max_examples=80)
@given(profiles(min_candidates=2, max_candidates=6, max_voters=12), strengths, st.data())
def test_monotonicity(profile: Profile, strength: StrengthMeasure, data: st.DataObject) -> None:
    assume(profile.num_voters > 0)
    won = sorted(winners(profile, strength))
    x = profile.index(data.draw(st.sampled_from(won)))
    rows = data.draw(st.lists(st.integers(0, profile.num_ballots - 1), unique=True))
    raised = raise_candidate(profile, x, rows)
    assert profile.candidates[x] in winners(raised, strength)


@settings(max_examples=60)
@given(profiles(max_candidates=6, max_voters=12), strengths, st.randoms(use_true_random=False))
def test_ballot_order_does_not_matter(
    profile: Profile, strength: StrengthMeasure, rnd: Any
) -> None:
    assume(profile.num_voters > 0)
    perm = list(range(profile.num_ballots))
    rnd.shuffle(perm)
    shuffled = Profile(
        profile.ranks[perm], profile.weights[perm], profile.candidates, profile.unranked
    )
    m = Schulze(strength=strength, seats=min(2, profile.num_candidates))
    assert key(m.run(profile)) == key(m.run(shuffled))


@settings(max_examples=60)
@given(profiles(max_candidates=6, max_voters=8, max_weight=4), strengths)
def test_weights_equal_repetition(profile: Profile, strength: StrengthMeasure) -> None:
    assume(profile.num_voters > 0)
    rows = np.repeat(np.arange(profile.num_ballots), profile.weights)
    repeated = Profile(profile.ranks[rows], None, profile.candidates, profile.unranked)
    m = Schulze(strength=strength)
    assert key(m.run(profile)) == key(m.run(repeated))
    assert key(m.run(profile)) == key(m.run(profile.compress()))


@settings(max_examples=60)
@given(profiles(max_candidates=6, max_voters=12), strengths, st.randoms(use_true_random=False))
def test_neutrality(profile: Profile, strength: StrengthMeasure, rnd: Any) -> None:
    """Relabelling candidates relabels the ranking (tiers as sets)."""
    assume(profile.num_voters > 0)
    perm = list(range(profile.num_candidates))
    rnd.shuffle(perm)
    moved = Profile(
        profile.ranks[:, perm],
        profile.weights,
        [profile.candidates[i] for i in perm],
        profile.unranked,
    )
    a = Schulze(strength=strength).run(profile)
    b = Schulze(strength=strength).run(moved)
    assert [set(t) for t in a.ranking] == [set(t) for t in b.ranking]


@settings(max_examples=60)
@given(profiles(min_candidates=2, max_candidates=6, max_voters=12, unranked="ignore"), strengths)
def test_reversal_symmetry(profile: Profile, strength: StrengthMeasure) -> None:
    """Reversing every ballot (unranked stay unranked, so pairwise counts transpose)
    never keeps a unique winner."""
    assume(profile.num_voters > 0)
    r = Schulze(strength=strength).run(profile)
    assume(len(r.winners) == 1)
    ranks = np.array(profile.ranks)
    for row in ranks:
        ranked = row != UNRANKED
        if ranked.any():
            row[ranked] = int(row[ranked].max()) - row[ranked]
    reversed_ = Profile(ranks, profile.weights, profile.candidates, "ignore")
    assert np.array_equal(reversed_.pairwise.support, profile.pairwise.support.T)
    assert r.winner not in Schulze(strength=strength).run(reversed_).winners


@settings(max_examples=60)
@given(profiles(min_candidates=2, max_candidates=7, max_voters=12), strengths, st.data())
def test_witness_checks_out(
    profile: Profile, strength: StrengthMeasure, data: st.DataObject
) -> None:
    """Every witness is a chain of real defeats whose weakest link has the closure's
    strength, and its outcome agrees with the ranking."""
    assume(profile.num_voters > 0)
    r = Schulze(strength=strength).run(profile)
    e = r.explanation
    c = profile.num_candidates
    a = data.draw(st.integers(0, c - 1))
    b = data.draw(st.integers(0, c - 1).filter(lambda x: x != a))
    w = e.witness(a, b)
    sup = profile.pairwise.support
    key_of = naive.schulze_defeat_key
    ref = naive.schulze_strongest_paths(sup.tolist(), strength)
    for path, start, end in ((w.path, a, b), (w.back_path, b, a)):
        if ref[start][end] == (0,):
            assert path == ()
            continue
        idx = [profile.index(n) for n in path]
        assert idx[0] == start
        assert idx[-1] == end
        links = [key_of(int(sup[x, y]), int(sup[y, x]), strength) for x, y in pairwise(idx)]
        assert all(k != (0,) for k in links)
        assert min(links) == ref[start][end]
    assert w.outcome == ("beats" if e.beats[a, b] else "loses" if e.beats[b, a] else "ties")
    tier = {n: t for t, names in enumerate(r.ranking) for n in names}
    if w.outcome == "beats":
        assert tier[w.source] < tier[w.target]


def test_results_compare_equal() -> None:
    p = ballots(WIKIPEDIA)
    a = Schulze().run(p)
    b = Schulze().run(ballots(WIKIPEDIA))
    assert a.explanation == b.explanation
    assert a == b
    assert Schulze(strength="margins").run(p).explanation != a.explanation
    assert a.explanation != "explanation"


def test_run_does_not_mutate_the_profile() -> None:
    p = ballots(WIKIPEDIA)
    before = (p.ranks.copy(), p.weights.copy(), p.pairwise.support.copy())
    Schulze(strength="ratio", seats=2).run(p)
    assert np.array_equal(p.ranks, before[0])
    assert np.array_equal(p.weights, before[1])
    assert np.array_equal(p.pairwise.support, before[2])


def add_clone(profile: Profile, x: int, placements: list[int]) -> Profile:
    """Add a clone of ``x``: just below (0), just above (1) or tied with (2) it.

    A clone set must be seen the same way by every voter: a candidate tied with ``x``
    must be tied with the clone too, so there the clone always joins ``x``'s tier.
    """
    out = []
    for row, place in zip(profile.ranks.tolist(), placements, strict=True):
        new = [UNRANKED if r == UNRANKED else 2 * r + 2 for r in row]
        shared = row.count(row[x]) > 1
        shift = 0 if shared or place == 2 else (1 if place == 0 else -1)
        out.append([*new, UNRANKED if row[x] == UNRANKED else new[x] + shift])
    names = [*profile.candidates, profile.candidates[x] + "'"]
    return Profile(np.array(out, dtype=np.int64), profile.weights, names, profile.unranked)


@settings(max_examples=80)
@given(profiles(min_candidates=2, max_candidates=5, max_voters=10), strengths, st.data())
def test_independence_of_clones(
    profile: Profile, strength: StrengthMeasure, data: st.DataObject
) -> None:
    """Schulze (2011), section 4.6: cloning ``x`` changes neither which other candidates
    win nor whether some member of the clone set wins."""
    assume(profile.num_voters > 0)
    x = data.draw(st.integers(0, profile.num_candidates - 1))
    places = data.draw(
        st.lists(st.integers(0, 2), min_size=profile.num_ballots, max_size=profile.num_ballots)
    )
    cloned = add_clone(profile, x, places)
    before = winners(profile, strength)
    after = winners(cloned, strength)
    name, clone = profile.candidates[x], cloned.candidates[-1]
    assert before - {name} == after - {name, clone}
    assert (name in before) == bool(after & {name, clone})


# The kit's clone check places the clone strictly above or below x even where x is
# tied with another candidate on that ballot, which makes no clone set (that other
# candidate is then tied with one member and beaten by the other): it reports a
# false failure. tests/test_schulze.py::test_independence_of_clones checks the property.
KIT_FALSE_FAILURES = {"check_independence_of_clones"}


@pytest.mark.parametrize("method", [Schulze(), Schulze(strength="margins", seats=2)])
def test_property_kit_accepts_schulze(method: Schulze) -> None:
    """The library's own property kit (every check its tags select), modest examples."""
    testing = pytest.importorskip("voting.testing")
    report = testing.check_method(
        method, settings=settings(testing.DEFAULT_SETTINGS, max_examples=20)
    )
    bad = [o.check for o in report.outcomes if not o.ok and o.check not in KIT_FALSE_FAILURES]
    assert not bad, str(report)


# ---------------------------------------------------------------- real data
def _index() -> list[dict[str, Any]]:
    with open(ELECTIONS / "index.json", encoding="utf-8") as f:
        data: list[dict[str, Any]] = json.load(f)
    return data


def _debian() -> list[dict[str, Any]]:
    out = []
    for e in _index():
        if not str(e.get("file", "")).startswith("debian/"):
            continue
        if e.get("options_dropped_by_quorum_or_supermajority"):
            continue  # Debian dropped options before counting: not plain Schulze
        out.append(e)
    return out


DEBIAN = _debian()


def _official_option(entry: dict[str, Any]) -> str:
    if entry.get("official_winners"):
        m = re.match(r'Option \d+ "(.*)"$', entry["official_winners"][0])
        assert m is not None
        return m.group(1)
    return str(entry["official_winner"])


@pytest.mark.parametrize("entry", DEBIAN, ids=[e["file"] for e in DEBIAN])
@pytest.mark.parametrize("strength", ["winning", "margins"])
def test_debian_official_winner(entry: dict[str, Any], strength: StrengthMeasure) -> None:
    """Debian's constitution (A.6) uses winning votes, losing votes second; with nothing
    dropped by quorum or supermajority, Schulze gives the official winner."""
    profile = voting.read_ballots(ELECTIONS / entry["file"], format="debian")
    assert profile.unranked == "last"
    assert profile.pairwise.support.tolist() == entry["pairwise_matrix_unranked_last"]
    r = Schulze(strength=strength).run(profile)
    r.check(profile)
    want = _official_option(entry)
    assert r.winners == (want,), str(r)
    # the published matrix alone gives the same result
    pw = PairwiseMatrix(profile.candidates, np.array(entry["pairwise_matrix_unranked_last"]))
    assert Schulze(strength=strength).run_pairwise(pw).ranking == r.ranking


def test_all_clean_debian_votes_are_covered() -> None:
    assert len(DEBIAN) == 31


def _kubernetes() -> list[dict[str, Any]]:
    return [
        e
        for e in _index()
        if str(e.get("ballots_file", "")).startswith(("kubernetes/", "knative/"))
        and "schulze" in str(e.get("method", "")).lower()
    ]


KUBERNETES = _kubernetes()


def _match(name: str, candidates: tuple[str, ...]) -> str:
    """The ballot header's spelling of a published name ("Wittrock" vs "Whitrock")."""
    if name in candidates:
        return name
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.85)
    assert close, (name, candidates)
    return close[0]


def _published_tiers(entry: dict[str, Any], candidates: tuple[str, ...]) -> list[set[str]]:
    tiers = []
    for item in entry["official_ranking"]:
        names = re.sub(r"^\(tie\)\s*", "", item).split(" / ")
        tiers.append({_match(n.strip(), candidates) for n in names})
    return tiers


# Elekto orders candidates by their number of Schulze wins; CIVS's tiers leave two
# candidates tied there (both unbeaten once the top tier is removed). The published
# order refines ours and the official third winner is in the reported tie.
ELEKTO_FINER = {"kubernetes/code-of-conduct/2025/ballots.csv"}


@pytest.mark.parametrize("entry", KUBERNETES, ids=[e["ballots_file"] for e in KUBERNETES])
def test_kubernetes_official_ranking(entry: dict[str, Any]) -> None:
    """CIVS Schulze (2017, 2018) and Elekto (2021-2025), "No opinion" ignored."""
    profile = voting.read_ballots(ELECTIONS / entry["ballots_file"], format="civs")
    assert profile.unranked == "ignore"
    assert profile.num_voters == entry["n_ballots"]
    r = Schulze(seats=entry["seats"]).run(profile)
    r.check(profile)
    ours = [set(t) for t in r.ranking]
    official = {_match(n, profile.candidates) for n in entry["official_winners"]}
    if entry.get("official_ranking"):
        published = _published_tiers(entry, profile.candidates)
        if entry["ballots_file"] in ELEKTO_FINER:
            flat = [c for t in published for c in t]
            assert [c for t in ours for c in sorted(t, key=flat.index)] == flat
            assert official <= set(r.winners)
            assert r.tied_at_last_seat == ("swatisehgal", "stmcginnis")
            return
        assert ours == published
    if entry["ballots_file"].startswith("kubernetes/2017/"):
        # the one-third company cap (not computable from the ballots) excluded the
        # fourth-placed Michael Rubin; the next candidate took the sixth seat
        flat = [c for t in r.ranking for c in t]
        assert [c for c in flat if c != "Michael Rubin"][:6] == [
            _match(n, profile.candidates) for n in entry["official_ranking"] if n != "Michael Rubin"
        ][:6]
        return
    assert set(r.winners) == official
    assert not r.tied_at_last_seat


def test_kubernetes_elections_covered() -> None:
    folders = {e["ballots_file"].rsplit("/", 1)[0] for e in KUBERNETES}
    assert {"kubernetes/2017", "kubernetes/2018", "kubernetes/2021", "kubernetes/2025"} <= folders
    assert "kubernetes/2019" not in folders  # Condorcet-IRV, not Schulze
    assert len(KUBERNETES) == 12  # 11 Kubernetes (2017, 2018, 2021-2025, GB, CoC) + Knative


def test_kubernetes_2021_needs_winning_votes() -> None:
    """Margins and ratio elect a different committee in 2021: winning votes it is."""
    profile = voting.read_ballots(ELECTIONS / "kubernetes/2021/ballots.csv", format="civs")
    official = {"cblecker", "justaugustus", "parispittman", "tpepper"}
    assert set(Schulze(seats=4).run(profile).winners) == official
    assert set(Schulze(seats=4, strength="margins").run(profile).winners) != official
    assert set(Schulze(seats=4, strength="ratio").run(profile).winners) != official


def test_debian_2014_init_system_witness() -> None:
    """A readable check of a real result: option 4 beats option 2 directly, 280 to 180."""
    p = voting.read_ballots(ELECTIONS / "debian/2014/vote_003_tally.txt", format="debian")
    e = Schulze().run(p).explanation
    w = e.witness("General Resolution is not required", 1)
    assert w.outcome == "beats"
    assert (w.votes_for, w.votes_against) == (280, 180)
    assert len(w.path) == 2
