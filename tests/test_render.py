"""One rendering interface (voting.render): every explanation, report and result renders
as readable text and as JSON-ready data, for every method, on generated profiles."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from voting import Profile
from voting.analysis import (
    bloc_voting,
    discover_blocs,
    head_to_head_table,
    rank_spread,
    tie_sensitivity,
)
from voting.exceptions import EmptyProfileError, UnsupportedProfileError
from voting.methods import METHODS, get_method
from voting.methods.civs_proportional import CIVSProportional
from voting.methods.condorcet_irv import CondorcetIRV
from voting.methods.debian import Debian
from voting.methods.group_cap import GroupCap
from voting.methods.positional import Plurality
from voting.methods.ranked_pairs import MAM
from voting.methods.schulze import Schulze
from voting.methods.stv import RULES, STV
from voting.render import (
    Explanation,
    Plottable,
    Record,
    Renderable,
    by_candidate,
    exact_text,
    json_ready,
    number_text,
)
from voting.results import Result
from voting.testing.strategies import profiles

# Python reprs that must never stand in for a readable account: default object reprs,
# dataclass reprs ("IRVRound(tallies=..."), numbers' and arrays' reprs.
REPRS = re.compile(r"object at 0x|\b[A-Z]\w*\(\w+=|Fraction\(|Decimal\(|array\(|np\.\w+\(")

#: (label, method, fewest candidates, strict ballots only)
CASES: list[tuple[str, Callable[[], Any], int, bool]] = [
    *[(name, lambda name=name: get_method(name), 2, name == "stv") for name in METHODS],
    *[
        (f"stv-{rule}", lambda rule=rule: STV(seats=2, rule=rule), 3, rule != "meek-equal")
        for rule in RULES
    ],
    ("schulze-margins", lambda: Schulze(strength="margins", seats=2), 2, False),
    ("schulze-ratio", lambda: Schulze(strength="ratio"), 2, False),
    ("condorcet_irv-recount", lambda: CondorcetIRV(first_preferences="recount"), 2, False),
    ("mam-legacy", lambda: MAM(shuffle=None), 2, False),
    ("plurality-each", lambda: Plurality(tied_first="each"), 2, False),
    ("civs_proportional-2", lambda: CIVSProportional(seats=2, criterion="combined"), 3, False),
    ("debian-quorum", lambda: Debian(default_option="A", quorum=2, majority="3:2"), 2, False),
    (
        "group_cap",
        lambda: GroupCap(method=Schulze(), groups={"A": "g", "B": "g"}, max_per_group=1, seats=2),
        3,
        False,
    ),
]


def _plain_json(value: object) -> bool:
    """Only dict (str keys), list, str, int, finite float, bool and None, all the way down."""
    if value is None or isinstance(value, bool | int | str):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_plain_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_json(v) for k, v in value.items())
    return False


def _round_trips(data: dict[str, Any]) -> None:
    assert _plain_json(data)
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data


def _readable(text: str) -> None:
    assert text.strip()
    found = REPRS.search(text)
    assert found is None, f"a Python repr in the text: {text[max(0, found.start() - 40) :]}"


@pytest.mark.parametrize(
    ("label", "make", "min_candidates", "strict"), CASES, ids=[c[0] for c in CASES]
)
@settings(
    max_examples=25, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow]
)
@given(data=st.data())
def test_every_explanation_renders(
    label: str, make: Callable[[], Any], min_candidates: int, strict: bool, data: st.DataObject
) -> None:
    profile = data.draw(
        profiles(min_candidates=min_candidates, max_candidates=5, allow_ties=not strict)
    )
    method = make()
    try:
        result = method.run(profile)
    except (EmptyProfileError, UnsupportedProfileError):  # nobody ranked; too large
        assume(False)
        raise
    e = result.explanation
    assert isinstance(e, Explanation) and isinstance(e, Renderable)
    text = e.to_text()
    _readable(text)
    assert str(e) == text
    _readable(result.to_text())
    assert all(isinstance(line, str) and line for line in e.notices())
    data_ = result.to_dict()
    _round_trips(data_)
    assert data_["explanation"]["type"] == type(e).__name__
    assert data_["elected"] == list(result.elected)
    assert data_["ranking"] == [list(t) for t in result.ranking]
    assert data_["ties_broken"] == [
        {"tied": list(t.tied), "order": list(t.order), "context": t.context, "rule": t.rule,
         "decisive": t.decisive}
        for t in result.ties_broken
    ]  # fmt: skip


def test_exact_numbers_stay_exact() -> None:
    """Fractions in the JSON read back to the explanation's own values."""
    p = Profile.from_rankings(
        [["A", "B", "C"], ["B", "C", "A"], [("C", "A"), "B"], ["A", "C"]], weights=[4, 3, 2, 2]
    )
    meek = STV(seats=2, rule="meek-equal").run(p)
    for r, rd in zip(meek.explanation.rounds, meek.to_dict()["explanation"]["rounds"], strict=True):
        assert {c: Fraction(v) for c, v in rd["tallies"].items()} == dict(
            zip(p.candidates, r.tallies, strict=True)
        )
        assert Fraction(rd["quota"]) == r.quota and rd["label"] == r.label
    borda = get_method("borda").run(p)
    scores = borda.to_dict()["explanation"]["scores"]
    assert [Fraction(scores[c]) for c in p.candidates] == list(borda.explanation.scores)
    irv = get_method("irv").run(p)
    first = irv.to_dict()["explanation"]["rounds"][0]["tallies"]
    assert {c: Fraction(v) for c, v in first.items()} == dict(irv.explanation.rounds[0].tallies)
    schulze = Schulze(strength="ratio").run(p).explanation
    assert schulze.to_dict()["strongest_paths"] == schulze.strongest_paths.tolist()
    assert "path_codes" not in schulze.to_dict()


