"""Debian's rules (constitution A.6): every Debian vote in the data gives its official result.

The oracle is Debian's own: the official winner of every vote from 2002 to 2020 and,
where devotee's results file lists them, the options it dropped for not meeting
their majority requirement, with the very numbers it printed (``V(A, D)``,
``V(D, A)`` and the required ratio). The majority requirements are read from the
tally sheets' option names; nothing is passed by hand.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from voting import InvalidParameterError, Profile, read_ballots
from voting.cli import main
from voting.methods import get_method
from voting.methods.debian import Debian, parse_ratio

from .conftest import ELECTIONS

_DROP = re.compile(r"Dropping Option (\d+) because of Majority\..*\((\d+)/(\d+)\)\s*<=?\s*(\d+)")


def _votes() -> list[dict[str, Any]]:
    import json

    with open(ELECTIONS / "index.json", encoding="utf-8") as f:
        index = json.load(f)
    votes = [e for e in index if str(e.get("file", "")).startswith("debian/")]
    assert len(votes) >= 43
    return votes


VOTES = _votes()


def _official_option(entry: dict[str, Any]) -> int:
    winners = entry.get("official_winners") or [entry["official_winner"]]
    (winner,) = winners
    m = re.match(r'Option (\d+) "', winner)
    if m is not None:
        return int(m.group(1))
    return int(entry["options"].index(winner)) + 1 if "options" in entry else -1


@pytest.mark.parametrize("entry", VOTES, ids=lambda e: e["file"])
def test_every_debian_vote_gives_the_official_result(entry: dict[str, Any]) -> None:
    profile = read_ballots(ELECTIONS / entry["file"])
    result = Debian().run(profile)
    expected = _official_option(entry)
    if expected == -1:  # 2020: the winner is named, not numbered
        assert result.winner == entry["official_winner"]
    else:
        assert profile.candidates.index(result.winner) + 1 == expected
    assert not result.ties_broken
    official = entry.get("options_dropped_by_quorum_or_supermajority")
    if official is None:  # no results file: nothing more to compare
        return
    dropped = {profile.candidates.index(d.option) + 1: d for d in result.explanation.dropped}
    assert len(dropped) == len(official)
    for line in official:
        m = _DROP.search(line)
        assert m is not None, line
        option, for_, against, ratio = (int(g) for g in m.groups())
        d = dropped[option]
        assert (d.rule, d.votes_for, d.votes_against, d.required) == (
            "majority",
            for_,
            against,
            Fraction(ratio),
        )


def test_2008_vote_003_through_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's case: five options dropped (four for 3:1), no hand editing."""
    path = ELECTIONS / "debian" / "2008" / "vote_003_tally.txt"
    assert main(["count", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Method: debian (the default for Debian tally sheets" in out
    assert "Winner: Assume blobs comply with GPL unless proven otherwise" in out
    assert out.count("short of its required 3:1 majority") == 4
    assert "short of its required 1:1 majority" in out
    # plain Schulze over every option elects a 3:1 option that fails its majority
    assert main(["count", str(path), "--method", "schulze"]) == 0
    assert "Winner: Allow Lenny to release with proprietary firmware [3:1]" in (
        capsys.readouterr().out
    )


def _profile(for_: int, against: int, name: str = "Amend [3:1]") -> Profile:
    names = [name, "Further Discussion"]
    ballots = [names] * for_ + [names[::-1]] * against
    return Profile.from_rankings(ballots, candidates=names)


def test_the_supermajority_boundary_follows_the_constitution_version() -> None:
    exactly = _profile(6, 2)  # 6 = 3 * 2
    assert Debian().run(exactly).winner == "Amend [3:1]"  # 1.6: greater or equal
    assert Debian(constitution="1.1").run(exactly).winner == "Further Discussion"  # strictly
    assert Debian(constitution="1.1").run(_profile(7, 2)).winner == "Amend [3:1]"
    tie = _profile(2, 2, "Amend")  # 1:1 needs V(A,D) > V(D,A) in both versions
    assert Debian().run(tie).winner == "Further Discussion"


def test_quorum_and_given_majorities() -> None:
    p = _profile(6, 2, "Amend")
    assert Debian().run(p).winner == "Amend"
    r = Debian(quorum=7).run(p)
    assert r.winner == "Further Discussion"
    (d,) = r.explanation.dropped
    assert (d.rule, d.votes_for, d.required) == ("quorum", 6, Fraction(7))
    assert "fewer than the quorum 7.000" in str(d)
    assert Debian(quorum=6).run(p).winner == "Amend"  # "at least R"
    assert Debian(majority="4:1").run(p).winner == "Further Discussion"
    assert Debian(majority={"Amend": 3}).run(p).winner == "Amend"
    # a mark in the name beats the overall ratio; a mapping beats the mark
    marked = _profile(6, 2)
    assert Debian(majority="4:1").run(marked).winner == "Amend [3:1]"
    assert Debian(majority={"Amend [3:1]": "4:1"}).run(marked).winner == "Further Discussion"


def test_the_default_option() -> None:
    names = ["Choice 1: Yes", "Choice 2: Further discussion   ||/"]
    p = Profile.from_rankings([names] * 3 + [names[::-1]] * 4, candidates=names)
    r = Debian().run(p)
    assert r.explanation.default_option == names[1] and r.winner == names[1]
    plain = Profile.from_rankings([["X", "Y"]] * 3 + [["Y", "X"]] * 2, candidates=["X", "Y"])
    r = Debian().run(plain)
    assert r.explanation.default_option == "Y"
    assert r.explanation.default_source.startswith("the last option")
    assert Debian(default_option="X").run(plain).winner == "X"
    with pytest.raises(Exception, match="unknown candidate 'Z'"):
        Debian(default_option="Z").run(plain)


def test_parameters_are_validated() -> None:
    assert parse_ratio("3:1") == 3 and parse_ratio("2") == 2 and parse_ratio(1.5) == Fraction(3, 2)
    for bad in ("three", "1:2", True):
        with pytest.raises(InvalidParameterError):
            parse_ratio(bad)
    with pytest.raises(InvalidParameterError, match="constitution"):
        Debian(constitution="2.0")  # type: ignore[arg-type]  # deliberately no such constitution
    with pytest.raises(InvalidParameterError, match="quorum"):
        Debian(quorum=-1)
    assert get_method("debian", quorum=3) == Debian(quorum=3)


def test_unranked_options_rank_below_whatever_the_profile_says() -> None:
    names = ["A", "Further Discussion"]
    p = Profile.from_rankings([["A"]] * 3 + [names[::-1]] * 2, candidates=names, unranked="ignore")
    assert Debian().run(p).winner == "A"  # A.6(1): ranked beats unranked


def test_options_from_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = ELECTIONS / "debian" / "2006" / "vote_003_tally.txt"
    assert main(["count", str(path), "--option", "quorum=1000"]) == 0
    out = capsys.readouterr().out
    assert "Winner: Further Discussion" in out and "fewer than the quorum 1000.000" in out
    assert main(["count", str(path), "--option", "majority=100:1"]) == 0
    assert "Winner: Further Discussion" not in capsys.readouterr().out  # marked [needs 3:1]
    assert main(["count", str(path), "--option", "quorom=3"]) == 2
    assert "did you mean 'quorum'" in capsys.readouterr().err
