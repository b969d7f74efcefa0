"""Rule-specific behaviour: ERS97 provisions, NZ arithmetic, exact fractional transfers."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import numpy as np

from voting import Profile
from voting._kernels.stv import _meek_distribute_serial
from voting.methods.stv import STV, STVRound
from voting.methods.stv._ballots import compress

OTHERS = ["Jones", "Brown", "Evans", "Green", "Hall", "King", "Lewis", "Moore", "Price", "Quinn"]


def _model_election(last_two: tuple[int, int]) -> Profile:
    """First stage of the ERS97 model election (rules section 8): 753 valid votes,
    11 candidates, 6 places; Smith has 134 first preferences, 123 of them with a next
    preference. The other candidates' ballots are plain (no later preferences).
    """
    counts = [90, 85, 80, 75, 70, 65, 57, 50, *last_two]
    counts[0] += 619 - sum(counts)  # the others hold 753 - 134 votes in all
    ballots = [["Smith", "Jones"], ["Smith"]]
    weights = [123, 11]
    for name, k in zip(OTHERS, counts, strict=True):
        ballots.append([name])
        weights.append(k)
    return Profile.from_rankings(ballots, candidates=["Smith", *OTHERS], weights=weights)


def test_ers97_model_election_first_two_stages() -> None:
    profile = _model_election((24, 23))
    result = STV(seats=6, rule="ers97").run(profile)
    first, second = result.explanation.rounds[:2]
    assert first.quota == Fraction("107.58")  # 753/7 = 107.57142..., rounded up
    assert first.elected == ("Smith",)
    # the surplus 26.42 exceeds 24 - 23, so it is transferred, not deferred
    assert second.action == "surplus"
    assert second.surplus == Fraction("26.42")
    assert second.transfer_value == Fraction("0.21")  # 26.42 / 123 papers
    jones = profile.index("Jones")
    assert second.transfers[jones] == Fraction("25.83")  # 123 x 0.21
    # the non-transferable difference 26.42 - 25.83 = 0.59 (5.3.9)
    assert second.exhausted + second.loss == Fraction("0.59")
    assert second.tallies[profile.index("Smith")] == Fraction("107.58")
    assert second.total == 753


def test_ers97_defers_a_surplus_that_cannot_change_the_lowest() -> None:
    profile = _model_election((60, 20))  # the last two now differ by 40 > 26.42
    result = STV(seats=6, rule="ers97").run(profile)
    second = result.explanation.rounds[1]
    assert second.action == "exclusion"
    assert second.excluded == (OTHERS[-1],)


# C and D together (3 + 2 = 5) stay below B (9): both go at once (5.2.5)
BULK = Profile.from_rankings(
    [["A"], ["B"], ["C", "B"], ["D", "B"], ["E"]], weights=[12, 9, 3, 2, 10]
)


def test_ers97_bulk_exclusion() -> None:
    p = BULK
    result = STV(seats=2, rule="ers97").run(p)
    excluded = [r.excluded for r in result.explanation.rounds if r.excluded]
    assert set(excluded[0]) == {"C", "D"}
    # 5.2.7, 6.16: excluding two candidates at the same time is one stage
    bulk = next(r for r in result.explanation.rounds if r.excluded)
    assert (bulk.stage, bulk.batch) == (2, (1, 1))
    # Scottish rules exclude one candidate per stage
    scot = STV(seats=2, rule="scottish").run(p)
    assert next(r.excluded for r in scot.explanation.rounds if r.excluded) == ("D",)


def test_ers97_reduces_the_quota_before_anyone_is_elected() -> None:
    # D's papers are non-transferable: before any election the quota drops (5.4.8)
    p = Profile.from_rankings([["A"], ["B"], ["C"], ["D"]], weights=[7, 7, 6, 4])
    result = STV(seats=2, rule="ers97").run(p)
    rounds = result.explanation.rounds
    assert rounds[0].quota == 8  # 24 / 3
    assert not rounds[0].elected
    assert rounds[1].excluded == ("D",)
    assert rounds[1].quota == Fraction("6.67")  # (24 - 4) / 3, rounded up
    assert set(rounds[1].elected) == {"A", "B"}


def _batches(weights: tuple[int, int, int, int, int] = (10, 10, 5, 6, 15)) -> Profile:
    """A's surplus reaches C and B; C, excluded next, holds papers of two values."""
    return Profile.from_rankings(
        [["A", "C", "B"], ["A", "B"], ["C", "B"], ["B"], ["D"]], weights=list(weights)
    )