class _Pair(NamedTuple):
    a: str
    n: int


@given(st.fractions(max_denominator=10**12))
def test_exact_text_reads_back_exactly(x: Fraction) -> None:
    assert Fraction(exact_text(x)) == x
    assert json_ready(x) == exact_text(x)
    shown = number_text(x)
    assert shown.startswith("~") or Fraction(shown) == x


def test_json_ready_conventions() -> None:
    assert exact_text(Fraction(10, 3)) == "10/3" and exact_text(Fraction(-1, 8)) == "-0.125"
    assert exact_text(7) == "7" and number_text(Fraction(2, 3)) == "~0.667"
    assert json_ready(np.int64(3)) == 3 and type(json_ready(np.int64(3))) is int
    assert json_ready(np.bool_(True)) is True
    assert json_ready([math.nan, math.inf, 1.5, np.float64(2.0)]) == [None, None, 1.5, 2.0]
    assert json_ready(Decimal("1.50")) == "1.50"
    assert json_ready(np.array([[1, 2], [3, 4]])) == [[1, 2], [3, 4]]
    assert json_ready(_Pair("x", 2)) == {"a": "x", "n": 2}
    assert json_ready({"k": (1, Fraction(1, 2))}) == {"k": [1, "0.5"]}
    assert by_candidate(["A", "B"], [Fraction(9, 2), 4]) == {"A": "4.5", "B": 4}
    with pytest.raises(TypeError, match="set"):
        json_ready({1, 2})
    with pytest.raises(TypeError, match="int key"):
        json_ready({1: "x"})
    with pytest.raises(TypeError, match="object"):
        json_ready(object())


def test_result_without_an_explanation() -> None:
    """A user's method may return no explanation: the result still renders."""
    r = Result(
        method="mine", candidates=("A", "B"), ranking=(("A",), ("B",)), seats=1,
        winners=("A",), elected=("A",), explanation=None,
    )  # fmt: skip
    assert r.to_dict()["explanation"] is None
    _round_trips(r.to_dict())
    assert r.to_text().splitlines()[-2:] == ["Winner: A", "No ties broken."]


def _k8s_like() -> Profile:
    return Profile.from_rankings(
        [["a1", "a2", "b", "c", "d"], [("a1", "a2"), "c", "b"], ["b", "a1", "a2", "c"],
         [("c", "d"), "b"], ["d", "c", "a1"]],
        weights=[5, 2, 3, 2, 1],
    )  # fmt: skip


def test_every_analysis_report_renders() -> None:
    p = _k8s_like()
    reports: list[Any] = [
        bloc_voting(p, {"A": ["a1", "a2"], "B": ["b"]}, permutations=50),
        bloc_voting(p, {"A": ["a1", "a2"]}, permutations=0),
        discover_blocs(p, max_size=3),
        rank_spread(p),
        rank_spread(p.with_unranked("ignore")),
        head_to_head_table(p),
        tie_sensitivity(Schulze(), p),
        tie_sensitivity(Schulze(), p, exact=False, samples=40),
    ]
    for report in reports:
        assert isinstance(report, Record) and isinstance(report, Renderable)
        _readable(report.to_text())
        assert str(report) == report.to_text()
        data = report.to_dict()
        _round_trips(data)
        assert data["type"] == type(report).__name__
    for report in (reports[0], reports[3], reports[5], reports[6]):
        assert isinstance(report, Plottable)
    blocs = reports[0].to_dict()
    group = blocs["groups"][0]
    assert Fraction(group["top"]["expected_count"]) == reports[0]["A"].top.expected_count
    exact = reports[6].to_dict()
    assert [Fraction(c["exact"]) for c in exact["chances"]] == [c.exact for c in reports[6].chances]


def test_unrendered_nan_is_null() -> None:
    """A candidate nobody positions has no mean: null in the JSON, "-" in the text."""
    p = Profile.from_rankings([["A", "B"], ["B"]], candidates=["A", "B", "C"], unranked="ignore")
    spread = rank_spread(p)
    row = next(r for r in spread.to_dict()["rows"] if r["candidate"] == "C")
    assert row["voters"] == 0 and row["mean"] is None and row["mode"] is None
    assert row["distribution"] == {}
