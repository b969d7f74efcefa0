"""PrefLib .soc/.soi/.toc/.toi: real files, the order grammar, data types, writing."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
from voting.formats.preflib import PrefLibFormat

from .format_checks import write_or_refuse
from .strategies import profiles

U = UNRANKED

HEAD = (
    "# FILE NAME: x.toi\n# TITLE: Example\n# DATA TYPE: {type}\n"
    "# NUMBER ALTERNATIVES: 4\n# NUMBER VOTERS: 10\n# NUMBER UNIQUE ORDERS: 3\n"
    "# ALTERNATIVE NAME 1: Ann\n# ALTERNATIVE NAME 2: Bob\n"
    "# ALTERNATIVE NAME 3: Cy: the third\n# ALTERNATIVE NAME 4: Di\n"
)
# The same header without the (checked) voter and order counts, for bodies of any size.
UNCOUNTED = HEAD.replace("# NUMBER VOTERS: 10\n# NUMBER UNIQUE ORDERS: 3\n", "")


def read(text: str, **kw: Any) -> Any:
    kw.setdefault("compress", False)
    return read_ballots(io.StringIO(text), format="preflib", **kw)


def test_reads_counts_ties_and_incomplete_orders() -> None:
    p, report = read(HEAD.format(type="toi") + "5: 1,{2, 3},4\n3: 4\n2:\n", errors="collect")
    assert p.candidates == ("Ann", "Bob", "Cy: the third", "Di")
    assert p.unranked == "last"
    assert p.ranks.tolist() == [[0, 1, 1, 2], [U, U, U, 0], [U, U, U, U]]
    assert p.weights.tolist() == [5, 3, 2]
    assert report.title == "Example"
    assert report.ballots_read == 10


@pytest.mark.parametrize(
    ("line", "reason", "weight"),
    [
        ("4: 1,5", "alternative 5 is out of range; the file has alternatives 1-4", 4),
        ("4: 1,{2,1}", "alternative 1 ranked twice", 4),
        ("4: 1,{},2", "empty tie group '{}'", 4),
        ("4: 1,{2,3", "'{' without a matching '}'", 4),
        ("4: 1,2}", "'}' without a matching '{'", 4),
        ("4: 1,{2,{3}}", "nested '{'", 4),
        ("4: 1,,2", "position 2 of the order is empty", 4),
        ("4: 1,a", "'a' is not an alternative number", 4),
        ("4: {1,2}3", "unexpected text after the tie group", 4),
        ("1,2,3", "expected 'count: order'", 1),
        ("x: 1,2", "expected 'count: order'", 1),
        ("0: 1,2", "count 0", 0),
    ],
)
def test_bad_order_lines(line: str, reason: str, weight: int) -> None:
    text = UNCOUNTED.format(type="toi") + "1: 1,2\n" + line + "\n1: 3\n"
    with pytest.raises(BallotFormatError) as info:
        read(text)
    assert info.value.line == 10
    assert reason in info.value.reason
    p, report = read(text, errors="collect")
    assert p.num_voters == 2
    assert report.rejected[0].weight == weight
    assert report.ballots_read == report.ballots_counted + report.ballots_rejected


@pytest.mark.parametrize(
    ("data_type", "line", "reason"),
    [
        ("soc", "1: 1,2,3", "ranks 3 of 4 alternatives, but a 'soc' file holds strict complete"),
        ("soc", "1: 1,{2,3},4", "ties alternatives 2, 3, but a 'soc' file"),
        ("soi", "1: {1,2}", "ties alternatives 1, 2, but a 'soi' file holds strict orders"),
        ("toc", "1: {1,2}", "ranks 2 of 4 alternatives, but a 'toc' file holds complete orders"),
    ],
)
def test_lines_must_fit_the_data_type(data_type: str, line: str, reason: str) -> None:
    good = {"soc": "1: 1,2,3,4", "soi": "1: 2", "toc": "1: {1,2,3,4}"}[data_type]
    text = UNCOUNTED.format(type=data_type) + good + "\n" + line + "\n"
    with pytest.raises(BallotFormatError, match=re.escape(reason)):
        read(text)
    assert read(text, errors="collect")[0].num_voters == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("# ALTERNATIVE NAME 1: A\n1: 1\n", "no '# NUMBER ALTERNATIVES: n' line"),
        ("# NUMBER ALTERNATIVES: two\n1: 1\n", "is not a positive whole number"),
        ("# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n1: 1\n", "ALTERNATIVE NAME 2"),
        (
            "# NUMBER ALTERNATIVES: 1\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n1: 1\n",
            "'# ALTERNATIVE NAME 2' is out of range",
        ),
        (
            "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 1: B\n",
            "alternative 1 is named twice",
        ),
        (
            "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: A\n1: 1\n",
            "the same name 'A'",
        ),
        (
            "# DATA TYPE: wmd\n# NUMBER ALTERNATIVES: 1\n# ALTERNATIVE NAME 1: A\n1: 1\n",
            "'# DATA TYPE: wmd' is not an ordinal PrefLib type",
        ),
        ("", "no '# NUMBER ALTERNATIVES: n' line"),
    ],
)
def test_structural_errors(text: str, reason: str) -> None:
    with pytest.raises(BallotFormatError, match=re.escape(reason)):
        read(text, errors="collect")


def test_header_only_and_chunks() -> None:
    chunks = list(iter_ballots(io.StringIO(UNCOUNTED.format(type="soi")), "preflib"))
    assert [c.num_ballots for c in chunks] == [0]
    text = UNCOUNTED.format(type="soi") + "".join(f"{k}: {k % 4 + 1}\n" for k in range(1, 8))
    chunks = list(iter_ballots(io.StringIO(text), "preflib", chunk_size=3))
    assert [c.num_ballots for c in chunks] == [3, 3, 1]
    assert sum(c.num_voters for c in chunks) == 28
    with pytest.raises(InvalidParameterError, match="'data_type'"):
        read(text, data_type="soi")  # a writing option only


# ------------------------------------------------------------------ real data
def _header_counts(path: Path) -> dict[str, int]:
    text = path.read_text(encoding="utf-8")
    return {k: int(v) for k, v in re.findall(r"^# (NUMBER [A-Z ]+): (\d+)$", text, re.M)}


def test_real_files_match_their_headers(
    elections_dir: Path, elections_index: list[dict[str, Any]]
) -> None:
    entries = [e for e in elections_index if str(e.get("file", "")).startswith("preflib/")]
    assert len(entries) == 5
    for e in entries:
        path = elections_dir / e["file"]
        p, report = read_ballots(path, "preflib", errors="collect", compress=False)
        assert not report.rejected
        head = _header_counts(path)
        assert p.num_candidates == head["NUMBER ALTERNATIVES"]
        assert p.num_voters == head["NUMBER VOTERS"] == e["n_voters"]
        assert p.num_ballots == head["NUMBER UNIQUE ORDERS"] == e["n_unique_orders"]
        assert report.title


def test_burlington_has_ties_and_truncation(elections_dir: Path) -> None:
    p = read_ballots(elections_dir / "preflib/00005-burlington/00005-00000001.toi", "preflib")
    assert p.candidates[2] == "Bob Kiss"
    ranked = (p.ranks != U).sum(axis=1)
    distinct = np.where(p.ranks == U, -1, p.ranks).max(axis=1) + 1
    assert (distinct < ranked).any()  # overvotes: tied ranks
    assert (ranked < p.num_candidates).any()


@pytest.mark.parametrize(
    ("file", "a", "b", "count"),
    [
        ("00002-00000001.soi", 0, 1, 260),  # Robinson > Hertzog (255 in Debian's tally)
        ("00002-00000007.soi", 0, 1, 268),  # Verhelst > Nagy (203 official)
        ("00002-00000006.toc", 0, 1, 323),  # Zacchiroli > Verhelst (300 official)
    ],
)
def test_debian_preflib_files_keep_their_documented_tie_breaking(
    elections_dir: Path, file: str, a: int, b: int, count: int
) -> None:
    p = read_ballots(elections_dir / "preflib/00002-debian" / file, "preflib")
    assert int(pairwise(p).support[a, b]) == count


# ------------------------------------------------------------------- writing
def _write(p: Profile, **options: Any) -> str:
    out = io.StringIO()
    write_ballots(p, out, "preflib", **options)
    return out.getvalue()


def test_writer_picks_the_most_restrictive_type() -> None:
    names = ["A", "B", "C"]
    cases: list[tuple[list[list[str | tuple[str, ...]]], str]] = [
        ([["A", "B", "C"]], "soc"),
        ([["A", "B"]], "soi"),
        ([["A", ("B", "C")]], "toc"),
        ([["A", ("B", "C")], ["C"]], "toi"),
    ]
    for ballots, data_type in cases:
        text = _write(Profile.from_rankings(ballots, candidates=names))
        assert f"# DATA TYPE: {data_type}\n" in text


def test_writer_layout() -> None:
    p = Profile.from_rankings(
        [["A", ("B", "C")], ["C"], ["A", ("B", "C")], []],
        candidates=["A", "B", "C"],
        weights=[2, 5, 1, 1],
    )
    text = _write(p, title="My vote")
    assert "# TITLE: My vote\n" in text
    assert "# NUMBER VOTERS: 9\n# NUMBER UNIQUE ORDERS: 3\n" in text
    assert "# ALTERNATIVE NAME 3: C\n" in text
    assert text.endswith("5: 3\n3: 1,{2,3}\n1: \n")
    assert PrefLibFormat().sniff(text)


def test_writer_refuses_a_type_that_cannot_hold_the_profile() -> None:
    tied = Profile.from_rankings([["A", ("B", "C")]], candidates=["A", "B", "C"])
    with pytest.raises(UnsupportedProfileError, match=r"'soc' file .* has ties; write it as 'toc'"):
        _write(tied, data_type="soc")
    short = Profile.from_rankings([["A"]], candidates=["A", "B"])
    with pytest.raises(UnsupportedProfileError, match="unranked candidates"):
        _write(short, data_type="toc")
    assert "# DATA TYPE: toi" in _write(short, data_type="toi")
    with pytest.raises(InvalidParameterError, match="data_type='xyz'"):
        _write(short, data_type="xyz")
    with pytest.raises(InvalidParameterError, match="'seats'"):
        _write(short, seats=2)
    with pytest.raises(UnsupportedProfileError):
        _write(Profile.from_rankings([["A\nB"]]))


@settings(max_examples=60)
@given(profiles(max_candidates=7, max_voters=15), st.sampled_from([None, "toi"]))
def test_round_trip(profile: Profile, data_type: str | None) -> None:
    options = {} if data_type is None else {"data_type": data_type}
    text = write_or_refuse(profile, "preflib", **options)
    if text is None:  # unranked="ignore" ballots: PrefLib files are read as "last"
        return
    back = read_ballots(io.StringIO(text), "preflib")
    assert back.equivalent(profile)
    if profile.unranked == "last":
        assert back == profile.compress()


def test_sniff() -> None:
    sniff = PrefLibFormat().sniff
    assert sniff(HEAD.format(type="soc"))
    assert sniff("# NUMBER ALTERNATIVES: 3\n")
    assert not sniff("#/Candidates: A;B\nA > B\n")
    assert not sniff("# a comment\n1: 1,2\n")
    assert not sniff("A,B\n1,2\n")
