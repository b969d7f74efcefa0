"""The STV method's interface: parameters, errors, tags, results and explanations."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from voting import Profile
from voting.exceptions import (
    EmptyProfileError,
    InvalidParameterError,
    InvalidProfileError,
    UnsupportedProfileError,
)
from voting.methods.stv import QUOTAS, RULES, STV, QuotaName, Rule, STVExplanation
from voting.ties import CandidateOrder, Random

SMALL = Profile.from_rankings(
    [["A", "B", "C"], ["B", "A"], ["C", "B"], ["D", "C", "A"], ["A"]],
    weights=[5, 4, 3, 2, 1],
)


def test_defaults() -> None:
    m = STV()
    assert (m.seats, m.rule, m.quota, m.quota_name) == (1, "meek", None, "droop-exact")
    assert STV(rule="scottish").quota_name == "droop"
    assert STV(rule="fractional", quota="hare").quota_name == "hare"
    assert STV.name == "stv"
    assert "rule='meek'" in repr(m)
    assert dataclasses.replace(m, seats=3).seats == 3


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"rule": "gregory"},
            r"rule='gregory'; expected one of \['meek', 'meek-nz', 'meek-equal', 'scottish'",
        ),
        (
            {"quota": "imperiali"},
            r"quota='imperiali'; expected one of \['droop', 'droop-exact', 'hare'\]",
        ),
        ({"seats": 0}, "seats=0"),
        ({"seats": True}, r"seats=True; expected an int >= 1\."),
        ({"tie_break": "random"}, "tie_break='random'; expected a TieBreak"),
    ],
)
def test_bad_parameters(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        STV(**kwargs)  # type: ignore[arg-type]  # deliberately invalid parameters
    with pytest.raises(ValueError, match=match):  # also a ValueError
        STV(**kwargs)  # type: ignore[arg-type]  # deliberately invalid parameters


def test_profile_errors() -> None:
    with pytest.raises(InvalidProfileError, match="seats=5"):
        STV(seats=5).run(SMALL)
    with pytest.raises(InvalidProfileError, match=r"needs a voting\.Profile"):
        STV().run([["A"]])  # type: ignore[arg-type]  # deliberately not a Profile
    blank = Profile.from_rankings([[], []], candidates=["A", "B"])
    with pytest.raises(EmptyProfileError, match="no ballot ranks any candidate"):
        STV().run(blank)


@pytest.mark.parametrize("rule", [r for r in RULES if r != "meek-equal"])
def test_strict_rules_reject_tied_ballots(rule: Rule) -> None:
    tied = Profile.from_rankings([[("A", "B"), "C"], ["C"]])
    with pytest.raises(UnsupportedProfileError, match="rule='meek-equal'") as info:
        STV(rule=rule).run(tied)
    assert "at random" in str(info.value)
    assert isinstance(info.value, TypeError)


def test_tags() -> None:
    for rule in RULES:
        tags = STV(rule=rule).tags()
        assert tags.kind == "committee"
        assert tags.droop_proportional
        assert tags.supports_truncation
        assert tags.supports_ties == (rule == "meek-equal")
        assert not tags.monotonic and not tags.condorcet_winner
    assert not STV(quota="hare").tags().droop_proportional


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("quota", QUOTAS)
def test_every_rule_and_quota_counts(rule: Rule, quota: QuotaName) -> None:
    for seats in (1, 2, 3, 4):
        result = STV(seats=seats, rule=rule, quota=quota).run(SMALL)
        result.check(SMALL)
        expl = result.explanation
        assert isinstance(expl, STVExplanation)
        assert expl.rule == rule and expl.quota_name == quota and expl.seats == seats
        assert expl.valid_votes == 15 and expl.invalid_votes == 0
        for r in expl.rounds:
            assert r.total == 15
            assert len(r.tallies) == len(r.status) == len(r.transfers) == 4
        # ranking: elected first, in order of election
        flat = [c for tier in result.ranking for c in tier]
        assert set(flat[:seats]) == set(result.elected)
        assert result.winners == tuple(c for c in flat if c in result.elected)


def test_everyone_elected_when_seats_equal_candidates() -> None:
    for rule in RULES:
        result = STV(seats=4, rule=rule).run(SMALL)
        assert sorted(result.elected) == ["A", "B", "C", "D"]


def test_ranking_puts_the_last_excluded_highest() -> None:
    # D is excluded, then B; A is elected and C, never excluded, is next
    result = STV(seats=1, rule="scottish").run(SMALL)
    assert [r.excluded for r in result.explanation.rounds] == [(), ("D",), ("B",), ()]
    assert result.ranking == (("A",), ("C",), ("B",), ("D",))


def test_decimals_and_text() -> None:
    expected: dict[Rule, int | None] = {
        "meek": 9,
        "meek-nz": 9,
        "meek-equal": 9,
        "scottish": 5,
        "ers97": 2,
        "fractional": None,
    }
    for rule, decimals in expected.items():
        expl = STV(seats=2, rule=rule).run(SMALL).explanation
        assert expl.decimals == decimals
        text = expl.to_text()
        assert all(name in text for name in SMALL.candidates)
        assert "Quota" in text and "Non-transferable" in text
        assert str(expl) == text
    text = STV(seats=2, rule="fractional").run(SMALL).explanation.to_text()
    assert "~" in text or "." in text


# Scottish rule 51: B and C tie for exclusion at stage 4 but differed at stage 2
EARLIER = Profile.from_rankings(
    [["A"], ["B"], ["C"], ["D", "C"]], weights=[10, 3, 2, 1], candidates=["A", "B", "C", "D"]
)


def test_scottish_ties_look_back_before_lot() -> None:
    favour_c = CandidateOrder(order=["C", "B", "A", "D"])  # lot alone would exclude B
    result = STV(seats=2, rule="scottish", tie_break=favour_c).run(EARLIER)
    assert result.elected == ("A", "B")
    (tie,) = result.ties_broken
    assert tie.tied == ("B", "C") and tie.order == ("B", "C")
    assert tie.rule == "votes at round 2"


def test_lot_is_recorded_and_seeded() -> None:
    level = Profile.from_rankings([["A"], ["B"], ["C"]], weights=[1, 1, 1])
    results = [STV(seats=1, rule="scottish", tie_break=Random(seed=s)).run(level) for s in range(8)]
    assert len({r.elected for r in results}) > 1  # the seed decides
    for r in results:
        assert r.ties_broken and all("random order (seed=" in t.rule for t in r.ties_broken)
        # every seed's count is one of the parallel universes: all three can win
        assert r.winners == ("A", "B", "C") or set(r.winners) == {"A", "B", "C"}
        assert r.ties_broken[-1].decisive
    again = STV(seats=1, rule="scottish", tie_break=Random(seed=3)).run(level)
    assert again.elected == results[3].elected


def test_meek_exact_values() -> None:
    p = Profile.from_rankings([["A", "B"], ["B"], ["C"]], weights=[6, 2, 3])
    result = STV(seats=2, rule="meek").run(p)
    first = result.explanation.rounds[0]
    assert first.quota == Fraction(3666666667, 10**9)  # trunc9(11/3) + 10^-9
    assert first.keep_factors == (Fraction(1),) * 3
    assert result.elected == ("A", "B")
    final = result.explanation.rounds[-1]
    assert final.keep_factors is not None and 0 < final.keep_factors[0] < 1


def test_blank_ballots_are_invalid_not_counted() -> None:
    p = Profile.from_rankings([["A"], [], ["B"]], weights=[3, 5, 2], candidates=["A", "B"])
    expl = STV(rule="scottish").run(p).explanation
    assert (expl.valid_votes, expl.invalid_votes) == (5, 5)
    assert expl.rounds[0].quota == 3
