"""STV on real ballots and published reference counts.

- Nix Steering Committee 2025 (Meek STV, 5 seats): the official committee.
- The 21 Glasgow City Council 2007 wards (Scottish 2007 rules): the committees in
  ``elections/index.json``.
- The GPUS Steering Committee 2005 ballots shipped with Droop (J. Lundell,
  ``jklundell/droop`` ``test/blt/SC.blt``), counted round by round by Droop's
  reference implementations of the Scottish rules (``test/ref/report/
  SC-scotland-fixed-p5-d5.txt``) and of the Reference Meek Rule
  (``test/ref/dump/SC-meek-prf-o6-fixed-p9-d9.txt``): every figure below is copied
  from those reports.
"""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import voting
from voting.methods.stv import STV, STVExplanation
from voting.ties import CandidateOrder

SC_BLT = """\
13 4
1 7 8 9 11 12 0
1 7 8 9 11 12 0
1 13 7 5 4 2 1 0
1 5 13 2 7 4 1 0
1 13 4 1 2 0
1 4 2 13 1 3 0
1 4 13 2 7 0
1 7 8 12 1 13 9 2 4 11 5 0
1 1 13 3 4 7 5 2 0
1 4 1 13 7 3 5 2 0
1 4 1 13 7 3 5 2 0
1 1 4 13 2 7 5 3 9 8 12 11 0
1 7 1 8 9 13 3 2 4 12 5 11 0
1 7 8 9 11 12 0
1 7 1 8 9 13 3 2 4 12 5 11 0
1 7 8 9 11 12 0
1 7 8 9 11 12 0
1 7 8 9 11 12 0
1 5 1 13 3 2 4 7 0
1 7 8 9 3 12 2 13 5 1 4 0
1 3 13 1 2 0
1 3 13 1 2 0
1 4 7 13 5 0
1 4 5 13 3 2 1 0
1 7 8 9 11 12 0
1 7 9 8 12 11 2 13 0
1 7 8 9 11 12 0
1 7 8 9 11 12 0
1 4 3 13 1 0
1 4 3 13 1 0
1 13 3 4 1 7 2 5 0
1 3 13 4 1 7 2 5 0
1 13 3 4 1 2 5 7 0
1 13 1 4 2 5 3 7 0
1 13 4 3 1 2 5 0
1 3 13 1 4 2 7 5 0
1 4 3 13 8 0
1 4 3 13 1 0
1 1 4 13 7 0
1 1 4 13 7 0
1 7 3 4 13 1 5 0
1 9 11 8 7 0
1 7 8 9 11 12 0
1 13 3 5 2 0
1 4 5 2 3 13 0
1 13 5 2 4 1 3 7 0
1 13 5 2 1 7 3 8 0
1 7 8 9 12 11 0
1 7 8 4 9 12 0
1 13 4 7 2 8 0
1 4 13 2 7 1 8 0
1 7 8 11 9 12 0
1 8 4 7 11 13 9 0
1 7 4 2 13 0
1 13 1 7 4 0
1 4 1 2 13 9 5 0
1 1 4 13 5 3 2 0
1 7 5 4 8 11 2 13 1 3 9 12 0
1 4 8 7 5 13 2 1 3 9 0
1 3 4 7 2 12 13 8 1 5 0
1 7 8 9 11 12 0
1 7 8 11 9 0
1 7 8 11 9 0
1 7 8 9 11 12 0
1 7 8 9 11 12 0
1 7 8 9 11 12 0
1 13 2 4 7 5 1 0
1 7 8 9 11 12 0
1 7 8 9 11 0
1 7 8 9 11 12 0
1 2 7 8 12 13 11 1 5 9 0
1 4 7 8 2 0
1 4 13 5 2 1 3 0
1 13 4 7 3 1 5 8 2 9 0
1 4 3 13 1 7 0
1 13 4 1 3 0
1 4 1 13 3 2 7 8 0
1 2 4 13 5 0
1 2 3 4 1 13 7 0
1 3 1 4 13 0
1 4 3 1 2 11 0
1 3 1 4 13 2 7 0
1 4 1 2 8 3 0
1 4 1 5 13 2 3 0
1 4 1 5 13 2 3 0
1 7 8 9 11 12 0
1 7 8 9 11 12 0
1 13 7 3 2 5 4 1 0
1 13 5 7 2 4 1 0
1 7 8 9 11 12 0
1 1 13 3 7 2 4 5 0
1 13 1 2 7 4 5 3 0
1 13 1 2 7 4 5 3 0
1 3 1 4 2 13 7 9 5 8 0
0
"Budd Dickinson"
"Kirit Mookerjee"
"Tom Sevigny"
"Pat LaMarche"
"Michael Piacsek"
"Write-In 2"
"Rebecca Rotzler"
"Kristen Olsen"
"Jason Jones"
"Write-In 1"
"Steve Greenfield"
"Jimmy Leas"
"Steve Kramer"
"GPUS Steering Committee Election 2005-07-24"
"""


