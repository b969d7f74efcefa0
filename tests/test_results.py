"""Result objects and tie-breaking rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from voting import InvalidParameterError, InvalidProfileError
from voting.results import Result, committee_from_ranking
from voting.ties import BrokenTie, CandidateOrder, Random

NAMES = ("A", "B", "C", "D")


def test_no_tie_no_record() -> None:
    r = committee_from_ranking("m", NAMES, [[2], [0, 1], [3]], 1, CandidateOrder(), None)
    assert r.ranking == (("C",), ("A", "B"), ("D",))
    assert r.winners == ("C",)
    assert r.elected == ("C",)
    assert r.winner == "C"
    assert not r.tie_broken
    assert r.tied_at_last_seat == ()
    r.check()


def test_tie_for_the_only_seat_is_broken_and_recorded() -> None:
    r = committee_from_ranking("m", NAMES, [[1, 3], [0, 2]], 1, CandidateOrder(), "x")
    assert r.winners == ("B", "D")
    assert r.elected == ("B",)
    assert r.tie_broken
    assert r.ties_broken == (
        BrokenTie(("B", "D"), ("B", "D"), "seat 1", CandidateOrder().describe(), decisive=True),
    )
    assert CandidateOrder().describe() == (
        "candidate order (the candidate listed first in the input is favoured)"
    )
    assert r.tied_at_last_seat == ("B", "D")
    rev = committee_from_ranking("m", NAMES, [[1, 3], [0, 2]], 1, CandidateOrder(order=["D"]), 0)
    assert rev.elected == ("D",)
    assert "D > B" in str(rev.ties_broken[0])
    r.check()


def test_committee_boundary_tie_reports_who_straddles_the_last_seat() -> None:
    r = committee_from_ranking("m", NAMES, [[0], [1, 2, 3]], 2, CandidateOrder(), None)
    assert r.winners == ("A", "B", "C", "D")
    assert r.elected == ("A", "B")
    assert r.tied_at_last_seat == ("B", "C", "D")
    assert r.ties_broken[0].context == "seat 2"
    r3 = committee_from_ranking("m", NAMES, [[0], [1, 2, 3]], 3, CandidateOrder(), None)
    assert r3.ties_broken[0].context == "seats 2-3"
    with pytest.raises(InvalidProfileError, match=r"use \.elected"):
        _ = r.winner
    # a tier that ends exactly at the last seat is no tie
    exact = committee_from_ranking("m", NAMES, [[0, 1], [2, 3]], 2, CandidateOrder(), None)
    assert not exact.tie_broken
    assert exact.winners == ("A", "B")


def test_random_tie_break_is_reproducible_and_varies_with_the_seed() -> None:
    orders = {Random(seed=s).priority(NAMES) for s in range(30)}
    assert len(orders) > 10
    assert Random(seed=7).priority(NAMES) == Random(seed=7).priority(NAMES)
    assert sorted(Random(seed=7).priority(NAMES)) == [0, 1, 2, 3]
    r = committee_from_ranking("m", NAMES, [[0, 1, 2, 3]], 1, Random(seed=3), None)
    assert r.ties_broken[0].rule == "random order (seed=3)"


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        (lambda: Random(seed=-1), r"seed=-1; expected an int >= 0\."),
        (lambda: Random(seed=1.5), r"seed=1\.5; expected an int >= 0\."),  # type: ignore[arg-type]  # deliberately not an int
        (lambda: CandidateOrder(order="AB"), "not a string"),
        (lambda: CandidateOrder(order=["A", "A"]), "repeats"),
    ],
)
def test_bad_tie_break_parameters(factory: Callable[[], object], message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        factory()


def test_unknown_name_in_order() -> None:
    with pytest.raises(InvalidProfileError, match="not candidates"):
        CandidateOrder(order=["Z"]).priority(NAMES)


def test_check_catches_broken_invariants() -> None:
    good = committee_from_ranking("m", NAMES, [[0], [1, 2, 3]], 1, CandidateOrder(), None)
    bad: list[Result[None]] = [
        dataclasses.replace(good, ranking=(("A",), ("B", "C"))),
        dataclasses.replace(good, elected=("B",)),
        dataclasses.replace(good, elected=("A", "B")),
        dataclasses.replace(good, winners=("A", "B")),
    ]
    for r in bad:
        with pytest.raises(ValueError, match="invalid m result"):
            r.check()
    with pytest.raises(InvalidProfileError, match="seats=5"):
        committee_from_ranking("m", NAMES, [[0, 1, 2, 3]], 5, CandidateOrder(), None)


def test_str_lists_tiers() -> None:
    r = committee_from_ranking("m", NAMES, [[0], [1, 2, 3]], 1, CandidateOrder(), None)
    assert str(r).splitlines() == ["m: elected A", "    1. A", "    2. B = C = D (tied)"]


def test_decisive_flags_are_checked() -> None:
    r = committee_from_ranking("m", NAMES, [[1, 3], [0, 2]], 1, CandidateOrder(), None)
    assert r.ties_broken[0].decisive is True  # a tie across the last seat always decides
    calm = dataclasses.replace(
        r, ties_broken=(dataclasses.replace(r.ties_broken[0], decisive=False),)
    )
    with pytest.raises(ValueError, match="marked not decisive"):
        calm.check()
    lonely = dataclasses.replace(r, ties_broken=())
    with pytest.raises(ValueError, match=r"without a broken tie|no tie recorded"):
        lonely.check()
    assert "(decisive)" in str(r.ties_broken[0])
    assert "(not decisive)" in str(calm.ties_broken[0])


def test_lexicographic_is_a_deprecated_alias_of_candidate_order() -> None:
    import voting
    import voting.methods.condorcet_irv as cirv
    from voting.ties import ReverseCandidateOrder

    with pytest.warns(DeprecationWarning, match="CandidateOrder"):
        old = voting.Lexicographic
    assert old is CandidateOrder
    with pytest.warns(DeprecationWarning, match="not alphabetical"):
        from voting.ties import Lexicographic  # noqa: F401
    with pytest.warns(DeprecationWarning, match="ReverseCandidateOrder"):
        assert cirv.ReverseLexicographic is ReverseCandidateOrder
    # the rule is input order, not alphabetical order
    assert CandidateOrder().priority(["Zoe", "Adam"]) == (0, 1)
