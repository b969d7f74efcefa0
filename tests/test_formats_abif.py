"""ABIF (Aggregated Ballot Information Format) reader and writer."""

from __future__ import annotations

import gzip
import io
import json
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
from voting.formats.abif import ABIFFormat, _parse_line
from voting.formats.blt import BLTFormat
from voting.formats.cef import CEFFormat

from .format_checks import (
    Unseekable,
    assert_bad_line_reported,
    assert_chunks_add_up,
    write_or_refuse,
)
from .strategies import profiles

U = UNRANKED

# The electowiki "Tennessee example", with metadata, declarations, ratings, comments.
TENNESSEE = """# Section 1 - metadata
{"title": "Tennessee capitol example"}
{description: "Hypothetical example of selecting capitol of Tennessee."}
{version: "0.1"}
# Section 2 - candidate descriptions
=Memph:[Memphis, TN]
=Nash:[Nashville, TN]
=Chat:[Chattanooga, TN]
=Knox:[Knoxville, TN]
# Section 3 - votelines
# Ratings are 400 miles minus crow-flying mileage to city
42:Memph/400>Nash/200>Chat/133>Knox/45
26:Nash/400>Chat/290>Knox/240>Memph/200
15:Chat/400>Knox/296>Nash/290>Memph/133
17:Knox/400>Chat/296>Nash/240>Memph/45
"""


def read(text: str, **kw: Any) -> Any:
    return read_ballots(io.StringIO(text), "abif", compress=False, **kw)


# ---------------------------------------------------------------- the specification
def test_tennessee_example() -> None:
    p, report = read(TENNESSEE, errors="collect")
    assert p.candidates == ("Memphis, TN", "Nashville, TN", "Chattanooga, TN", "Knoxville, TN")
    assert p.unranked == "last"
    assert p.ranks.tolist() == [[0, 1, 2, 3], [3, 0, 1, 2], [3, 2, 0, 1], [3, 2, 1, 0]]
    assert p.weights.tolist() == [42, 26, 15, 17]
    assert report.title == "Tennessee capitol example"
    assert report.ballots_counted == 100
    assert not report.rejected
    assert report.seats is None


def test_names_option_gives_tokens() -> None:
    p = read(TENNESSEE, names="token")
    assert p.candidates == ("Memph", "Nash", "Chat", "Knox")
    with pytest.raises(InvalidParameterError, match="names='short'"):
        read(TENNESSEE, names="short")


def test_ties_truncation_blank_ballots_and_undeclared_tokens_when_added() -> None:
    text = "=A:[Alice]\n=B:[Bob]\n26:B>C=A   # C was never declared\n10:\n3 : D\n1:Write-in=B\n"
    p = read(text, undeclared="add")
    assert p.candidates == ("Alice", "Bob", "C", "D", "Write-in")
    assert p.ranks.tolist() == [
        [1, 0, 1, U, U],
        [U, U, U, U, U],
        [U, U, U, 0, U],
        [U, 0, U, U, 0],
    ]
    assert p.weights.tolist() == [26, 10, 3, 1]


def test_bracketed_and_quoted_tokens_with_high_utf8_and_ratings() -> None:
    # Cases 8 and 15 of electorama/abif, and abiftool's "nested quote" example.
    text = (
        "=DGM:[Doña García Márquez]\n"
        "=SBJ:[Steven B. Jensen]\n"
        '27:DGM>SBJ>[蘇業]>"Adam Muñoz"\n'
        "26: SBJ > DGM = [蘇業] > [Adam Muñoz]\n"
        '10:["Memph" Memphis]/5>DGM/0\n'
    )
    p = read(text, undeclared="add")
    assert p.candidates == (
        "Doña García Márquez",
        "Steven B. Jensen",
        "蘇業",
        "Adam Muñoz",
        '"Memph" Memphis',
    )
    assert p.ranks.tolist() == [[0, 1, 2, 3, U], [1, 0, 1, 2, U], [1, U, U, U, 0]]


def test_comma_separated_ratings_give_the_ranking() -> None:
    # Case 15: unordered scores; highest rating first, equal ratings tied.
    text = (
        "=DGM:[Doña García Márquez]\n=SBJ:[Steven B. Jensen]\n=SY:[Sue Ye (蘇業)]\n"
        "=AM:[Adam Muñoz]\n"
        "27: DGM/5, SBJ/2, SY/1, AM/0\n"
        "26: DGM/3, SBJ/5, SY/3, AM/1\n"
    )
    p = read(text, names="token")
    assert p.candidates == ("DGM", "SBJ", "SY", "AM")
    assert p.ranks.tolist() == [[0, 1, 2, 3], [1, 0, 1, 2]]