def test_ers97_exclusion_moves_batches_by_value() -> None:
    # A's surplus (4.66) reaches C and B at 0.23 a paper; C, excluded next, holds
    # papers of value 1.00 and 0.23, moved to B in two batches, highest value first
    p = _batches()
    result = STV(seats=2, rule="ers97").run(p)
    rounds = result.explanation.rounds
    assert rounds[0].quota == Fraction("15.34")
    assert rounds[1].transfer_value == Fraction("0.23")
    b = p.index("B")
    assert rounds[2].excluded == ("C",) and "batch 1 of 2" in rounds[2].description
    assert rounds[2].tallies[b] == Fraction("13.30")  # 6 + 2.30 + 5 x 1.00
    assert "batch 2 of 2" in rounds[3].description
    assert rounds[3].tallies[b] == Fraction("15.60") and rounds[3].elected == ("B",)
    for r in rounds:
        assert r.total == 46
    # 4.2, 5.2.7, 5.4.11: the two batches are sub-stages of one stage (stage 3)
    assert [(r.stage, r.batch) for r in rounds] == [
        (1, None),
        (2, None),
        (3, (1, 2)),
        (3, (2, 2)),
        (None, None),  # the end round (5.5.2) moves no votes: no stage
    ]
    assert rounds[-1].action == "end"
    assert result.explanation.stages() == (rounds[0], rounds[1], rounds[3])


def _check_stages(rounds: tuple[STVRound, ...]) -> None:
    staged = [r for r in rounds if r.action != "end"]
    assert all(r.stage is None for r in rounds if r.action == "end")
    stages = [r.stage if r.stage is not None else 0 for r in staged]
    assert stages[0] == 1 and staged[0].action == "first preferences"
    # stage numbers run 1, 2, 3, ... in order with no gaps; only batches share one
    assert all(b - a in (0, 1) for a, b in pairwise(stages))
    for stage in set(stages):
        group = [r for r in staged if r.stage == stage]
        if len(group) > 1 or group[0].batch is not None:
            assert {r.action for r in group} == {"exclusion"}
            n = group[0].batch[1] if group[0].batch else 0
            assert [r.batch for r in group] == [(k, n) for k in range(1, len(group) + 1)]
            assert group[0].excluded and not any(r.excluded for r in group[1:])
        else:
            assert group[0].action in {"first preferences", "surplus", "exclusion"}


def test_ers97_stages_number_the_count() -> None:
    counts = [
        STV(seats=6, rule="ers97").run(_model_election((24, 23))),
        STV(seats=6, rule="ers97").run(_model_election((60, 20))),
        STV(seats=2, rule="ers97").run(_batches()),
        STV(seats=2, rule="ers97").run(BULK),
    ]
    for result in counts:
        rounds = result.explanation.rounds
        _check_stages(rounds)
        # every surplus transfer is a stage of its own (5.2.4)
        surplus = [r.stage for r in rounds if r.action == "surplus"]
        assert len(surplus) == len(set(surplus))
        assert [r.stage for r in result.explanation.stages()] == sorted(
            {r.stage for r in rounds if r.stage is not None}
        )
    assert any(r.action == "surplus" for r in counts[0].explanation.rounds)
    text = counts[2].explanation.to_text()
    header = next(line for line in text.splitlines() if "S1" in line)
    assert [c.strip() for c in header.split("|")[1:]] == ["S1", "S2", "S3.1", "S3.2", "R5"]
    assert "\nS3.2: C excluded: batch 2 of 2" in text and "\nR5: all places filled" in text
    # a one-batch exclusion is labelled by its stage alone
    assert "\nS2: D, C excluded: batch 1 of 1" in counts[3].explanation.to_text()


