"""Baselines: Plurality, Borda, IRV, Copeland, against hand counts and plain definitions."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting import UNRANKED, InvalidParameterError, Profile
from voting._kernels.tallies import _top_tier_counts
from voting.methods.copeland import Copeland
from voting.methods.irv import IRV
from voting.methods.positional import Borda, Plurality
from voting.testing._reference import pairwise_support
from voting.ties import BrokenTie, CandidateOrder

from . import naive
from .strategies import profiles
from .test_minimax import TENNESSEE


def test_tennessee_plurality() -> None:
    r = Plurality().run(TENNESSEE)
    assert r.explanation.scores == tuple(map(Fraction, (42, 26, 15, 17)))
    assert r.ranking == (("Memphis",), ("Nashville",), ("Knoxville",), ("Chattanooga",))


def test_tennessee_borda() -> None:
    # Wikipedia: Nashville 194, Chattanooga 173, Memphis 126, Knoxville 107
    r = Borda().run(TENNESSEE)
    assert r.explanation.scores == tuple(map(Fraction, (126, 194, 173, 107)))
    assert r.winner == "Nashville"


def test_tennessee_irv() -> None:
    # Chattanooga (15) goes, its votes pass to Knoxville (32); Nashville (26) goes,
    # its votes pass to Knoxville (58), who beats Memphis (42).
    r = IRV().run(TENNESSEE)
    assert r.ranking == (("Knoxville",), ("Memphis",), ("Nashville",), ("Chattanooga",))
    rounds = r.explanation.rounds
    assert [x.eliminated for x in rounds] == ["Chattanooga", "Nashville", "Memphis"]
    assert dict(rounds[1].tallies) == {"Memphis": 42, "Nashville": 26, "Knoxville": 32}
    assert dict(rounds[2].tallies) == {"Memphis": 42, "Knoxville": 58}


def test_tennessee_copeland() -> None:
    r = Copeland().run(TENNESSEE)
    assert r.explanation.wins == (0, 3, 2, 1)
    assert r.explanation.scores == (-3, 3, 1, -1)
    assert r.ranking == (("Nashville",), ("Chattanooga",), ("Knoxville",), ("Memphis",))


def test_plurality_tied_first_places() -> None:
    p = Profile.from_rankings([["A", "B"], [("A", "B", "C")], ["C"]], weights=[2, 3, 2])
    assert Plurality().run(p).explanation.scores == tuple(map(Fraction, (3, 1, 3)))
    each = Plurality(tied_first="each").run(p)
    assert each.explanation.scores == tuple(map(Fraction, (5, 3, 5)))
    assert each.ranking == (("A", "C"), ("B",))
    assert each.tied_at_last_seat == ("A", "C")


def test_plurality_blank_ballots_count_for_nobody() -> None:
    p = Profile.from_rankings([["A"], []], candidates=["A", "B"], weights=[1, 4])
    r = Plurality().run(p)
    assert r.explanation.scores == (Fraction(1), Fraction(0))
    assert r.explanation.exhausted == 4


def test_borda_with_ties_and_truncation() -> None:
    # A > B, C unranked, and (B = C) > A; weights 2 and 1.
    p = Profile.from_rankings(
        [["A", "B"], [("B", "C"), "A"]], candidates=["A", "B", "C"], weights=[2, 1]
    )
    # last: C is below A and B on ballot 1. A: 2*2 + 0 = 4; B: 2*1 + 1*(1 + 1/2);
    # C: 0 + 1*(1 + 1/2).
    assert Borda().run(p).explanation.scores == (Fraction(4), Fraction(7, 2), Fraction(3, 2))
    # ignore: ballot 1 compares only A and B. A: 2; B: 0 + 3/2; C: 3/2.
    ignore = Borda().run(p.with_unranked("ignore"))
    assert ignore.explanation.scores == (Fraction(2), Fraction(3, 2), Fraction(3, 2))
    assert ignore.ranking == (("A",), ("B", "C"))


def test_irv_elimination_ties_use_the_tie_break_and_are_recorded() -> None:
    p = Profile.from_rankings([["A", "B"], ["B", "A"], ["C", "A"]], weights=[2, 1, 1])
    r = IRV().run(p)
    assert r.explanation.rounds[0].eliminated == "C"  # B and C tie at 1: C goes
    # either way A wins: the tie is recorded, and not decisive
    assert r.ties_broken == (
        BrokenTie(
            ("B", "C"),
            ("B", "C"),
            "elimination in round 1",
            CandidateOrder().describe(),
            decisive=False,
        ),
    )
    assert r.winner == "A" and r.winners == ("A",) and r.tied_at_last_seat == ()
    other = IRV(tie_break=CandidateOrder(order=["C"])).run(p)
    assert other.explanation.rounds[0].eliminated == "B"


def test_irv_exhausted_ballots() -> None:
    p = Profile.from_rankings([["A"], ["B"], ["C", "B"]], weights=[3, 2, 1], unranked="last")
    r = IRV().run(p)
    assert r.explanation.rounds[0].eliminated == "C"
    assert r.explanation.rounds[1].exhausted == 0
    assert dict(r.explanation.rounds[1].tallies) == {"A": 3, "B": 3}
    # A and B tie at 3: lexicographic keeps A, eliminates B
    assert r.winner == "A"
    assert r.explanation.rounds[1].eliminated == "B"


# ------------------------------------------------------- plain definitions
def _ballots(profile: Profile) -> list[tuple[list[int], int]]:
    return list(zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True))


def _plurality(profile: Profile, split: bool) -> list[Fraction]:
    scores = [Fraction(0)] * profile.num_candidates
    for row, w in _ballots(profile):
        ranked = [r for r in row if r != UNRANKED]
        if not ranked:
            continue
        top = [c for c, r in enumerate(row) if r == min(ranked)]
        for c in top:
            scores[c] += Fraction(w, len(top)) if split else w
    return scores


def _borda(profile: Profile) -> list[Fraction]:
    n = profile.num_candidates
    scores = [Fraction(0)] * n
    for row, w in _ballots(profile):
        for a in range(n):
            for b in range(n):
                if a == b:
                    continue
                if profile.unranked == "ignore" and UNRANKED in (row[a], row[b]):
                    continue
                if row[a] < row[b]:
                    scores[a] += w
                elif row[a] == row[b]:
                    scores[a] += Fraction(w, 2)
    return scores


def _irv(profile: Profile) -> list[list[int]]:
    n = profile.num_candidates
    continuing = list(range(n))
    out: list[int] = []
    while len(continuing) > 1:
        votes = {c: Fraction(0) for c in continuing}
        for row, w in _ballots(profile):
            ranked = [row[c] for c in continuing if row[c] != UNRANKED]
            if not ranked:
                continue
            top = [c for c in continuing if row[c] == min(ranked)]
            for c in top:
                votes[c] += Fraction(w, len(top))
        fewest = min(votes.values())
        loser = max(c for c in continuing if votes[c] == fewest)  # lexicographic: last goes
        continuing.remove(loser)
        out.append(loser)
    return [continuing] + [[c] for c in reversed(out)]


@settings(max_examples=100)
@given(profiles(min_candidates=1, max_candidates=6))
def test_scores_match_plain_definitions(profile: Profile) -> None:
    if profile.num_voters == 0:
        return
    for split in (True, False):
        r = Plurality(tied_first="split" if split else "each").run(profile)
        r.check(profile)
        assert list(r.explanation.scores) == _plurality(profile, split)
    b = Borda().run(profile)
    b.check(profile)
    assert list(b.explanation.scores) == _borda(profile)
    s = pairwise_support(profile)
    n = len(s)
    c = Copeland().run(profile)
    c.check(profile)
    wins = [sum(s[i][j] > s[j][i] for j in range(n)) for i in range(n)]
    losses = [sum(s[i][j] < s[j][i] for j in range(n)) for i in range(n)]
    assert list(c.explanation.scores) == [w - lo for w, lo in zip(wins, losses, strict=True)]


@settings(max_examples=100)
@given(profiles(min_candidates=1, max_candidates=6))
def test_irv_matches_plain_irv(profile: Profile) -> None:
    if profile.num_voters == 0:
        return
    r = IRV().run(profile)
    r.check(profile)
    assert [sorted(profile.index(c) for c in t) for t in r.ranking] == _irv(profile)


@settings(max_examples=150)
@given(profiles(min_candidates=1, max_candidates=6), st.data())
def test_top_tier_kernel_matches_naive(profile: Profile, data: st.DataObject) -> None:
    c = profile.num_candidates
    active = data.draw(st.lists(st.booleans(), min_size=c, max_size=c))
    unranked_tier = data.draw(st.booleans())
    out, exhausted = _top_tier_counts(
        profile.ranks, profile.weights, np.array(active, dtype=np.bool_), unranked_tier
    )
    ranks, weights = profile.ranks.tolist(), profile.weights.tolist()
    assert (out.tolist(), int(exhausted)) == naive.top_tier_counts(
        ranks, weights, active, unranked_tier
    )


def test_parameters_and_tags() -> None:
    with pytest.raises(InvalidParameterError, match="tied_first"):
        Plurality(tied_first="half")  # type: ignore[arg-type]  # deliberately invalid parameter
    with pytest.raises(InvalidParameterError, match="seats"):
        IRV(seats=1.5)  # type: ignore[arg-type]  # deliberately invalid parameter
    for m in (Plurality(), Borda(), IRV()):
        assert not m.tags().condorcet_winner
    assert Plurality().tags().majority and IRV().tags().majority
    assert not IRV().tags().monotonic
    t = Copeland().tags()
    assert t.condorcet_winner and t.condorcet_loser and t.smith
    assert not Plurality(seats=2).tags().majority
    assert Copeland().run_pairwise(TENNESSEE.pairwise).explanation.scores == (-3, 3, 1, -1)