def _read(text: str) -> voting.Profile:
    profile, _report = voting.read_ballots(io.StringIO(text), format="blt", errors="collect")
    return profile


def _d(text: str) -> Fraction:
    return Fraction(text)


def _normal(name: str) -> str:
    return " ".join(name.split())


def _reconciles(expl: STVExplanation) -> None:
    for r in expl.rounds:
        assert r.total == expl.valid_votes, r


@pytest.fixture(scope="module")
def sc() -> voting.Profile:
    return _read(SC_BLT)


@pytest.fixture(scope="module")
def droop_lot(sc: voting.Profile) -> CandidateOrder:
    # Droop breaks a tie "by lot" by taking the first tied candidate in ballot-file
    # order; excluding the least favoured of the reversed order does the same.
    return CandidateOrder(order=list(reversed(sc.candidates)))


def test_sc_scottish_stage_by_stage(sc: voting.Profile, droop_lot: CandidateOrder) -> None:
    result = STV(seats=4, rule="scottish", tie_break=droop_lot).run(sc)
    result.check(sc)
    expl = result.explanation
    _reconciles(expl)
    assert result.elected == ("Rebecca Rotzler", "Pat LaMarche", "Steve Kramer", "Tom Sevigny")
    r = {x.number: x for x in expl.rounds}
    assert r[1].quota == 19
    idx = {name: i for i, name in enumerate(sc.candidates)}

    def votes(stage: int, name: str) -> Fraction:
        return r[stage].tallies[idx[name]]

    # Round 1 of Droop's report: Rotzler's surplus transferred
    assert votes(2, "Budd Dickinson") == _d("6.84848")
    assert votes(2, "Kristen Olsen") == _d("12.45448")
    assert votes(2, "Rebecca Rotzler") == 19
    assert r[2].loss == _d("0.00008")
    # Round 2: LaMarche's surplus
    assert votes(3, "Budd Dickinson") == _d("7.80300")
    assert votes(3, "Steve Kramer") == _d("18.54544")
    assert r[3].loss == _d("0.00016")
    # four zero-vote candidates excluded by lot, Jones, then Piacsek: Kramer elected
    assert [x.excluded for x in expl.rounds[3:9]] == [
        ("Write-In 2",),
        ("Write-In 1",),
        ("Steve Greenfield",),
        ("Jimmy Leas",),
        ("Jason Jones",),
        ("Michael Piacsek",),
    ]
    assert len(r[4].ties) == 1 and r[4].ties[0].tied == (
        "Write-In 2",
        "Write-In 1",
        "Steve Greenfield",
        "Jimmy Leas",
    )
    assert votes(9, "Steve Kramer") == _d("19.68180")
    assert votes(9, "Kristen Olsen") == _d("14.57568")
    # Kramer's surplus
    assert votes(10, "Budd Dickinson") == _d("9.01084")
    assert votes(10, "Kirit Mookerjee") == _d("3.95360")
    assert r[10].exhausted == _d("0.00472")
    assert r[10].loss == _d("0.00020")
    # exclusions of Mookerjee, Dickinson, Olsen
    assert votes(11, "Tom Sevigny") == _d("10.59132")
    assert r[11].exhausted == _d("1.43368")
    assert votes(12, "Tom Sevigny") == _d("16.62204")
    assert votes(12, "Kristen Olsen") == _d("16.59988")
    assert r[12].exhausted == _d("3.77788")