def test_metadata_values_and_comments() -> None:
    text = (
        '{version: "0.1"}\n'
        "{max_rating: 6}\n"
        "{ballot_type: null}\n"
        "{display_ballots: true}\n"
        "{}\n"
        '{title: "Election #5: the # is not a comment"} # but this is\n'
        "1:A\n"
    )
    p, report = read(text, errors="collect")
    assert report.title == "Election #5: the # is not a comment"
    assert p.candidates == ("A",)


def test_declaration_forms() -> None:
    text = '=A:[Alpha]\n="B b":Beta\n=[C c]:"Gamma"\n=D:\n1:A>"B b">[C c]>D\n'
    p = read(text)
    assert p.candidates == ("Alpha", "Beta", "Gamma", "D")
    assert p.ranks.tolist() == [[0, 1, 2, 3]]


def test_crlf_and_bom() -> None:
    p = read("\ufeff=A:[Alpha]\r\n2:A>B\r\n", undeclared="add")
    assert p.candidates == ("Alpha", "B")
    assert p.ranks.tolist() == [[0, 1]]


# ------------------------------------------------------------- malformed ballots
BAD_LINES = [
    ("0:A", "count 0", 0),
    ("3:A>A", "'A' is ranked twice", 3),
    ("4:A>>B", "empty preference", 4),
    ("5:A>", "empty preference", 5),
    ("2:Bob Kiss>A", "not one candidate token", 2),
    ("2:A/x>B", "rating 'x' of 'A' is not a whole number", 2),
    ("2:A/3,B", "'B' has no /rating", 2),
    ("2:A/3,B/2>C", "mixes ','", 2),
    ("2:[A>B", "cannot read the ranking", 2),
    ("2:[A>B # an unclosed bracket hides no comment", "cannot read the ranking", 2),
    ("A>B", "expected a ballot line 'count:A>B=C'", 1),
    ("27 * A/5, B/2", "expected a ballot line", 1),
    ('7: B>A: {"precinct": 51}', "cannot read the ranking", 7),
]


@pytest.mark.parametrize(("line", "reason", "weight"), BAD_LINES)
def test_malformed_ballot_is_reported_with_reason_and_weight(
    line: str, reason: str, weight: int
) -> None:
    text = f"=A:[A]\n=B:[B]\n=C:[C]\n2:A>B\n{line}\n1:C\n"
    assert_bad_line_reported(
        read, text, line_no=5, line=line, reason=reason, weight=weight, counted=[2, 1]
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{title: "x"\n1:A\n', "malformed metadata line"),
        ('{"bad \\q": 1}\n1:A\n', "malformed metadata line"),
        ("=A\n1:A\n", "malformed candidate line"),
        ("=A:[Alpha]\n=A:[Beta]\n1:A\n", "declared twice"),
        ("=A:[Same]\n=B:[Same]\n1:A\n", "names='token'"),
        ("# nothing\n", "no candidates"),
    ],
)
def test_structural_errors_fail_whatever_the_error_policy(text: str, message: str) -> None:
    with pytest.raises(BallotFormatError, match=message):
        read(text, errors="collect")


def test_redeclaring_the_same_name_is_harmless() -> None:
    assert read("=A:[Alpha]\n=A:[Alpha]\n1:A\n").candidates == ("Alpha",)


def test_caller_overrides_the_unranked_policy() -> None:
    assert read(TENNESSEE, unranked="ignore").unranked == "ignore"


# ---------------------------------------------------------------------- chunking
@pytest.mark.parametrize("chunk_size", [1, 2, 3, 1000])
def test_chunks_are_bounded_and_add_up(chunk_size: int) -> None:
    assert_chunks_add_up(read, TENNESSEE, "abif", chunk_size)


def test_declared_candidates_without_ballots_yield_one_empty_chunk() -> None:
    chunks = list(iter_ballots(io.StringIO("=A:[Alpha]\n=B:[Beta]\n"), "abif"))
    assert len(chunks) == 1
    assert chunks[0].num_ballots == 0
    assert chunks[0].candidates == ("Alpha", "Beta")


