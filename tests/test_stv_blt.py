"""STV on BLT files with withdrawn candidates (the line of negative numbers).

The BLT reader drops withdrawn candidates from the profile and names them in
``ReadReport.withdrawn``; ballots skip them, as OpenSTV's ``getCleanBallots`` does,
and a ballot left with no candidate is not a valid vote. So every rule excludes a
withdrawn candidate from the start: counting the file equals counting the same
ballots written without that candidate.
"""

from __future__ import annotations

import io

import pytest

from voting import Profile, ReadReport, read_ballots
from voting.methods.stv import RULES, STV, Rule

from .test_formats_blt import SPEC

# The example of the HWW paper / OpenTally documentation: Basil (2) withdrawn.
WITHDRAWN = SPEC  # the BLT specification example: Basil (-2) withdrawn

# The same ballots as if Basil had never stood (Adam 1, Charlotte 2, Donald 3).
WITHOUT_BASIL = """3 2
3 1 2 3 0
4 1 2 0
2 3 1=2 0
1 0
2 3=2 1 0
1 2 3 0
0
"Adam"
"Charlotte"
"Donald"
"Title"
"""

# A strict variant (the rules other than meek-equal need strict rankings).
STRICT = """5 2
-2 -5
4 1 2 3 0
3 2 4 1 0
3 3 1 5 0
2 4 2 0
1 2 5 0
2 5 4 0
0
"A" "B" "C" "D" "E"
"Strict"
"""

STRICT_WITHOUT = """3 2
4 1 2 0
3 3 1 0
3 2 1 0
2 3 0
1 0
2 3 0
0
"A" "C" "D"
"Strict"
"""


def _read(text: str) -> tuple[Profile, ReadReport]:
    return read_ballots(io.StringIO(text), "blt", errors="collect")


def test_withdrawn_candidates_are_not_in_the_profile() -> None:
    profile, report = _read(WITHDRAWN)
    assert report.withdrawn == ("Basil",)
    assert "Basil" not in profile.candidates
    result = STV(seats=report.seats or 1, rule="meek-equal").run(profile)
    assert "Basil" not in result.candidates
    # the ballot "1 2 0" ranked only Basil: not a valid vote (OpenSTV removes it)
    assert result.explanation.invalid_votes == 1
    assert result.explanation.valid_votes == 12


def test_withdrawn_equals_never_standing_meek_equal() -> None:
    p1, _ = _read(WITHDRAWN)
    p2, _ = _read(WITHOUT_BASIL)
    a = STV(seats=2, rule="meek-equal").run(p1)
    b = STV(seats=2, rule="meek-equal").run(p2)
    assert a.elected == b.elected
    assert [r.tallies for r in a.explanation.rounds] == [r.tallies for r in b.explanation.rounds]


@pytest.mark.parametrize("rule", [r for r in RULES if r != "meek-equal"])
def test_withdrawn_equals_never_standing_every_rule(rule: Rule) -> None:
    p1, r1 = _read(STRICT)
    p2, _ = _read(STRICT_WITHOUT)
    assert r1.withdrawn == ("B", "E")
    assert p1.candidates == p2.candidates == ("A", "C", "D")
    a = STV(seats=2, rule=rule).run(p1)
    b = STV(seats=2, rule=rule).run(p2)
    a.check(p1)
    assert a.elected == b.elected
    assert a.explanation.valid_votes == b.explanation.valid_votes == 14
    assert [r.tallies for r in a.explanation.rounds] == [r.tallies for r in b.explanation.rounds]
    assert [r.quota for r in a.explanation.rounds] == [r.quota for r in b.explanation.rounds]
