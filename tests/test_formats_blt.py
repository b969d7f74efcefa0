"""BLT (OpenSTV / OpaVote) reader and writer."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
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
)
from voting.formats import FORMATS, get_format, iter_ballots, read_ballots, write_ballots
from voting.formats.abif import ABIFFormat
from voting.formats.blt import BLTFormat, _parse_line, _strip_comment
from voting.formats.cef import CEFFormat

from .format_checks import (
    Unseekable,
    assert_bad_line_reported,
    assert_chunks_add_up,
    write_or_refuse,
)
from .strategies import profiles

U = UNRANKED

# The example of the OpenTally / HWW documentation: 4 candidates, 2 seats, Basil withdrawn.
SPEC = """4 2
-2
3 1 3 4 0
4 1 3 2 0
2 4 1=3 0
1 2 0
2 2=4=3 1 0
1 3 4 2 0
0
"Adam"
"Basil"
"Charlotte"
"Donald"
"Title"
"""


def read(text: str, **kw: Any) -> Any:
    return read_ballots(io.StringIO(text), "blt", compress=False, **kw)


# ---------------------------------------------------------------- the specification
def test_spec_example_withdrawn_ties_and_metadata() -> None:
    p, report = read(SPEC, errors="collect")
    assert p.candidates == ("Adam", "Charlotte", "Donald")
    assert p.unranked == "last"
    assert p.ranks.tolist() == [
        [0, 1, 2],  # 1 3 4
        [0, 1, U],  # 1 3 (2 withdrawn)
        [1, 1, 0],  # 4 1=3
        [U, U, U],  # 2 (withdrawn): a ballot that ranks nobody still counts
        [1, 0, 0],  # 2=4=3 1: the withdrawn 2 drops out of its tier
        [U, 0, 1],  # 3 4 2
    ]
    assert p.weights.tolist() == [3, 4, 2, 1, 2, 1]
    assert report.seats == 2
    assert report.title == "Title"
    assert report.withdrawn == ("Basil",)
    assert report.ballots_read == report.ballots_counted == 13
    assert report.format == "blt"


def test_openstv_extensions_ids_skips_comments_and_optional_terminator() -> None:
    text = (
        "# an OpenSTV comment before the header\n"
        "3 1  # three candidates, one seat\n"
        "(ballot-1) 2 1 - 3 0\n"
        "(b2)1 3 2\n"
        "\n"
        "5 0   # a blank ballot\n"
        "4\n"
        "0 # end\n"
        '"A" "B"\n'
        "C   # bare one-word names are allowed\n"
        '"An election" "source" "comment"\n'
    )
    p, report = read(text, errors="collect")
    assert p.candidates == ("A", "B", "C")
    assert p.ranks.tolist() == [[0, U, 1], [U, 1, 0], [U, U, U], [U, U, U]]
    assert p.weights.tolist() == [2, 1, 5, 4]
    assert report.title == "An election"
    assert report.seats == 1
    assert not report.rejected


def test_crlf_and_bom() -> None:
    p = read('\ufeff2 1\r\n1 2 1 0\r\n0\r\n"X"\r\n"Y"\r\n"T"\r\n')
    assert p.candidates == ("X", "Y")
    assert p.ranks.tolist() == [[1, 0]]


# -------------------------------------------------------------------- real files
def _blt_entries(index: list[dict[str, Any]]) -> list[tuple[str, int, int, int]]:
    """(file, candidates, seats, voters) of every BLT file the index describes."""
    out = []
    for e in index:
        if str(e.get("file", "")).endswith(".blt"):
            out.append((e["file"], e["n_candidates"], e["seats"], e["n_voters"]))
    return out


def test_glasgow_wards_match_the_index(
    elections_dir: Path, elections_index: list[dict[str, Any]]
) -> None:
    entries = _blt_entries(elections_index)
    assert len(entries) == 21
    for file, n_cand, seats, voters in entries:
        p, report = read_ballots(elections_dir / file, errors="collect")
        assert report.format == "blt"
        assert p.num_candidates == n_cand, file
        assert report.seats == seats, file
        assert p.num_voters == voters, file
        assert not report.rejected, file
        assert report.title, file
        assert p.unranked == "last"


@pytest.mark.parametrize(
    ("file", "seats", "n_cand", "n_ballots", "title"),
    [
        ("nixos/SC-election-2025/opavote-ballots-5.blt", 5, 24, 443, "Nix SC Election 2025"),
        ("nixos/SC-election-2025/opavote-ballots.blt", 7, 24, 443, "Nix SC Election 2025"),
        (
            "nixos/SC-election-2024/opavote_ballots.blt",
            23,
            23,
            450,
            "Nix Steering Committee Election 2024",
        ),
    ],
)
def test_nix_files_match_their_headers(
    elections_dir: Path, file: str, seats: int, n_cand: int, n_ballots: int, title: str
) -> None:
    p, report = read_ballots(elections_dir / file, errors="collect")
    assert (p.num_candidates, report.seats, p.num_voters) == (n_cand, seats, n_ballots)
    assert report.title == title
    assert not report.rejected


def test_nix_2025_ballots_are_complete_strict_rankings(elections_dir: Path) -> None:
    p = read_ballots(elections_dir / "nixos/SC-election-2025/opavote-ballots-5.blt")
    assert p.is_strict
    assert p.candidates[:3] == ("GaetanLepage", "JulienMalka", "K900")


def test_nix_2024_blt_holds_the_civs_ballots(elections_dir: Path) -> None:
    """The BLT and the (inverted-rank) CIVS export hold the same 450 ballots.

    CIVS proportional mode writes ``C - position`` for a ranked candidate and 1 for an
    unranked one; converting every BLT ballot that way gives the CSV rows exactly.
    """
    folder = elections_dir / "nixos/SC-election-2024"
    p = read_ballots(folder / "opavote_ballots.blt", compress=False)
    with open(folder / "civs_ballots.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == p.candidates
    c = p.num_candidates
    converted: Counter[tuple[int, ...]] = Counter()
    for row, w in zip(p.ranks.tolist(), p.weights.tolist(), strict=True):
        converted[tuple(1 if r == U else c - r for r in row)] += w
    expected = Counter(tuple(int(x) for x in r) for r in rows[1:])
    assert sum(converted.values()) == 450
    assert converted == expected


# ------------------------------------------------------------- malformed ballots
BAD_LINES = [
    ("0 1 2 0", "weight 0", 0),
    ("1 1 1 0", "candidate 1 is ranked twice", 1),
    ("7 1 5 0", "candidate number 5 is out of range", 7),
    ("1.5 1 0", "weight 1.5 is not a whole number", 1),
    ("3=1 2 0", "does not start with a weight", 1),
    ("2 1 0 3 0", "0 ends a ballot, but preferences follow it", 2),
    ("2 1 3=0", "cannot be tied", 2),
    ("2 1 x 0", "'x' is not a preference", 2),
    ("2 1==3 0", "'1==3' is not a preference", 2),
    ("(unclosed 1 2 0", "unclosed ballot id", 1),
    ("-3 1 0", "does not start with a weight", 1),
    ("99999999999999999999 1 0", "too large", 1),
]


@pytest.mark.parametrize(("line", "reason", "weight"), BAD_LINES)
def test_malformed_ballot_is_reported_with_reason_and_weight(
    line: str, reason: str, weight: int
) -> None:
    text = f"4 1\n2 1 2 0\n{line}\n1 4 0\n0\n" + '"A"\n"B"\n"C"\n"D"\n"T"\n'
    assert_bad_line_reported(
        read, text, line_no=3, line=line, reason=reason, weight=weight, counted=[2, 1]
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("4\n1 1 0\n0\n", "expected the header"),
        ("a b\n", "expected the header"),
        ("0 1\n0\n", "declares no candidates"),
        ("2 1\n1 1 0\n", "the ballots never end"),
        ('2 1\n-3\n1 1 0\n0\n"A"\n"B"\n', "withdrawn candidate -3 is out of range"),
        ('2 1\n-1 x\n0\n"A"\n"B"\n', "withdrawn-candidates line"),
        ('2 1\n-1 -2\n0\n"A"\n"B"\n', "every candidate is withdrawn"),
        ('2 1\n1 1 0\n0\n"A"\n', "declares 2 candidates but 1 names follow"),
        ('2 1\n1 1 0\n0\n"A"\n"A"\n"T"\n', "duplicate candidate name"),
        ('2 1\n1 1 0\n0\n"A"\n"B\n', "unterminated double quote"),
    ],
)
def test_structural_errors_fail_whatever_the_error_policy(text: str, message: str) -> None:
    with pytest.raises(BallotFormatError, match=message):
        read(text, errors="collect")


def test_options_are_checked() -> None:
    with pytest.raises(InvalidParameterError, match="unknown option 'inverted'"):
        read(SPEC, inverted=True)


def test_caller_overrides_the_unranked_policy() -> None:
    assert read(SPEC, unranked="ignore").unranked == "ignore"


# ---------------------------------------------------------------------- chunking
@pytest.mark.parametrize("chunk_size", [1, 2, 3, 5, 1000])
def test_chunks_are_bounded_and_add_up(chunk_size: int) -> None:
    assert_chunks_add_up(read, SPEC, "blt", chunk_size)


def test_a_file_without_ballots_yields_one_empty_chunk() -> None:
    text = '3 2\n0\n"A"\n"B"\n"C"\n"Nothing"\n'
    chunks = list(iter_ballots(io.StringIO(text), "blt"))
    assert len(chunks) == 1
    assert chunks[0].num_ballots == 0
    assert chunks[0].candidates == ("A", "B", "C")


def test_an_unseekable_stream_is_spooled() -> None:
    p = read_ballots(Unseekable(SPEC), "blt", compress=False)
    assert p == read(SPEC)


def test_gzip_file_is_read_in_two_passes(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "x.blt.gz", "wt", encoding="utf-8") as f:
        f.write(SPEC)
    p, report = read_ballots(tmp_path / "x.blt.gz", compress=False, errors="collect")
    assert p == read(SPEC)
    assert report.title == "Title"


def test_format_is_inferred_from_content_without_extension() -> None:
    p = read_ballots(Unseekable(SPEC))
    assert p.candidates == ("Adam", "Charlotte", "Donald")


# ----------------------------------------------------------- fast path vs slow path
_TOKENS = ["1", "2", "3", "4", "0", "12", "1=2", "3=4=1", "2=", "=3", "-", "x", "1.5", "#c"]


@st.composite
def ballot_lines(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from(["1", "2", "7", "0", "(id)", "(a) 3", "", " 2", "1.0"]))
    body = draw(st.lists(st.sampled_from(_TOKENS), max_size=6))
    sep = draw(st.sampled_from([" ", "  ", "\t"]))
    line = sep.join([head, *body])
    # Keep clear of the end-of-ballots line and of a withdrawn line.
    return line if _strip_comment(line) != "0" and not line.lstrip().startswith("-") else "1 0"


@settings(max_examples=150)
@given(st.lists(ballot_lines(), max_size=12), st.integers(1, 4))
def test_vectorised_block_parser_agrees_with_the_line_parser(
    lines: list[str], chunk_size: int
) -> None:
    """Every line, whichever path parses it, gives what :func:`_parse_line` gives."""
    n = 4
    text = "4 1\n1 1 0\n" + "".join(x + "\n" for x in lines) + '0\n"A"\n"B"\n"C"\n"D"\n"T"\n'
    got, report = read(text, errors="collect", chunk_size=chunk_size)
    rows: list[list[int]] = [[0, U, U, U]]
    weights = [1]
    rejected = []
    for lineno, line in enumerate(lines, start=3):
        if not _strip_comment(line):
            continue
        parsed = _parse_line(line, n)
        if len(parsed) == 2:
            rejected.append((lineno, line, parsed[1]))
            continue
        weight, prefs, tiers = parsed
        row = [U] * n
        for k, t in zip(prefs, tiers, strict=True):
            row[k - 1] = t
        rows.append(row)
        weights.append(weight)
    assert got == Profile(np.array(rows).reshape(-1, n), weights, ["A", "B", "C", "D"])
    assert [(r.line, r.text, r.weight) for r in report.rejected] == rejected


# ------------------------------------------------------------------------ writing
def test_writer_output_is_the_documented_layout() -> None:
    p = Profile.from_rankings(
        [["A", ("B", "C")], ["C"], []], candidates=["A", "B", "C"], weights=[3, 2, 1]
    )
    out = io.StringIO()
    write_ballots(p, out, "blt", seats=2, title="My vote")
    assert out.getvalue() == ('3 2\n3 1 2=3 0\n2 3 0\n1 0\n0\n"A"\n"B"\n"C"\n"My vote"\n')


def test_writer_defaults_to_one_seat_and_a_generic_title() -> None:
    out = io.StringIO()
    write_ballots(Profile.from_rankings([["A"]]), out, "blt")
    assert out.getvalue() == '1 1\n1 1 0\n0\n"A"\n"Election"\n'


def test_writer_by_extension(tmp_path: Path) -> None:
    p = Profile.from_rankings([["A", "B"], ["B"]], weights=[2, 5])
    write_ballots(p, tmp_path / "x.blt", seats=1, title="T")
    q, report = read_ballots(tmp_path / "x.blt", errors="collect")
    assert q == p.compress()
    assert (report.seats, report.title) == (1, "T")


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"seats": 0}, InvalidParameterError, "seats=0"),
        ({"seats": "2"}, InvalidParameterError, "expected an int"),
        ({"title": 'say "hi"'}, InvalidParameterError, "cannot write"),
        ({"colour": "red"}, InvalidParameterError, "unknown option 'colour'"),
    ],
)
def test_writer_rejects_bad_options(
    options: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        write_ballots(Profile.from_rankings([["A"]]), io.StringIO(), "blt", **options)


def test_writer_rejects_names_it_cannot_quote() -> None:
    p = Profile.from_rankings([['Say "A"']])
    with pytest.raises(UnsupportedProfileError, match="double quote"):
        write_ballots(p, io.StringIO(), "blt")


@settings(max_examples=60)
@given(profiles())
def test_round_trip(p: Profile) -> None:
    text = write_or_refuse(p, "blt", seats=2, title="Round trip")
    if text is None:  # unranked="ignore" ballots: BLT would read them as "last"
        return
    q, report = read_ballots(io.StringIO(text), "blt", errors="collect")
    assert q.equivalent(p)
    if p.unranked == "last":
        assert q == p.compress()
    assert not report.rejected
    assert (report.seats, report.title) == (2, "Round trip")
    assert BLTFormat().sniff(text) or p.num_ballots == 0


# ------------------------------------------------------------------------ sniffing
def test_sniff_recognises_blt_and_nothing_else(elections_dir: Path) -> None:
    blt = BLTFormat()
    assert blt.sniff(SPEC)
    assert blt.sniff(SPEC[:40])  # a head cut in the middle of a line
    for path in sorted(elections_dir.rglob("*")):
        if not path.is_file() or path.suffix in {".json", ".md", ".yaml"}:
            continue
        head = path.read_text(encoding="utf-8", errors="replace")[:65536]
        assert blt.sniff(head) == (path.suffix == ".blt"), path
    p = Profile.from_rankings([["A", "B"], ["B"]])
    for fmt in ("abif", "cef"):
        out = io.StringIO()
        write_ballots(p, out, fmt)
        assert not blt.sniff(out.getvalue())
    assert not ABIFFormat().sniff(SPEC)
    assert not CEFFormat().sniff(SPEC)
    assert not blt.sniff("4 2\n")
    assert not blt.sniff("1,2\n3,4\n")


@settings(max_examples=25)
@given(profiles())
def test_no_other_registered_format_claims_what_the_writer_writes(p: Profile) -> None:
    head = write_or_refuse(p, "blt")
    if head is None:
        return
    claimed = [name for name in FORMATS if get_format(name).sniff(head)]
    assert claimed == ["blt"] or (not p.num_ballots and claimed in ([], ["blt"]))