def test_an_unseekable_stream_is_spooled() -> None:
    p = read_ballots(Unseekable(TENNESSEE), "abif", compress=False)
    assert p == read(TENNESSEE)
    q = read_ballots(Unseekable(TENNESSEE))
    assert q == p.compress()


def test_gzip_file(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "x.abif.gz", "wt", encoding="utf-8") as f:
        f.write(TENNESSEE)
    assert read_ballots(tmp_path / "x.abif.gz", compress=False) == read(TENNESSEE)


# ----------------------------------------------------------- fast path vs slow path
_ATOMS = ["A", "B", "C", "D", "[A]", '"B"', "[Bob Kiss]", "Bob Kiss", "A/3", "C/1", "x-y"]
_SEPS = [">", "=", ",", " > ", ">>", ""]


@st.composite
def vote_lines(draw: st.DrawFn) -> str:
    count = draw(st.sampled_from(["1", "2", "0", " 3 ", "", "x"]))
    atoms = draw(st.lists(st.sampled_from(_ATOMS), max_size=5))
    seps = draw(st.lists(st.sampled_from(_SEPS), min_size=len(atoms), max_size=len(atoms)))
    ranking = "".join(a + s for a, s in zip(atoms, seps, strict=True))
    tail = draw(st.sampled_from(["", " # note", "  "]))
    return f"{count}:{ranking}{tail}"


def _line_by_line(lines: list[str], candidates: tuple[str, ...]) -> tuple[Profile, list[Any]]:
    """The reference: every line through :func:`_parse_line` (lines start at line 2)."""
    index = {t: i for i, t in enumerate(candidates)}
    rows: list[list[int]] = []
    weights: list[int] = []
    rejected = []
    for lineno, line in enumerate(lines, start=2):
        parsed = _parse_line(line, lineno, index)
        if parsed is None:
            continue
        if isinstance(parsed[0], str):
            rejected.append((lineno, line, parsed[1]))
            continue
        cols, tiers, weight = parsed
        row = [U] * len(index)
        for c, t in zip(cols, tiers, strict=True):
            row[c] = t
        rows.append(row)
        weights.append(weight)
    ranks = np.array(rows, dtype=np.int64).reshape(-1, len(index))
    return Profile(ranks, weights, candidates), rejected


@settings(max_examples=150)
@given(st.lists(vote_lines(), max_size=12), st.integers(1, 4))
def test_vectorised_block_parser_agrees_with_the_line_parser(
    lines: list[str], chunk_size: int
) -> None:
    """Every line, whichever path parses it, gives what :func:`_parse_line` gives."""
    text = "=A:[A]\n" + "".join(x + "\n" for x in lines)
    got, report = read(
        text, errors="collect", chunk_size=chunk_size, names="token", undeclared="add"
    )
    want, rejected = _line_by_line(lines, got.candidates)
    assert got == want
    assert [(r.line, r.text, r.weight) for r in report.rejected] == rejected


