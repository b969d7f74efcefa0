"""``STV(rule="meek-nz")`` clause by clause against New Zealand's Schedule 1A.

Local Electoral Regulations 2001 (SR 2001/145), Schedule 1A, "New Zealand method of
counting single transferable votes". Each test names the clause it checks.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import voting
from tests import naive
from tests.strategies import profiles
from voting import UNRANKED, Profile
from voting._kernels.stv import _meek_distribute_serial
from voting.methods.stv import STV
from voting.methods.stv._ballots import compress
from voting.methods.stv.meek_nz import OMEGA, nz_keep_value, nz_prns, prn_at_step

S = 10**9


def _profile(groups: list[tuple[int, str]], candidates: str) -> Profile:
    rankings = [list(r) for n, r in groups for _ in range(n)]
    return Profile.from_rankings(rankings, candidates=list(candidates))


def test_clauses_5_and_11_quota_from_valid_less_non_transferable() -> None:
    # A's 10 papers rank only A: from step 2 their unkept weight is non-transferable
    p = _profile([(10, "A"), (4, "B"), (5, "C"), (1, "D")], "ABCD")
    rounds = STV(seats=2, rule="meek-nz").run(p).explanation.rounds
    assert rounds[0].quota == Fraction(6_666_666_667, S)  # trunc9(20 / 3) + 10^-9
    for r in rounds:
        # q = (v - vnt) / (n + 1) + 0.000000001, truncated to 9 decimals
        assert r.quota == Fraction(int((20 - r.exhausted) * S) // 3 + 1, S)
    assert rounds[1].exhausted == Fraction(3_333_333_330, S)  # 10 x (1 - 0.666666667)


def test_clauses_7_and_17_keep_value_rounded_up_twice() -> None:
    # kc = q x kc / vc: the product rounded up, then the quotient rounded up
    assert nz_keep_value(S, 3_333_333_334, 7 * S) == 476_190_477  # 0.476190476.28...
    # product 0.6 x 6.666666667 = 4.0000000002 -> 4.000000001; / 9 = 0.444444444.5 -> up
    assert nz_keep_value(600_000_000, 6_666_666_667, 9 * S) == 444_444_445
    # exact values are not rounded
    assert nz_keep_value(S, 5 * S, 10 * S) == 500_000_000


def test_clause_10_multiplications_rounded_up_left_to_right() -> None:
    # vm = (1 - k1) x (1 - k2) x k3, each product rounded up: B gets ceil9(0.666666667 x
    # 0.5) = 0.333333334, and the weight passed on to C is rounded up separately
    p = Profile.from_rankings([["A", "B", "C"]], candidates=["A", "B", "C"])
    b = compress(p)
    kf = np.array([333_333_333, 500_000_000, S], dtype=np.int64)
    votes, excess = _meek_distribute_serial(b.order, b.tier, b.length, b.mult, kf, S, True)
    assert votes.tolist() == [333_333_333, 333_333_334, 333_333_334]
    assert excess == 0
    assert int(votes.sum()) == S + 1  # rounding up created 10^-9 of a vote


def test_clause_13_excludes_a_sure_loser_before_convergence() -> None:
    # D (1 vote) + the total surplus (about 1.11) is below every other hopeful: D goes
    # at step 2, where the Reference Meek Rule iterates first until the surplus is tiny
    p = _profile([(10, "A"), (4, "B"), (5, "C"), (1, "D")], "ABCD")
    nz = STV(seats=2, rule="meek-nz").run(p).explanation.rounds
    assert nz[1].action == "exclusion" and nz[1].excluded == ("D",)
    assert "step 2" in nz[1].description and nz[1].surplus > Fraction(1)
    prf = STV(seats=2, rule="meek").run(p).explanation.rounds
    assert prf[1].excluded == ("D",) and prf[1].iterations > 1


def test_clauses_13_and_14_surplus_limit_and_positive_surpluses() -> None:
    p = _profile([(7, "A"), (5, "B"), (3, "C"), (3, "D")], "ABCD")
    rounds = STV(seats=2, rule="meek-nz").run(p).explanation.rounds
    excl = next(r for r in rounds if r.action == "exclusion")
    assert "0.0001" in excl.description
    assert excl.surplus < Fraction(OMEGA, S)
    # clause 14: the sum of every candidate's excess over the quota (never negative)
    assert excl.surplus == sum(max(Fraction(0), t - excl.quota) for t in excl.tallies)


def test_clauses_19_and_40_ahead_at_first_difference() -> None:
    # after E's paper moves to D, C and D are level (3 each); at step 1 D had fewer
    p = _profile([(7, "A"), (5, "B"), (3, "C"), (2, "D"), (1, "ED")], "ABCDE")
    result = STV(seats=2, rule="meek-nz").run(p)
    rounds = result.explanation.rounds
    assert rounds[1].excluded == ("E",)
    assert rounds[2].excluded == ("D",)
    (tie,) = result.ties_broken
    assert set(tie.tied) == {"C", "D"} and tie.order[-1] == "D"
    assert tie.rule == "ahead at first difference (step 1)"
    assert result.elected == ("A", "B")


def test_clauses_19_and_41_to_48_pseudo_random_numbers() -> None:
    # C and D are level at every step: the lowest PRN at the step of exclusion decides
    p = _profile([(7, "A"), (5, "B"), (3, "C"), (3, "D")], "ABCD")
    result = STV(seats=2, rule="meek-nz").run(p)
    (tie,) = result.ties_broken
    step = int(tie.context.rsplit(" ", 1)[1])
    prn = prn_at_step(nz_prns(4, 2, 18), step)
    loser = min((2, 3), key=lambda c: prn[c])
    assert tie.order[-1] == "CD"[loser - 2]
    assert tie.rule == f"lowest pseudo-random number at step {step}"
    # the tie_break parameter plays no part (Schedule 1A settles its own ties)
    from voting.ties import Random

    again = STV(seats=2, rule="meek-nz", tie_break=Random(seed=7)).run(p)
    assert again.ties_broken == result.ties_broken


def test_prng_clauses_42_to_48() -> None:
    # clauses 42-47, written from the schedule in tests/naive.py
    c, n, v = 5, 2, 1234
    prns = nz_prns(c, n, v)
    assert prns == naive.nz_prns(c, n, v) and len(set(prns)) == c
    # clause 48: each later step replaces the PRN by 10000 - PRN
    assert prn_at_step(prns, 1) == prns
    assert prn_at_step(prns, 2) == [10000 - r for r in prns]
    assert prn_at_step(prns, 3) == prns


def test_clause_20_candidate_without_preferences_is_withdrawn() -> None:
    p = _profile([(5, "A"), (3, "B"), (2, "C")], "ABCZ")
    result = STV(seats=2, rule="meek-nz").run(p)
    rounds = result.explanation.rounds
    assert rounds[0].status[3] == "excluded"  # withdrawn before step 1
    assert rounds[0].keep_factors is not None and rounds[0].keep_factors[3] == 0
    assert "Z" not in result.elected and result.ranking[-1] == ("Z",)


def test_clause_3_hopefuls_fill_the_remaining_vacancies() -> None:
    p = _profile([(7, "A"), (5, "B"), (3, "C"), (2, "D"), (1, "ED")], "ABCDE")
    result = STV(seats=3, rule="meek-nz").run(p)
    last = result.explanation.rounds[-1]
    assert last.action == "end" and "clause 3" in last.description
    assert len(result.elected) == 3


def test_totals_reconcile_with_rounding_gains() -> None:
    p = _profile([(4, "ABC"), (3, "BCA"), (2, "CAB"), (2, "D")], "ABCD")
    for r in STV(seats=2, rule="meek-nz").run(p).explanation.rounds:
        assert r.total == 11
        assert r.loss <= 0  # clause 10 only ever rounds up


def test_nix_2025_same_committee_with_early_exclusions(elections_dir: Path) -> None:
    # not a New Zealand election, but a real Meek count: Schedule 1A elects the official
    # committee too, and clause 13's early exclusions need fewer distributions
    profile, _ = voting.read_ballots(
        elections_dir / "nixos/SC-election-2025/opavote-ballots-5.blt",
        format="blt",
        errors="collect",
    )
    nz = STV(seats=5, rule="meek-nz").run(profile)
    prf = STV(seats=5, rule="meek").run(profile)
    nz.check(profile)
    assert sorted(nz.elected) == ["JulienMalka", "K900", "cafkafk", "philiptaron", "tomberek"]
    steps = sum(r.iterations for r in nz.explanation.rounds)
    assert steps < sum(r.iterations for r in prf.explanation.rounds)
    assert not nz.ties_broken


@given(profiles(max_candidates=6, max_voters=25, allow_ties=False, max_weight=9), st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_meek_nz_matches_step_by_step_reference(profile: Profile, data: st.DataObject) -> None:
    ballots, weights = [], []
    for row, w in zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True):
        ranked = sorted((r, c) for c, r in enumerate(row) if r != UNRANKED)
        ballots.append([c for _, c in ranked])
        weights.append(w)
    assume(any(ballots))
    seats = data.draw(st.integers(1, profile.num_candidates))
    expected, events = naive.stv_meek_nz(ballots, weights, profile.num_candidates, seats)
    result = STV(seats=seats, rule="meek-nz").run(profile)
    result.check(profile)
    assert [profile.index(c) for c in result.elected] == expected
    got = [
        (
            "elected" if r.elected else "excluded",
            [profile.index(c) for c in (r.elected or r.excluded)],
            [int(t * S) for t in r.tallies],
        )
        for r in result.explanation.rounds
        if r.action != "end"
    ]
    assert got == events