def test_ers97_names_batches_left_untransferred() -> None:
    # batch 1 of C's papers elects B and fills the places: batch 2 is not moved (5.5.2)
    result = STV(seats=2, rule="ers97").run(_batches((10, 8, 5, 8, 12)))
    rounds = result.explanation.rounds
    assert [(r.stage, r.batch, r.action) for r in rounds] == [
        (1, None, "first preferences"),
        (2, None, "surplus"),
        (3, (1, 2), "exclusion"),
        (None, None, "end"),
    ]
    assert rounds[2].elected == ("B",)
    assert rounds[-1].description == (
        "all places filled; not elected: D; batch 2 of 2 of the exclusion of C (stage 3) "
        "not transferred (5.5.2)"
    )
    _check_stages(rounds)


def test_rules_without_stages_leave_stage_unset() -> None:
    for rule in ("meek", "scottish"):
        expl = STV(seats=2, rule=rule).run(_batches()).explanation
        assert all(r.stage is None and r.batch is None for r in expl.rounds)
        assert expl.stages() == ()
        assert "\nR1: " in expl.to_text() and "S1" not in expl.to_text()


def test_nz_passes_on_a_rounded_up_remainder() -> None:
    # w = 1 at A (kf 1/3 rounded): Reference Rule passes w - ceil(w·kf), Schedule 1A
    # passes ceil(w·(1 - kf)): at 9 decimals they differ by 10^-9 here
    p = Profile.from_rankings([["A", "B", "C"]], candidates=["A", "B", "C"])
    b = compress(p)
    kf = np.array([333_333_333, 500_000_000, 10**9], dtype=np.int64)
    prf, prf_ex = _meek_distribute_serial(b.order, b.tier, b.length, b.mult, kf, 10**9, False)
    nz, nz_ex = _meek_distribute_serial(b.order, b.tier, b.length, b.mult, kf, 10**9, True)
    # A keeps ceil(0.333333333) on both; what B receives differs
    assert prf[0] == nz[0] == 333_333_333
    assert prf[1] == 333_333_334  # ceil(0.666666667 x 0.5)
    assert nz[1] == 333_333_334
    assert prf.sum() + prf_ex == 10**9  # the Reference Rule never creates votes
    assert nz.sum() + nz_ex >= 10**9  # Schedule 1A may (rounding up twice)


def test_meek_nz_quota_uses_non_transferable_votes() -> None:
    p = Profile.from_rankings([["A"], ["A", "B"], ["C"], ["D"]], weights=[5, 4, 3, 2])
    result = STV(seats=2, rule="meek-nz").run(p)
    for r in result.explanation.rounds:
        # Schedule 1A clause 5: q = trunc9((v - vnt) / (n + 1)) + 10^-9
        expected = Fraction(int((14 - r.exhausted) / 3 * 10**9) + 1, 10**9)
        assert r.quota == expected


def test_fractional_transfers_are_exact() -> None:
    p = Profile.from_rankings(
        [["A", "B"], ["A", "C"], ["B"], ["C"], ["D"]], weights=[5, 5, 1, 1, 3]
    )
    result = STV(seats=2, rule="fractional").run(p)
    second = result.explanation.rounds[1]
    assert second.transfer_value == Fraction(4, 10)  # surplus 4 of 10 votes, no rounding
    assert second.tallies[p.index("B")] == 3 and second.loss == 0
    assert result.explanation.decimals is None