def test_large_blocks_with_a_few_special_lines_agree_with_the_line_parser() -> None:
    """Blocks of thousands of lines: plain pieces go the vectorised way, the pieces
    holding comments, brackets, blanks or errors line by line."""
    plain = ["3:A>B=C", "1:C", "12:B>A", "2: D = A > B "]
    special = ["# note", "4:[A]>B", "", "0:A", "5:A>>B", "6:", "7:A/2,B/3", "x"]
    lines = [plain[i % 4] if i % 97 else special[i // 97 % 8] for i in range(3000)]
    text = "=A:[A]\n" + "".join(x + "\n" for x in lines)
    got, report = read(text, errors="collect", names="token", undeclared="add")
    want, rejected = _line_by_line(lines, got.candidates)
    assert got == want
    assert [(r.line, r.text, r.weight) for r in report.rejected] == rejected
    assert len(rejected) == 11  # "0:A", "5:A>>B" and "x", among the 31 special lines


# ------------------------------------------------------------------------ writing
def test_writer_output() -> None:
    p = Profile.from_rankings(
        [["Bob Kiss", ("Andy", "Doña")], ["Andy"], []],
        candidates=["Andy", "Bob Kiss", "Doña"],
        weights=[3, 2, 1],
    )
    out = io.StringIO()
    write_ballots(p, out, "abif", title='The "2009" race')
    assert out.getvalue() == (
        '{title: "The \\"2009\\" race"}\n'
        "=Andy:[Andy]\n"
        "=Bob_Kiss:[Bob Kiss]\n"
        "=Do_a:[Doña]\n"
        "3:Bob_Kiss>Andy=Do_a\n"
        "2:Andy\n"
        "1:\n"
    )
    out.seek(0)
    q, report = read_ballots(out, "abif", errors="collect")
    assert q == p.compress()
    assert report.title == 'The "2009" race'


def test_writer_tokens_stay_distinct() -> None:
    p = Profile.from_rankings([["a b", "a_b", "a-b", "!"]])
    out = io.StringIO()
    write_ballots(p, out, "abif")
    assert "=a_b_2:[a b]" in out.getvalue()
    assert "=c1:[!]" in out.getvalue()
    out.seek(0)
    assert read_ballots(out, "abif") == p


def test_writer_rejects_names_and_options_it_cannot_write() -> None:
    with pytest.raises(UnsupportedProfileError, match=r"contains '\]'"):
        write_ballots(Profile.from_rankings([["x]"]]), io.StringIO(), "abif")
    with pytest.raises(InvalidParameterError, match="unknown option 'seats'"):
        write_ballots(Profile.from_rankings([["x"]]), io.StringIO(), "abif", seats=2)
    with pytest.raises(InvalidParameterError, match="expected a str"):
        write_ballots(Profile.from_rankings([["x"]]), io.StringIO(), "abif", title=3)


@settings(max_examples=60)
@given(profiles())
def test_round_trip(p: Profile) -> None:
    text = write_or_refuse(p, "abif", title="Round trip")
    if text is None:  # unranked="ignore" ballots: ABIF would read them as "last"
        return
    q, report = read_ballots(io.StringIO(text), "abif", errors="collect")
    assert q.equivalent(p)
    if p.unranked == "last":
        assert q == p.compress()
    assert not report.rejected
    assert report.title == "Round trip"
    assert ABIFFormat().sniff(text)


def test_writer_by_extension(tmp_path: Path) -> None:
    p = Profile.from_rankings([["A", "B"], ["B"]], weights=[2, 5])
    write_ballots(p, tmp_path / "x.abif")
    assert read_ballots(tmp_path / "x.abif") == p.compress()


# ------------------------------------------------------------------------ sniffing
def test_sniff_recognises_abif_and_nothing_else(elections_dir: Path) -> None:
    abif = ABIFFormat()
    assert abif.sniff(TENNESSEE)
    assert abif.sniff("1:A")
    assert abif.sniff(TENNESSEE[:300])  # a head cut in the middle of a line
    for path in sorted(elections_dir.rglob("*")):
        if not path.is_file() or path.suffix in {".json", ".md", ".yaml"}:
            continue
        head = path.read_text(encoding="utf-8", errors="replace")[:65536]
        assert not abif.sniff(head), path
    # PrefLib data lines look like unrated ABIF comma lists.
    assert not abif.sniff("# FILE NAME: x.soc\n# DATA TYPE: soc\n3: 1,2,3\n")
    assert not abif.sniff("3: 1,2,3\n2: 2,1,3\n")
    p = Profile.from_rankings([["A", "B"], ["B"]])
    for fmt in ("blt", "cef"):
        out = io.StringIO()
        write_ballots(p, out, fmt)
        assert not abif.sniff(out.getvalue())
    assert not BLTFormat().sniff(TENNESSEE)
    assert not CEFFormat().sniff(TENNESSEE)


def test_metadata_json_round_trip_of_the_title() -> None:
    title = 'Quotes " and backslashes \\ and # and ünïcode'
    out = io.StringIO()
    write_ballots(Profile.from_rankings([["A"]]), out, "abif", title=title)
    assert json.loads(out.getvalue().splitlines()[0][len("{title: ") : -1]) == title
    out.seek(0)
    _, report = read_ballots(out, "abif", errors="collect")
    assert report.title == title


@settings(max_examples=25)
@given(profiles())
def test_no_other_registered_format_claims_what_the_writer_writes(p: Profile) -> None:
    head = write_or_refuse(p, "abif")
    if head is None:
        return
    claimed = [name for name in FORMATS if get_format(name).sniff(head)]
    assert claimed == ["abif"] or (not p.num_ballots and claimed in ([], ["abif"]))
