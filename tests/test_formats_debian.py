"""Debian devotee tally sheets: every published sheet against Debian's official tables."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

from voting import (
    UNRANKED,
    BallotFormatError,
    InvalidParameterError,
    Profile,
    UnsupportedProfileError,
    iter_ballots,
    pairwise,
    read_ballots,
    write_ballots,
)
from voting.formats.debian import MAX_OPTIONS, DebianFormat

from .format_checks import write_or_refuse
from .strategies import profiles

U = UNRANKED

SHEET = """
\t\t       Tally Sheet for the votes cast.
   The format is:
       "V: vote \t\tMD5SUM"
 -=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=

     Option 1---->: Alice
   /  Option 2--->: Bob
   |/  Option 3-->: None Of The Above   ||/
V: 213 \t\t5de2d9bdec162e7ad7d475f7a3a912e0
V: -1- \t\t82779753e0665892a0168183b4d03db6
V: 112 \t\t8fc3f20b27697bbc84c5d14782ce29cb
"""


def read(text: str, **kw: Any) -> Any:
    kw.setdefault("compress", False)
    return read_ballots(io.StringIO(text), format="debian", **kw)


def test_reads_options_and_votes() -> None:
    p = read(SHEET)
    assert p.candidates == ("Alice", "Bob", "None Of The Above")
    assert p.unranked == "last"
    assert p.ranks.tolist() == [[1, 0, 2], [U, 0, U], [0, 0, 1]]
    assert read(SHEET, unranked="ignore").unranked == "ignore"


def test_2002_style_options_and_login_columns() -> None:
    text = (
        "   Option 1:     Branden Robinson\n"
        "   | Option 2:   Raphael Hertzog\n"
        "   |/ Option 3:  Bdale Garbee\n"
        "   |||/\n"
        "V: 1-2\t          93sam\tSteve McIntyre\n"
        "V: 3-3\n"
    )
    p = read(text)
    assert p.candidates == ("Branden Robinson", "Raphael Hertzog", "Bdale Garbee")
    assert p.ranks.tolist() == [[0, U, 1], [0, U, 0]]


def test_letters_rank_beyond_nine() -> None:
    names = [f"o{i}" for i in range(12)]
    head = "".join(f"  Option {i + 1}-->: {n}\n" for i, n in enumerate(names))
    p = read(head + "V: 123456789ABc\nV: b-a---------\n")
    assert p.ranks[0].tolist() == list(range(12))
    assert p.ranks[1].tolist() == [1, U, 0] + [U] * 9
    with pytest.raises(BallotFormatError, match="rank 13, but the sheet has 12 options"):
        read(head + "V: 123456789ABD\n")


@pytest.mark.parametrize(
    ("vote", "reason"),
    [
        ("12", "expected 3 characters after 'V:', one per option, got 2"),
        ("1234", "got 4"),
        ("", "no vote after 'V:'"),
        ("1x2", "character 'x' for option 2 ('Bob') is not valid"),
        ("102", "ranks start at 1"),
        ("124", "rank 4, but the sheet has 3 options); use 1-3 for a rank"),
    ],
)
def test_bad_vote_lines(vote: str, reason: str) -> None:
    text = SHEET + f"V: {vote} \t\tdeadbeef\nV: 123\n"
    with pytest.raises(BallotFormatError) as info:
        read(text)
    assert info.value.line == len(SHEET.splitlines()) + 1
    assert reason in info.value.reason
    p, report = read(text, errors="collect")
    assert p.num_voters == 4
    assert report.ballots_read == report.ballots_counted + report.ballots_rejected == 5


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("V: 12\n", "no 'Option N: name' lines"),
        ("hello\n", "no 'Option N: name' lines"),
        ("  Option 1->: A\n  Option 3->: B\nV: 12\n", "numbered 1, 3;"),
        ("  Option 1->: A\n  Option 2->: A\nV: 12\n", "the same name 'A'"),
        ("  Option 1->: A\n  Option 2->:   \nV: 12\n", "option 2 has no name"),
    ],
)
def test_structural_errors(text: str, reason: str) -> None:
    with pytest.raises(BallotFormatError, match=re.escape(reason)):
        read(text, errors="collect")


def test_options_and_no_ballots() -> None:
    with pytest.raises(InvalidParameterError, match="'strict'"):
        read(SHEET, strict=True)
    head_only = SHEET.split("\nV: ")[0]
    chunks = list(iter_ballots(io.StringIO(head_only), "debian"))
    assert len(chunks) == 1
    assert chunks[0].num_ballots == 0
    assert chunks[0].num_candidates == 3


def test_chunks() -> None:
    chunks = list(iter_ballots(io.StringIO(SHEET), "debian", chunk_size=2))
    assert [c.num_ballots for c in chunks] == [2, 1]


# ------------------------------------------------------------------ real data
def _results_table(path: Path, n: int) -> tuple[list[str], np.ndarray[Any, Any]]:
    """Option names and the ``tally[row x][col y]`` table of a devotee results file."""
    text = path.read_text(encoding="utf-8")
    names = re.findall(r'^Option (\d+) "(.*)"$', text, re.M)
    listed = [name for _, name in names[:n]]
    body = text.split("tally[row x][col y]", 1)[1]
    table = np.zeros((n, n), dtype=np.int64)
    rows = re.findall(r"^Option\s+(\d+)((?:\s+\d+)+)\s*$", body, re.M)[:n]
    assert len(rows) == n
    for number, values in rows:
        i = int(number) - 1
        nums = [int(v) for v in values.split()]
        assert len(nums) == n - 1  # the diagonal is blank
        table[i] = [*nums[:i], 0, *nums[i:]]
    return listed, table


def _debian_entries(index: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in index if "pairwise_matrix_unranked_last" in e]


def test_every_tally_sheet_matches_the_official_matrix(
    elections_dir: Path, elections_index: list[dict[str, Any]]
) -> None:
    entries = _debian_entries(elections_index)
    on_disk = {
        str(f.relative_to(elections_dir)) for f in elections_dir.glob("debian/**/*tally.txt")
    }
    assert {e["file"] for e in entries} == on_disk
    with_results = named = 0
    for e in entries:
        path = elections_dir / e["file"]
        p, report = read_ballots(path, "debian", errors="collect")
        assert not report.rejected, e["file"]
        assert p.num_voters == e["n_ballots"], e["file"]
        assert p.num_candidates == e.get("n_options", len(e["options"])), e["file"]
        support = pairwise(p).support
        official = np.array(e["pairwise_matrix_unranked_last"])
        assert np.array_equal(support, official), e["file"]
        ranked = (p.ranks != U).sum(axis=1)
        distinct = np.where(p.ranks == U, -1, p.ranks).max(axis=1) + 1
        if "n_ballots_with_equal_ranks" in e:
            assert int(p.weights[distinct < ranked].sum()) == e["n_ballots_with_equal_ranks"]
        if "n_ballots_with_unranked" in e:
            unranked = int(p.weights[ranked < p.num_candidates].sum())
            assert unranked == e["n_ballots_with_unranked"], e["file"]
        if "results_file" in e:
            with_results += 1
            names, table = _results_table(elections_dir / e["results_file"], p.num_candidates)
            if names:  # a few early results files do not list the options
                named += 1
                assert names == list(p.candidates), e["file"]
            assert np.array_equal(support, table), e["file"]
    assert with_results == 39
    assert named >= 30


def test_devotee_drawing_is_not_part_of_a_name(elections_dir: Path) -> None:
    p = read_ballots(elections_dir / "debian" / "2004" / "leader2004_tally.txt", "debian")
    assert p.candidates[-1] == "None of the Above"


def test_dpl_2020(elections_dir: Path, elections_index: list[dict[str, Any]]) -> None:
    e = next(e for e in elections_index if e.get("file") == "debian/dpl2020/leader2020_tally.txt")
    p = read_ballots(elections_dir / e["file"], "debian")
    assert list(p.candidates) == e["options"]
    assert p.num_voters == e["n_ballots"]


# ------------------------------------------------------------------- writing
def test_writer_layout_reads_back_and_sniffs() -> None:
    p = Profile.from_rankings(
        [["A", ("B", "C")], ["C"], []], candidates=["A", "B", "C"], weights=[2, 1, 1]
    )
    out = io.StringIO()
    write_ballots(p, out, "debian")
    text = out.getvalue()
    assert "     Option 1---->: A\n   /  Option 2--->: B\n   |/  Option 3-->: C\n   ||/\n" in text
    votes = [line.split()[1] for line in text.splitlines() if line.startswith("V:")]
    assert votes == ["122", "122", "--1", "---"]
    assert DebianFormat().sniff(text)
    assert read(text) == Profile(p.ranks.repeat([2, 1, 1], axis=0), None, p.candidates)


def test_writer_refuses_what_it_cannot_hold() -> None:
    many = [f"c{i}" for i in range(MAX_OPTIONS + 1)]
    with pytest.raises(UnsupportedProfileError, match="at most 35"):
        write_ballots(Profile.from_rankings([many], candidates=many), io.StringIO(), "debian")
    for names in (["A\nB", "C"], ["A  |/", "B"], [" A", "B"]):
        bad = Profile.from_rankings([names], candidates=names)
        with pytest.raises(UnsupportedProfileError):
            write_ballots(bad, io.StringIO(), "debian")


@settings(max_examples=60)
@given(profiles(max_candidates=12, max_voters=10))
def test_round_trip(profile: Profile) -> None:
    text = write_or_refuse(profile, "debian")
    if text is None:  # unranked="ignore" ballots: a tally sheet is read as "last"
        return
    back = read_ballots(io.StringIO(text), "debian")
    assert back.equivalent(profile)
    if profile.unranked == "last":
        assert back == profile.compress()


def test_round_trip_35_options() -> None:
    names = [f"c{i}" for i in range(MAX_OPTIONS)]
    rng = np.random.default_rng(5)
    ranks = np.array([rng.permutation(MAX_OPTIONS) for _ in range(20)])
    p = Profile(ranks, None, names)
    out = io.StringIO()
    write_ballots(p, out, "debian")
    assert read_ballots(io.StringIO(out.getvalue()), "debian") == p.compress()


def test_sniff() -> None:
    sniff = DebianFormat().sniff
    assert sniff(SHEET)
    assert sniff(SHEET.split("\nV: ")[0])  # the title counts when there are no votes yet
    assert not sniff("  Option 1->: A\nno ballots\n")
    assert not sniff("A,B\n1,2\n")
