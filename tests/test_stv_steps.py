"""The steps of each STV count, one at a time, on tiny counts worked out by hand.

Each rule set is a :class:`~voting.methods.stv._count.Count` subclass whose steps
(quota, election, surplus transfer, exclusion, the round recorder) are methods; these
tests drive them one by one and check the figures after each against arithmetic done
by hand in the comments (values are scaled ints: 10**5 Scottish, 10**2 ERS97, 10**9
Meek).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import pytest

from voting import Profile
from voting.exceptions import InvalidParameterError
from voting.methods.stv import RULES
from voting.methods.stv._arith import FixedPoint, Rational
from voting.methods.stv._ballots import Ballots, compress
from voting.methods.stv._explain import CountInvariantError
from voting.methods.stv._rules import COUNTS
from voting.methods.stv.ers97 import ERS97Count
from voting.methods.stv.gregory import GregoryCount
from voting.methods.stv.meek import MeekCount, keep_value
from voting.methods.stv.meek_nz import MeekNZCount, nz_prns, prn_at_step
from voting.ties import CandidateOrder

G = 10**9  # Meek's scale


def _ballots(groups: Sequence[tuple[int, str]], candidates: str) -> Ballots:
    """``[(6, "AB"), ...]``: 6 ballots ranking A then B."""
    return compress(
        Profile.from_rankings(
            [list(r) for _, r in groups],
            candidates=list(candidates),
            weights=[n for n, _ in groups],
        )
    )


# The example of the STV docstring: 12 valid votes, 2 seats.
DOC = [(6, "AB"), (3, "AC"), (2, "BC"), (1, "C")]


def _gregory(rule: str = "scottish", seats: int = 2) -> GregoryCount:
    return GregoryCount(
        _ballots(DOC, "ABC"), "ABC", seats, rule=rule, quota="droop", tie_break=CandidateOrder()
    )


# ------------------------------------------------------------------ arithmetic


def test_every_rule_set_has_one_count_class() -> None:
    assert sorted(COUNTS) == sorted(RULES)
    assert COUNTS["scottish"] is COUNTS["fractional"] is GregoryCount
    with pytest.raises(InvalidParameterError, match=r"ERS97Count counts the rules \['ers97'\]"):
        ERS97Count(
            _ballots(DOC, "ABC"), "ABC", 1, quota="droop", tie_break=CandidateOrder(), rule="meek"
        )


def test_fixed_point_truncates_and_rational_is_exact() -> None:
    five = FixedPoint(5)
    assert (five.zero, five.one) == (0, 100_000)
    assert five.times_ratio(five.one, 4, 9) == 44_444  # 0.444444... truncated
    assert five.frac(44_444) == Fraction(44_444, 100_000)
    assert five.show(44_444) == "0.44444"
    exact = Rational()
    assert exact.times_ratio(exact.one, Fraction(4), Fraction(9)) == Fraction(4, 9)
    assert exact.show(Fraction(4, 9)) == "~0.444444"


# ------------------------------------------------------- Gregory (Scottish 2007)


def test_gregory_quota_recount_and_election() -> None:
    count = _gregory()
    assert count.quota == 500_000  # rule 46: floor(12 / 3) + 1 = 5
    count.recount()
    assert count.votes == [900_000, 200_000, 100_000]
    assert count.elect_new() == [0]  # rule 47: A has 9 >= 5
    assert count.pending == [0]
    assert count.state.status == ["elected", "hopeful", "hopeful"]


def test_gregory_surplus_transfer_truncates_each_paper() -> None:
    count = _gregory()
    count.recount()
    count.elect_new()
    assert count.next_surplus() == 0 and count.pending == []
    surplus, tv = count.transfer_surplus(0)
    # rule 48(3): every paper of A moves at 1 x 4 / 9 = 0.44444 (remainder ignored)
    assert (surplus, tv) == (400_000, 44_444)
    # A keeps the quota; B gets 6 x 0.44444, C 3 x 0.44444
    assert count.votes == [500_000, 200_000 + 6 * 44_444, 100_000 + 3 * 44_444]
    assert count.loss == 400_000 - 9 * 44_444  # 0.00004 lost to truncation
    assert count.exhausted == 0
    assert count.done == {0}


def test_gregory_exclusion_moves_every_paper_at_its_value() -> None:
    count = _gregory()
    count.recount()
    count.elect_new()
    count.transfer_surplus(count.next_surplus())
    assert count.exclude_lowest() == (2, 233_332)  # C: 1 + 3 x 0.44444
    # C's own paper and A's three papers at 0.44444 have no next preference
    assert count.exhausted == 100_000 + 3 * 44_444
    assert count.votes[2] == 0
    assert count.state.status == ["elected", "hopeful", "excluded"]
    assert count.state.complete()  # one hopeful for one seat left


def test_fractional_rule_transfers_exactly() -> None:
    count = _gregory("fractional")
    assert count.quota == 5
    count.recount()
    count.elect_new()
    surplus, tv = count.transfer_surplus(count.next_surplus())
    assert (surplus, tv) == (4, Fraction(4, 9))
    assert count.votes == [5, Fraction(14, 3), Fraction(7, 3)]
    assert count.loss == 0


def test_gregory_recount_refuses_papers_left_with_an_elected_candidate() -> None:
    count = _gregory()
    count.recount()
    count.done.add(1)  # B holds papers: an inclusive transfer would have moved them
    with pytest.raises(CountInvariantError, match="papers left with B"):
        count.recount()


# ------------------------------------------------------------ the round recorder


def test_record_builds_the_round_from_the_figures() -> None:
    count = _gregory()
    count.recount()
    first = count.record("first preferences", "first", elected=count.elect_new())
    assert first.number == 1
    assert first.tallies == first.transfers == tuple(map(Fraction, (9, 2, 1)))
    assert first.quota == 5 and first.elected == ("A",)
    assert first.keep_factors is None and first.stage is None
    surplus, tv = count.transfer_surplus(count.next_surplus())
    second = count.record("surplus", "second", surplus=surplus, transfer_value=tv)
    assert second.number == 2
    assert second.surplus == 4 and second.transfer_value == Fraction("0.44444")
    # the change since the previous round: A gives 4, B and C get 6 and 3 papers
    assert second.transfers == (Fraction(-4), Fraction("2.66664"), Fraction("1.33332"))
    assert second.loss == Fraction("0.00004")
    # the surplus transfer was a tie of one: nothing to record
    assert count.state.ties == []


def test_record_refuses_a_round_that_does_not_reconcile() -> None:
    count = _gregory()
    count.recount()
    count.votes[1] += 1  # one unit too many
    with pytest.raises(CountInvariantError, match="round 1"):
        count.record("first preferences", "first")
    assert count.state.rounds == []


def test_end_round_fills_the_seats_left_or_shows_the_rest_excluded() -> None:
    count = _gregory(seats=1)
    count.recount()
    count.elect_new()  # A has 9 >= floor(12 / 2) + 1 = 7: the seat is filled
    assert count.state.complete()
    count.end_round("now elected: ", "filled; not elected: ")
    end = count.state.rounds[-1]
    assert (end.action, end.description) == ("end", "filled; not elected: B, C")
    assert end.status == ("elected", "excluded", "excluded")
    assert count.state.status == ["elected", "hopeful", "hopeful"]  # only the record

    count = _gregory(seats=3)  # as many seats as candidates
    count.recount()
    count.end_round("now elected: ", "filled; not elected: ", elect_suffix=" (rule)")
    end = count.state.rounds[-1]
    assert end.description == "now elected: A, B, C (rule)"  # best vote first
    assert end.elected == ("A", "B", "C")


# ---------------------------------------------------------------------- ERS97

# A's surplus reaches C and B; C, excluded next, holds papers of two values
BATCHES = [(10, "ACB"), (10, "AB"), (5, "CB"), (6, "B"), (15, "D")]


def _ers97(groups: Sequence[tuple[int, str]], candidates: str, seats: int = 2) -> ERS97Count:
    return ERS97Count(
        _ballots(groups, candidates),
        candidates,
        seats,
        quota="droop-exact",
        tie_break=CandidateOrder(),
    )


def test_ers97_quota_is_rounded_up_to_two_decimals() -> None:
    count = _ers97(BATCHES, "ABCD")
    assert count.quota == 1534  # 5.1.6: 46 / 3 = 15.333... -> 15.34
    assert count.quota_of(4600 - 400) == 1400  # 42 / 3 exactly


def test_ers97_surplus_moves_the_last_batch_at_a_truncated_value() -> None:
    count = _ers97(BATCHES, "ABCD")
    count.recount()
    assert count.elect_check() == [0]
    assert count.next_surplus() == 0
    # 5.3.7: 20 transferable papers worth 20.00 > 4.66: each at 4.66 / 20 -> 0.23
    assert count.transfer_surplus(0) == (466, 23, 20)
    assert count.votes == [1534, 600 + 10 * 23, 500 + 10 * 23, 1500]
    assert count.loss == 466 - 20 * 23
    assert count.fixed == {0: 1534}
    # C now holds two batches: its own papers at 1.00, A's at 0.23 (5.4.4)
    assert count.batch_values([2]) == [100, 23]


def test_ers97_deferred_surplus_and_bulk_exclusion() -> None:
    count = _ers97([(13, "A"), (9, "B"), (3, "CB"), (2, "DB"), (10, "E")], "ABCDE")
    count.recount()
    assert count.elect_check() == [0]  # 13 >= 37 / 3 -> 12.34
    assert sum(count.surplus_of(c) for c in count.pending) == 66
    # 5.2.2: hopefuls 2, 3, 9, 10; 0.66 cannot lift D (2) over C (3), nor C and D
    # together (5) over B (9)
    assert count.deferred(66)
    assert count.deferred(150)  # 1.50 <= 9 - (2 + 3)
    assert not count.deferred(450)
    # 5.2.5: C and D with the deferred surplus (5.66) stay below B: both go
    assert sorted(count.exclusion_set(66)) == [2, 3]
    assert count.state.pending_ties == []


def test_ers97_quota_falls_with_the_non_transferable_votes_before_any_election() -> None:
    count = _ers97([(7, "A"), (7, "B"), (6, "C"), (4, "D")], "ABCD")
    count.recount()
    assert count.quota == 800
    assert count.elect_check() == []  # nobody reaches 8, nor 24 / 3 of the active vote
    assert count.exclusion_set(0) == [3]
    count.state.exclude([3], [Fraction(v) for v in count.votes])
    count.transfer_batch([3], 100)
    assert count.exhausted == 400  # D's papers have no next preference
    assert count.quota == 667  # 5.4.8: (24 - 4) / 3 -> 6.67
    assert count.elect_check() == [0, 1]


def test_ers97_tie_for_the_last_place_is_recorded() -> None:
    count = _ers97([(5, "A"), (5, "B")], "AB", seats=1)
    count.recount()
    assert count.elect_check() == [0]  # level at every point: candidate order
    (tie,) = count.state.pending_ties
    assert tie.context == "last place" and tie.order == ("A", "B")


def test_ers97_exclusion_settled_before_its_first_batch_moves_nothing() -> None:
    count = _ers97([(11, "ABD"), (16, "E")], "ABCDE", seats=4)
    outcome = count.run()
    settled = [r for r in outcome.rounds if "settled, so nothing" in r.description]
    assert len(settled) == 1
    (r,) = settled
    assert r.excluded == ("D",) and r.batch is None and r.stage == 5
    assert r.tallies == outcome.rounds[-3].tallies  # nothing moved
    assert outcome.rounds[-1].action == "end" and outcome.rounds[-1].stage is None


# ---------------------------------------------------------------------- Meek


def _meek(groups: Sequence[tuple[int, str]], candidates: str, seats: int) -> MeekCount:
    return MeekCount(
        _ballots(groups, candidates),
        candidates,
        seats,
        rule="meek",
        quota="droop-exact",
        tie_break=CandidateOrder(),
    )


def test_meek_iterations_and_keep_factors() -> None:
    count = _meek(DOC, "ABC", 2)
    count.distribute_votes()
    assert count.votes == [9 * G, 2 * G, G]
    assert count.quota == 4 * G + 1  # trunc9(12 / 3) + 10^-9
    assert count.iterate([0, 1, 2]) == ("elected", [0], 1)
    assert count.round_surplus() == 9 * G - (4 * G + 1)
    count.update_keep_factors()
    # kf = ceil9(ceil9(1 x 4.000000001) / 9) = 0.444444445 (0.4444444445... up)
    assert count.kf.tolist() == [444_444_445, G, G] == [keep_value(G, 4 * G + 1, 9 * G), G, G]
    count.distribute_votes()
    # each of A's papers keeps 0.444444445 and passes 0.555555555 on
    assert count.votes == [9 * 444_444_445, 2 * G + 6 * 555_555_555, G + 3 * 555_555_555]
    assert count.keep_factors() == (Fraction(444_444_445, G), Fraction(1), Fraction(1))


def test_meek_exclusion_when_the_surplus_is_below_the_limit() -> None:
    count = _meek([(5, "A"), (4, "B"), (3, "C")], "ABC", 1)
    count.new_round()
    assert count.iterate([0, 1, 2]) == ("omega", [], 1)  # nobody elected: no surplus
    count.exclude_lowest([0, 1, 2], "omega", 1)
    assert count.state.status == ["hopeful", "hopeful", "excluded"]
    assert count.kf.tolist() == [G, G, 0]
    (r,) = count.state.rounds
    assert r.excluded == ("C",) and r.keep_factors == tuple(map(Fraction, (1, 1, 0)))
    assert "surplus below the limit after 1 iteration(s)" in r.description


def test_meek_hopefuls_within_the_surplus_of_the_lowest_are_tied() -> None:
    count = _meek([(6, "A"), (3, "B"), (4, "C"), (5, "D")], "ABCD", 2)
    count.state.elect([0], [6, 3, 4, 5])
    # figures set by hand (they still add up to the 18 valid votes): A holds 0.5
    # above the quota; D (5.6) is more than 0.5 above the lowest, B (3.0)
    count.votes = [6 * G, 3 * G, 3_400_000_000, 5_600_000_000]
    count.quota = 5_500_000_000
    assert count.round_surplus() == G // 2
    count.exclude_lowest([1, 2, 3], "stable", 4)
    # B (3.0) and C (3.4 <= 3.0 + 0.5) are tied; candidate order excludes C, listed last
    assert count.state.status[1:] == ["hopeful", "excluded", "hopeful"]
    (tie,) = count.state.ties
    assert tie.tied == ("B", "C") and tie.order == ("B", "C")
    assert "surplus stopped falling after 4 iteration(s)" in count.state.rounds[-1].description


# ------------------------------------------------------------------ Meek (NZ)


def _nz(groups: Sequence[tuple[int, str]], candidates: str, seats: int) -> MeekNZCount:
    return MeekNZCount(
        _ballots(groups, candidates),
        candidates,
        seats,
        quota="droop-exact",
        tie_break=CandidateOrder(),
    )


def test_nz_withdraws_candidates_nobody_ranks() -> None:
    groups = [(3, "AB"), (2, "B"), (1, "C")]
    count = _nz(groups, "ABCD", 2)
    assert count.state.status == ["hopeful", "hopeful", "hopeful", "excluded"]  # cl. 20
    assert count.kf.tolist() == [G, G, G, 0]
    # clause 21 is not applied: with more vacancies than ranked candidates, no one goes
    count = _nz(groups, "ABCD", 4)
    assert count.state.status == ["hopeful"] * 4


def test_nz_steps_quota_keep_values_and_clause_13() -> None:
    count = _nz([(10, "A"), (4, "B"), (5, "C"), (1, "D")], "ABCD", 2)
    count.run_step()
    assert count.votes == [10 * G, 4 * G, 5 * G, G]
    assert count.quota == 6_666_666_667  # cl. 5: trunc9(20 / 3) + 10^-9
    assert count.elect_successful() == [0]
    assert count.state.rounds[-1].description.endswith("reached the quota at step 1")
    nxt = count.next_keep_values()
    assert nxt.tolist() == [666_666_667, G, G, G]  # cl. 7: ceil9(6.666666667 / 10)
    assert count.kf.tolist() == [G] * 4  # not yet applied
    # D (1) + the surplus (3.333333333) is not below B (4): no exclusion yet
    assert count.exclusion([0], nxt) == (None, "")
    count.kf[:] = nxt
    count.run_step()
    # A keeps 0.666666667 of each of its 10 papers; the rest is non-transferable
    assert count.votes == [6_666_666_670, 4 * G, 5 * G, G]
    assert count.exhausted == 3_333_333_330
    assert count.quota == 5_555_555_557  # cl. 11: trunc9((20 - 3.33333333) / 3) + 10^-9
    assert count.loss == 0
    # cl. 13: D (1) + the surplus (1.111111113) is below every other hopeful
    pick, why = count.exclusion([], count.next_keep_values())
    assert pick == 3 and why.startswith("its votes plus the total surplus")


def test_nz_tie_level_at_every_step_goes_to_the_lowest_prn() -> None:
    count = _nz([(6, "A"), (1, "B"), (1, "C")], "ABC", 2)
    count.run_step()
    assert count.elect_successful() == [0]
    count.kf[:] = count.next_keep_values()
    count.run_step()
    prn = prn_at_step(nz_prns(3, 2, 8), 2)  # cl. 48: reversed at the even step 2
    expected = min((1, 2), key=lambda c: prn[c])
    assert count.break_tie(1) == expected
    (tie,) = count.state.pending_ties
    assert tie.tied == ("B", "C")
    assert tie.rule == "lowest pseudo-random number at step 2"
    assert tie.order[-1] == "ABC"[expected]  # the excluded candidate comes last
