"""The one shape of every method: declared parameter constraints, one message style,
renamed parameters that keep working, one size-guard exception, one seed rule, and one
way to elect among tied committees (issue 19, items 2 and 5)."""

from __future__ import annotations

import dataclasses
import json
import re
import warnings
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from voting import (
    CPOSTV,
    IRV,
    STV,
    BottomTwoRunoff,
    CIVSProportional,
    ComputationTooLargeError,
    CondorcetIRV,
    GroupCap,
    InvalidParameterError,
    InvalidProfileError,
    Kemeny,
    Profile,
    Random,
    Schulze,
    SchulzeSTV,
    TooManyTieResolutionsError,
    UnsupportedProfileError,
    VotingError,
    all_methods,
    bloc_voting,
    get_method,
    tie_sensitivity,
)
from voting._params import InstanceOf, Integer, Number, OneOf, OrNone, Satisfies, mapping_of
from voting._seed import as_generator, as_seed_sequence, check_seed, seed_int
from voting.cli import main
from voting.methods._base import MethodBase, SeatsMethod
from voting.methods.civs_proportional import ExactSearchTooLargeError
from voting.results import committee_from_committees, committee_order
from voting.ties import BrokenTie, CandidateOrder

NAMES = ("A", "B", "C", "D")


def _every_method() -> list[Any]:
    return [*all_methods(), GroupCap(method=Schulze(), groups={}, max_per_group=1)]


# ------------------------------------------------------------- declared constraints
@pytest.mark.parametrize("method", _every_method(), ids=lambda m: type(m).__name__)
def test_every_parameter_is_checked_in_one_message_style(method: Any) -> None:
    for f in dataclasses.fields(method):
        bad = object()
        with pytest.raises(InvalidParameterError) as err:
            dataclasses.replace(method, **{f.name: bad})
        pattern = (
            rf"{re.escape(method.name)}: {f.name}=<object object at 0x[0-9a-f]+>; expected .+\."
        )
        assert re.fullmatch(pattern, str(err.value)), str(err.value)


def test_every_method_of_the_library_derives_from_the_one_base() -> None:
    for method in _every_method():
        assert isinstance(method, MethodBase), type(method).__name__


def test_a_parameter_without_a_constraint_is_a_programming_error() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Sloppy(SeatsMethod):
        name: ClassVar[str] = "sloppy"
        depth: int = 3

    with pytest.raises(
        TypeError, match=r"Sloppy declares no constraint for parameter\(s\) \['depth'\]"
    ):
        Sloppy()


def test_constraints_say_what_they_accept() -> None:
    assert Integer(low=1).describe() == "an int >= 1"
    assert Integer(low=1, high=20, note="why").describe() == "an int from 1 to 20 (why)"
    assert Integer(high=3).describe() == "an int <= 3"
    assert Number(low=0, low_open=True).describe() == "a number > 0"
    assert OneOf(("a", "b")).describe() == "one of ['a', 'b']"
    assert OrNone(OneOf(("a",)), "for the default").describe() == (
        "one of ['a'] (or None for the default)"
    )
    assert not Integer(low=1).accepts(True) and not Integer().accepts(2.0)
    assert not Integer().accepts(np.int64(2))  # seats and limits are Python ints
    assert Number(low=0).accepts(Fraction(1, 2)) and not Number().accepts(float("nan"))
    assert not Number().accepts(True) and Number(low=0).accepts(0)
    assert not Number(low=0, low_open=True).accepts(0)
    assert not OneOf(("a",)).accepts(["a"]) and OrNone(OneOf(("a",))).accepts(None)
    assert InstanceOf(str, "a name").accepts("x") and not InstanceOf(str, "a name").accepts(1)
    counts = Satisfies(mapping_of(str, Integer(low=0)), "counts")
    assert counts.accepts({"a": 0}) and not counts.accepts({"a": -1})
    assert not counts.accepts([("a", 1)]) and not counts.accepts({1: 1})


# ------------------------------------------------------------------ renamed parameters
RENAMED = [
    (IRV, "put_limit", "max_counts"),
    (CondorcetIRV, "put_limit", "max_counts"),
    (BottomTwoRunoff, "put_limit", "max_counts"),
    (STV, "put_limit", "max_counts"),
    (CIVSProportional, "exact_limit", "max_committees"),
]