def test_sc_reference_meek_round_by_round(sc: voting.Profile, droop_lot: CandidateOrder) -> None:
    result = STV(seats=4, rule="meek", tie_break=droop_lot).run(sc)
    result.check(sc)
    expl = result.explanation
    _reconciles(expl)
    assert result.elected == ("Rebecca Rotzler", "Pat LaMarche", "Steve Kramer", "Kristen Olsen")
    idx = {name: i for i, name in enumerate(sc.candidates)}
    rounds = expl.rounds

    def votes(k: int, name: str) -> Fraction:
        return rounds[k - 1].tallies[idx[name]]

    def kf(k: int, name: str) -> Fraction:
        factors = rounds[k - 1].keep_factors
        assert factors is not None
        return factors[idx[name]]

    assert rounds[0].quota == _d("18.800000001")
    # round 2 of Droop's dump (converged, then Write-In 2 defeated)
    assert votes(2, "Budd Dickinson") == _d("8.006073598")
    assert votes(2, "Pat LaMarche") == _d("18.800000609")
    assert votes(2, "Kristen Olsen") == _d("13.000470959")
    assert votes(2, "Steve Kramer") == _d("18.556796080")
    assert kf(2, "Pat LaMarche") == _d("0.837944884")
    assert kf(2, "Rebecca Rotzler") == _d("0.564156107")
    assert rounds[1].surplus == _d("0.000000906")
    # round 8: Kramer elected
    assert votes(8, "Steve Kramer") == _d("19.718851196")
    assert votes(8, "Kirit Mookerjee") == _d("3.394740964")
    # round 9: Mookerjee defeated
    assert rounds[8].quota == _d("18.799133306")
    assert votes(9, "Kirit Mookerjee") == _d("3.730149807")
    assert kf(9, "Pat LaMarche") == _d("0.811568586")
    assert kf(9, "Steve Kramer") == _d("0.947700149")
    assert rounds[8].exhausted == _d("0.004333472")
    # round 10: Dickinson defeated
    assert rounds[9].quota == _d("18.789719295")
    assert votes(10, "Budd Dickinson") == _d("10.204118384")
    assert rounds[9].exhausted == _d("0.051403528")
    # round 11: Olsen elected
    assert rounds[10].quota == _d("18.586296861")
    assert votes(11, "Kristen Olsen") == _d("19.085721549")
    assert votes(11, "Tom Sevigny") == _d("16.482212783")
    assert kf(11, "Rebecca Rotzler") == _d("0.491875685")
    assert rounds[10].exhausted == _d("1.068515700")
    assert all(r.loss == 0 for r in rounds)  # the Reference Rule loses nothing


def test_nix_2025_meek(elections_dir: Path, elections_index: list[dict[str, Any]]) -> None:
    entry = next(
        e
        for e in elections_index
        if "2025" in e.get("election", "") and "Nix" in e.get("election", "")
    )
    profile, report = voting.read_ballots(
        elections_dir / "nixos/SC-election-2025/opavote-ballots-5.blt",
        format="blt",
        errors="collect",
    )
    assert report.seats == entry["seats"] == 5
    result = STV(seats=report.seats, rule="meek").run(profile)
    result.check(profile)
    _reconciles(result.explanation)
    assert sorted(result.elected) == sorted(entry["official_winners"])
    assert not result.ties_broken


@pytest.mark.parametrize("ward", range(21))
def test_glasgow_2007_scottish(
    ward: int, elections_dir: Path, elections_index: list[dict[str, Any]]
) -> None:
    wards = sorted(
        (e for e in elections_index if "glasgow-2007" in str(e.get("file", ""))),
        key=lambda e: e["file"],
    )
    assert len(wards) == 21
    entry = wards[ward]
    profile, report = voting.read_ballots(
        elections_dir / entry["file"], format="blt", errors="collect"
    )
    seats = report.seats
    assert seats is not None and seats == entry["seats"]
    result = STV(seats=seats, rule="scottish").run(profile)
    result.check(profile)
    _reconciles(result.explanation)
    assert sorted(_normal(c) for c in result.elected) == sorted(
        _normal(c) for c in entry["expected_elected"]
    )
    assert not result.ties_broken  # index.json: ties_broken_by_lot is false
    assert result.explanation.valid_votes == profile.num_voters


def test_other_rules_on_nix_2025(elections_dir: Path) -> None:
    profile, _ = voting.read_ballots(
        elections_dir / "nixos/SC-election-2025/opavote-ballots-5.blt",
        format="blt",
        errors="collect",
    )
    for rule in ("meek-nz", "meek-equal", "scottish", "ers97", "fractional"):
        result = STV(seats=5, rule=rule).run(profile)
        result.check(profile)
        _reconciles(result.explanation)