@pytest.mark.parametrize(("make", "old", "new"), RENAMED)
def test_a_former_parameter_name_still_works_with_a_warning(make: Any, old: str, new: str) -> None:
    with pytest.warns(DeprecationWarning, match=rf"{old} is now called {new}") as record:
        method = make(**{old: 7})
    assert record[0].filename == __file__  # the warning points at the caller
    assert getattr(method, new) == 7
    assert method == make(**{new: 7})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # replace() passes no former name, so no warning
        assert dataclasses.replace(method, seats=2) == make(seats=2, **{new: 7})
    with pytest.raises(InvalidParameterError, match=rf"{old}=7 and {new}=8 both given"):
        make(**{old: 7, new: 8})
    renamed = rf"{old} is now called {new}"
    with (
        pytest.warns(DeprecationWarning, match=renamed),
        pytest.raises(InvalidParameterError, match=f"{new}=0"),
    ):
        make(**{old: 0})
    with pytest.warns(DeprecationWarning, match=renamed):
        assert get_method(make.name, **{old: 7}) == method


def test_the_command_line_takes_a_former_parameter_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "three.csv"
    path.write_text("A,B,C\n1,2,3\n3,1,2\n2,3,1\n", encoding="utf-8")
    for option in ("put_limit=7", "max_counts=7"):
        assert main(["count", str(path), "--method", "irv", "--option", option, "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["parameters"]["max_counts"] == 7


# ------------------------------------------------------------------------ size guards
def _symmetric(n: int) -> Profile:
    names = [f"c{i}" for i in range(n)]
    return Profile.from_rankings([names[i:] + names[:i] for i in range(n)])


GUARDS = [
    (Kemeny(max_candidates=3), "max_candidates", 3),
    (CPOSTV(seats=2, max_comparisons=10), "max_comparisons", 10),
    (CIVSProportional(seats=2, search="exact", max_committees=5), "max_committees", 5),
    (SchulzeSTV(seats=2, max_seconds=1e-9), "max_seconds", 1e-9),
    (IRV(max_counts=2), "max_counts", 2),
    (STV(rule="scottish", max_counts=1), "max_counts", 1),
]


@pytest.mark.parametrize(("method", "parameter", "limit"), GUARDS, ids=lambda x: str(x)[:20])
def test_every_size_guard_raises_one_exception_naming_its_parameter(
    method: Any, parameter: str, limit: float
) -> None:
    with pytest.raises(ComputationTooLargeError) as err:
        method.run(_symmetric(6))
    exc = err.value
    assert isinstance(exc, ValueError) and isinstance(exc, UnsupportedProfileError)
    assert isinstance(exc, VotingError)
    assert (exc.parameter, exc.limit) == (parameter, limit)
    assert f"Raise {parameter}" in str(exc) and str(exc).startswith(f"{method.name}: ")
    assert exc.needed is None or exc.needed > limit


def test_the_former_size_exceptions_are_the_one_exception() -> None:
    assert issubclass(TooManyTieResolutionsError, ComputationTooLargeError)
    assert issubclass(ExactSearchTooLargeError, ComputationTooLargeError)
    with pytest.raises(TooManyTieResolutionsError):
        IRV(max_counts=2).run(_symmetric(6))
    with pytest.raises(ExactSearchTooLargeError, match="max_committees=5"):
        CIVSProportional(seats=2, search="exact", max_committees=5).run(_symmetric(6))


def test_kemeny_size_guard_can_be_raised_and_guards_the_matrix_too() -> None:
    p = _symmetric(4)
    with pytest.raises(ComputationTooLargeError, match=r"4 candidates, more than max_candidates=3"):
        Kemeny(max_candidates=3).run(p)
    with pytest.raises(ComputationTooLargeError, match="max_candidates=3"):
        Kemeny(max_candidates=3).run_pairwise(p.pairwise)
    assert Kemeny(max_candidates=4).run(p).ranking == Kemeny().run(p).ranking


def test_cpo_stv_elects_one_seat_by_default() -> None:
    p = Profile.from_rankings([["A", "B", "C"]] * 3 + [["B", "C", "A"]] * 2)
    assert CPOSTV().seats == 1
    assert CPOSTV().run(p) == CPOSTV(seats=1).run(p)


# ------------------------------------------------------------------------ seeds
def test_one_seed_rule() -> None:
    assert as_generator(5).integers(1000, size=3).tolist() == (
        np.random.default_rng(5).integers(1000, size=3).tolist()
    )
    g = np.random.default_rng(1)
    assert as_generator(g) is g
    ss = np.random.SeedSequence(4)
    assert as_seed_sequence(ss) is ss and as_seed_sequence(7).entropy == 7
    drawn = as_seed_sequence(np.random.default_rng(0)).entropy
    assert drawn == np.random.default_rng(0).integers(0, 2**63, size=4).tolist()
    assert check_seed(np.int64(3)) == 3 and type(check_seed(np.int64(3))) is int
    assert seed_int(np.uint8(3)) == 3
    for bad in (None, True, -1, 1.5, "3"):
        with pytest.raises(InvalidParameterError, match=rf"^seed={re.escape(repr(bad))}; expected"):
            as_generator(bad)
    with pytest.raises(InvalidParameterError, match="explicit seed"):
        as_seed_sequence(None)
    with pytest.raises(InvalidParameterError, match=r"expected an int >= 0\.$"):
        seed_int(np.random.default_rng(0))


def test_the_seed_rule_is_the_one_every_seed_parameter_follows() -> None:
    assert Random(seed=np.int64(2)).priority(NAMES)  # type: ignore[arg-type]  # numpy ints are accepted == Random(seed=2).priority(NAMES)
    with pytest.raises(InvalidParameterError, match=r"Random: seed=None; expected an int >= 0"):
        Random(seed=None)  # type: ignore[arg-type]  # deliberately invalid
    p = Profile.from_rankings([["A", "B", "C"], ["B", "A", "C"], ["C", "A", "B"]])
    for bad in (None, -1):
        with pytest.raises(InvalidParameterError, match=rf"seed={bad}; expected"):
            bloc_voting(p, {"g": ["A", "B"]}, seed=bad)  # type: ignore[arg-type]
        with pytest.raises(InvalidParameterError, match=rf"seed={bad}; expected"):
            tie_sensitivity(Schulze(), p, seed=bad)  # type: ignore[arg-type]


# ------------------------------------------------------- the committee tie helper
def test_one_winning_committee() -> None:
    r = committee_from_committees("m", NAMES, [(2, 0)], CandidateOrder(), None)
    assert r.ranking == (("A", "C"), ("B", "D"))
    assert (r.winners, r.elected, r.seats) == (("A", "C"), ("A", "C"), 2)
    assert not r.ties_broken and not r.tied_at_last_seat
    r.check()


def test_tied_committees_are_one_recorded_decisive_tie() -> None:
    r = committee_from_committees("m", NAMES, [(0, 1), (0, 2)], CandidateOrder(), None)
    assert r.ranking == (("A",), ("B", "C"), ("D",))
    assert (r.winners, r.elected, r.tied_at_last_seat) == (("A", "B", "C"), ("A", "B"), ("B", "C"))
    rule = CandidateOrder().describe()
    assert r.ties_broken == (
        BrokenTie(("B", "C"), ("B", "C"), "seat 2 (2 tied committees)", rule, decisive=True),
    )
    r.check()
    given = CandidateOrder(order=["C"])
    other = committee_from_committees("m", NAMES, [(0, 1), (0, 2)], given, None)
    assert other.elected == ("A", "C") and other.ties_broken[0].order == ("C", "B")
    three = committee_from_committees("m", NAMES, [(0, 1), (2, 3), (0, 2)], CandidateOrder(), None)
    assert three.ties_broken[0].context == "seats 1-2 (3 tied committees)"
    assert three.ranking == (NAMES,) and three.elected == ("A", "B")
    three.check()


def test_a_weak_order_splits_the_sure_and_the_losing_candidates() -> None:
    order = [[3], [1], [0, 2]]
    r = committee_from_committees("m", NAMES, [(0, 1)], CandidateOrder(), None, order=order)
    assert r.ranking == (("B",), ("A",), ("D",), ("C",))
    assert r.elected == ("B", "A") == r.winners
    r.check()


def test_the_favourite_committee_comes_first_in_the_tie_break_priority() -> None:
    committees = [(1, 2), (0, 3), (0, 2)]
    assert committee_order(NAMES, committees, CandidateOrder()) == [2, 1, 0]
    assert committee_order(NAMES, committees, CandidateOrder(order=["D", "C", "B"])) == [1, 0, 2]


@pytest.mark.parametrize("committees", [[], [(0,), (0, 1)], [(0, 1, 2, 3, 4)]])
def test_malformed_winning_committees_are_refused(committees: list[tuple[int, ...]]) -> None:
    with pytest.raises(InvalidProfileError, match="winning committees"):
        committee_from_committees("m", NAMES, committees, CandidateOrder(), None)
